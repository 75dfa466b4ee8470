"""`python -m media_hub` runs the command line."""

from media_hub.cli import main

main()

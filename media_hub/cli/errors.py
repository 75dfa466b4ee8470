"""A library error as the person sees it: one line on stderr, `error: ...`.

When the fix is the person's and the same command is then run again, the line names that
command, which only the CLI knows (a deck refused by `upload` and by `ingest` is the same
library error).
"""

from __future__ import annotations

from media_hub.errors import MediaHubError


def error_line(exc: MediaHubError, command: str) -> str:
    """`command` as the person typed it, e.g. 'media-hub upload'."""
    line = f"error: {exc}"
    if exc.rerun_after_fix:
        line += f" and run '{command}' again"
    return line

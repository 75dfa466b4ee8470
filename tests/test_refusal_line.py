"""An encrypted deck is refused with one line naming the command the person ran, and nothing
before it: run as a real process whose stderr is a pipe, as in a log or CI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from media_hub.hub import Hub

DATA = Path(__file__).resolve().parent / "data"
ENCRYPTED = DATA / "libreoffice-writer-password.pdf"
MEDIA_HUB = Path(sys.executable).with_name("media-hub")  # the script `pip install` made


@pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    "args",
    [["upload", str(ENCRYPTED), "--series", "cv-flyers"], ["ingest", str(ENCRYPTED)]],
    ids=["upload", "ingest"],
)
def test_the_encrypted_deck_is_one_line_naming_the_command(hub: Hub, args: list[str]) -> None:
    ran = subprocess.run([str(MEDIA_HUB), *args], capture_output=True, text=True, timeout=120)
    assert ran.returncode == 1
    assert ran.stderr == (
        f"error: {ENCRYPTED}: password-protected; remove the password and run "
        f"'media-hub {args[0]}' again\n"
    )
    assert ran.stdout == ""

"""Finding ffmpeg and ffprobe, with the one fix for their absence in the message."""

from __future__ import annotations

import shutil
from pathlib import Path

from media_hub.errors import MediaError

INSTALL_HINT = "install ffmpeg: apt-get install ffmpeg"


def executable(name: str, for_file: Path) -> str:
    """The full path of `name` (ffmpeg, ffprobe); a MediaError about `for_file` if missing."""
    found = shutil.which(name)
    if found is None:
        raise MediaError(str(for_file), f"{name} is not installed; {INSTALL_HINT}")
    return found

"""Handing files to ffmpeg safely.

ffmpeg treats an input name as a URL: `concat:a|b`, `subfile,,start,...:x`, `http://`, or a
name starting with `-` read as an option. Every input is therefore a checked regular file,
passed as an absolute `file:` URL, with the `file` protocol alone allowed and only the
demuxers of real media files (an HLS or concat playlist could otherwise pull in other files).
So a name such as `Rabat,2014.mp4` or `Episode1:intro.mp4` is harmless and accepted: what a
file is, is decided by its content and the whitelist, not by the look of its name.
"""

from __future__ import annotations

import re
import stat
from pathlib import Path

from media_hub.errors import MediaError

# Demuxers for the containers cameras, phones, editors and agencies deliver.
MEDIA_DEMUXERS = (
    "mov,mp4,m4a,3gp,3g2,mj2",
    "matroska,webm",
    "avi",
    "mpegts",
    "mpeg",
    "mxf",
    "flv",
    "asf",
    "dv",
    "ogg",
    "wav",
    "mp3",
    "aac",
    "flac",
    "h264",
    "hevc",
    "image2",
    "png_pipe",
    "jpeg_pipe",
)
FORMAT_WHITELIST = ",".join(MEDIA_DEMUXERS)
PROTOCOL_WHITELIST = "file"
# Demuxers of single pictures (logos go through them): a video they read is a still.
STILL_PICTURE_DEMUXERS = frozenset({"image2", "png_pipe", "jpeg_pipe"})

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_PLAYLIST_MAGIC = (b"#EXTM3U", b"ffconcat", b"#EXT-X-")


def checked_source(path: Path) -> Path:
    """The absolute path of a regular, readable file whose name no tool can misread."""
    name = path.name
    if name.startswith("-"):
        raise MediaError(str(path), "the file name starts with '-'; rename the file")
    if _CONTROL.search(str(path)):
        raise MediaError(str(path), "the file name holds control characters; rename it")
    try:
        info = path.stat()
    except FileNotFoundError as exc:
        raise MediaError(str(path), "no such file") from exc
    except OSError as exc:
        raise MediaError(str(path), f"cannot read it ({exc.strerror})") from exc
    if not stat.S_ISREG(info.st_mode):
        raise MediaError(str(path), "not a regular file")
    if info.st_size == 0:
        raise MediaError(str(path), "the file is empty (0 bytes)")
    with path.open("rb") as stream:
        head = stream.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(_PLAYLIST_MAGIC):
        raise MediaError(str(path), "a playlist, not a media file; give the media file itself")
    return path.resolve()


def input_url(path: Path) -> str:
    """The URL to give ffmpeg or ffprobe for a checked file."""
    return f"file:{path.resolve()}"


def input_options() -> dict[str, str]:
    """Options that go before every `-i` (as ffmpeg-python `input()` keyword arguments)."""
    return {"protocol_whitelist": PROTOCOL_WHITELIST, "format_whitelist": FORMAT_WHITELIST}


def input_args(path: Path) -> list[str]:
    """The same as command-line arguments, for tools run without ffmpeg-python (ffprobe)."""
    args: list[str] = []
    for option, value in input_options().items():
        args += [f"-{option}", value]
    return [*args, "-i", input_url(path)]

"""Probing a media file with ffprobe, and saying in one line why a file cannot be used.

A file whose header states more media than it holds (a faststart MP4 cut short) probes
whole: the same ffprobe run lists the packets of its end, and `completeness` compares them
with the header, so that it is refused here, before it is ingested or transcoded. Formats
that cannot seek (raw streams, single pictures) are probed again without their end.

ffprobe's own messages are terse ("Invalid data found when processing input", "moov atom
not found" for a text file named .mp4 too), so the file's first bytes decide between
"not media" and "an MP4 cut short".
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from media_hub.errors import MediaError
from media_hub.media import completeness, safety
from media_hub.media.completeness import TruncatedError
from media_hub.media.media_info import MediaInfo, media_info_from_probe
from media_hub.media.tools import INSTALL_HINT, executable

PROBE_TIMEOUT_S = 60.0
_HEADER_ARGS = ("-show_format", "-show_streams")
_ISO_BOX_TYPES = (b"ftyp", b"moov", b"mdat", b"free", b"skip", b"wide", b"pnot")


def probe(
    path: Path, *, require_video: bool = False, timeout: float = PROBE_TIMEOUT_S
) -> MediaInfo:
    """Everything transcoding needs to know about `path`; MediaError when it is unusable,
    TruncatedError when its media stops before the end its header states."""
    source = safety.checked_source(path)
    done = _ffprobe(path, source, timeout, *_HEADER_ARGS, *completeness.LAST_KEY_FRAME_ARGS)
    end_read = not (done.returncode and completeness.CANNOT_SEEK in _text(done.stderr).lower())
    if not end_read:  # raw streams and single pictures cannot seek: probed without their end
        done = _ffprobe(path, source, timeout, *_HEADER_ARGS)
    if done.returncode != 0:
        raise MediaError(str(path), _reason(source, _text(done.stderr)))
    data = _json(path, done)
    info = media_info_from_probe(source, data, source.stat().st_size)
    if info.video is None and info.audio is None:
        raise MediaError(str(path), "not a media file: it holds no video or audio stream")
    if require_video and info.video is None:
        raise MediaError(str(path), "no video stream (audio only); a video is needed here")
    if end_read and info.format_name not in safety.STILL_PICTURE_DEMUXERS:
        _check_complete(path, source, data, _text(done.stderr), timeout)
    return info


def _check_complete(
    path: Path, source: Path, data: dict[str, Any], stderr: str, timeout: float
) -> None:
    """TruncatedError unless the media reaches its stated end; an end found short without
    ffmpeg saying so is read again from just before the stated end, as demuxers seek past
    an end differently."""
    finding = completeness.missing_tail(data, stderr)
    if finding is None or completeness.said_cut_short(stderr):
        if finding is not None:
            raise TruncatedError(str(path), finding)
        return
    again = _ffprobe(path, source, timeout, *completeness.near_end_args(data))
    if again.returncode == 0:
        packets = _json(path, again).get("packets") or []
        finding = completeness.missing_tail({**data, "packets": packets}, _text(again.stderr))
    if finding is not None:
        raise TruncatedError(str(path), finding)


def _ffprobe(
    path: Path, source: Path, timeout: float, *options: str
) -> subprocess.CompletedProcess[bytes]:
    command = [executable("ffprobe", path), "-v", "error", "-print_format", "json", *options]
    try:
        return subprocess.run(
            [*command, *safety.input_args(source)],
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except FileNotFoundError as exc:
        raise MediaError(str(path), f"ffprobe is not installed; {INSTALL_HINT}") from exc
    except subprocess.TimeoutExpired as exc:
        raise MediaError(str(path), f"ffprobe gave no answer within {timeout:g} s") from exc


def _json(path: Path, done: subprocess.CompletedProcess[bytes]) -> dict[str, Any]:
    try:
        data = json.loads(done.stdout)
    except json.JSONDecodeError as exc:
        raise MediaError(str(path), "ffprobe's answer could not be read") from exc
    return data if isinstance(data, dict) else {}


def _text(stderr: bytes) -> str:
    return stderr.decode(errors="replace")


def _reason(source: Path, stderr: str) -> str:
    if _looks_like_iso_media(source):
        if "moov atom not found" in stderr:
            return (
                "truncated MP4: the moov atom (its index) is missing, "
                "the recording or the copy was cut short"
            )
        return f"a damaged MP4/MOV file ({_last_line(stderr)})"
    return f"not a media file ffmpeg can read ({_last_line(stderr)})"


def _looks_like_iso_media(source: Path) -> bool:
    """An MP4/MOV starts with a box: 4 bytes of size, then a known type such as `ftyp`."""
    with source.open("rb") as stream:
        head = stream.read(8)
    return len(head) == 8 and head[4:8] in _ISO_BOX_TYPES


def _last_line(stderr: str) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    if not lines:
        return "ffprobe gave no reason"
    last = lines[-1]
    # "file:/abs/path: Invalid data found..." names the file again; the message already does.
    _, sep, rest = last.partition(": ")
    return rest if sep and last.startswith("file:") else last

"""Whether a file holds all the media its header states: a copy cut short is caught here.

A faststart MP4 (its index before the data), a Matroska file or a fragmented MP4 cut short
still probes whole: the header states the full duration, and ffmpeg reads what is there,
says "partial file" or "File ended prematurely", and exits 0. So `probe` also asks ffprobe
for the packets from the last key frame on (a seek through the index, nothing decoded: the
cost does not grow with the file's length), and their end is compared here with the end the
header states.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from media_hub.errors import MediaError

# The ffprobe options that list the packets from the last key frame on: a seek a year past
# any end lands on the last key frame (demuxers seek backwards from the time asked).
TAIL_ARGS = (
    *("-read_intervals", "31536000%"),
    *("-show_entries", "packet=pts_time,dts_time,duration_time"),
)
# How far the last packet may end before the stated end: containers round durations, and an
# audio track's last frame may stop a little short of the video's.
TOLERANCE_S = 1.0
# What ffmpeg's demuxers say when the data stops inside a packet or a cluster.
_CUT_SHORT = ("partial file", "file ended prematurely")


class TruncatedError(MediaError):
    """A file whose media stops before the end its header states; `finding` says where."""

    def __init__(self, path: str, finding: str) -> None:
        self.finding = finding
        super().__init__(path, f"{finding}; copy the whole file again", rerun_after_fix=True)


def check_complete(path: Path, probed: Mapping[str, Any], stderr: str) -> None:
    """TruncatedError unless the media reaches the end its header states (or it states
    none), judged from ffprobe's JSON (with the packets of the end) and its messages."""
    fmt = probed.get("format") or {}
    duration = _seconds(fmt.get("duration"))
    if duration is None or duration <= 0:
        return  # no duration in the header (raw streams, images): nothing to compare
    start = _seconds(fmt.get("start_time")) or 0.0
    packets = probed.get("packets") or []
    reached = max((_packet_end(packet) for packet in packets), default=start)
    cut_short = any(mark in stderr.lower() for mark in _CUT_SHORT)
    if not cut_short and reached >= start + duration - TOLERANCE_S:
        return
    raise TruncatedError(
        str(path),
        f"truncated: its media stops at {max(0.0, reached - start):.1f} s of the "
        f"{duration:.1f} s its header states (the copy or the recording was cut short)",
    )


def _packet_end(packet: Mapping[str, Any]) -> float:
    time = _seconds(packet.get("pts_time"))
    if time is None:
        time = _seconds(packet.get("dts_time"))
    if time is None:
        return 0.0
    return time + (_seconds(packet.get("duration_time")) or 0.0)


def _seconds(value: object) -> float | None:
    """A number of seconds; None when absent or "N/A"."""
    try:
        result = float(str(value))
    except ValueError:
        return None
    return result if math.isfinite(result) else None

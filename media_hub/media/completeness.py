"""Whether a file holds all the media its header states: a copy cut short is caught here.

A faststart MP4 (its index before the data), a Matroska file or a fragmented MP4 cut short
still probes whole: the header states the full duration, and ffmpeg reads what is there,
says "partial file" or "File ended prematurely", and exits 0. So `probe` also asks ffprobe
for the packets from the last key frame on (a seek through the index, nothing decoded: the
cost does not grow with the file's length), and their end is compared here with the end the
header states. Demuxers seek past the end differently (a WAV lands after its last sample), so
an end found short without ffmpeg's own word for it is read again from two seconds before
the stated end before the file is refused.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from media_hub.errors import MediaError

_PACKETS = ("-show_entries", "packet=pts_time,dts_time,duration_time")
# The packets from the last key frame on: a seek a year past any end lands on the last key
# frame with the index-based demuxers (MP4, Matroska, MPEG-TS...).
LAST_KEY_FRAME_ARGS = ("-read_intervals", "31536000%", *_PACKETS)
# ffprobe's words when a format cannot seek at all (raw H.264, a JPEG): probe it without.
CANNOT_SEEK = "could not read packets in interval"
TAIL_S = 2.0  # how much of the stated end the second reading covers
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


def missing_tail(probed: Mapping[str, Any], stderr: str) -> str | None:
    """Where the media stops short of the end its header states, from ffprobe's JSON (with
    the packets of the end) and its messages; None when it reaches it, or states none."""
    stated = _stated(probed)
    if stated is None:
        return None  # no duration in the header (raw streams, images): nothing to compare
    start, duration = stated
    packets = probed.get("packets") or []
    reached = max((_packet_end(packet) for packet in packets), default=start)
    if not said_cut_short(stderr) and reached >= start + duration - TOLERANCE_S:
        return None
    return (
        f"truncated: its media stops at {max(0.0, reached - start):.1f} s of the "
        f"{duration:.1f} s its header states (the copy or the recording was cut short)"
    )


def said_cut_short(stderr: str) -> bool:
    """Whether ffmpeg itself said the data stops early: no second reading needed."""
    lowered = stderr.lower()
    return any(mark in lowered for mark in _CUT_SHORT)


def near_end_args(probed: Mapping[str, Any]) -> tuple[str, ...]:
    """The ffprobe options that list the packets of the last `TAIL_S` seconds stated."""
    start, duration = _stated(probed) or (0.0, 0.0)
    return ("-read_intervals", f"{start + max(0.0, duration - TAIL_S):.3f}%", *_PACKETS)


def _stated(probed: Mapping[str, Any]) -> tuple[float, float] | None:
    """(start, duration) in seconds as the container states them; None without a duration."""
    fmt = probed.get("format") or {}
    duration = _seconds(fmt.get("duration"))
    if duration is None or duration <= 0:
        return None
    return _seconds(fmt.get("start_time")) or 0.0, duration


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

"""What the packets say: frame timing, edit lists, stream lengths, the real video bitrate.

A header can claim a constant 25 fps and a bitrate; only the packets show a variable frame
rate, frames an edit list hides, or an audio track that stops early. One ffprobe run lists
every packet's timing, size and flags without decoding anything (0.13 s for a 60-second
1080p file here); `scan_from_probe` reads its JSON and is a pure function.

Broken frames need a decoder: `keyframe_errors` decodes the key frames only (about a tenth
of a full decode at a keyframe every half second), so a damaged key frame, or a stream that
is not really H.264, is found; damage inside a P or B frame is not.
"""

from __future__ import annotations

import itertools
import json
import subprocess
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from media_hub.errors import MediaError
from media_hub.media import safety
from media_hub.media.media_info import MediaInfo
from media_hub.media.tools import executable

SCAN_TIMEOUT_S = 120.0
_ENTRIES = "stream=index,codec_type,time_base:packet=stream_index,pts,duration,size,flags"


@dataclass(frozen=True)
class StreamTiming:
    """One stream's packets: where they start and end (seconds), what they weigh."""

    start: float
    end: float
    bytes: int
    discarded: int  # packets an edit list drops (flag D), AAC's priming packet among them
    hidden_before: float  # seconds of packets the edit list places before the start
    frame_durations: tuple[float, float] | None  # shortest and longest gap between frames
    tick: float  # the time base: the finest step a timestamp can take


@dataclass(frozen=True)
class StreamScan:
    video: StreamTiming | None
    audio: StreamTiming | None

    @property
    def video_kbps(self) -> float | None:
        video = self.video
        if video is None or video.end <= video.start:
            return None
        return video.bytes * 8 / (video.end - video.start) / 1000

    @property
    def variable_frame_rate(self) -> bool:
        """Frame gaps differ by more than timestamp rounding (one tick, or 1 %) allows."""
        video = self.video
        if video is None or video.frame_durations is None:
            return False
        shortest, longest = video.frame_durations
        return longest - shortest > max(1.5 * video.tick, 0.01 * longest)


def scan_streams(info: MediaInfo) -> StreamScan:
    """Run ffprobe over every packet of the file's first video and audio streams."""
    source = safety.checked_source(info.path)
    command = [executable("ffprobe", source), "-v", "error", "-print_format", "json"]
    command += ["-show_entries", _ENTRIES, *safety.input_args(source)]
    try:
        done = subprocess.run(command, capture_output=True, timeout=SCAN_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired as exc:
        raise MediaError(str(info.path), "ffprobe could not list the packets in time") from exc
    if done.returncode != 0:
        last = done.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["no message"]
        raise MediaError(str(info.path), f"ffprobe could not list the packets: {last[0]}")
    data: dict[str, Any] = json.loads(done.stdout or b"{}")
    return scan_from_probe(info, data)


def scan_from_probe(info: MediaInfo, data: dict[str, Any]) -> StreamScan:
    """Read `ffprobe -show_entries stream=...:packet=...` output for `info`'s streams."""
    bases = {
        int(stream.get("index", -1)): _time_base(stream.get("time_base"))
        for stream in data.get("streams") or []
    }
    packets: dict[int, list[dict[str, Any]]] = {}
    for packet in data.get("packets") or []:
        packets.setdefault(int(packet.get("stream_index", -1)), []).append(packet)

    def timing(index: int | None, frames: bool) -> StreamTiming | None:
        if index is None or not packets.get(index):
            return None
        return _timing(packets[index], bases.get(index) or Fraction(1, 90000), frames=frames)

    return StreamScan(
        video=timing(info.video.index if info.video else None, frames=True),
        audio=timing(info.audio.index if info.audio else None, frames=False),
    )


def _timing(packets: list[dict[str, Any]], base: Fraction, *, frames: bool) -> StreamTiming:
    kept = [p for p in packets if "D" not in str(p.get("flags", "")) and _has_pts(p)]
    dropped = [p for p in packets if "D" in str(p.get("flags", ""))]
    stamps = sorted(int(p["pts"]) for p in kept)
    ends = [int(p["pts"]) + int(p.get("duration") or 0) for p in kept]
    durations = None
    if frames and len(stamps) > 2:
        gaps = [later - earlier for earlier, later in itertools.pairwise(stamps)]
        durations = (float(min(gaps) * base), float(max(gaps) * base))
    hidden = [int(p["pts"]) for p in dropped if _has_pts(p)]
    first = stamps[0] if stamps else 0
    return StreamTiming(
        start=float(first * base),
        end=float((max(ends) if ends else first) * base),
        bytes=sum(int(p.get("size") or 0) for p in kept),
        discarded=len(dropped),
        hidden_before=float((first - min(hidden)) * base) if hidden and min(hidden) < first else 0,
        frame_durations=durations,
        tick=float(base),
    )


def _has_pts(packet: dict[str, Any]) -> bool:
    return isinstance(packet.get("pts"), int)


def _time_base(text: object) -> Fraction | None:
    if not isinstance(text, str) or "/" not in text:
        return None
    numerator, _, denominator = text.partition("/")
    try:
        value = Fraction(int(numerator), int(denominator))
    except (ValueError, ZeroDivisionError):
        return None
    return value if value > 0 else None


def keyframe_errors(info: MediaInfo) -> str | None:
    """The decoder's first complaint about the video's key frames, or None when they decode."""
    if info.video is None:
        return None
    source = safety.checked_source(info.path)
    command = [executable("ffmpeg", source), "-hide_banner", "-nostdin", "-v", "error"]
    command += ["-xerror", "-skip_frame", "nokey", *safety.input_args(source)]
    command += ["-map", f"0:{info.video.index}", "-f", "null", "-"]
    try:
        done = subprocess.run(command, capture_output=True, timeout=SCAN_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired:
        return "the key frames could not be decoded in time"
    lines = [line.strip() for line in done.stderr.decode(errors="replace").splitlines()]
    complaints = [line for line in lines if line]
    if done.returncode == 0 and not complaints:
        return None
    return _plain(complaints[0]) if complaints else f"the decoder failed (exit {done.returncode})"


def _plain(line: str) -> str:
    """Without ffmpeg's '[h264 @ 0x55d...] ' prefix, which names a memory address."""
    return line.split("] ", 1)[1] if line.startswith("[") and "] " in line else line

"""What ffprobe says about a file, reduced to the facts transcoding decides on.

Kept apart from running ffprobe so that the reading of its JSON (frame rates, rotation,
interlacing, the first real video stream) is a pure function over a dict.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

INTERLACED_FIELD_ORDERS = frozenset({"tt", "bb", "tb", "bt"})
HDR_TRANSFERS = frozenset({"smpte2084", "arib-std-b67"})  # PQ and HLG


@dataclass(frozen=True)
class VideoStream:
    index: int  # the stream's index in the file, for `-map 0:INDEX`
    codec: str
    profile: str | None
    width: int  # coded picture size
    height: int
    display_width: int  # as shown: sample aspect ratio and rotation applied
    display_height: int
    fps: Fraction
    pix_fmt: str | None
    field_order: str | None  # ffprobe's value: progressive, tt, bb, tb, bt, unknown
    interlaced: bool
    rotation: int  # degrees clockwise a player turns the picture: 0, 90, 180 or 270
    has_b_frames: int
    bit_rate: int | None
    sample_aspect_ratio: Fraction
    color_space: str | None
    color_transfer: str | None
    color_primaries: str | None
    level: int | None = None  # H.264's level times ten (40 for 4.0), as ffprobe gives it

    @property
    def hdr(self) -> bool:
        return self.color_transfer in HDR_TRANSFERS


@dataclass(frozen=True)
class AudioStream:
    index: int
    codec: str
    profile: str | None
    sample_rate: int
    channels: int
    channel_layout: str | None
    bit_rate: int | None


@dataclass(frozen=True)
class MediaInfo:
    path: Path
    format_name: str
    duration: float | None  # seconds; None when the container does not say
    size: int  # bytes
    bit_rate: int | None
    video: VideoStream | None
    audio: AudioStream | None

    def to_json(self) -> dict[str, Any]:
        """A plain dict of JSON types, to store in the catalog."""
        return {
            "path": str(self.path),
            "format_name": self.format_name,
            "duration": self.duration,
            "size": self.size,
            "bit_rate": self.bit_rate,
            "video": None if self.video is None else _video_json(self.video),
            "audio": None if self.audio is None else dict(vars(self.audio)),
        }


def _video_json(video: VideoStream) -> dict[str, Any]:
    fields = dict(vars(video))
    fields["fps"] = f"{video.fps.numerator}/{video.fps.denominator}"
    fields["sample_aspect_ratio"] = (
        f"{video.sample_aspect_ratio.numerator}:{video.sample_aspect_ratio.denominator}"
    )
    return fields


def media_info_from_probe(path: Path, data: dict[str, Any], file_size: int) -> MediaInfo:
    """Read `ffprobe -show_format -show_streams -print_format json` output."""
    fmt = data.get("format") or {}
    streams = data.get("streams") or []
    video = next((s for s in streams if _is_picture(s)), None)
    audio = next((s for s in streams if s.get("codec_type") == "audio"), None)
    return MediaInfo(
        path=path,
        format_name=str(fmt.get("format_name", "")),
        duration=_float(fmt.get("duration")) or (_float(video.get("duration")) if video else None),
        size=_int(fmt.get("size")) or file_size,
        bit_rate=_int(fmt.get("bit_rate")),
        video=None if video is None else _video(video),
        audio=None if audio is None else _audio(audio),
    )


def _is_picture(stream: dict[str, Any]) -> bool:
    """A moving picture: album art in an audio file is a video stream too, but attached."""
    disposition = stream.get("disposition") or {}
    return stream.get("codec_type") == "video" and not disposition.get("attached_pic")


def _video(stream: dict[str, Any]) -> VideoStream:
    width, height = int(stream.get("width") or 0), int(stream.get("height") or 0)
    sar = _ratio(stream.get("sample_aspect_ratio"), ":") or Fraction(1)
    rotation = _rotation(stream)
    shown_width = max(1, round(width * sar)) if width else 0
    display = (height, shown_width) if rotation in (90, 270) else (shown_width, height)
    field_order = stream.get("field_order")
    return VideoStream(
        index=int(stream.get("index", 0)),
        codec=str(stream.get("codec_name", "")),
        profile=stream.get("profile"),
        width=width,
        height=height,
        display_width=display[0],
        display_height=display[1],
        fps=_frame_rate(stream),
        pix_fmt=stream.get("pix_fmt"),
        field_order=field_order,
        interlaced=field_order in INTERLACED_FIELD_ORDERS,
        rotation=rotation,
        has_b_frames=int(stream.get("has_b_frames") or 0),
        bit_rate=_int(stream.get("bit_rate")),
        sample_aspect_ratio=sar,
        color_space=stream.get("color_space"),
        color_transfer=stream.get("color_transfer"),
        color_primaries=stream.get("color_primaries"),
        level=_int(stream.get("level")),
    )


def _audio(stream: dict[str, Any]) -> AudioStream:
    return AudioStream(
        index=int(stream.get("index", 0)),
        codec=str(stream.get("codec_name", "")),
        profile=stream.get("profile"),
        sample_rate=_int(stream.get("sample_rate")) or 0,
        channels=int(stream.get("channels") or 0),
        channel_layout=stream.get("channel_layout"),
        bit_rate=_int(stream.get("bit_rate")),
    )


def _frame_rate(stream: dict[str, Any]) -> Fraction:
    """The nominal rate (r_frame_rate, an exact 30000/1001) unless the average disagrees.

    They disagree for field-coded interlaced streams (r is the field rate) and variable
    frame rate phone clips; the average is then the honest figure.
    """
    nominal = _ratio(stream.get("r_frame_rate"), "/")
    average = _ratio(stream.get("avg_frame_rate"), "/")
    if nominal and average:
        return nominal if abs(nominal / average - 1) < Fraction(1, 100) else average
    return nominal or average or Fraction(25)


def _rotation(stream: dict[str, Any]) -> int:
    """Clockwise degrees: the display matrix states counter-clockwise, the old tag clockwise."""
    for side_data in stream.get("side_data_list") or []:
        angle = _number(side_data.get("rotation"))
        if angle is not None:
            return _quarter_turns(-angle)
    tag = _number((stream.get("tags") or {}).get("rotate"))
    return 0 if tag is None else _quarter_turns(tag)


def _quarter_turns(degrees: float) -> int:
    return round(degrees / 90) % 4 * 90


def _ratio(text: object, separator: str) -> Fraction | None:
    if not isinstance(text, str) or separator not in text:
        return None
    numerator, _, denominator = text.partition(separator)
    try:
        num, den = int(numerator), int(denominator)
    except ValueError:
        return None
    return Fraction(num, den) if num > 0 and den > 0 else None


def _int(value: object) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None


def _float(value: object) -> float | None:
    """A positive number of seconds, bits per second...; None when absent or N/A."""
    result = _number(value)
    return result if result is not None and result > 0 else None


def _number(value: object) -> float | None:
    try:
        result = float(str(value))
    except ValueError:
        return None
    return result if math.isfinite(result) else None

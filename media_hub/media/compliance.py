"""Does a source already meet a profile? The decision between remux, audio only, transcode.

Re-encoding a master that already follows YouTube's recommendations costs minutes of CPU
and a generation of quality, and YouTube re-encodes it anyway. So a source is classified
against the profile, from ffprobe's header (`MediaInfo`), its packets (`StreamScan`), its
key frames decoded and one loudness measurement:

- video and audio compliant: **remux** (stream copy, moov atom first);
- video compliant, audio not: **audio** (the video copied, the audio normalised);
- otherwise: **transcode**, as always.

Every check that fails gives a reason a person can act on ("transcoded: 10-bit 4:2:2",
"audio re-encoded: -19.3 LUFS, target -14 ± 1"); `decide` is a pure function.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

from media_hub.media.geometry import ladder_kbps, output_size
from media_hub.media.loudness import LoudnessMeasurement
from media_hub.media.media_info import MediaInfo, VideoStream
from media_hub.media.profiles import Profile
from media_hub.media.stream_scan import StreamScan

RenditionPath = Literal["remux", "audio", "transcode"]
# How far stream ends may differ: AAC pads its last frame, and a frame of 24 fps is 42 ms.
STREAM_END_TOLERANCE_S = 0.25
_H264_PROFILES = {
    "high": {"High"},
    "main": {"Main"},
    "baseline": {"Baseline", "Constrained Baseline"},
}
_CHROMA = {"420": "4:2:0", "422": "4:2:2", "444": "4:4:4"}


@dataclass(frozen=True)
class SourceFacts:
    """Everything `decide` reads about a source, gathered by `passthrough.examine`."""

    info: MediaInfo
    scan: StreamScan
    loudness: LoudnessMeasurement | None  # None: no audio, or silence
    keyframe_error: str | None = None


@dataclass(frozen=True)
class Decision:
    path: RenditionPath
    reasons: tuple[str, ...] = field(default=())

    def key(self, profile: Profile) -> str:
        """What the rendition's cache key adds: nothing for a transcode (its bytes depend
        on the profile alone), the path and the tolerance that admitted the source else."""
        if self.path == "transcode":
            return ""
        tolerance = profile.tolerance.model_dump(mode="json")
        return f"{self.path}:" + json.dumps(tolerance, sort_keys=True, separators=(",", ":"))

    def with_reason(self, reason: str) -> Decision:
        return Decision(self.path, (*self.reasons, reason))


def forced(reason: str) -> Decision:
    return Decision("transcode", (f"transcoded: {reason}",))


def decide(profile: Profile, facts: SourceFacts, *, branded: bool = False) -> Decision:
    """The path for this source and profile, with the reasons for it (`branded`: a logo is
    drawn over the picture, which only a transcode can do)."""
    video_problems = video_reasons(profile, facts)
    if branded:
        video_problems.append("the series' logo is drawn over the picture")
    if video_problems:
        return Decision("transcode", tuple(f"transcoded: {reason}" for reason in video_problems))
    video_summary = _video_summary(profile, facts)
    audio_problems = audio_reasons(profile, facts)
    if audio_problems:
        reasons = (f"video copied: {video_summary}",)
        return Decision("audio", reasons + tuple(f"audio re-encoded: {r}" for r in audio_problems))
    return Decision("remux", (f"remuxed: {video_summary}; {_audio_summary(facts)}",))


def video_reasons(profile: Profile, facts: SourceFacts) -> list[str]:
    """What keeps the video from being copied as it is; empty when nothing does."""
    info, scan, tolerance = facts.info, facts.scan, profile.tolerance
    video = info.video
    if video is None:
        return ["no video stream"]
    problems = _format_reasons(profile, video)
    if video.interlaced:
        problems.append(f"interlaced ({video.field_order})")
    elif video.field_order != "progressive":
        problems.append(f"field order {video.field_order or 'not stated'}, not progressive")
    if not any(_close(video.fps, rate) for rate in tolerance.frame_rates):
        problems.append(f"{_rate(video.fps)} fps is not a standard frame rate")
    if scan.variable_frame_rate and scan.video is not None and scan.video.frame_durations:
        shortest, longest = scan.video.frame_durations
        problems.append(
            f"variable frame rate (frames last {shortest * 1000:.1f} to {longest * 1000:.1f} ms)"
        )
    problems += _size_reasons(profile, video)
    problems += _timing_reasons(facts)
    if not problems:
        problems += _bitrate_reasons(profile, video, scan)
    if facts.keyframe_error is not None:
        problems.append(f"key frames do not decode ({facts.keyframe_error})")
    return problems


def _format_reasons(profile: Profile, video: VideoStream) -> list[str]:
    wanted = profile.video
    if video.codec != "h264":
        return [f"video is {video.codec or 'of an unknown codec'}, not H.264"]
    problems = []
    if video.pix_fmt != wanted.pix_fmt:
        problems.append(_pixel_format(video.pix_fmt))
    if video.profile not in _H264_PROFILES[wanted.profile]:
        shown = video.profile or "of no stated"
        problems.append(f"H.264 {shown} profile, not {wanted.profile.capitalize()}")
    level = video.level if video.level and video.level > 0 else None
    if level is None or level > profile.tolerance.max_level:
        shown = "not stated" if level is None else _level(level)
        problems.append(f"H.264 level {shown}, above {_level(profile.tolerance.max_level)}")
    if video.hdr:
        problems.append(f"HDR ({video.color_transfer})")
    elif video.color_space not in (None, "unknown", wanted.colour):
        problems.append(f"colour matrix {video.color_space}, not {wanted.colour}")
    return problems


def _size_reasons(profile: Profile, video: VideoStream) -> list[str]:
    problems = []
    if video.rotation:
        problems.append(f"turned {video.rotation}° by its metadata")
    if video.sample_aspect_ratio != 1:
        sar = video.sample_aspect_ratio
        problems.append(f"non-square pixels ({sar.numerator}:{sar.denominator})")
    size = (video.display_width, video.display_height)
    if output_size(*size, profile.video.max_height) != size:
        problems.append(
            f"{size[0]}x{size[1]} is above the profile's {profile.video.max_height} lines"
        )
    return problems


def _timing_reasons(facts: SourceFacts) -> list[str]:
    video, audio = facts.scan.video, facts.scan.audio
    problems = []
    if video is not None and (video.discarded or video.hidden_before > 0):
        problems.append(
            f"an edit list hides {video.discarded} video frames ({video.hidden_before:.2f} s)"
        )
    elif video is not None and abs(video.start) > video.tick:
        problems.append(f"the video starts at {video.start:.2f} s (an edit list or offset)")
    if video is not None and audio is not None:
        starts = abs(video.start - audio.start)
        ends = abs(video.end - audio.end)
        if starts > STREAM_END_TOLERANCE_S or ends > STREAM_END_TOLERANCE_S:
            problems.append(
                f"streams of different lengths (video {video.start:.2f}-{video.end:.2f} s, "
                f"audio {audio.start:.2f}-{audio.end:.2f} s)"
            )
    return problems


def _bitrate_reasons(profile: Profile, video: VideoStream, scan: StreamScan) -> list[str]:
    kbps = scan.video_kbps
    if kbps is None:
        return ["the video's bitrate cannot be measured"]
    ladder = ladder_kbps(profile.video.ladder, video.width, video.height, video.fps)
    low = ladder * profile.tolerance.min_bitrate_factor
    high = ladder * profile.tolerance.max_bitrate_factor
    if low <= kbps <= high:
        return []
    return [
        f"video at {_mbps(kbps)}, outside {_mbps(low)} to {_mbps(high)} "
        f"(the ladder's {_mbps(ladder)} for {video.height}p{_rate(video.fps)})"
    ]


def audio_reasons(profile: Profile, facts: SourceFacts) -> list[str]:
    """What keeps the audio from being copied; empty when nothing does (or no audio)."""
    audio, wanted, target = facts.info.audio, profile.audio, profile.loudness
    if audio is None:
        return []
    problems = []
    if audio.codec != "aac" or audio.profile != "LC":
        problems.append(f"{audio.codec} {audio.profile or ''}".strip() + ", not AAC-LC")
    if audio.sample_rate != wanted.sample_rate:
        problems.append(f"{audio.sample_rate} Hz, not {wanted.sample_rate}")
    if audio.channels != wanted.channels:
        problems.append(f"{audio.channels} channels, not {wanted.channels}")
    measured = facts.loudness
    tolerance = profile.tolerance
    if measured is not None:
        if abs(measured.input_i - target.integrated) > tolerance.loudness_lu:
            problems.append(
                f"{measured.input_i:.1f} LUFS, target {target.integrated:g} "
                f"± {tolerance.loudness_lu:g}"
            )
        if measured.input_tp > target.true_peak + tolerance.true_peak_db:
            problems.append(
                f"true peak {measured.input_tp:.1f} dBTP, above {target.true_peak:g} "
                f"+ {tolerance.true_peak_db:g}"
            )
    return problems


def _video_summary(profile: Profile, facts: SourceFacts) -> str:
    video = facts.info.video
    assert video is not None
    level = _level(video.level) if video.level else "?"
    kbps = facts.scan.video_kbps or 0.0
    return (
        f"H.264 {video.profile} {level} {video.pix_fmt} progressive "
        f"{video.display_width}x{video.display_height} {_rate(video.fps)} fps {_mbps(kbps)}"
    )


def _audio_summary(facts: SourceFacts) -> str:
    audio = facts.info.audio
    if audio is None:
        return "no audio"
    measured = facts.loudness
    sound = (
        "silent"
        if measured is None
        else f"{measured.input_i:.1f} LUFS, true peak {measured.input_tp:.1f} dBTP"
    )
    return f"AAC-LC {audio.sample_rate / 1000:g} kHz {audio.channels} ch, {sound}"


def _pixel_format(pix_fmt: str | None) -> str:
    """'10-bit 4:2:2' for yuv422p10le; the name itself for what is not planar YUV."""
    if not pix_fmt or not pix_fmt.startswith("yuv"):
        return f"pixel format {pix_fmt or 'not stated'}, not 8-bit 4:2:0"
    rest = pix_fmt.removeprefix("yuvj").removeprefix("yuv")
    chroma = _CHROMA.get(rest[:3], rest[:3])
    bits = rest[4:].removesuffix("le").removesuffix("be") if rest[3:4] == "p" else ""
    return f"{bits or '8'}-bit {chroma}" + (" full range" if pix_fmt.startswith("yuvj") else "")


def _close(fps: Fraction, rate: float) -> bool:
    return abs(float(fps) - rate) <= rate * 0.001


def _rate(fps: Fraction) -> str:
    return f"{float(fps):.3f}".rstrip("0").rstrip(".")


def _level(level: int) -> str:
    return f"{level // 10}.{level % 10}"


def _mbps(kbps: float) -> str:
    return f"{kbps / 1000:.1f} Mb/s"

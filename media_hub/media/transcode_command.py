"""The ffmpeg command of a rendition, built and never run here.

`build_transcode` is a pure function of a profile, a probe result and the measured
loudness: tests compare its arguments without running ffmpeg, and the runner
(`transcode.py`) only executes them. Every input goes through `safety`.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import ffmpeg
from ffmpeg.nodes import FilterableStream, FilterNode, Node

from media_hub.errors import MediaError
from media_hub.media import safety
from media_hub.media.branding import BrandClip, BrandingMedia, logo_placement
from media_hub.media.geometry import gop_frames, input_matrix, ladder_kbps, output_size
from media_hub.media.loudness import (
    LoudnessMeasurement,
    linear_possible,
    normalise,
    prepare_audio,
)
from media_hub.media.media_info import MediaInfo, VideoStream
from media_hub.media.profiles import Profile

Stream = Any  # ffmpeg-python has no type hints


def build_transcode(
    profile: Profile,
    info: MediaInfo,
    source: Path,
    output: Path,
    loudness: LoudnessMeasurement | None,
    branding: BrandingMedia | None,
    threads: int,
) -> list[str]:
    """The ffmpeg arguments that turn `source` into `output` as `profile` says."""
    graph = transcode_graph(profile, info, source, output, loudness, branding, threads)
    args: list[str] = graph.compile(cmd="ffmpeg")
    return args


def transcode_graph(
    profile: Profile,
    info: MediaInfo,
    source: Path,
    output: Path,
    loudness: LoudnessMeasurement | None,
    branding: BrandingMedia | None,
    threads: int,
) -> Stream:
    """The same command as an ffmpeg-python graph, for `run_async`."""
    video_info = _usable_video(info, source)
    width, height = output_size(
        video_info.display_width, video_info.display_height, profile.video.max_height
    )
    fps = video_info.fps
    main = _input(source, threads)
    video = _picture(main[str(video_info.index)], video_info, profile, (width, height), fps)
    if branding is not None and branding.branding.logo is not None:
        video = _with_logo(video, branding, width, height, profile.video.pix_fmt)
    audio = None
    if info.audio is not None:
        audio = _sound(main[str(info.audio.index)], profile, loudness, info.duration)
    if branding is not None and (branding.intro or branding.outro):
        video, audio = _concatenate(
            [
                *_clip_segment(branding.intro, profile, (width, height), fps, threads),
                (video, audio, info.duration),
                *_clip_segment(branding.outro, profile, (width, height), fps, threads),
            ],
            profile,
            source,
        )
    streams = [video] if audio is None else [video, audio]
    options = _video_options(profile, width, height, fps, threads)
    if audio is not None:
        options |= _audio_options(profile)
    return _finish(ffmpeg.output(*streams, f"file:{output.resolve()}", **options), threads)


def copy_graph(
    profile: Profile,
    info: MediaInfo,
    source: Path,
    output: Path,
    loudness: LoudnessMeasurement | None,
    threads: int,
    *,
    encode_audio: bool,
) -> Stream:
    """A source that meets the profile, its video copied: the audio copied too (remux) or
    normalised and encoded (`encode_audio`); moov first, no metadata, no chapters."""
    video_info = _usable_video(info, source)
    main = _input(source, threads)
    streams = [main[str(video_info.index)]]
    options: dict[str, str] = {"f": profile.container, "c:v": "copy"}
    if info.audio is not None:
        audio = main[str(info.audio.index)]
        if encode_audio:
            audio = _gain_or_loudnorm(audio, profile, loudness, info.duration)
            options |= _audio_options(profile)
        else:
            options["c:a"] = "copy"
        streams.append(audio)
    options |= {"map_metadata": "-1", "map_chapters": "-1", "threads": str(threads)}
    if profile.faststart:
        options["movflags"] = "+faststart"
    return _finish(ffmpeg.output(*streams, f"file:{output.resolve()}", **options), threads)


def clip_graph(
    profile: Profile,
    clip: BrandClip,
    body: MediaInfo,
    output: Path,
    timescale: int,
    threads: int,
) -> Stream:
    """An intro or outro encoded to join `body` by stream copy: the body's picture size,
    frame rate and video time base, its sound's format (or no sound when it has none),
    the sound padded or cut to the picture's length so that the join has no gap."""
    body_video = _usable_video(body, body.path)
    size = (body_video.display_width, body_video.display_height)
    fps = body_video.fps
    info = clip.info
    video_info = _usable_video(info, info.path)
    frames = max(1, round((info.duration or 0.0) * fps))
    seconds = frames / fps
    main = _input(info.path, threads)
    video = _picture(main[str(video_info.index)], video_info, profile, size, fps)
    streams = [video.filter("trim", end_frame=frames)]
    options = _video_options(profile, *size, fps, threads)
    options |= {"video_track_timescale": str(timescale), "t": f"{float(seconds):.6f}"}
    if body.audio is not None:
        if info.audio is not None:
            audio = _sound(main[str(info.audio.index)], profile, clip.loudness, info.duration)
        else:
            audio = _silence(profile, float(seconds))
        streams.append(audio.filter("apad").filter("atrim", end=f"{float(seconds):.6f}"))
        options |= _audio_options(profile)
    return _finish(ffmpeg.output(*streams, f"file:{output.resolve()}", **options), threads)


def _gain_or_loudnorm(
    stream: Stream, profile: Profile, loudness: LoudnessMeasurement | None, duration: float | None
) -> Stream:
    """What loudnorm's linear mode does (one gain), as a plain volume filter when one gain
    reaches the target: loudnorm would still upsample to 192 kHz to watch the true peak,
    which the measurement already settled."""
    target = profile.loudness
    if loudness is None or not target.two_pass or not linear_possible(loudness, target):
        return _sound(stream, profile, loudness, duration)
    gain = target.integrated - loudness.input_i
    prepared = prepare_audio(stream, profile.audio).filter("volume", f"{gain:.2f}dB")
    return prepared.filter("aresample", profile.audio.sample_rate)


def _finish(output: Stream, threads: int) -> Stream:
    return output.global_args(
        *("-hide_banner", "-nostdin", "-nostats", "-loglevel", "error"),
        *("-progress", "pipe:1", "-filter_complex_threads", str(threads)),
    ).overwrite_output()


def _usable_video(info: MediaInfo, source: Path) -> VideoStream:
    if info.video is None:
        raise MediaError(str(source), "no video stream (audio only); a video is needed here")
    if info.video.hdr:
        raise MediaError(
            str(source),
            f"HDR video ({info.video.color_transfer}): tone mapping to SDR is not supported",
        )
    return info.video


def _input(path: Path, threads: int) -> Stream:
    return ffmpeg.input(safety.input_url(path), **safety.input_options(), threads=str(threads))


def _picture(
    stream: Stream, video: VideoStream, profile: Profile, size: tuple[int, int], fps: Fraction
) -> Stream:
    """Progressive, at the output rate, scaled (never up), BT.709 limited range, 4:2:0.

    A clip whose shape differs from the output (an intro) is fitted inside it with bars.
    """
    settings = profile.video
    if video.interlaced:
        stream = stream.filter(settings.deinterlace, mode="send_frame", parity="auto", deint="all")
    stream = stream.filter("fps", fps=f"{fps.numerator}/{fps.denominator}")
    width, height = size
    scale = {
        "in_color_matrix": input_matrix(video.color_space, video.height),
        "out_color_matrix": settings.colour,
        "out_range": "tv",
    }
    fits = output_size(video.display_width, video.display_height, height) == size
    if fits:
        stream = stream.filter("scale", w=width, h=height, **scale)
    else:
        stream = stream.filter(
            "scale", w=width, h=height, force_original_aspect_ratio="decrease", **scale
        ).filter("pad", w=width, h=height, x="(ow-iw)/2", y="(oh-ih)/2", color="black")
    return stream.filter("setsar", "1").filter("format", settings.pix_fmt)


def _with_logo(
    video: Stream, branding: BrandingMedia, width: int, height: int, pix_fmt: str
) -> Stream:
    settings = branding.branding
    assert settings.logo is not None
    logo_width = max(2, round(width * settings.logo_scale))
    logo = _input(settings.logo, 1).filter("scale", w=logo_width, h=-1)
    x, y = logo_placement(settings.logo_position, round(height * settings.logo_margin))
    overlaid = ffmpeg.overlay(video, logo, x=x, y=y, eof_action="repeat")  # a still: kept up
    return overlaid.filter("format", pix_fmt)


def _sound(
    stream: Stream,
    profile: Profile,
    loudness: LoudnessMeasurement | None,
    duration: float | None,
) -> Stream:
    """Down/upmixed, normalised with the measured loudness (if any), resampled."""
    stream = normalise(prepare_audio(stream, profile.audio), profile.loudness, loudness, duration)
    return stream.filter("aresample", profile.audio.sample_rate)


def _silence(profile: Profile, duration: float) -> Stream:
    """Silent audio for a segment without sound: concat needs the same streams in each."""
    layout = "stereo" if profile.audio.channels == 2 else "mono"
    return (
        _SourceFilter("anullsrc", r=profile.audio.sample_rate, cl=layout)
        .stream()
        .filter("atrim", duration=f"{duration:.6f}")
    )


Segment = tuple[Stream, Stream | None, float | None]


def _clip_segment(
    clip: BrandClip | None, profile: Profile, size: tuple[int, int], fps: Fraction, threads: int
) -> list[Segment]:
    if clip is None:
        return []
    info = clip.info
    video_info = _usable_video(info, info.path)
    stream = _input(info.path, threads)
    video = _picture(stream[str(video_info.index)], video_info, profile, size, fps)
    audio = None
    if info.audio is not None:
        audio = _sound(stream[str(info.audio.index)], profile, clip.loudness, info.duration)
    return [(video, audio, info.duration)]


def _concatenate(
    segments: list[Segment], profile: Profile, source: Path
) -> tuple[Stream, Stream | None]:
    """The concat filter (never the demuxer or protocol: those read lists of file names)."""
    with_audio = any(audio is not None for _, audio, _ in segments)
    streams: list[Stream] = []
    for video, audio, duration in segments:
        streams.append(video)
        if with_audio:
            if audio is None:
                if duration is None:
                    raise MediaError(str(source), "a clip without sound has no known duration")
                audio = _silence(profile, duration)
            streams.append(audio)
    joined = ffmpeg.concat(*streams, v=1, a=1 if with_audio else 0).node
    return joined[0], (joined[1] if with_audio else None)


def _video_options(
    profile: Profile, width: int, height: int, fps: Fraction, threads: int
) -> dict[str, str]:
    """Container and x264 options; `-threads` here is the encoder's (after the inputs,
    ffmpeg would ignore it as a trailing option)."""
    video = profile.video
    gop = gop_frames(fps, video.gop_seconds)
    kbps = ladder_kbps(video.ladder, width, height, fps)
    x264_params = [f"threads={threads}"]
    options = {
        "f": profile.container,
        "c:v": video.codec,
        "profile:v": video.profile,
        "preset": video.preset,
        "pix_fmt": video.pix_fmt,
        "bf": str(video.bframes),
        "g": str(gop),
        "keyint_min": str(gop),
        "sc_threshold": "0",  # no extra keyframes at scene cuts: the interval stays exact
        "maxrate": f"{round(kbps * video.maxrate_factor)}k",
        "bufsize": f"{round(kbps * video.bufsize_factor)}k",
        "color_primaries": video.colour,
        "color_trc": video.colour,
        "colorspace": video.colour,
        "color_range": "tv",
        "threads": str(threads),
        "map_metadata": "-1",  # phones record where a clip was shot: do not publish it
        "map_chapters": "-1",
    }
    if video.rate_control == "vbr":
        options["b:v"] = f"{kbps}k"
    else:
        options["crf"] = str(video.crf)
    if video.closed_gop:
        options["flags"] = "+cgop"
        x264_params.append("open-gop=0")
    options["x264-params"] = ":".join(x264_params)
    if profile.faststart:
        options["movflags"] = "+faststart"
    return options


def _audio_options(profile: Profile) -> dict[str, str]:
    audio = profile.audio
    return {
        "c:a": audio.codec,
        "profile:a": audio.profile,
        "b:a": f"{audio.kbps}k",
        "ar": str(audio.sample_rate),
        "ac": str(audio.channels),
    }


class _SourceFilter(FilterNode):  # type: ignore[misc]
    """A filter with no input (anullsrc): ffmpeg-python's FilterNode insists on one."""

    def __init__(self, name: str, **kwargs: object) -> None:
        Node.__init__(
            self,
            stream_spec=None,
            name=name,
            incoming_stream_types={FilterableStream},
            outgoing_stream_type=FilterableStream,
            min_inputs=0,
            max_inputs=0,
            args=[],
            kwargs=kwargs,
        )

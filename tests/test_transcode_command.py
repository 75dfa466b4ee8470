"""The ffmpeg command of a rendition, compared argument by argument (ffmpeg is not run;
the probes and loudness measurements it starts from are real)."""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import pytest

from media_hub.errors import MediaError
from media_hub.media.branding import Branding, prepare_branding
from media_hub.media.loudness import measure_loudness, parse_loudnorm_output
from media_hub.media.media_info import AudioStream, MediaInfo, VideoStream
from media_hub.media.probe import probe
from media_hub.media.profiles import Profile, load_profile
from media_hub.media.safety import FORMAT_WHITELIST
from media_hub.media.transcode import ProgressReader, thread_count
from media_hub.media.transcode_command import build_transcode
from tests.ffmpeg_args import filter_graph, input_options, option
from tests.media_fixtures import SampleMedia

YOUTUBE = load_profile("youtube")
FAST = YOUTUBE.with_video(preset="veryfast")
WEB = load_profile("web")
OUT = Path("/renditions/out.mp4")


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> SampleMedia:
    return SampleMedia(tmp_path_factory.mktemp("transcode-media"))


def synthetic(
    width: int, height: int, fps: Fraction, *, interlaced: bool = False, audio: bool = True
) -> MediaInfo:
    """What probe would say of such a file, for commands that are built but not run."""
    video = VideoStream(
        index=0,
        codec="h264",
        profile="High",
        width=width,
        height=height,
        display_width=width,
        display_height=height,
        fps=fps,
        pix_fmt="yuv420p",
        field_order="tt" if interlaced else "progressive",
        interlaced=interlaced,
        rotation=0,
        has_b_frames=2,
        bit_rate=None,
        sample_aspect_ratio=Fraction(1),
        color_space=None,
        color_transfer=None,
        color_primaries=None,
    )
    sound = AudioStream(1, "aac", "LC", 48000, 2, "stereo", 128000) if audio else None
    return MediaInfo(Path("/masters/in.mp4"), "mov", 10.0, 1000, None, video, sound)


def build(info: MediaInfo, profile: Profile = YOUTUBE, threads: int = 1) -> list[str]:
    return build_transcode(profile, info, info.path, OUT, None, None, threads)


def test_interlaced_source_is_deinterlaced(media: SampleMedia) -> None:
    info = probe(media.interlaced_1080i25())
    args = build(info)
    assert re.search(r"\[0:0\]bwdif=deint=all:mode=send_frame:parity=auto", filter_graph(args))
    assert option(args, "-b:v") == "8000k"  # 1080p25
    assert option(args, "-maxrate") == "12000k"
    assert option(args, "-bufsize") == "16000k"
    assert option(args, "-g") == option(args, "-keyint_min") == "12"


def test_progressive_source_is_not_deinterlaced() -> None:
    args = build(synthetic(1280, 720, Fraction(60)))
    assert "bwdif" not in filter_graph(args)
    assert "yadif" not in filter_graph(args)
    assert option(args, "-b:v") == "7500k"  # 720p60
    assert option(args, "-g") == "30"


def test_small_source_is_never_scaled_up(media: SampleMedia) -> None:
    info = probe(media.vga_640x480())
    for profile in (YOUTUBE, WEB):
        scale = re.search(r"scale=h=(\d+):.*?:w=(\d+)", filter_graph(build(info, profile)))
        assert scale is not None
        assert (int(scale[2]), int(scale[1])) == (640, 480)


def test_web_proxy_scales_down_to_720p() -> None:
    args = build(synthetic(1920, 1080, Fraction(25)), WEB)
    assert re.search(r"scale=h=720:.*:w=1280\[", filter_graph(args))
    assert option(args, "-crf") == "26"
    assert option(args, "-maxrate") == "2000k"
    assert "-b:v" not in args


def test_youtube_container_and_codec_options() -> None:
    args = build(synthetic(1920, 1080, Fraction(25)), threads=3)
    assert option(args, "-f") == "mp4"
    assert option(args, "-movflags") == "+faststart"
    assert option(args, "-profile:v") == "high"
    assert "-profile" not in args  # would also set the AAC profile
    assert option(args, "-c:v") == "libx264"
    assert option(args, "-pix_fmt") == "yuv420p"
    assert option(args, "-bf") == "2"
    assert option(args, "-sc_threshold") == "0"
    assert option(args, "-flags") == "+cgop"
    assert option(args, "-x264-params") == "threads=3:open-gop=0"
    assert option(args, "-threads") == "3"  # x264's
    assert [options["-threads"] for options in input_options(args)] == ["3"]  # the decoder's
    assert args[args.index("-filter_complex_threads") + 1] == "3"
    for name in ("-color_primaries", "-color_trc", "-colorspace"):
        assert option(args, name) == "bt709"
    assert (option(args, "-c:a"), option(args, "-profile:a")) == ("aac", "aac_low")
    assert (option(args, "-ar"), option(args, "-ac"), option(args, "-b:a")) == (
        "48000",
        "2",
        "384k",
    )
    assert option(args, "-map_metadata") == "-1"
    assert args[args.index("-progress") + 1] == "pipe:1"


def test_no_audio_options_without_audio() -> None:
    args = build(synthetic(1280, 720, Fraction(30), audio=False))
    assert "-c:a" not in args
    assert args.count("-map") == 1


def test_branded_command(media: SampleMedia) -> None:
    info = probe(media.progressive_720p30())
    branding = prepare_branding(
        Branding(intro=media.intro_4x3(), outro=media.outro_silent(), logo=media.logo()), FAST
    )
    args = build_transcode(FAST, info, info.path, OUT, None, branding, 1)
    graph = filter_graph(args)
    inputs = input_options(args)
    names = [Path(options["-i"]).name for options in inputs]
    assert names == ["intro.mp4", "720p30.mp4", "logo.png", "outro.mp4"]
    for options in inputs:
        assert options["-i"].startswith("file:/")
        assert options["-protocol_whitelist"] == "file"
        assert options["-format_whitelist"] == FORMAT_WHITELIST
    assert args.count("-i") == len(inputs)
    assert "concat=a=1:n=3:v=1" in graph  # the filter: never the demuxer nor the protocol
    assert "-f concat" not in " ".join(args)
    assert not any(arg.startswith("concat:") for arg in args)
    # The 4:3 intro fits inside 1280x720 with bars; the main video gets the logo.
    assert re.search(r"\[0:0\]fps=fps=30/1.*?force_original_aspect_ratio=decrease", graph)
    assert "pad=color=black:h=720:w=1280" in graph
    assert re.search(r"\[2\]scale=h=-1:w=154\[(s\d+)\];\[s\d+\]\[\1\]overlay", graph)
    assert "overlay=eof_action=repeat:x=main_w-overlay_w-29:y=29" in graph
    # The outro has no sound: silence of its length keeps the segments alike.
    assert "anullsrc=cl=stereo:r=48000" in graph
    assert "atrim=duration=1.000000" in graph


def test_hdr_and_audio_only_are_refused() -> None:
    hdr = synthetic(3840, 2160, Fraction(50))
    assert hdr.video is not None
    hdr = MediaInfo(hdr.path, "mov", 1.0, 1, None, _replace_transfer(hdr.video, "smpte2084"), None)
    with pytest.raises(MediaError, match="HDR video"):
        build(hdr)
    audio_only = synthetic(1, 1, Fraction(1))
    audio_only = MediaInfo(audio_only.path, "mov", 1.0, 1, None, None, audio_only.audio)
    with pytest.raises(MediaError, match="no video stream"):
        build(audio_only)


def _replace_transfer(video: VideoStream, transfer: str) -> VideoStream:
    return VideoStream(**{**vars(video), "color_transfer": transfer})


@pytest.mark.parametrize(
    ("cpus", "slots", "threads"), [(2, 2, 1), (2, 1, 2), (8, 2, 4), (1, 2, 1), (3, 2, 1)]
)
def test_thread_count(cpus: int, slots: int, threads: int) -> None:
    assert thread_count(slots, cpus) == threads


def test_progress_reader_is_monotonic_and_ends_at_one() -> None:
    seen: list[float] = []
    reader = ProgressReader(10.0, seen.append)
    lines = [b"out_time_us=N/A\n", b"out_time_us=2000000\n", b"progress=continue\n"]
    lines += [b"out_time_us=1000000\n", b"out_time_us=12000000\n", b"progress=end\n"]
    reader.feed(lines)
    assert seen == [0.2, 0.999, 1.0]


def test_silence_is_not_normalised(media: SampleMedia) -> None:
    info = probe(media.silent_audio())
    assert measure_loudness(info, YOUTUBE.audio, YOUTUBE.loudness) is None
    assert measure_loudness(probe(media.no_audio()), YOUTUBE.audio, YOUTUBE.loudness) is None
    stderr = '[Parsed_loudnorm_0 @ 0x1]\n{\n"input_i" : "-inf",\n"input_tp" : "-inf",\n'
    stderr += '"input_lra" : "0.00",\n"input_thresh" : "-70.00",\n"target_offset" : "inf"\n}'
    assert parse_loudnorm_output(stderr, info.path) is None

"""Real renditions, checked with ffprobe for every property YouTube recommends; progress,
failures and interruptions of the runner."""

from __future__ import annotations

import itertools
import os
import re
import signal
import stat
import threading
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import pytest

from media_hub.errors import MediaError
from media_hub.media.branding import Branding
from media_hub.media.loudness import (
    linear_possible,
    measure_loudness,
    peak_safe_gain,
)
from media_hub.media.probe import probe
from media_hub.media.profiles import load_profile
from media_hub.media.transcode import transcode
from media_hub.media.transcode_command import build_transcode
from tests.ffmpeg_args import filter_graph
from tests.media_fixtures import (
    SampleMedia,
    combed_frames,
    ffprobe_json,
    integrated_loudness,
    keyframe_times,
    loudness_and_true_peak,
    picture_types,
    top_level_boxes,
    x264_settings,
)

YOUTUBE = load_profile("youtube")
FAST = YOUTUBE.with_video(preset="veryfast")  # the same properties, encoded faster
WEB = load_profile("web")


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> SampleMedia:
    return SampleMedia(tmp_path_factory.mktemp("transcode-media"))


# Real renditions, made once and checked property by property. Marked slow: the real
# profile (preset faster, two loudness passes) on a 1080i25 source takes seconds.


@dataclass(frozen=True)
class Rendition:
    path: Path
    fps: int
    size: tuple[int, int]
    ladder_kbps: int
    progress: list[float]


@pytest.fixture(scope="module")
def renditions(
    media: SampleMedia, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Rendition]:
    folder = tmp_path_factory.mktemp("renditions")
    made = {}
    # The real youtube profile (preset faster) once, on the broadcast source.
    for name, source, profile, fps, size, kbps in [
        ("1080i25", media.interlaced_1080i25(), YOUTUBE, 25, (1920, 1080), 8000),
        ("720p30", media.progressive_720p30(), FAST, 30, (1280, 720), 5000),
    ]:
        seen: list[float] = []
        output = transcode(
            source, folder / f"{name}.mp4", profile, probe(source), progress=seen.append
        )
        made[name] = Rendition(output, fps, size, kbps, seen)
    return made


RENDITIONS = ["1080i25", "720p30"]


def _video(rendition: Rendition) -> dict[str, object]:
    streams = ffprobe_json(rendition.path, "-show_streams")["streams"]
    return next(s for s in streams if s["codec_type"] == "video")


@pytest.mark.slow
@pytest.mark.parametrize("name", RENDITIONS)
def test_h264_high_progressive_420(renditions: dict[str, Rendition], name: str) -> None:
    rendition = renditions[name]
    video = _video(rendition)
    assert (video["codec_name"], video["profile"], video["pix_fmt"]) == ("h264", "High", "yuv420p")
    assert video.get("field_order", "progressive") == "progressive"
    assert x264_settings(rendition.path)["interlaced"] == "0"
    assert (video["width"], video["height"]) == rendition.size
    assert video["avg_frame_rate"] == f"{rendition.fps}/1"
    assert video["sample_aspect_ratio"] == "1:1"


@pytest.mark.slow
def test_interlaced_pictures_come_out_progressive(
    media: SampleMedia, renditions: dict[str, Rendition]
) -> None:
    """The pictures, not only the flags: idet finds the source's woven fields, then none."""
    assert combed_frames(media.interlaced_1080i25()) == 50
    assert combed_frames(renditions["1080i25"].path) == 0


@pytest.mark.slow
@pytest.mark.parametrize("name", RENDITIONS)
def test_two_consecutive_b_frames_with_cabac(renditions: dict[str, Rendition], name: str) -> None:
    rendition = renditions[name]
    assert _video(rendition)["has_b_frames"] == 2
    runs = [len(run) for run in re.findall("B+", picture_types(rendition.path))]
    assert max(runs) == 2
    settings = x264_settings(rendition.path)
    assert (settings["cabac"], settings["bframes"]) == ("1", "2")


@pytest.mark.slow
@pytest.mark.parametrize("name", RENDITIONS)
def test_closed_gop_of_half_the_frame_rate(renditions: dict[str, Rendition], name: str) -> None:
    rendition = renditions[name]
    gop = round(Fraction(rendition.fps, 2))
    times = keyframe_times(rendition.path)
    assert len(times) >= 3
    assert all(
        b - a == pytest.approx(gop / rendition.fps, abs=0.002) for a, b in itertools.pairwise(times)
    )
    types = picture_types(rendition.path)
    assert [i for i, kind in enumerate(types) if kind == "I"] == list(range(0, len(types), gop))
    assert "BI" not in types  # no B-frame leans on the next GOP: each GOP is closed
    settings = x264_settings(rendition.path)
    assert (settings["open_gop"], settings["keyint"], settings["scenecut"]) == ("0", str(gop), "0")


@pytest.mark.slow
@pytest.mark.parametrize("name", RENDITIONS)
def test_aac_lc_48k_stereo_384k(renditions: dict[str, Rendition], name: str) -> None:
    streams = ffprobe_json(renditions[name].path, "-show_streams")["streams"]
    audio = next(s for s in streams if s["codec_type"] == "audio")
    assert (audio["codec_name"], audio["profile"]) == ("aac", "LC")
    assert (audio["sample_rate"], audio["channels"], audio["channel_layout"]) == (
        "48000",
        2,
        "stereo",
    )
    assert 290_000 < int(audio["bit_rate"]) < 420_000


@pytest.mark.slow
@pytest.mark.parametrize("name", RENDITIONS)
def test_moov_before_mdat(renditions: dict[str, Rendition], name: str) -> None:
    boxes = top_level_boxes(renditions[name].path)
    assert boxes[0] == "ftyp"
    assert boxes.index("moov") < boxes.index("mdat")


@pytest.mark.slow
@pytest.mark.parametrize("name", RENDITIONS)
def test_bitrate_follows_the_ladder(renditions: dict[str, Rendition], name: str) -> None:
    rendition = renditions[name]
    settings = x264_settings(rendition.path)
    assert settings["bitrate"] == str(rendition.ladder_kbps)
    assert settings["vbv_maxrate"] == str(rendition.ladder_kbps * 3 // 2)
    measured = int(str(_video(rendition)["bit_rate"])) / 1000
    assert 0.6 * rendition.ladder_kbps < measured < 1.3 * rendition.ladder_kbps


@pytest.mark.slow
@pytest.mark.parametrize("name", RENDITIONS)
def test_bt709_limited_range(renditions: dict[str, Rendition], name: str) -> None:
    video = _video(renditions[name])
    assert (video["color_primaries"], video["color_transfer"], video["color_space"]) == (
        "bt709",
        "bt709",
        "bt709",
    )
    assert video["color_range"] == "tv"


@pytest.mark.slow
@pytest.mark.parametrize("name", RENDITIONS)
def test_loudness_normalised(renditions: dict[str, Rendition], name: str) -> None:
    loudness, peak = loudness_and_true_peak(renditions[name].path)
    assert loudness == pytest.approx(YOUTUBE.loudness.integrated, abs=1.5)
    assert peak <= YOUTUBE.loudness.true_peak + 0.3


@pytest.mark.slow
@pytest.mark.parametrize("name", RENDITIONS)
def test_progress_reaches_one_and_never_goes_back(
    renditions: dict[str, Rendition], name: str
) -> None:
    progress = renditions[name].progress
    assert progress[-1] == 1.0
    assert progress == sorted(progress)
    assert len(progress) >= 2
    assert all(0 < value <= 1 for value in progress)


@pytest.mark.slow
def test_no_temporary_files_left_and_readable_renditions(
    renditions: dict[str, Rendition],
) -> None:
    folder = renditions["720p30"].path.parent
    assert sorted(path.name for path in folder.iterdir()) == ["1080i25.mp4", "720p30.mp4"]
    umask = os.umask(0o022)
    os.umask(umask)
    mode = stat.S_IMODE(renditions["720p30"].path.stat().st_mode)
    assert mode == 0o666 & ~umask  # as ffmpeg creates files: not a private temporary's 0600


def test_output_folder_must_exist(tmp_path: Path) -> None:
    source = Path(__file__).parent / "data" / "in.mp4"
    output = tmp_path / "missing" / "out.mp4"
    with pytest.raises(MediaError, match="the folder to write into does not exist"):
        transcode(source, output, FAST, probe(source))


def test_web_proxy_of_interlaced_source(media: SampleMedia, tmp_path: Path) -> None:
    output = transcode(
        media.interlaced_1080i25(), tmp_path / "web.mp4", WEB, probe(media.interlaced_1080i25())
    )
    info = probe(output)
    assert info.video is not None
    assert (info.video.width, info.video.height, info.video.interlaced) == (1280, 720, False)
    assert integrated_loudness(output) == pytest.approx(-16.0, abs=1.5)


def test_phone_clip_comes_out_upright(media: SampleMedia, tmp_path: Path) -> None:
    source = media.rotated_phone()
    info = probe(transcode(source, tmp_path / "phone.mp4", FAST, probe(source)))
    assert info.video is not None
    assert (info.video.width, info.video.height, info.video.rotation) == (360, 640, 0)


@pytest.mark.slow  # an intro, an outro and a logo around the clip
def test_branded_rendition(media: SampleMedia, tmp_path: Path) -> None:
    source = media.progressive_720p30()
    seen: list[float] = []
    branding = Branding(intro=media.intro_4x3(), outro=media.outro_silent(), logo=media.logo())
    output = transcode(
        source,
        tmp_path / "branded.mp4",
        FAST,
        probe(source),
        progress=seen.append,
        branding=branding,
    )
    info = probe(output)
    assert info.video is not None
    assert info.audio is not None
    assert (info.video.width, info.video.height, info.video.fps) == (1280, 720, Fraction(30))
    assert info.duration == pytest.approx(1 + 2 + 1, abs=0.1)
    assert seen[-1] == 1.0
    assert seen == sorted(seen)
    assert integrated_loudness(output) == pytest.approx(-14.0, abs=1.5)


def test_short_clip_beyond_linear_reach_gets_a_peak_safe_gain(
    media: SampleMedia, tmp_path: Path
) -> None:
    source = media.short_peaky()
    info = probe(source)
    measured = measure_loudness(info, FAST.audio, FAST.loudness)
    assert measured is not None
    assert not linear_possible(measured, FAST.loudness)
    gain = peak_safe_gain(measured, FAST.loudness)
    assert gain == pytest.approx(FAST.loudness.true_peak - measured.input_tp)
    args = build_transcode(FAST, info, source, tmp_path / "p.mp4", measured, None, 1)
    assert f"volume={gain:.2f}dB" in filter_graph(args)
    assert "loudnorm" not in filter_graph(args)
    loudness, peak = loudness_and_true_peak(transcode(source, tmp_path / "p.mp4", FAST, info))
    assert loudness == pytest.approx(measured.input_i + gain, abs=0.5)
    assert peak <= FAST.loudness.true_peak + 0.3


def test_silent_and_missing_audio(media: SampleMedia, tmp_path: Path) -> None:
    silent = probe(
        transcode(media.silent_audio(), tmp_path / "silent.mp4", FAST, probe(media.silent_audio()))
    )
    assert silent.audio is not None
    assert integrated_loudness(silent.path) <= -70  # ebur128's floor: nothing above the gate
    mute = probe(transcode(media.no_audio(), tmp_path / "mute.mp4", FAST, probe(media.no_audio())))
    assert mute.audio is None


def test_failed_transcode_leaves_nothing(media: SampleMedia, tmp_path: Path) -> None:
    # The probe of another file: its audio stream does not exist in this one.
    wrong_info = probe(media.progressive_720p30())
    output = tmp_path / "failed.mp4"
    with pytest.raises(MediaError) as caught:
        transcode(media.no_audio(), output, FAST, wrong_info)
    message = str(caught.value)
    assert message.startswith(f"{media.no_audio()}: ffmpeg failed (exit ")
    assert "\n" not in message
    assert "matches no streams" in message
    assert list(tmp_path.iterdir()) == []


def test_interrupted_transcode_kills_ffmpeg_and_leaves_nothing(
    media: SampleMedia, tmp_path: Path
) -> None:
    frozen: list[int] = []

    def interrupt(fraction: float) -> None:
        # Freeze ffmpeg first: unless the runner kills it, waiting for it never ends.
        for pid in _children():
            os.kill(pid, signal.SIGSTOP)
            frozen.append(pid)
        raise KeyboardInterrupt

    rescued: list[int] = []

    def rescue() -> None:
        for pid in frozen:
            os.kill(pid, signal.SIGKILL)
            rescued.append(pid)

    watchdog = threading.Timer(15, rescue)
    watchdog.start()
    source = media.progressive_720p30()
    try:
        with pytest.raises(KeyboardInterrupt):
            transcode(source, tmp_path / "stopped.mp4", FAST, probe(source), progress=interrupt)
    finally:
        watchdog.cancel()
    assert frozen
    assert rescued == [], "the runner waited for ffmpeg instead of killing it"
    assert _children() == []
    assert list(tmp_path.iterdir()) == []


def _children() -> list[int]:
    """This process's child processes (ffmpeg while a transcode runs)."""
    pid = os.getpid()
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except FileNotFoundError:  # a thread (the sandbox's, moto's) ended meanwhile
            continue
    return found

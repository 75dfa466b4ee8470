"""Pass-through: a source that meets the profile is remuxed, one whose sound alone is off has
only its audio encoded, and every other is transcoded, each with its reasons. Every
rendition is checked with ffprobe and decoded whole (`-xerror`: the first decoding error
fails the run)."""

from __future__ import annotations

import itertools
import re
import subprocess
from pathlib import Path

import pytest

from media_hub.media.branding_join import problems_from_probe
from media_hub.media.compliance import Decision
from media_hub.media.passthrough import Choice, choose
from media_hub.media.probe import probe
from media_hub.media.profiles import Profile, load_profile
from media_hub.media.transcode import transcode
from tests.media_fixtures import ffprobe_json, integrated_loudness, top_level_boxes
from tests.passthrough_media import PassThroughMedia

YOUTUBE = load_profile("youtube")
FAST = YOUTUBE.with_video(preset="veryfast")  # the same checks and properties, encoded faster


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> PassThroughMedia:
    return PassThroughMedia(tmp_path_factory.mktemp("passthrough-media"))


def _make(source: Path, folder: Path, profile: Profile = FAST) -> tuple[Choice, Path]:
    """Choose as the pipeline does, then make the rendition on the chosen path."""
    info = probe(source)
    choice = choose(profile, info)
    output = transcode(
        source, folder / "out.mp4", profile, info, path=choice.decision.path,
        loudness=choice.loudness_for_transcode(profile),
    )  # fmt: skip
    return choice, output


def _decodes_whole(path: Path) -> None:
    done = subprocess.run(
        ["ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-xerror", "-i", str(path),
         "-f", "null", "-"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert (done.returncode, done.stderr) == (0, "")


def _packets(path: Path, stream: str) -> list[str]:
    """Each packet's timestamps, size and checksum, as the demuxer gives them."""
    done = subprocess.run(
        ["ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-i", str(path), "-map", stream,
         "-c", "copy", "-f", "framemd5", "-"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return [line for line in done.stdout.splitlines() if not line.startswith("#")]


def _frame_gaps(path: Path) -> set[int]:
    """The distinct gaps between the video's frames, in its time base."""
    packets = ffprobe_json(path, "-select_streams", "v:0", "-show_entries", "packet=pts")
    stamps = sorted(int(p["pts"]) for p in packets["packets"])
    return {later - earlier for earlier, later in itertools.pairwise(stamps)}


def _streams(path: Path) -> dict[str, dict[str, object]]:
    streams = ffprobe_json(path, "-show_streams")["streams"]
    return {str(s["codec_type"]): s for s in streams}


def _uploadable(path: Path) -> dict[str, dict[str, object]]:
    """What YouTube asks of every rendition, whichever path made it."""
    streams = _streams(path)
    video = streams["video"]
    assert (video["codec_name"], video["profile"], video["pix_fmt"]) == ("h264", "High", "yuv420p")
    assert video.get("field_order", "progressive") == "progressive"
    if "audio" in streams:
        audio = streams["audio"]
        assert (audio["codec_name"], audio["profile"]) == ("aac", "LC")
        assert (audio["sample_rate"], audio["channels"]) == ("48000", 2)
    boxes = top_level_boxes(path)
    assert boxes.index("moov") < boxes.index("mdat")
    _decodes_whole(path)
    return streams


def test_compliant_source_is_remuxed(media: PassThroughMedia, tmp_path: Path) -> None:
    source = media.compliant()
    choice, output = _make(source, tmp_path)
    assert choice.decision.path == "remux"
    [reason] = choice.decision.reasons
    assert reason.startswith("remuxed: H.264 High 3.0 yuv420p progressive 640x360 25 fps")
    assert "AAC-LC 48 kHz 2 ch, -14." in reason
    _uploadable(output)
    # Stream copy: the same packets with the same timestamps, video and audio.
    assert _packets(output, "0:v") == _packets(source, "0:v")
    assert _packets(output, "0:a") == _packets(source, "0:a")


def test_wrong_loudness_has_only_its_audio_encoded(media: PassThroughMedia, tmp_path: Path) -> None:
    source = media.quiet()
    assert integrated_loudness(source) == pytest.approx(-26, abs=1)
    choice, output = _make(source, tmp_path)
    assert choice.decision.path == "audio"
    assert choice.decision.reasons[0].startswith("video copied: H.264 High")
    assert choice.decision.reasons[1:] == ("audio re-encoded: -26.1 LUFS, target -14 ± 1",)
    _uploadable(output)
    assert _packets(output, "0:v") == _packets(source, "0:v")
    assert _packets(output, "0:a") != _packets(source, "0:a")
    assert integrated_loudness(output) == pytest.approx(-14, abs=1)


def test_no_audio_is_remuxed_and_says_so(media: PassThroughMedia, tmp_path: Path) -> None:
    source = media.no_audio()
    choice, output = _make(source, tmp_path)
    assert choice.decision.path == "remux"
    assert choice.decision.reasons[0].endswith("; no audio")
    assert "audio" not in _uploadable(output)
    assert _packets(output, "0:v") == _packets(source, "0:v")


@pytest.mark.parametrize(
    ("source", "reasons"),
    [
        ("ten_bit", ("transcoded: 10-bit 4:2:2", "transcoded: H.264 High 4:2:2 profile, not High")),
        ("interlaced", ("transcoded: interlaced (tt)",)),
        (
            "variable_rate",
            (
                "transcoded: 16.892 fps is not a standard frame rate",
                "transcoded: variable frame rate (frames last 40.0 to 80.0 ms)",
            ),
        ),
        ("broken_keyframes", ("transcoded: key frames do not decode (",)),
        ("edit_list", ("transcoded: an edit list hides 9 video frames (0.36 s)",)),
        (
            "short_audio",
            ("transcoded: streams of different lengths (video 0.00-3.00 s, audio 0.00-1.5",),
        ),
    ],
)
def test_sources_that_miss_the_profile_are_transcoded(
    media: PassThroughMedia, tmp_path: Path, source: str, reasons: tuple[str, ...]
) -> None:
    path = getattr(media, source)()
    choice, output = _make(path, tmp_path)
    assert choice.decision.path == "transcode"
    assert len(choice.decision.reasons) == len(reasons)
    for given, expected in zip(choice.decision.reasons, reasons, strict=True):
        assert given.startswith(expected)
    streams = _uploadable(output)
    assert len(_frame_gaps(output)) == 1  # a constant frame rate, whatever the source's
    # The measurement made to decide was the transcode's: its sound meets the target.
    if "audio" in streams and source != "short_audio":
        assert integrated_loudness(output) == pytest.approx(-14, abs=1)


@pytest.mark.slow  # a 2160p60 transcode, however short
def test_4k60_above_the_ladder_is_transcoded(media: PassThroughMedia, tmp_path: Path) -> None:
    choice, output = _make(media.uhd_60_high_bitrate(), tmp_path)
    assert choice.decision.path == "transcode"
    [reason] = choice.decision.reasons
    found = re.fullmatch(
        r"transcoded: video at ([\d.]+) Mb/s, outside 30\.0 Mb/s to 90\.0 Mb/s "
        r"\(the ladder's 60\.0 Mb/s for 2160p60\)",
        reason,
    )
    assert found, reason
    assert float(found.group(1)) > 100  # x264 at 120 Mb/s, its filler and rounding aside
    video = _uploadable(output)["video"]
    assert (video["width"], video["height"], video["avg_frame_rate"]) == (3840, 2160, "60/1")


def test_never_and_forced_transcode_look_at_nothing(media: PassThroughMedia) -> None:
    info = probe(media.compliant())
    never = YOUTUBE.model_copy(update={"pass_through": "never"})
    assert choose(never, info).decision == Decision(
        "transcode", ("transcoded: profile youtube sets pass_through = 'never'",)
    )
    forced = choose(YOUTUBE, info, force_transcode=True)
    assert forced.decision.reasons == ("transcoded: --force-transcode was given",)
    assert forced.facts is None
    assert forced.loudness_for_transcode(YOUTUBE) == "measure"


def test_the_key_names_the_path_and_the_tolerance_that_admitted_it() -> None:
    looser = YOUTUBE.model_copy(
        update={"tolerance": YOUTUBE.tolerance.model_copy(update={"loudness_lu": 2.0})}
    )
    remux, audio = Decision("remux"), Decision("audio")
    assert Decision("transcode").key(YOUTUBE) == Decision("transcode").key(looser) == ""
    assert len({remux.key(YOUTUBE), remux.key(looser), audio.key(YOUTUBE)}) == 3


def test_a_transcode_reuses_the_measurement_made_to_decide(
    media: PassThroughMedia, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One loudnorm measuring pass per source, not one to decide and one to transcode (the
    real functions run; they are only counted)."""
    import media_hub.media.passthrough as passthrough_module
    import media_hub.media.transcode as transcode_module

    calls: list[str] = []
    for module, name in ((passthrough_module, "measure_programme"),
                         (transcode_module, "measure_loudness")):  # fmt: skip
        real = getattr(module, name)

        def counted(*args: object, _real: object = real, _name: str = name) -> object:
            calls.append(_name)
            return _real(*args)  # type: ignore[operator]

        monkeypatch.setattr(module, name, counted)
    choice, output = _make(media.interlaced(), tmp_path, YOUTUBE.with_video(preset="veryfast"))
    assert choice.decision.path == "transcode"
    assert calls == ["measure_programme"]
    assert integrated_loudness(output) == pytest.approx(-14, abs=1)


def _probe_data(video: list[int], audio: list[int]) -> dict[str, object]:
    """ffprobe's answer for a 25 fps video (time base 1/12800) and 48 kHz AAC packets."""
    packets = [{"stream_index": 0, "pts": pts, "duration": 512, "flags": "__"} for pts in video]
    packets += [{"stream_index": 1, "pts": pts, "duration": 1024, "flags": "K_"} for pts in audio]
    streams = [
        {"index": 0, "codec_type": "video", "time_base": "1/12800"},
        {"index": 1, "codec_type": "audio", "time_base": "1/48000", "sample_rate": "48000"},
    ]
    return {"streams": streams, "packets": packets}


@pytest.mark.parametrize(
    ("video", "audio", "problems"),
    [
        (range(0, 512 * 50, 512), range(0, 1024 * 90, 1024), []),
        # One AAC frame of overlap at a join is allowed; two are not.
        (
            range(0, 512 * 50, 512),
            [*range(0, 1024 * 40, 1024), *range(1024 * 39, 1024 * 80, 1024)],
            [],
        ),
        (
            range(0, 512 * 50, 512),
            [*range(0, 1024 * 40, 1024), *range(1024 * 38, 1024 * 80, 1024)],
            ["sound has an overlap of 42.7 ms at 0.85 s"],
        ),
        (
            range(0, 512 * 50, 512),
            [*range(0, 1024 * 40, 1024), *range(1024 * 42, 1024 * 80, 1024)],
            ["sound has a gap of 42.7 ms at 0.85 s"],
        ),
        (
            [*range(0, 512 * 20, 512), *range(512 * 21, 512 * 50, 512)],
            range(0, 1024 * 90, 1024),
            ["video jumps +40.0 ms at 0.84 s"],
        ),
    ],
)
def test_join_checks(video: list[int], audio: list[int], problems: list[str]) -> None:
    assert problems_from_probe(_probe_data(list(video), list(audio))) == problems

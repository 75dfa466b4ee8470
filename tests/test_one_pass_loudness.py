"""The one-pass loudness option (`[loudness] two_pass = false`) that fast profiles use: no
measuring run, loudnorm's dynamic mode, the targets still met; the default is unchanged."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from media_hub import progress
from media_hub.media.loudness import measure_loudness
from media_hub.media.probe import probe
from media_hub.media.profiles import Profile, load_profile, profile_checksum
from media_hub.media.transcode import transcode
from media_hub.media.transcode_command import build_transcode
from tests.ffmpeg_args import filter_graph
from tests.media_fixtures import SampleMedia, loudness_and_true_peak

YOUTUBE = load_profile("youtube")


def _one_pass(profile: Profile) -> Profile:
    loudness = profile.loudness.model_copy(update={"two_pass": False})
    return profile.model_copy(update={"loudness": loudness})


ONE_PASS = _one_pass(YOUTUBE.with_video(preset="ultrafast"))


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> SampleMedia:
    return SampleMedia(tmp_path_factory.mktemp("one-pass-media"))


def test_two_passes_are_the_default_and_keep_the_checksum(tmp_path: Path) -> None:
    assert YOUTUBE.loudness.two_pass
    assert load_profile("web").loudness.two_pass
    (tmp_path / "explicit.toml").write_text(
        'extends = "youtube"\n[loudness]\ntwo_pass = true\n', encoding="utf-8"
    )
    assert profile_checksum(load_profile("explicit", tmp_path)) == profile_checksum(YOUTUBE)
    assert profile_checksum(_one_pass(YOUTUBE)) != profile_checksum(YOUTUBE)


def test_a_user_profile_asks_for_one_pass(tmp_path: Path) -> None:
    (tmp_path / "draft.toml").write_text(
        'extends = "youtube"\n[loudness]\ntwo_pass = false\n', encoding="utf-8"
    )
    draft = load_profile("draft", tmp_path)
    assert not draft.loudness.two_pass
    assert draft.loudness.integrated == YOUTUBE.loudness.integrated


def test_one_pass_measures_nothing_and_runs_loudnorm_unmeasured(
    media: SampleMedia, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = media.vga_640x480()
    info = probe(source)

    def no_ffmpeg(*args: object, **kwargs: object) -> None:
        raise AssertionError("a one-pass profile ran a measuring pass")

    monkeypatch.setattr("media_hub.media.loudness.subprocess.run", no_ffmpeg)
    assert measure_loudness(info, ONE_PASS.audio, ONE_PASS.loudness) is None
    monkeypatch.undo()
    args = build_transcode(ONE_PASS, info, source, tmp_path / "out.mp4", None, None, 1)
    graph = filter_graph(args)
    assert graph.count("loudnorm=") == 1
    assert "measured_I" not in graph
    assert "linear" not in graph


def test_one_pass_rendition_meets_the_targets(media: SampleMedia, tmp_path: Path) -> None:
    source = media.progressive_720p30()
    before, _ = loudness_and_true_peak(source)
    assert before < YOUTUBE.loudness.integrated - 10  # quiet: the gain has work to do
    output = transcode(source, tmp_path / "one-pass.mp4", ONE_PASS, probe(source))
    loudness, peak = loudness_and_true_peak(output)
    assert loudness == pytest.approx(YOUTUBE.loudness.integrated, abs=1.5)
    assert peak <= YOUTUBE.loudness.true_peak + 0.3
    audio = subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", "a:0", "-show_entries",
         "stream=codec_name,sample_rate,channels", "-of", "csv=p=0", str(output)],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    assert audio == "aac,48000,2"


def test_one_pass_leaves_silence_silent(media: SampleMedia, tmp_path: Path) -> None:
    source = media.silent_audio()
    output = transcode(source, tmp_path / "silent.mp4", ONE_PASS, probe(source))
    loudness, _ = loudness_and_true_peak(output)
    assert loudness <= -70.0


def test_a_measuring_pass_shows_as_a_step(media: SampleMedia) -> None:
    """ffmpeg says nothing until it has heard the whole sound: the wait is a step of its own."""
    source = media.vga_640x480()
    begun: list[str] = []
    ended: list[str] = []

    class Watcher:
        def begin(self, label: str, total: int | None) -> None:
            begun.append(label)

        def update(self, label: str, done: int, note: str) -> None:
            pass

        def end(self, label: str, done: int) -> None:
            ended.append(label)

    with progress.watched_by(Watcher()):
        measured = measure_loudness(probe(source), YOUTUBE.audio, YOUTUBE.loudness)
    assert measured is not None
    assert begun == ended == [f"measuring the loudness of {source.name}"]

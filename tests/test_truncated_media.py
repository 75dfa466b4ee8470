"""Media cut short (issue 15, point 4): refused when probed, and no rendition shorter or
longer than its source (with the series' intro and outro) is kept.

A faststart MP4 (index first), a Matroska file or a fragmented MP4 cut short probes whole
with ffprobe alone: the header states the full duration and ffmpeg exits 0 on the missing
data, so `transcode` made a short rendition that `upload` would send.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from media_hub.catalog.assets import NewAsset, add_asset
from media_hub.catalog.pipeline_models import Rendition
from media_hub.catalog.vocabulary import AssetKind
from media_hub.cli import app
from media_hub.errors import MediaError
from media_hub.hub import Hub
from media_hub.media.branding import Branding
from media_hub.media.probe import probe
from media_hub.media.profiles import load_profile
from media_hub.media.transcode import transcode
from tests.media_fixtures import SPEECH_LIKE, ffmpeg, make_clip

FAST = load_profile("youtube").with_video(preset="ultrafast")
CLIP = ("-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30", "-f", "lavfi", "-i", SPEECH_LIKE)
CODECS = ("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac")

# Containers whose header states the duration before the media: cut short, they still probe.
CONTAINERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "faststart mp4": (".mp4", ("-movflags", "+faststart")),
    "matroska": (".mkv", ()),
    "fragmented mp4": (".mp4", ("-movflags", "+frag_keyframe+empty_moov+default_base_moof")),
}


def _seven_seconds(path: Path, *muxer: str) -> Path:
    ffmpeg(*CLIP, "-t", "7", *CODECS, *muxer, str(path))
    return path


def _cut(whole: Path, path: Path, keep: Callable[[int], int]) -> Path:
    data = whole.read_bytes()
    path.write_bytes(data[: keep(len(data))])
    return path


@pytest.mark.parametrize("container", sorted(CONTAINERS))
def test_a_file_cut_short_is_refused_when_probed(tmp_path: Path, container: str) -> None:
    suffix, muxer = CONTAINERS[container]
    whole = _seven_seconds(tmp_path / f"whole{suffix}", *muxer)
    assert probe(whole).duration == pytest.approx(7.0, abs=0.1)  # the whole file is fine
    cut = _cut(whole, tmp_path / f"cut{suffix}", lambda size: size * 6 // 10)
    with pytest.raises(MediaError) as caught:
        probe(cut)
    message = str(caught.value)
    assert message.startswith(f"{cut}: truncated: its media stops at ")
    assert "of the 7.0 s its header states" in message
    assert caught.value.rerun_after_fix


def test_a_transport_stream_cut_short_is_not_refused(tmp_path: Path) -> None:
    """A stream without a stated duration is measured from its data: shorter, but whole."""
    whole = _seven_seconds(tmp_path / "whole.ts")
    cut = _cut(whole, tmp_path / "cut.ts", lambda size: size * 6 // 10)
    assert probe(cut).duration == pytest.approx(4.2, abs=0.5)


# Whole files whose demuxers seek past an end their own way, or not at all.
WHOLE = {
    "raw H.264 (cannot seek)": ("clip.h264", ("-f", "lavfi", "-i", "testsrc2=size=320x240")),
    "WAV (seeks past its last sample)": ("tone.wav", ("-f", "lavfi", "-i", "sine=r=48000")),
    "JPEG (a single picture)": ("still.jpg", ("-f", "lavfi", "-i", "testsrc2=size=320x240")),
}


@pytest.mark.parametrize("case", sorted(WHOLE))
def test_whole_files_that_seek_their_own_way_are_not_refused(tmp_path: Path, case: str) -> None:
    name, source = WHOLE[case]
    path = tmp_path / name
    length = ("-frames:v", "1") if name.endswith(".jpg") else ("-t", "3")
    ffmpeg(*source, *length, str(path))
    info = probe(path)
    expected = 0.04 if name.endswith(".jpg") else 3.0  # one frame at image2's 25 fps
    assert info.duration is None or info.duration == pytest.approx(expected, abs=0.1)


def test_ingest_refuses_the_issues_file_in_one_line_leaving_nothing(
    hub: Hub, runner: CliRunner, tmp_path: Path
) -> None:
    # The issue's own case: `head -c 100000 faststart.mp4 > t.mp4` ingested as "7.0 s".
    whole = _seven_seconds(tmp_path / "faststart.mp4", "-movflags", "+faststart")
    cut = _cut(whole, tmp_path / "t.mp4", lambda _: 100_000)
    result = runner.invoke(app, ["ingest", "--json", str(cut)])
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert re.fullmatch(
        rf"error: {re.escape(str(cut))}: truncated: its media stops at 0\.\d s of the 7\.0 s "
        r"its header states \(the copy or the recording was cut short\); copy the whole file "
        r"again and run 'media-hub ingest' again",
        line,
    ), line
    assert json.loads(result.stdout or "[]") == []
    assert list(hub.store.keys()) == []
    incoming = hub.settings.path(Path(hub.settings.store.url)) / ".incoming"
    assert not incoming.exists() or list(incoming.iterdir()) == []
    listed = runner.invoke(app, ["catalog", "list", "--all", "--json"])
    assert json.loads(listed.stdout) == []


def test_a_truncated_master_already_in_the_catalog_gets_no_rendition(
    hub: Hub, runner: CliRunner, tmp_path: Path
) -> None:
    """A master ingested before the check (as ingest stored it then) is refused by transcode."""
    whole = _seven_seconds(tmp_path / "faststart.mp4", "-movflags", "+faststart")
    cut = _cut(whole, tmp_path / "t.mp4", lambda _: 100_000)
    stored = hub.store.put_file(cut, ".mp4")
    with hub.db.session() as session:
        asset = add_asset(
            session,
            NewAsset(kind=AssetKind.VIDEO, titles={"fr": "t"}, source_checksum=stored.sha256),
        )
        asset.source_key = stored.key
        session.flush()
        asset_id = asset.id
    result = runner.invoke(app, ["transcode", str(asset_id), "--profile", "web"])
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith(f"error: asset {asset_id}: master {stored.key}: truncated: ")
    assert line.endswith(
        "of the 7.0 s its header states (the copy or the recording was cut "
        "short); ingest the whole file again"
    )
    assert list(hub.store.keys()) == [stored.key]
    with hub.db.session() as session:
        assert session.scalars(select(Rendition)).all() == []


def test_a_rendition_shorter_than_its_source_is_refused_and_removed(tmp_path: Path) -> None:
    source = make_clip(tmp_path / "two-seconds.mp4", size="320x240", seconds=2.0)
    # The source as a damaged master looks: its header states 7 s, ffmpeg finds 2.
    stated = replace(probe(source), duration=7.0)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(MediaError) as caught:
        transcode(source, out / "rendition.mp4", FAST, stated)
    assert re.fullmatch(
        rf"{re.escape(str(source))}: the rendition lasts 2\.0\d s where 7\.00 s were expected "
        r"\(the master with its intro and outro\); the master may be damaged: ingest the "
        r"original file again",
        str(caught.value),
    )
    assert list(out.iterdir()) == []


def test_a_branded_rendition_is_expected_to_last_the_intro_the_source_and_the_outro(
    tmp_path: Path,
) -> None:
    source = make_clip(tmp_path / "main.mp4", size="320x240", seconds=2.0)
    intro = make_clip(tmp_path / "intro.mp4", size="320x240", seconds=1.0)
    outro = make_clip(tmp_path / "outro.mp4", size="320x240", seconds=1.5)
    branding = Branding(intro=intro, outro=outro)
    made = transcode(source, tmp_path / "branded.mp4", FAST, probe(source), branding=branding)
    assert probe(made).duration == pytest.approx(4.5, abs=0.1)
    # The same master said to be 1.5 s longer than it is: the branding does not hide it.
    stated = replace(probe(source), duration=3.5)
    with pytest.raises(MediaError, match=r"lasts 4\.5\d s where 6\.00 s were expected"):
        transcode(source, tmp_path / "short.mp4", FAST, stated, branding=branding)
    assert not (tmp_path / "short.mp4").exists()

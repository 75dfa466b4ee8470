"""Renditions through the hub: made once, remade when the profile or the branding changes,
on the local store and on S3."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from typer.testing import CliRunner

from media_hub.cli import app
from media_hub.hub import Hub

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

# The renditions themselves are examined: the hub keeps the built-in profile.
pytestmark = pytest.mark.real_profile

DATA = Path(__file__).parent / "data"


def _invoke(runner: CliRunner, *args: str) -> Any:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def _ingest(runner: CliRunner, series: str = "reports") -> int:
    [record] = _invoke(runner, "ingest", str(DATA / "in.mp4"), "--series", series)
    return int(record["asset_id"])


def _streams(path: Path) -> dict[str, Any]:
    shown = subprocess.run(
        ["ffprobe", "-v", "error", "-print_format", "json", "-show_streams", "-show_format",
         str(path)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    document: dict[str, Any] = json.loads(shown.stdout)
    return document


@pytest.mark.slow  # real transcodes, built-in profile
def test_a_rendition_is_made_once(hub: Hub, runner: CliRunner) -> None:
    asset_id = _ingest(runner)
    [first] = _invoke(runner, "transcode", str(asset_id))
    keys_after_first = sorted(hub.store.keys())
    [again] = _invoke(runner, "transcode", str(asset_id))
    assert first["created"] is True
    assert again["created"] is False
    assert again["store_key"] == first["store_key"]
    assert sorted(hub.store.keys()) == keys_after_first
    with hub.store.local_path(first["store_key"]) as rendition:
        probed = _streams(rendition)
    video = next(s for s in probed["streams"] if s["codec_type"] == "video")
    audio = next(s for s in probed["streams"] if s["codec_type"] == "audio")
    assert (video["codec_name"], video["profile"], video["pix_fmt"]) == ("h264", "High", "yuv420p")
    assert (audio["codec_name"], audio["sample_rate"], audio["channels"]) == ("aac", "48000", 2)
    assert (video["width"], video["height"]) == (320, 240)  # never upscaled


@pytest.mark.slow  # real transcodes, built-in profile
def test_a_changed_profile_makes_a_new_rendition(hub: Hub, runner: CliRunner) -> None:
    asset_id = _ingest(runner)
    [before] = _invoke(runner, "transcode", str(asset_id))
    profiles = hub.settings.definitions_dir / "profiles"
    profiles.mkdir()
    (profiles / "youtube.toml").write_text('extends = "youtube"\n[audio]\nkbps = 256\n')
    [after] = _invoke(runner, "transcode", str(asset_id))
    assert after["created"] is True
    assert after["store_key"] != before["store_key"]
    with hub.store.local_path(after["store_key"]) as rendition:
        audio = next(s for s in _streams(rendition)["streams"] if s["codec_type"] == "audio")
    assert int(audio["bit_rate"]) < 300_000


@pytest.mark.slow  # real transcodes, built-in profile
def test_the_series_branding_frames_the_clip(hub: Hub, runner: CliRunner) -> None:
    plain = _ingest(runner, series="reports")
    [unbranded] = _invoke(runner, "transcode", str(plain))
    runner.invoke(app, ["catalog", "archive", str(plain)])
    # The same bytes are the same asset: a branded series needs other bytes.
    branded_source = hub.settings.home / "other.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(DATA / "in.mp4"), "-t", "3", "-c", "copy",
         str(branded_source)],
        check=True,
    )  # fmt: skip
    [record] = _invoke(runner, "ingest", str(branded_source), "--series", "advisory-clips")
    [branded] = _invoke(runner, "transcode", str(record["asset_id"]))
    # The advisory template adds a 1.5 s intro and outro around the clip.
    assert branded["duration"] == pytest.approx(3.0 + 1.5 + 1.5, abs=0.3)
    assert unbranded["duration"] == pytest.approx(7.0, abs=0.3)


def test_a_deck_has_no_rendition(hub: Hub, runner: CliRunner) -> None:
    [record] = _invoke(runner, "ingest", str(DATA / "habibi.pdf"), "--series", "cv-flyers")
    result = runner.invoke(app, ["transcode", str(record["asset_id"])])
    assert result.exit_code == 1
    assert "only an ingested video has renditions" in result.stderr


def test_an_unknown_profile_is_named(hub: Hub, runner: CliRunner) -> None:
    asset_id = _ingest(runner)
    result = runner.invoke(app, ["transcode", str(asset_id), "--profile", "dvd"])
    assert result.exit_code == 3
    assert "profile 'dvd' not found" in result.stderr
    assert "youtube" in result.stderr


@pytest.mark.slow  # real transcodes, built-in profile
@pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)
def test_ingest_and_transcode_on_s3(
    hub_dir: Path, s3_store: tuple[S3Client, str], runner: CliRunner
) -> None:
    client, bucket = s3_store
    assert runner.invoke(app, ["conventions", "load"]).exit_code == 0
    asset_id = _ingest(runner)
    [made] = _invoke(runner, "transcode", str(asset_id))
    listed = client.list_objects_v2(Bucket=bucket, Prefix="channel/")
    keys = {item["Key"] for item in listed.get("Contents", [])}
    assert f"channel/{made['store_key']}" in keys
    assert len(keys) == 2  # the master and its rendition, nothing staged
    assert not list((hub_dir / "assets").glob("**/*.mp4"))

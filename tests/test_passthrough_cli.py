"""Pass-through through the hub: `transcode` and `upload` say which path a master took and
why, the path is part of the rendition's key, and `--force-transcode` overrides it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from media_hub.catalog.pipeline_models import Rendition
from media_hub.cli import app
from media_hub.hub import Hub
from media_hub.sandbox.server import Sandbox
from tests.passthrough_media import PassThroughMedia


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> PassThroughMedia:
    return PassThroughMedia(tmp_path_factory.mktemp("passthrough-cli-media"))


def _invoke(runner: CliRunner, *args: str) -> Any:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def _ingest(runner: CliRunner, path: Path) -> int:
    [record] = _invoke(runner, "ingest", str(path), "--series", "reports")
    return int(record["asset_id"])


def _records(hub: Hub) -> list[tuple[str, list[str] | None]]:
    with hub.db.session() as session:
        rows = session.scalars(select(Rendition).order_by(Rendition.id)).all()
        return [(row.decision, row.reasons) for row in rows]


def test_transcode_json_and_record_say_remux_and_why(
    hub: Hub, runner: CliRunner, media: PassThroughMedia
) -> None:
    asset_id = _ingest(runner, media.compliant())
    [made] = _invoke(runner, "transcode", str(asset_id))
    assert made["created"] is True
    assert made["decision"] == "remux"
    [reason] = made["reasons"]
    assert reason.startswith("remuxed: H.264 High 3.0 yuv420p progressive 640x360 25 fps")
    assert _records(hub) == [("remux", [reason])]
    [again] = _invoke(runner, "transcode", str(asset_id))
    assert (again["created"], again["store_key"]) == (False, made["store_key"])

    # Forced: a transcode, a rendition of its own, the reason said.
    [forced] = _invoke(runner, "transcode", str(asset_id), "--force-transcode")
    assert (forced["created"], forced["decision"]) == (True, "transcode")
    assert forced["reasons"] == ["transcoded: --force-transcode was given"]
    assert forced["store_key"] != made["store_key"]

    # A changed tolerance that still admits the source makes a new remux (a row of its own;
    # the store, keyed by content, holds the same bytes once).
    profiles = hub.settings.definitions_dir / "profiles"
    with (profiles / "youtube.toml").open("a", encoding="utf-8") as profile:
        profile.write("[tolerance]\nloudness_lu = 2.0\n")
    [looser] = _invoke(runner, "transcode", str(asset_id))
    assert (looser["created"], looser["decision"]) == (True, "remux")
    assert [decision for decision, _ in _records(hub)] == ["remux", "transcode", "remux"]


def test_transcode_lines_give_the_path_and_reasons(
    hub: Hub, runner: CliRunner, media: PassThroughMedia
) -> None:
    asset_id = _ingest(runner, media.quiet())
    result = runner.invoke(app, ["transcode", str(asset_id)])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"asset {asset_id}: youtube rendition made (audio), 640x360")
    assert lines[1].startswith("  video copied: H.264 High 3.0")
    assert lines[2] == "  audio re-encoded: -26.1 LUFS, target -14 ± 1"


def test_never_keeps_the_key_renditions_had_before(
    hub: Hub, runner: CliRunner, media: PassThroughMedia
) -> None:
    """A transcode's key is the one it had before pass-through existed: a forced transcode
    and one a 'never' profile asks for are the same rendition."""
    asset_id = _ingest(runner, media.ten_bit())
    [auto] = _invoke(runner, "transcode", str(asset_id))
    assert auto["decision"] == "transcode"
    assert auto["reasons"][0] == "transcoded: 10-bit 4:2:2"
    [forced] = _invoke(runner, "transcode", str(asset_id), "--force-transcode")
    assert (forced["created"], forced["store_key"]) == (False, auto["store_key"])
    assert forced["reasons"] == ["transcoded: --force-transcode was given"]


def test_upload_says_what_it_sent(
    channel_hub: Hub, sandbox: Sandbox, runner: CliRunner, media: PassThroughMedia,
    tmp_path: Path,
) -> None:  # fmt: skip
    clip = tmp_path / "conseils.mp4"
    shutil.copyfile(media.compliant(), clip)
    [done] = _invoke(runner, "upload", str(clip), "--series", "reports")
    assert done["rendition"] == "remux"
    assert done["rendition_reasons"][0].startswith("remuxed: H.264 High")
    [video] = sandbox.state.snapshot()["videos"].values()
    assert video["id"] == done["video_id"]
    clip2 = tmp_path / "autre.mp4"
    shutil.copyfile(media.quiet(), clip2)
    result = runner.invoke(app, ["upload", str(clip2), "--series", "reports", "--force-transcode"])
    assert result.exit_code == 0, result.stderr
    assert "  sent transcode: transcoded: --force-transcode was given" in result.stdout.splitlines()

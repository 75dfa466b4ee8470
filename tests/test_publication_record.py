"""Publications remember what was asked and what happened: privacy, schedule, watch URL and
status, in `catalog show` and its JSON; release 0006's rows are carried over (issue 19)."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from media_hub.catalog import migrations
from media_hub.catalog.db import create_catalog_engine, open_catalog
from media_hub.catalog.service import CatalogService
from media_hub.cli import app
from media_hub.hub import Hub
from media_hub.sandbox.server import Sandbox
from tests.test_migrations import BEFORE_REMOTE_IDS, _fill_release_0003

DATA = Path(__file__).parent / "data"
CASABLANCA = ZoneInfo("Africa/Casablanca")


def test_an_upload_with_publish_at_records_its_schedule_in_the_hubs_zone(
    channel_hub: Hub, sandbox: Sandbox, runner: CliRunner, tmp_path: Path
) -> None:
    clip = tmp_path / "forum.mp4"
    shutil.copyfile(DATA / "in.mp4", clip)
    local = (datetime.now(CASABLANCA) + timedelta(days=3)).replace(
        hour=10, minute=0, second=0, microsecond=0, tzinfo=None
    )
    uploaded = runner.invoke(
        app, ["upload", "--json", str(clip), "--series", "reports", "--publish-at",
              local.strftime("%Y-%m-%d %H:%M")],
    )  # fmt: skip
    assert uploaded.exit_code == 0, uploaded.stderr
    [done] = json.loads(uploaded.stdout)
    expected = local.replace(tzinfo=CASABLANCA).astimezone(UTC)

    shown = runner.invoke(app, ["catalog", "show", str(done["asset_id"]), "--json"])
    assert shown.exit_code == 0, shown.stderr
    [publication] = json.loads(shown.stdout)["publications"]
    assert publication["platform"] == "youtube"
    assert publication["status"] == "scheduled"
    assert publication["privacy"] == "private"
    assert datetime.fromisoformat(publication["scheduled_at"]) == expected
    assert publication["url"] == f"https://www.youtube.com/watch?v={done['video_id']}"
    [video] = sandbox.state.snapshot()["videos"].values()
    assert video["status"]["privacyStatus"] == "private"
    assert datetime.fromisoformat(video["status"]["publishAt"].replace("Z", "+00:00")) == expected

    table = runner.invoke(app, ["catalog", "show", str(done["asset_id"])])
    assert table.exit_code == 0, table.stderr
    offset = expected.astimezone(CASABLANCA).isoformat()[-6:]
    assert f"scheduled {local:%Y-%m-%d %H:%M}{offset}, private, https://" in table.stdout


def test_a_publish_at_in_the_past_is_one_line_and_nothing_is_sent(
    channel_hub: Hub, sandbox: Sandbox, runner: CliRunner, tmp_path: Path
) -> None:
    clip = tmp_path / "forum.mp4"
    shutil.copyfile(DATA / "in.mp4", clip)
    result = runner.invoke(
        app, ["upload", str(clip), "--series", "reports", "--publish-at", "2020-01-07 10:00"]
    )
    assert result.exit_code == 1
    [line] = result.stderr.strip().splitlines()
    assert "status.publishAt" in line
    assert "not in the future" in line
    assert sandbox.state.snapshot()["videos"] == {}


def test_a_local_time_the_clocks_skip_is_refused(hub: Hub, runner: CliRunner) -> None:
    result = runner.invoke(
        app,
        ["upload", "1", "--publish-at", "2027-03-14 02:30"],  # after Ramadan: 02:00 -> 03:00
    )
    assert result.exit_code == 1
    assert "does not exist in Africa/Casablanca" in result.stderr


@pytest.mark.empty_catalog
@pytest.mark.filterwarnings("ignore:.*expression-based index")
def test_0008_carries_release_0007_publications_over(catalog_url: str) -> None:
    engine = create_catalog_engine(catalog_url)
    try:
        migrations.upgrade(engine, BEFORE_REMOTE_IDS)
        _fill_release_0003(engine)
        migrations.upgrade(engine, "0007")
        migrations.upgrade(engine)
    finally:
        engine.dispose()
    catalog = open_catalog(catalog_url, "tester")
    try:
        [youtube] = CatalogService(catalog).show(1)["publications"]
        [slideshare] = CatalogService(catalog).show(2)["publications"]
    finally:
        catalog.close()
    assert youtube == {
        "platform": "youtube", "status": "published", "privacy": None, "scheduled_at": None,
        "live_at": None, "url": None, "remote_id": "video-1", "state": "done",
    }  # fmt: skip
    assert (slideshare["remote_id"], slideshare["status"]) == ("deck-2", "published")

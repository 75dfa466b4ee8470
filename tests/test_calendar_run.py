"""`calendar run` against the sandbox: a YouTube video uploaded ahead, private with its
publishAt, moved by videos.update of the status alone, public once the sandbox's clock
passes it and then recorded live; a SlideShare deck uploaded private and made public at its
slot (issue 19, points 4 and 5)."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from media_hub.catalog.pipeline_models import Job, QuotaEntry
from media_hub.cli import app
from media_hub.hub import Hub
from media_hub.jobs.kinds import handler_for
from media_hub.sandbox.server import Sandbox
from tests.sandbox_client import youtube

DATA = Path(__file__).parent / "data"
CASABLANCA = ZoneInfo("Africa/Casablanca")


def invoke(runner: CliRunner, *args: str, code: int = 0) -> Any:
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, (result.stdout, result.stderr)
    return result


def book_soon(hub: Hub, runner: CliRunner, series: str, asset_id: int, hours: int) -> datetime:
    """The asset booked by a plan, then moved to `hours` from now (whole minutes, local)."""
    (hub.settings.definitions_dir / "calendar.toml").write_text(
        f'[[slots]]\nseries = "{series}"\nweekday = "wednesday"\ntime = "09:00"\n',
        encoding="utf-8",
    )
    invoke(runner, "catalog", "edit", str(asset_id), "--status", "ready")
    planned = invoke(runner, "calendar", "plan", "--weeks", "2", "--apply")
    assert "1 booking(s) recorded" in planned.stdout, planned.stdout
    local = (datetime.now(CASABLANCA) + timedelta(hours=hours)).replace(second=0, microsecond=0)
    invoke(runner, "calendar", "move", str(asset_id), "--to", f"{local:%Y-%m-%d %H:%M}")
    return local.astimezone(UTC)


def publication(runner: CliRunner, asset_id: int) -> dict[str, Any]:
    shown = json.loads(invoke(runner, "catalog", "show", str(asset_id), "--json").stdout)
    [found] = shown["publications"]
    return dict(found)


def clock_at(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> None:
    """The hub's clock for `calendar` commands (the sandbox keeps its own)."""
    monkeypatch.setattr("media_hub.cli.calendar._now", lambda: moment)


def test_a_video_goes_up_private_with_its_time_and_goes_live_as_the_clock_passes(
    channel_hub: Hub,
    sandbox: Sandbox,
    runner: CliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clip = tmp_path / "clip.mp4"
    shutil.copyfile(DATA / "in.mp4", clip)
    done = json.loads(
        invoke(runner, "ingest", "--json", str(clip), "--series", "advisory-clips", "--episode",
               "1", "-t", "fr=Bien chercher", "-t", "ar=البحث").stdout
    )  # fmt: skip
    asset_id = done[0]["asset_id"]
    slot = book_soon(channel_hub, runner, "advisory-clips", asset_id, hours=3)
    assert publication(runner, asset_id)["status"] == "planned"

    ran = json.loads(invoke(runner, "calendar", "run", "--json").stdout)
    assert ran["uploaded"] == [[asset_id, "youtube"]]
    shown = publication(runner, asset_id)
    assert (shown["status"], shown["privacy"]) == ("scheduled", "private")
    client = youtube(sandbox)

    def status() -> dict[str, Any]:
        [item] = client.videos().list(part="status", id=shown["remote_id"]).execute()["items"]
        return dict(item["status"])

    assert status()["privacyStatus"] == "private"
    assert datetime.fromisoformat(status()["publishAt"].replace("Z", "+00:00")) == slot
    again = json.loads(invoke(runner, "calendar", "run", "--json").stdout)
    assert again["uploaded"] == []  # idempotent
    assert len(sandbox.state.snapshot()["videos"]) == 1

    # A move is one videos.update of the status, after one read; the texts stay.
    title = sandbox.state.snapshot()["videos"][shown["remote_id"]]["snippet"]["title"]
    later = slot + timedelta(hours=1)
    with channel_hub.db.session() as session:
        before = session.scalar(select(QuotaEntry.id).order_by(QuotaEntry.id.desc()).limit(1))
    moved = invoke(runner, "calendar", "move", str(asset_id), "--to",
                   f"{later.astimezone(CASABLANCA):%Y-%m-%d %H:%M}")  # fmt: skip
    assert "(and on the platform)" in moved.stdout
    with channel_hub.db.session() as session:
        calls = list(session.scalars(select(QuotaEntry.method).where(QuotaEntry.id > before)))
    assert calls == ["videos.list", "videos.update"]
    video = sandbox.state.snapshot()["videos"][shown["remote_id"]]
    assert video["snippet"]["title"] == title
    assert datetime.fromisoformat(status()["publishAt"].replace("Z", "+00:00")) == later
    assert datetime.fromisoformat(publication(runner, asset_id)["scheduled_at"]) == later

    sandbox.advance_days(1)  # the sandbox's clock passes the slot
    assert status()["privacyStatus"] == "public"
    assert "publishAt" not in status()
    # The hub's own clock has not reached the slot: YouTube's (the sandbox's) decides.
    ran = json.loads(invoke(runner, "calendar", "run", "--json").stdout)
    assert ran["went_live"] == [[asset_id, "youtube"]]
    assert publication(runner, asset_id)["status"] == "live"
    refused = invoke(runner, "calendar", "move", str(asset_id), "--to", "2030-01-01 10:00", code=1)
    assert "went live on youtube" in refused.stderr


def test_a_deck_goes_up_private_and_is_made_public_at_its_slot(
    deck_hub: Hub, sandbox: Sandbox, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    done = json.loads(
        invoke(runner, "ingest", "--json", str(DATA / "pdflatex-4-pages.pdf"), "--series",
               "cv-flyers", "-t", "fr=Le CV", "-t", "ar=السيرة").stdout
    )  # fmt: skip
    asset_id = done[0]["asset_id"]
    slot = book_soon(deck_hub, runner, "cv-flyers", asset_id, hours=2)

    ran = json.loads(invoke(runner, "calendar", "run", "--json").stdout)
    assert ran["uploaded"] == [[asset_id, "slideshare"]]
    [deck] = sandbox.state.snapshot()["slideshare"]["slideshows"].values()
    assert deck["private"] is True
    shown = publication(runner, asset_id)
    assert (shown["status"], shown["privacy"]) == ("scheduled", "private")
    assert datetime.fromisoformat(shown["scheduled_at"]) == slot
    with deck_hub.db.session() as session:
        [job] = session.scalars(select(Job).where(Job.kind == "calendar-public")).all()
        assert job.run_after == slot
        job_payload = dict(job.payload)

    clock_at(monkeypatch, slot - timedelta(minutes=1))
    assert json.loads(invoke(runner, "calendar", "run", "--json").stdout)["made_public"] == []
    clock_at(monkeypatch, slot + timedelta(minutes=1))
    ran = json.loads(invoke(runner, "calendar", "run", "--json").stdout)
    assert ran["made_public"] == [[asset_id, "slideshare"]]
    [deck] = sandbox.state.snapshot()["slideshare"]["slideshows"].values()
    assert deck["private"] is False
    assert publication(runner, asset_id)["status"] == "live"
    # The job, when a worker gets to it at the slot, finds the deck live and does nothing.
    result = handler_for("calendar-public")(deck_hub, job_payload)
    assert result == {"asset_id": asset_id, "made_public": False}

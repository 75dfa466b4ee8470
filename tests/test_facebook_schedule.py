"""Facebook Page videos on the publication calendar: uploaded unpublished with
`scheduled_publish_time`, moved and taken off through the Video node, public when the
sandbox's clock passes the time; times outside Meta's window refused before any call (and by
the sandbox, with Graph's error); a run killed while publishing makes one video."""

from __future__ import annotations

import hashlib
import hmac
import json
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from typer.testing import CliRunner

from media_hub.cli import app
from media_hub.hub import Hub
from media_hub.platforms import registry
from media_hub.sandbox.server import Sandbox
from tests.facebook_page import page_environment, page_hub, point_at_page, videos
from tests.test_calendar_run import CASABLANCA, book_soon, invoke, publication
from tests.test_facebook_crash import _kill_when, page, prepared

__all__ = ["page", "prepared"]  # fixtures, shared with test_facebook_crash

DATA = Path(__file__).parent / "data"
GRAPH = "v27.0"


@pytest.fixture
def fb_hub(hub: Hub, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Hub:
    point_at_page(hub.settings.home, sandbox, monkeypatch, tmp_path / "secrets")
    return page_hub(hub)


def graph(sandbox: Sandbox, method: str, path: str, **params: str) -> requests.Response:
    """A raw Graph call to the sandbox with the Page's token and proof (not media-hub's)."""
    account = sandbox.app.facebook.page.account
    token, secret = account["page_token"], account["app_secret"]
    proof = hmac.new(secret.encode(), token.encode(), hashlib.sha256).hexdigest()
    query = {"appsecret_proof": proof, **(params if method == "GET" else {})}
    return requests.request(
        method, f"{sandbox.facebook_graph_base}/{GRAPH}/{path}",
        params=query, data=None if method == "GET" else params,
        headers={"Authorization": f"OAuth {token}"}, verify=str(sandbox.ca_cert), timeout=30,
    )  # fmt: skip


def on_page(sandbox: Sandbox, video_id: str) -> dict[str, Any]:
    answer = graph(sandbox, "GET", video_id, fields="id,published,scheduled_publish_time")
    assert answer.status_code == 200, answer.text
    found: dict[str, Any] = answer.json()
    return found


def booked_and_run(hub: Hub, runner: CliRunner, tmp_path: Path) -> tuple[int, datetime, str]:
    """A report (Facebook's series here) booked three hours from now and sent by
    `calendar run`: (asset, slot, video id)."""
    clip = tmp_path / "clip.mp4"
    shutil.copyfile(DATA / "in.mp4", clip)
    done = json.loads(
        invoke(runner, "ingest", "--json", str(clip), "--series", "reports",
               "-t", "fr=Reportage : le forum", "-t", "ar=روبورتاج: المنتدى").stdout
    )  # fmt: skip
    asset_id = done[0]["asset_id"]
    slot = book_soon(hub, runner, "reports", asset_id, hours=3)
    assert publication(runner, asset_id)["status"] == "planned"
    ran = json.loads(invoke(runner, "calendar", "run", "--json").stdout)
    assert ran["uploaded"] == [[asset_id, "facebook"]], ran
    return asset_id, slot, publication(runner, asset_id)["remote_id"]


def _local(moment: datetime) -> str:
    return f"{moment.astimezone(CASABLANCA):%Y-%m-%d %H:%M}"


def test_a_slot_goes_up_unpublished_moves_and_goes_live_with_the_sandboxs_clock(
    fb_hub: Hub, sandbox: Sandbox, runner: CliRunner, tmp_path: Path
) -> None:
    asset_id, slot, video_id = booked_and_run(fb_hub, runner, tmp_path)
    shown = publication(runner, asset_id)
    assert (shown["status"], shown["privacy"]) == ("scheduled", "private")
    assert datetime.fromisoformat(shown["scheduled_at"]) == slot
    video = videos(sandbox)[video_id]
    assert video["published"] is False
    assert video["scheduled_publish_time"] == int(slot.timestamp())
    assert on_page(sandbox, video_id)["published"] is False
    again = json.loads(invoke(runner, "calendar", "run", "--json").stdout)
    assert again["uploaded"] == []
    assert again["went_live"] == []
    assert len(videos(sandbox)) == 1

    # A move is one POST to the video with the new time; its texts stay.
    title = video["title"]
    later = slot + timedelta(hours=1)
    moved = invoke(runner, "calendar", "move", str(asset_id), "--to", _local(later))
    assert "(and on the platform)" in moved.stdout
    edits = [r for r in sandbox.requests if r.method == "POST" and r.path.endswith(video_id)]
    assert len(edits) == 1
    video = videos(sandbox)[video_id]
    assert (video["title"], video["published"]) == (title, False)
    assert video["scheduled_publish_time"] == int(later.timestamp())
    assert datetime.fromisoformat(publication(runner, asset_id)["scheduled_at"]) == later

    sandbox.advance_days(1)  # the sandbox's clock passes the time; the hub's has not
    assert on_page(sandbox, video_id)["published"] is True
    ran = json.loads(invoke(runner, "calendar", "run", "--json").stdout)
    assert ran["went_live"] == [[asset_id, "facebook"]]
    assert publication(runner, asset_id)["status"] == "live"
    refused = invoke(runner, "calendar", "move", str(asset_id), "--to", "2030-01-01 10:00", code=1)
    assert "went live on facebook" in refused.stderr


def test_an_unscheduled_video_stays_unpublished_on_the_page(
    fb_hub: Hub, sandbox: Sandbox, runner: CliRunner, tmp_path: Path
) -> None:
    asset_id, _, video_id = booked_and_run(fb_hub, runner, tmp_path)
    invoke(runner, "calendar", "unschedule", str(asset_id))
    video = videos(sandbox)[video_id]
    assert (video["published"], video["scheduled_publish_time"]) == (False, None)
    shown = publication(runner, asset_id)
    assert (shown["status"], shown["scheduled_at"], shown["remote_id"]) == ("private", None,
                                                                           video_id)  # fmt: skip
    sandbox.advance_days(2)
    assert on_page(sandbox, video_id)["published"] is False
    assert json.loads(invoke(runner, "calendar", "run", "--json").stdout)["went_live"] == []
    # Made public by media-hub when someone decides to (the interface's make_public).
    registry.get("facebook").make_public(fb_hub, video_id)
    assert on_page(sandbox, video_id)["published"] is True


def test_a_time_outside_the_window_is_refused_before_any_call(
    fb_hub: Hub, sandbox: Sandbox, runner: CliRunner, tmp_path: Path
) -> None:
    asset_id, slot, video_id = booked_and_run(fb_hub, runner, tmp_path)
    calls = len(sandbox.requests)
    too_far = datetime.now(UTC) + timedelta(days=40)
    refused = invoke(runner, "calendar", "move", str(asset_id), "--to", _local(too_far), code=1)
    [line] = refused.stderr.strip().splitlines()
    assert "outside Facebook's scheduling window" in line
    assert "30 days" in line
    assert len(sandbox.requests) == calls
    assert videos(sandbox)[video_id]["scheduled_publish_time"] == int(slot.timestamp())
    assert datetime.fromisoformat(publication(runner, asset_id)["scheduled_at"]) == slot


@pytest.mark.parametrize("ahead", [timedelta(minutes=5), timedelta(days=31)])
def test_the_sandbox_refuses_a_time_outside_the_window_as_graph_does(
    fb_hub: Hub, sandbox: Sandbox, runner: CliRunner, tmp_path: Path, ahead: timedelta
) -> None:
    _, slot, video_id = booked_and_run(fb_hub, runner, tmp_path)
    when = str(int((datetime.now(UTC) + ahead).timestamp()))
    answer = graph(sandbox, "POST", video_id, published="false", scheduled_publish_time=when)
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert (error["code"], error["type"]) == (100, "OAuthException")
    assert error["message"] == "(#100) The specified scheduled publish time is invalid."
    assert error["fbtrace_id"]
    assert videos(sandbox)[video_id]["scheduled_publish_time"] == int(slot.timestamp())


def test_a_private_upload_waits_unpublished_without_a_time(
    fb_hub: Hub, sandbox: Sandbox, runner: CliRunner, tmp_path: Path
) -> None:
    clip = tmp_path / "clip.mp4"
    shutil.copyfile(DATA / "in.mp4", clip)
    result = runner.invoke(
        app,
        ["upload", "--json", str(clip), "--series", "reports", "-t", "fr=Reportage",
         "--privacy", "private"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    [done] = json.loads(result.stdout)
    video = videos(sandbox)[done["video_id"]]
    assert (video["published"], video["scheduled_publish_time"]) == (False, None)
    assert publication(runner, done["asset_id"])["status"] == "private"


@pytest.mark.slow
def test_a_scheduled_upload_killed_while_publishing_makes_one_scheduled_video(
    page: tuple[Path, Sandbox],
) -> None:
    hub_dir, sandbox = page
    account = sandbox.app.facebook.page.account
    when = (datetime.now(UTC) + timedelta(days=2)).replace(second=0, microsecond=0)
    path = f"/graph/{GRAPH}/{account['page_id']}/videos"
    sandbox.faults.add("hold", method="POST", path=path, seconds=30)
    _kill_when(_scheduled_upload(hub_dir, sandbox, when), sandbox, path)
    sandbox.faults.clear()
    [held] = sandbox.state.snapshot()["facebook"]["videos"].values()
    assert held["scheduled_publish_time"] == int(when.timestamp())  # carried out, unanswered

    rerun = _scheduled_upload(hub_dir, sandbox, when)
    out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err.decode()
    [done] = json.loads(out)
    found = sandbox.state.snapshot()["facebook"]["videos"]
    assert list(found) == [done["video_id"]]
    assert found[done["video_id"]]["scheduled_publish_time"] == int(when.timestamp())
    assert found[done["video_id"]]["published"] is False


def _scheduled_upload(hub_dir: Path, sandbox: Sandbox, when: datetime) -> Any:
    env = page_environment(hub_dir, sandbox)
    return subprocess.Popen(
        [sys.executable, "-m", "media_hub", "upload", "--json",
         str(hub_dir.parent / "clip.mp4"), "--series", "reports",
         "--publish-at", when.isoformat()],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip

"""Facebook Page videos end to end: the real client (requests) against the sandbox's Graph API
over HTTPS on loopback, through `media-hub upload`."""

from __future__ import annotations

import hashlib
import json
import stat
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from media_hub.catalog.pipeline_models import Publication, Rendition
from media_hub.cli import app
from media_hub.hub import Hub
from media_hub.sandbox.server import Sandbox
from tests.facebook_page import page_hub, point_at_page, videos
from tests.media_fixtures import make_clip

TITLE = ["-t", "ar=تقرير عن منتدى التشغيل", "-t", "fr=Reportage : le forum de l'emploi"]


@pytest.fixture
def fb_hub(hub: Hub, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Hub:
    point_at_page(hub.settings.home, sandbox, monkeypatch, tmp_path / "secrets")
    monkeypatch.setenv("MEDIA_HUB_FACEBOOK_UPLOAD_CHUNK_KIB", "64")
    return page_hub(hub)


@pytest.fixture
def clip(tmp_path: Path) -> Path:
    return make_clip(tmp_path / "forum.mp4", size="640x360", seconds=3.0)


def _upload(runner: CliRunner, *args: str, code: int = 0) -> Any:
    result = runner.invoke(app, ["upload", "--json", *args])
    assert result.exit_code == code, result.output
    return json.loads(result.stdout) if code == 0 else result.stderr


def _rendition_sha(hub: Hub) -> str:
    with hub.db.session() as session:
        key = session.scalars(select(Rendition.store_key)).one()
    with hub.store.open(key) as stream:
        return hashlib.sha256(stream.read()).hexdigest()


def test_a_clip_is_published_on_the_page_once_with_its_texts_and_thumbnail(
    fb_hub: Hub, sandbox: Sandbox, runner: CliRunner, clip: Path
) -> None:
    [done] = _upload(runner, str(clip), "--series", "reports", *TITLE)
    assert done["platform"] == "facebook"
    assert done["uploaded_now"]
    [(video_id, video)] = videos(sandbox).items()
    assert done["video_id"] == video_id
    assert video["title"].startswith("تقرير عن منتدى التشغيل")
    assert video["description"]  # the report template's description, footer included
    assert video["sha256"] == _rendition_sha(fb_hub)
    assert video["thumbnail"] is not None
    assert video["published"] is True
    assert fb_hub.catalog.show(done["asset_id"])["status"] == "published"

    [again] = _upload(runner, str(clip), "--series", "reports", *TITLE)
    assert again["video_id"] == video_id
    assert not again["uploaded_now"]
    assert len(videos(sandbox)) == 1


def test_pieces_lost_to_drops_and_5xx_are_resent_alone(
    fb_hub: Hub, sandbox: Sandbox, runner: CliRunner, clip: Path
) -> None:
    sandbox.faults.add("drop", method="POST", path="/graph/v27.0/upload:", after=1)
    sandbox.faults.add("503", method="POST", path="/graph/v27.0/upload:", after=2)
    sandbox.faults.add("partial", method="POST", path="/graph/v27.0/upload:", after=3)
    [done] = _upload(runner, str(clip), "--series", "reports", *TITLE)
    pieces = [r for r in sandbox.requests if r.method == "POST" and "/upload:" in r.path]
    size = videos(sandbox)[done["video_id"]]["bytes"]
    needed = -(-size // (64 * 1024))
    assert len(pieces) <= needed + 3  # each fault cost one piece, at most
    assert videos(sandbox)[done["video_id"]]["sha256"] == _rendition_sha(fb_hub)


def test_a_rate_limit_stops_the_batch_and_a_rerun_finishes(
    fb_hub: Hub, sandbox: Sandbox, runner: CliRunner, clip: Path
) -> None:
    sandbox.app.facebook.page.throttle(code=32, count=1)
    error = _upload(runner, str(clip), "--series", "reports", *TITLE, code=1)
    first, *rest = error.strip().splitlines()
    assert "rate limit" in first
    assert first.startswith("error: Facebook")
    assert rest == [f"not done yet: {clip}"]  # the batch names what is left
    assert videos(sandbox) == {}
    [done] = _upload(runner, str(clip), "--series", "reports", *TITLE)
    assert list(videos(sandbox)) == [done["video_id"]]


def test_an_expired_token_says_how_to_renew(
    fb_hub: Hub, sandbox: Sandbox, runner: CliRunner, clip: Path
) -> None:
    sandbox.app.facebook.page.expire_token()
    error = _upload(runner, str(clip), "--series", "reports", *TITLE, code=5)
    assert "190" in error
    assert "media-hub auth facebook" in error
    assert sandbox.app.facebook.page.account["page_token"] not in error


def test_texts_over_facebooks_limits_are_refused_before_any_call(
    fb_hub: Hub, sandbox: Sandbox, runner: CliRunner, clip: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MEDIA_HUB_FACEBOOK_TITLE_MAX_CHARS", "10")
    error = _upload(runner, str(clip), "--series", "reports", *TITLE, code=1)
    assert "facebook.title_max_chars" in error
    assert not [r for r in sandbox.requests if r.path.startswith("/graph/")]


def test_a_scheduled_clip_waits_unpublished_until_its_time(
    fb_hub: Hub, sandbox: Sandbox, runner: CliRunner, clip: Path
) -> None:
    from datetime import UTC, datetime, timedelta

    when = (datetime.now(UTC) + timedelta(days=2)).replace(microsecond=0)
    [done] = _upload(runner, str(clip), "--series", "reports", *TITLE,
                     "--publish-at", when.isoformat())  # fmt: skip
    video = videos(sandbox)[done["video_id"]]
    assert video["published"] is False
    assert video["scheduled_publish_time"] == int(when.timestamp())
    too_far = (datetime.now(UTC) + timedelta(days=40)).isoformat()
    other = clip.with_name("other.mp4")
    make_clip(other, size="640x360", seconds=2.0)
    error = _upload(runner, str(other), "--series", "reports", *TITLE, "--publish-at", too_far,
                    code=1)  # fmt: skip
    assert "scheduling window" in error


def test_the_credentials_file_is_private(fb_hub: Hub, tmp_path: Path) -> None:
    path = tmp_path / "secrets" / "facebook.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_publication_keeps_no_session_once_done(
    fb_hub: Hub, sandbox: Sandbox, runner: CliRunner, clip: Path
) -> None:
    [done] = _upload(runner, str(clip), "--series", "reports", *TITLE)
    with fb_hub.db.session() as session:
        row = session.scalars(select(Publication).where(Publication.platform == "facebook")).one()
        assert row.remote_id == done["video_id"]
        assert row.session_uri is None
        assert done["video_id"] in (row.url or "")


def test_publish_brings_an_edited_title_to_the_page(
    fb_hub: Hub, sandbox: Sandbox, runner: CliRunner, clip: Path
) -> None:
    from media_hub.catalog.assets import AssetEdit

    [done] = _upload(runner, str(clip), "--series", "reports", *TITLE)
    plan = runner.invoke(app, ["publish", "--plan", "--json"])
    assert plan.exit_code == 0, plan.output
    assert json.loads(plan.stdout)["calls"] == []

    fb_hub.catalog.edit(done["asset_id"], AssetEdit(titles={"ar": "منتدى التشغيل بالرباط"}))
    [call] = json.loads(runner.invoke(app, ["publish", "--plan", "--json"]).stdout)["calls"]
    assert (call["platform"], call["detail"]) == ("facebook", "title")
    assert not videos(sandbox)[done["video_id"]]["title"].startswith("منتدى التشغيل بالرباط")

    sandbox.app.facebook.page.throttle(code=613, count=1, after=1)  # the read goes through
    stopped = runner.invoke(app, ["publish", "--apply", "--json"])
    assert "1 change(s) left" in stopped.output
    applied = runner.invoke(app, ["publish", "--apply", "--json"])
    assert applied.exit_code == 0, applied.output
    assert videos(sandbox)[done["video_id"]]["title"].startswith("منتدى التشغيل بالرباط")
    assert json.loads(runner.invoke(app, ["publish", "--plan", "--json"]).stdout)["calls"] == []


def test_adopt_catalogs_the_pages_videos_once_and_uploads_nothing(
    fb_hub: Hub, sandbox: Sandbox, runner: CliRunner, clip: Path, tmp_path: Path
) -> None:
    [done] = _upload(runner, str(clip), "--series", "reports", *TITLE)
    title = videos(sandbox)[done["video_id"]]["title"]
    with fb_hub.db.session() as session:  # a fresh catalog's view: the Page's video is unknown
        row = session.scalars(select(Publication).where(Publication.platform == "facebook")).one()
        session.delete(row)
    posts_before = [r for r in sandbox.requests if r.method == "POST"]

    dry = runner.invoke(app, ["adopt", "facebook", "--dry-run", "--json"])
    assert dry.exit_code == 0, dry.output
    first = runner.invoke(app, ["adopt", "facebook", "--json"])
    assert first.exit_code == 0, first.output
    report = json.loads(first.stdout)
    [adopted] = report["adopted"]
    assert adopted["video_id"] == done["video_id"]
    assert adopted["series"] == "reports"  # the report template gives the texts back
    assert title.startswith(adopted["title"])
    again = json.loads(runner.invoke(app, ["adopt", "facebook", "--json"]).stdout)
    assert again["adopted"] == []
    assert [r for r in sandbox.requests if r.method == "POST"] == posts_before

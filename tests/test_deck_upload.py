"""Decks through `upload` and `publish`: metadata from the series' template, conversion,
never twice, refusals that leave the catalog consistent, and S3's presigned URLs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from mypy_boto3_s3 import S3Client
from sqlalchemy import select
from typer.testing import CliRunner

from media_hub.catalog.pipeline_models import Publication
from media_hub.catalog.query import AssetQuery
from media_hub.cli import app
from media_hub.errors import MediaError
from media_hub.hub import Hub
from media_hub.pipeline.ingest import IngestRequest
from media_hub.platforms.publisher import UploadOptions
from media_hub.platforms.slideshare.connect import slideshare_client
from media_hub.platforms.slideshare.publisher import SlideShareUpload
from media_hub.sandbox.server import Sandbox
from media_hub.settings import load_settings

DATA = Path(__file__).resolve().parent / "data"
FLYER = DATA / "pdflatex-4-pages.pdf"
FLYER_ARGS = ["--series", "cv-flyers", "-t", "fr=Le CV en quatre pages", "-t", "ar=السيرة الذاتية"]


def _upload(runner: CliRunner, *args: str, code: int = 0) -> Any:
    result = runner.invoke(app, ["upload", "--json", *args])
    assert result.exit_code == code, result.stderr
    return json.loads(result.stdout) if code == 0 else result.stderr


def _slideshows(sandbox: Sandbox) -> dict[str, Any]:
    slideshows: dict[str, Any] = sandbox.state.snapshot()["slideshare"]["slideshows"]
    return slideshows


def _publication(hub: Hub, asset_id: int) -> Publication | None:
    with hub.db.session() as session:
        row = session.scalars(
            select(Publication).where(
                Publication.asset_id == asset_id, Publication.platform == "slideshare"
            )
        ).first()
        if row is not None:
            session.expunge(row)
        return row


def test_a_deck_is_published_once_with_its_templates_texts(
    deck_hub: Hub, sandbox: Sandbox, runner: CliRunner
) -> None:
    [done] = _upload(runner, str(FLYER), *FLYER_ARGS)
    assert done["platform"] == "slideshare"
    assert done["finished"]
    assert done["uploaded_now"]
    [remote] = _slideshows(sandbox).values()
    assert str(remote["id"]) == done["slideshow_id"]
    assert remote["title"] == "Le CV en quatre pages | Flyers CV"  # the deck template's form
    assert "ANAPEC" in remote["tags"]
    assert "CV" in remote["tags"]
    assert "www.anapec.org" in remote["description"]  # the footer in French
    assert deck_hub.catalog.show(done["asset_id"])["status"] == "published"

    [again] = _upload(runner, str(FLYER), *FLYER_ARGS)
    assert again["slideshow_id"] == done["slideshow_id"]
    assert not again["uploaded_now"]
    assert len(_slideshows(sandbox)) == 1


def test_plan_sends_nothing_and_says_what_would_go(
    deck_hub: Hub, sandbox: Sandbox, runner: CliRunner
) -> None:
    result = runner.invoke(app, ["upload", str(FLYER), *FLYER_ARGS, "--plan"])
    assert result.exit_code == 0, result.stderr
    assert "upload_slideshow" in result.stdout
    assert "to SlideShare" in result.stdout
    assert _slideshows(sandbox) == {}


def test_the_encrypted_deck_is_refused_and_nothing_is_kept(
    deck_hub: Hub, sandbox: Sandbox, runner: CliRunner
) -> None:
    message = _upload(runner, str(DATA / "libreoffice-writer-password.pdf"), *FLYER_ARGS, code=1)
    assert "libreoffice-writer-password.pdf" in message
    assert "password" in message
    assert "Traceback" not in message
    assert _slideshows(sandbox) == {}
    assert deck_hub.catalog.find(AssetQuery()) == []


@pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)
def test_a_wrong_password_leaves_the_deck_unsent_and_a_rerun_sends_it(
    deck_hub: Hub, sandbox: Sandbox, runner: CliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "secrets" / "slideshare.json"
    saved = json.loads(path.read_text())
    path.write_text(json.dumps({**saved, "password": "wrong"}))
    message = _upload(runner, str(FLYER), *FLYER_ARGS, code=5)  # the credentials: config
    assert "username or password" in message
    assert "auth slideshare" in message
    assert _slideshows(sandbox) == {}
    [asset] = deck_hub.catalog.find(AssetQuery())
    publication = _publication(deck_hub, asset["id"])
    assert publication is not None
    assert publication.state == "pending"

    path.write_text(json.dumps(saved))
    [done] = _upload(runner, str(FLYER), *FLYER_ARGS)
    assert done["uploaded_now"]
    assert len(_slideshows(sandbox)) == 1


@pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)
def test_the_daily_limit_stops_the_batch_and_tomorrow_it_continues(
    deck_hub: Hub, sandbox: Sandbox, runner: CliRunner
) -> None:
    sandbox.faults.add("daily-limit")
    result = runner.invoke(
        app, ["upload", str(FLYER), str(DATA / "habibi.pdf"), "--series", "cv-flyers"]
    )
    assert result.exit_code == 1
    assert "daily API limit" in result.stderr
    assert "not done yet" in result.stderr
    assert "habibi.pdf" in result.stderr  # the second file is listed as left
    assert _slideshows(sandbox) == {}
    sandbox.advance_days(1)
    done = _upload(runner, str(FLYER), str(DATA / "habibi.pdf"), "--series", "cv-flyers")
    assert [d["uploaded_now"] for d in done] == [True, True]
    assert len(_slideshows(sandbox)) == 2


@pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)
def test_a_failed_conversion_is_deleted_and_sent_again(
    deck_hub: Hub, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    sandbox.state.configure(slideshare_queued_reads=50)
    monkeypatch.setenv("MEDIA_HUB_SLIDESHARE_CONVERSION_WAIT", "0")
    deck_hub = Hub(load_settings(deck_hub.settings.home))
    job = SlideShareUpload(deck_hub, lambda: slideshare_client(deck_hub.settings))
    request = IngestRequest(FLYER, "cv-flyers", {"fr": "Le CV"})
    first = job.publish(request, UploadOptions())
    assert not first.finished  # still queued when the wait ended
    assert _publication(deck_hub, first.asset_id).state == "converting"  # type: ignore[union-attr]
    with sandbox.state.change() as data:
        broken = data["slideshare"]["slideshows"][first.remote_id]
        broken["queued_reads"], broken["final_status"] = 0, 3
    with pytest.raises(MediaError, match="could not convert"):
        job.publish(request, UploadOptions())
    assert _publication(deck_hub, first.asset_id).state == "failed"  # type: ignore[union-attr]

    sandbox.state.configure(slideshare_queued_reads=0)
    again = job.publish(request, UploadOptions())
    assert again.finished
    assert again.remote_id != first.remote_id
    assert list(_slideshows(sandbox)) == [again.remote_id]  # the failed one is gone


@pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)
def test_publish_edits_only_the_decks_whose_texts_changed(
    deck_hub: Hub, sandbox: Sandbox, runner: CliRunner
) -> None:
    [first] = _upload(runner, str(FLYER), *FLYER_ARGS)
    _upload(runner, str(DATA / "habibi.pdf"), "--series", "job-slides", "-t", "ar=إضاءة")
    plan = runner.invoke(app, ["publish", "--plan", "--json"])
    assert plan.exit_code == 0, plan.stderr
    assert json.loads(plan.stdout)["calls"] == []

    deck_hub.catalog.edit(first["asset_id"], _title_edit("fr", "Un CV qui donne envie"))
    plan = json.loads(runner.invoke(app, ["publish", "--plan", "--json"]).stdout)
    [call] = plan["calls"]
    assert (call["platform"], call["method"]) == ("slideshare", "edit_slideshow")
    assert call["detail"] == "title"
    applied = runner.invoke(app, ["publish", "--apply", "--json"])
    assert applied.exit_code == 0, applied.stderr
    remote = _slideshows(sandbox)[first["slideshow_id"]]
    assert remote["title"] == "Un CV qui donne envie | Flyers CV"
    assert json.loads(runner.invoke(app, ["publish", "--plan", "--json"]).stdout)["calls"] == []


@pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)
def test_a_deck_in_s3_goes_by_presigned_url(
    deck_hub: Hub, sandbox: Sandbox, runner: CliRunner, s3_store: tuple[S3Client, str]
) -> None:
    [done] = _upload(runner, str(FLYER), *FLYER_ARGS)
    assert done["finished"]
    [remote] = _slideshows(sandbox).values()
    assert remote["num_slides"] == 4  # SlideShare fetched the real file from S3
    served = [r.path for r in sandbox.requests if r.path.startswith("/api/2/upload")]
    assert served == ["/api/2/upload_slideshow"]


def _title_edit(lang: str, text: str) -> Any:
    from media_hub.catalog.assets import AssetEdit

    return AssetEdit(titles={lang: text})

"""`upload --queue` and the `upload` job: the uploader's machine ingests and checks, a worker
publishes from the catalog and the store alone, never twice, and waits out a spent quota."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from media_hub.catalog.pipeline_models import Job, QuotaEntry
from media_hub.cli import app
from media_hub.hub import Hub
from media_hub.jobs.worker import Finished, run_worker
from media_hub.platforms.youtube import clock, quota
from media_hub.sandbox.server import Sandbox
from media_hub.settings import load_settings

DATA = Path(__file__).resolve().parent / "data"


def _queue(runner: CliRunner, *args: str) -> list[dict[str, Any]]:
    result = runner.invoke(app, ["upload", "--queue", "--json", *args])
    assert result.exit_code == 0, result.stderr
    queued: list[dict[str, Any]] = json.loads(result.stdout)
    return queued


def _work(hub: Hub, jobs: int) -> list[Finished]:
    """Run one in-process worker until `jobs` jobs have finished, one way or another."""
    finished: list[Finished] = []
    stop = threading.Event()

    def seen(one: Finished) -> None:
        finished.append(one)
        if len(finished) >= jobs:
            stop.set()

    home = hub.settings.home
    worker = threading.Thread(
        target=run_worker,
        args=(lambda: Hub(load_settings(home)), "test-worker", None, 1, 30.0, stop),
        kwargs={"poll_s": 0.05, "on_finished": seen},
    )
    worker.start()
    worker.join(timeout=300)
    assert not worker.is_alive(), "the worker did not finish its jobs"
    return finished


@pytest.mark.slow  # a worker publishes a video and a deck
@pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)
def test_queued_video_and_deck_are_published_by_a_worker_once(
    channel_hub: Hub, deck_hub: Hub, sandbox: Sandbox, runner: CliRunner
) -> None:
    [video] = _queue(runner, str(DATA / "in.mp4"), "--series", "advisory-clips", "--episode",
                     "1", "-t", "fr=Chercher un emploi")  # fmt: skip
    [deck] = _queue(runner, str(DATA / "habibi.pdf"), "--series", "job-slides", "-t", "ar=المهن")
    assert (video["platform"], deck["platform"]) == ("youtube", "slideshare")
    state = sandbox.state.snapshot()
    assert state["videos"] == {}
    assert state["slideshare"]["slideshows"] == {}

    finished = _work(deck_hub, 2)
    assert sorted(f.outcome.value for f in finished) == ["done", "done"]
    state = sandbox.state.snapshot()
    assert len(state["videos"]) == 1
    assert len(state["slideshare"]["slideshows"]) == 1
    for queued in (video, deck):
        assert deck_hub.catalog.show(queued["asset_id"])["status"] == "published"
        with deck_hub.db.session() as session:  # noted by the worker, for the web's /jobs
            assert session.get(Job, queued["job_id"]).progress == 1.0  # type: ignore[union-attr]

    [again] = _queue(runner, str(DATA / "in.mp4"), "--series", "advisory-clips", "--episode", "1")
    assert again["job_id"] != video["job_id"]  # the first one is done: a new job...
    [rerun] = _work(deck_hub, 1)
    assert rerun.outcome.value == "done"
    with deck_hub.db.session() as session:
        result = session.get(Job, again["job_id"]).result  # type: ignore[union-attr]
    assert result is not None
    assert result["uploaded_now"] is False
    assert len(sandbox.state.snapshot()["videos"]) == 1


@pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)
def test_an_upload_the_ledger_cannot_pay_waits_for_the_reset(
    channel_hub: Hub, sandbox: Sandbox, runner: CliRunner
) -> None:
    [video] = _queue(runner, str(DATA / "in.mp4"), "--series", "reports", "-t", "fr=Forum")
    now = datetime.now(UTC)
    with channel_hub.db.session() as session:  # another worker spent the day
        session.add(
            QuotaEntry(platform="youtube", bucket=quota.DEFAULT_BUCKET,
                       day=clock.pacific_day(now), method="videos.update", units=9_990)
        )  # fmt: skip
    [deferred] = _work(channel_hub, 1)
    assert deferred.outcome.value == "deferred"
    assert sandbox.state.snapshot()["videos"] == {}  # not one call was made
    with channel_hub.db.session() as session:
        job = session.scalars(select(Job).where(Job.id == video["job_id"])).one()
        assert job.state == "queued"
        assert job.attempts == 0
        assert job.run_after.replace(tzinfo=UTC) >= clock.next_reset(now)
    listed = runner.invoke(app, ["jobs", "list"])
    assert "quota" in listed.stdout


@pytest.mark.slow  # a worker runs three kinds of jobs
@pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)
def test_thumbnails_and_a_statistics_pull_run_as_jobs(
    channel_hub: Hub, deck_hub: Hub, sandbox: Sandbox, runner: CliRunner
) -> None:
    [video] = _queue(runner, str(DATA / "in.mp4"), "--series", "reports", "-t", "fr=Forum")
    ingested = runner.invoke(app, ["ingest", "--json", str(DATA / "habibi.pdf"),
                                   "--series", "job-slides"])  # fmt: skip
    deck_id = json.loads(ingested.stdout)[0]["asset_id"]
    added = runner.invoke(app, ["jobs", "add", "thumbnails", str(deck_id)])
    assert added.exit_code == 0, added.stderr
    assert [f.outcome.value for f in _work(deck_hub, 2)] == ["done", "done"]  # upload, thumbs
    pulled = runner.invoke(app, ["stats", "pull", "--queue", "--json"])
    assert pulled.exit_code == 0, pulled.stderr
    job_id = json.loads(pulled.stdout)["job_id"]
    [finished] = _work(deck_hub, 1)
    assert (finished.job.id, finished.outcome.value) == (job_id, "done")
    with deck_hub.db.session() as session:
        jobs = {job.kind: job.result for job in session.scalars(select(Job))}
    assert jobs["stats-pull"] is not None
    assert jobs["stats-pull"]["videos"] == 1
    assert jobs["thumbnails"] is not None
    assert jobs["thumbnails"]["asset_id"] == deck_id
    assert Path(jobs["thumbnails"]["branded"]).is_file()
    assert video["asset_id"] != deck_id


@pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)
def test_a_deck_still_converting_is_checked_again_later_not_resent(
    deck_hub: Hub, sandbox: Sandbox, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    sandbox.state.configure(slideshare_queued_reads=50)
    monkeypatch.setenv("MEDIA_HUB_SLIDESHARE_CONVERSION_WAIT", "0")
    hub = Hub(load_settings(deck_hub.settings.home))
    [deck] = _queue(runner, str(DATA / "habibi.pdf"), "--series", "job-slides", "-t", "ar=المهن")
    [first] = _work(hub, 1)
    assert first.outcome.value == "retry"
    assert first.error is not None
    assert "still processing" in first.error
    with hub.db.session() as session:
        job = session.get(Job, deck["job_id"])
        assert job is not None
        assert job.state == "queued"
        job.run_after = job.created_at  # the backoff has passed
    [slideshow] = sandbox.state.snapshot()["slideshare"]["slideshows"].values()
    with sandbox.state.change() as data:
        data["slideshare"]["slideshows"][str(slideshow["id"])]["queued_reads"] = 0
    [second] = _work(hub, 1)
    assert second.outcome.value == "done"
    assert list(sandbox.state.snapshot()["slideshare"]["slideshows"]) == [str(slideshow["id"])]

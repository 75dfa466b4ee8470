"""Work in progress: real jobs in a real catalog, on the page as `jobs list` shows them, the
running one's progress noted by its worker, and retry and cancel for editors only."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from media_hub.catalog.service import CatalogService
from media_hub.hub import Hub
from media_hub.jobs import queue, records
from media_hub.jobs.progress_notes import JobProgress
from media_hub.jobs.worker import run_claimed
from media_hub.pipeline.ingest import IngestRequest, ingest
from tests.web.conftest import add_asset, csrf_of, sign_in

VIDEO = Path(__file__).parent.parent / "data" / "in.mp4"


def a_parked_job(hub: Hub, asset_id: int) -> int:
    job_id = queue.enqueue(hub.db, "transcode", {"asset_id": asset_id}, asset_id, max_attempts=1)
    assert queue.claim(hub.db, "w1", None, 60) is not None
    queue.fail(hub.db, job_id, "w1", "ffmpeg exited 1\nthe long detail")
    return job_id


def a_running_job(hub: Hub, asset_id: int, fraction: float) -> int:
    job_id = queue.enqueue(hub.db, "thumbnails", {"asset_id": asset_id}, asset_id)
    claimed = queue.claim(hub.db, "w2", ["thumbnails"], 60)
    assert claimed is not None
    assert claimed.id == job_id
    assert queue.record_progress(hub.db, job_id, "w2", fraction)
    return job_id


def _row(page: str, job_id: int) -> str:
    found = re.search(rf'<tr id="job-{job_id}".*?</tr>', page, re.S)
    assert found, f"job {job_id} is not on the page"
    return found[0]


def test_the_page_shows_state_attempts_error_and_progress(
    client: TestClient, catalog: CatalogService, hub: Hub
) -> None:
    asset_id = add_asset(catalog, fr="Rédiger son CV")
    parked = a_parked_job(hub, asset_id)
    running = a_running_job(hub, asset_id, 0.426)
    sign_in(client, "viewer")
    page = client.get("/jobs").text
    assert '<a href="/jobs">Work in progress</a>' in page  # in the menu
    row = _row(page, parked)
    assert "parked" in row
    assert "1/1" in row
    assert "ffmpeg exited 1" in row
    assert "the long detail" not in row  # the first line only, as `jobs list`
    assert "Rédiger son CV" in row
    assert "<progress" not in row
    row = _row(page, running)
    assert 'data-state="running"' in row
    assert '<progress max="100" value="43">' in row
    assert "43 %" in row
    assert "/retry" not in page  # a viewer has no retry or cancel
    assert "/cancel" not in page


def test_the_polled_fragment_and_the_same_route_without_javascript(
    client: TestClient, catalog: CatalogService, hub: Hub
) -> None:
    asset_id = add_asset(catalog)
    running = a_running_job(hub, asset_id, 0.1)
    sign_in(client, "viewer")
    page = client.get("/jobs").text
    assert 'hx-get="/jobs/rows" hx-trigger="every 2s"' in page
    queue.record_progress(hub.db, running, "w2", 0.75)
    fragment = client.get("/jobs/rows", headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert not fragment.text.lstrip().startswith("<!doctype")
    assert fragment.text.lstrip().startswith('<div id="jobs"')  # swapped in, polling on
    assert '<progress max="100" value="75">' in _row(fragment.text, running)
    plain = client.get("/jobs/rows").text  # opened by hand: the whole page
    assert plain.startswith("<!doctype html>")
    assert '<progress max="100" value="75">' in _row(plain, running)


def test_editors_retry_and_cancel_as_the_cli_does(
    client: TestClient, catalog: CatalogService, hub: Hub
) -> None:
    asset_id = add_asset(catalog)
    parked = a_parked_job(hub, asset_id)
    running = a_running_job(hub, asset_id, 0.5)
    sign_in(client, "editor")
    page = client.get("/jobs").text
    token = csrf_of(page)
    assert f'action="/jobs/{parked}/retry"' in _row(page, parked)
    assert f'action="/jobs/{running}/retry"' not in _row(page, running)
    answer = client.post(f"/jobs/{parked}/retry", data={"csrf_token": token})
    assert answer.status_code == 303
    assert answer.headers["location"] == "/jobs"
    job = records.show_job(hub.db, parked)
    assert (job["state"], job["attempts"]) == ("queued", 0)
    assert client.post(f"/jobs/{running}/cancel", data={"csrf_token": token}).status_code == 303
    assert records.show_job(hub.db, running)["state"] == "cancelled"
    again = client.post(f"/jobs/{running}/cancel", data={"csrf_token": token})
    assert again.status_code == 400
    assert f"job {running} is cancelled and cannot be cancelled" in again.text
    assert client.post("/jobs/999999/retry", data={"csrf_token": token}).status_code == 404
    refused = client.post(f"/jobs/{parked}/cancel", data={})
    assert refused.status_code == 403  # no CSRF token
    assert records.show_job(hub.db, parked)["state"] == "queued"


@pytest.mark.parametrize("role", ["viewer", "librarian"])
def test_viewers_and_librarians_cannot_retry_or_cancel(
    client: TestClient, catalog: CatalogService, hub: Hub, role: str
) -> None:
    asset_id = add_asset(catalog)
    parked = a_parked_job(hub, asset_id)
    sign_in(client, role)
    token = csrf_of(client.get("/jobs").text)
    for action in ("retry", "cancel"):
        answer = client.post(f"/jobs/{parked}/{action}", data={"csrf_token": token})
        assert answer.status_code == 403
        assert "Not allowed" in answer.text
    assert records.show_job(hub.db, parked)["state"] == "parked"


def test_progress_notes_are_few_and_follow_the_steps(catalog: CatalogService, hub: Hub) -> None:
    asset_id = add_asset(catalog)
    queue.enqueue(hub.db, "thumbnails", {"asset_id": asset_id}, asset_id)
    job = queue.claim(hub.db, "w3", None, 60)
    assert job is not None
    now = [100.0]
    notes = JobProgress(hub.db, job, clock=lambda: now[0])

    def noted() -> float | None:
        value: float | None = records.show_job(hub.db, job.id)["progress"]
        return value

    notes.begin("counting", None)
    notes.update("counting", 5, "")
    assert noted() is None  # no total: no fraction to show
    notes.begin("step", 200)
    notes.update("step", 20, "")
    assert noted() == pytest.approx(0.1)
    now[0] += 0.5
    notes.update("step", 100, "")
    assert noted() == pytest.approx(0.1)  # within the second: not written
    now[0] += 1.0
    notes.update("step", 101, "")
    assert noted() == pytest.approx(0.505)
    notes.end("step", 200)
    assert noted() == 1.0  # the end of a step is always written
    queue.cancel(hub.db, job.id)
    notes.begin("more", 10)
    now[0] += 5
    notes.update("more", 5, "")  # the lease is gone: nothing written
    assert noted() == 1.0


def test_a_worker_notes_a_transcodes_progress(catalog: CatalogService, hub: Hub) -> None:
    asset_id = ingest(hub.db, hub.store, IngestRequest(VIDEO)).asset_id
    job_id = queue.enqueue(
        hub.db, "transcode", {"asset_id": asset_id, "force_transcode": True}, asset_id
    )
    job = queue.claim(hub.db, "w4", None, 60)
    assert job is not None
    assert records.show_job(hub.db, job_id)["progress"] is None
    finished = run_claimed(hub, job, 60)
    assert finished.outcome == "done", finished.error
    assert records.show_job(hub.db, job_id)["progress"] == 1.0  # ffmpeg's end, as noted

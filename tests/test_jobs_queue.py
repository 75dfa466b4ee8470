"""The job queue on both engines: claim, lease, renew, finish, backoff, park, retry, cancel.

Leases are made to expire by claiming with a lease already over (a negative length), never
by sleeping, so no assertion depends on timing.
"""

from __future__ import annotations

import json
import threading
from datetime import timedelta

import pytest
from typer.testing import CliRunner

from media_hub.catalog.db import Catalog
from media_hub.catalog.types import utcnow
from media_hub.catalog.vocabulary import JobState
from media_hub.cli import app
from media_hub.errors import NotFoundError
from media_hub.hub import Hub
from media_hub.jobs import queue, records
from media_hub.jobs.queue import JobStateError


@pytest.fixture
def jobs_catalog(hub: Hub) -> Catalog:
    return hub.db


def test_enqueue_is_idempotent_while_the_step_is_pending(jobs_catalog: Catalog) -> None:
    first = queue.enqueue(jobs_catalog, "transcode", {"profile": "web"})
    again = queue.enqueue(jobs_catalog, "transcode", {"profile": "web"})
    other = queue.enqueue(jobs_catalog, "transcode", {"profile": "youtube"})
    assert again == first
    assert other != first
    claimed = queue.claim(jobs_catalog, "w1", None, 60)
    assert claimed is not None
    assert claimed.id == first
    assert queue.enqueue(jobs_catalog, "transcode", {"profile": "web"}) == first  # running
    assert queue.complete(jobs_catalog, first, "w1", {"ok": True})
    assert queue.enqueue(jobs_catalog, "transcode", {"profile": "web"}) not in (first, other)


def test_claim_takes_the_oldest_due_job_of_the_kinds_asked(jobs_catalog: Catalog) -> None:
    probe_id = queue.enqueue(jobs_catalog, "probe", {"n": 1})
    transcode_id = queue.enqueue(jobs_catalog, "transcode", {"n": 2})
    claimed = queue.claim(jobs_catalog, "w1", ["transcode"], 60)
    assert claimed is not None
    assert (claimed.id, claimed.kind, claimed.payload) == (transcode_id, "transcode", {"n": 2})
    assert queue.claim(jobs_catalog, "w2", ["transcode"], 60) is None
    record = records.show_job(jobs_catalog, transcode_id)
    assert (record["state"], record["lease_owner"]) == ("running", "w1")
    assert record["lease_expires_at"] > utcnow().isoformat()
    other = queue.claim(jobs_catalog, "w2", None, 60)
    assert other is not None
    assert other.id == probe_id
    assert queue.claim(jobs_catalog, "w3", None, 60) is None


def test_renew_complete_and_the_result(jobs_catalog: Catalog) -> None:
    job_id = queue.enqueue(jobs_catalog, "probe", {})
    claimed = queue.claim(jobs_catalog, "w1", None, 1)
    assert claimed is not None
    before = records.show_job(jobs_catalog, job_id)["lease_expires_at"]
    assert queue.renew(jobs_catalog, job_id, "w1", 600)
    assert records.show_job(jobs_catalog, job_id)["lease_expires_at"] > before
    assert not queue.renew(jobs_catalog, job_id, "somebody-else", 600)
    assert queue.complete(jobs_catalog, job_id, "w1", {"pages": 4})
    record = records.show_job(jobs_catalog, job_id)
    assert (record["state"], record["result"], record["lease_owner"]) == (
        "done",
        {"pages": 4},
        "w1",
    )
    assert not queue.complete(jobs_catalog, job_id, "w1", {"pages": 5})  # recorded once
    assert not queue.renew(jobs_catalog, job_id, "w1", 600)
    assert records.show_job(jobs_catalog, job_id)["result"] == {"pages": 4}


def test_an_expired_lease_is_taken_over_and_the_old_owner_records_nothing(
    jobs_catalog: Catalog,
) -> None:
    job_id = queue.enqueue(jobs_catalog, "probe", {})
    assert queue.claim(jobs_catalog, "dead", None, -1) is not None  # lease already over
    taken = queue.claim(jobs_catalog, "alive", None, 60)
    assert taken is not None
    assert taken.id == job_id
    assert not queue.renew(jobs_catalog, job_id, "dead", 60)
    assert not queue.complete(jobs_catalog, job_id, "dead", {"by": "dead"})
    assert queue.fail(jobs_catalog, job_id, "dead", "boom") is None
    assert queue.complete(jobs_catalog, job_id, "alive", {"by": "alive"})
    record = records.show_job(jobs_catalog, job_id)
    assert (record["state"], record["result"]) == ("done", {"by": "alive"})
    assert record["attempts"] == 2  # the try that died counts


def test_a_job_that_kills_every_worker_is_parked_after_max_attempts(
    jobs_catalog: Catalog,
) -> None:
    job_id = queue.enqueue(jobs_catalog, "probe", {}, max_attempts=3)
    for attempt in (1, 2, 3):  # each worker dies holding it: no failure is ever recorded
        claimed = queue.claim(jobs_catalog, f"doomed-{attempt}", None, -1)
        assert claimed is not None
        assert (claimed.id, claimed.attempts) == (job_id, attempt)
    assert queue.claim(jobs_catalog, "next", None, 60) is None
    record = records.show_job(jobs_catalog, job_id)
    assert (record["state"], record["attempts"], record["lease_owner"]) == ("parked", 3, None)
    assert record["error"] == (
        "its worker stopped before finishing (lease expired) on every one of 3 attempts; "
        "the last was doomed-3"
    )
    retried = queue.retry(jobs_catalog, job_id)
    assert (retried["state"], retried["attempts"]) == ("queued", 0)


def test_failures_back_off_exponentially_then_park(jobs_catalog: Catalog) -> None:
    job_id = queue.enqueue(jobs_catalog, "probe", {}, max_attempts=3)
    waits = []
    for attempt in (1, 2):
        assert queue.claim(jobs_catalog, "w", None, 60) is not None
        before = utcnow()
        assert (
            queue.fail(jobs_catalog, job_id, "w", f"boom {attempt}", base_s=10) is JobState.QUEUED
        )
        record = records.show_job(jobs_catalog, job_id)
        assert (record["state"], record["attempts"], record["lease_owner"]) == (
            "queued", attempt, None,
        )  # fmt: skip
        waits.append(record["run_after"])
        assert queue.claim(jobs_catalog, "w", None, 60) is None  # not due yet
        assert (
            record["run_after"] >= (before + timedelta(seconds=10 * 2 ** (attempt - 1))).isoformat()
        )
        _make_due(jobs_catalog, job_id)
    assert queue.claim(jobs_catalog, "w", None, 60) is not None
    assert queue.fail(jobs_catalog, job_id, "w", "boom 3") is JobState.PARKED
    record = records.show_job(jobs_catalog, job_id)
    assert (record["state"], record["attempts"], record["error"]) == ("parked", 3, "boom 3")
    assert queue.claim(jobs_catalog, "w", None, 60) is None


def test_backoff_doubles_and_is_capped() -> None:
    assert [queue.backoff_s(n, 5, 100) for n in (1, 2, 3, 4, 5, 6)] == [5, 10, 20, 40, 80, 100]


def test_a_permanent_failure_parks_at_once(jobs_catalog: Catalog) -> None:
    job_id = queue.enqueue(jobs_catalog, "probe", {})
    assert queue.claim(jobs_catalog, "w", None, 60) is not None
    assert queue.fail(jobs_catalog, job_id, "w", "no such asset", permanent=True) is JobState.PARKED


def test_retry_and_cancel(jobs_catalog: Catalog) -> None:
    job_id = queue.enqueue(jobs_catalog, "probe", {}, max_attempts=1)
    with pytest.raises(JobStateError, match="queued and cannot be retried"):
        queue.retry(jobs_catalog, job_id)
    assert queue.claim(jobs_catalog, "w", None, 60) is not None
    assert queue.fail(jobs_catalog, job_id, "w", "boom") is JobState.PARKED
    retried = queue.retry(jobs_catalog, job_id)
    assert (retried["state"], retried["attempts"]) == ("queued", 0)
    assert queue.claim(jobs_catalog, "w2", None, 60) is not None
    cancelled = queue.cancel(jobs_catalog, job_id)  # while running: the worker loses it
    assert (cancelled["state"], cancelled["lease_owner"]) == ("cancelled", None)
    assert not queue.complete(jobs_catalog, job_id, "w2", {})
    assert records.show_job(jobs_catalog, job_id)["state"] == "cancelled"
    with pytest.raises(JobStateError):
        queue.cancel(jobs_catalog, job_id)
    with pytest.raises(NotFoundError):
        queue.cancel(jobs_catalog, 999_999)


def test_a_released_job_is_claimable_again_untouched(jobs_catalog: Catalog) -> None:
    job_id = queue.enqueue(jobs_catalog, "probe", {})
    assert queue.claim(jobs_catalog, "w", None, 60) is not None
    assert records.show_job(jobs_catalog, job_id)["attempts"] == 1  # counted at the claim
    assert queue.release(jobs_catalog, job_id, "w")
    record = records.show_job(jobs_catalog, job_id)
    assert (record["state"], record["attempts"], record["lease_owner"]) == ("queued", 0, None)
    assert not queue.release(jobs_catalog, job_id, "w")  # no longer held
    again = queue.claim(jobs_catalog, "w2", None, 60)
    assert again is not None
    assert (again.id, again.attempts) == (job_id, 1)


def test_concurrent_claims_never_share_a_job(jobs_catalog: Catalog) -> None:
    ids = {queue.enqueue(jobs_catalog, "probe", {"n": n}) for n in range(30)}
    claimed: list[int] = []
    lock = threading.Lock()

    def claimer(name: str) -> None:
        while (job := queue.claim(jobs_catalog, name, None, 60)) is not None:
            with lock:
                claimed.append(job.id)

    threads = [threading.Thread(target=claimer, args=(f"t{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(claimed) == sorted(ids)


def test_the_jobs_commands(hub: Hub, runner: CliRunner) -> None:
    catalog = hub.db
    job_id = queue.enqueue(catalog, "transcode", {"asset_id": 1}, max_attempts=1)
    assert queue.claim(catalog, "w", None, 60) is not None
    queue.fail(catalog, job_id, "w", "ffmpeg exited 1\nmore detail")
    listed = runner.invoke(app, ["jobs", "list", "--state", "parked", "--json"])
    assert listed.exit_code == 0, listed.stderr
    [row] = json.loads(listed.stdout)
    assert (row["id"], row["state"], row["error"]) == (
        job_id,
        "parked",
        "ffmpeg exited 1\nmore detail",
    )
    table = runner.invoke(app, ["jobs", "list"])
    assert table.exit_code == 0
    assert "parked" in table.stdout
    shown = runner.invoke(app, ["jobs", "show", str(job_id)])
    assert json.loads(shown.stdout)["payload"] == {"asset_id": 1}
    retried = runner.invoke(app, ["jobs", "retry", str(job_id)])
    assert retried.exit_code == 0
    assert f"job {job_id} (transcode) is queued" in retried.stdout
    cancelled = runner.invoke(app, ["jobs", "cancel", str(job_id)])
    assert cancelled.exit_code == 0
    assert "is cancelled" in cancelled.stdout
    again = runner.invoke(app, ["jobs", "cancel", str(job_id)])
    assert again.exit_code == 4
    assert again.stderr.strip() == f"error: job {job_id} is cancelled and cannot be cancelled"
    missing = runner.invoke(app, ["jobs", "show", "999999"])
    assert missing.exit_code == 3
    assert "job 999999 not found" in missing.stderr
    unknown = runner.invoke(app, ["jobs", "add", "nonsense", "1"])
    assert unknown.exit_code == 1
    assert "unknown job kind 'nonsense'" in unknown.stderr


def test_jobs_for_an_unknown_asset_are_refused_in_one_line_and_none_is_queued(
    hub: Hub, runner: CliRunner
) -> None:
    from media_hub.catalog.assets import NewAsset
    from media_hub.catalog.vocabulary import AssetKind

    known = hub.catalog.add(NewAsset(kind=AssetKind.VIDEO, titles={"fr": "Connu"}))["id"]
    refused = runner.invoke(app, ["jobs", "add", "transcode", str(known), "99999"])
    assert refused.exit_code == 3
    assert refused.stderr.strip() == (
        "error: asset 99999 not found; list assets with 'media-hub catalog list'"
    )
    assert records.list_jobs(hub.db) == []
    with pytest.raises(NotFoundError, match="asset 99999 not found"):
        queue.enqueue(hub.db, "transcode", {"asset_id": 99999}, 99999)


def _make_due(catalog: Catalog, job_id: int) -> None:
    """Stand in for the passing of the backoff: the job is due now."""
    from sqlalchemy import update

    from media_hub.catalog.pipeline_models import Job

    with catalog.session() as session:
        session.execute(update(Job).where(Job.id == job_id).values(run_after=utcnow()))


def test_jobs_list_names_the_asset_and_keeps_times_on_one_line(hub: Hub, runner: CliRunner) -> None:
    import re

    from media_hub.catalog.assets import NewAsset
    from media_hub.catalog.vocabulary import AssetKind

    asset = hub.catalog.add(NewAsset(kind=AssetKind.VIDEO, titles={"fr": "Le CV en 2 minutes"}))
    queue.enqueue(hub.db, "transcode", {"asset_id": asset["id"]}, asset["id"])
    table = runner.invoke(app, ["jobs", "list"], env={"COLUMNS": "200"})
    assert table.exit_code == 0, table.stderr
    [row] = [line for line in table.stdout.splitlines() if "transcode" in line]
    assert "Le CV en 2 minutes" in row
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", row)

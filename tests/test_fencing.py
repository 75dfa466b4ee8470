"""Fencing on the real catalogs: a job whose lease another worker took can neither act nor
record; a cancelled job stops acting but records what it did; outside a worker nothing is
fenced."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import update

from media_hub import fence
from media_hub.catalog.assets import AssetEdit, NewAsset
from media_hub.catalog.pipeline_models import Job
from media_hub.catalog.types import utcnow
from media_hub.catalog.vocabulary import AssetKind, JobState
from media_hub.errors import MediaHubError
from media_hub.fence import LeaseLostError, LeaseState
from media_hub.hub import Hub
from media_hub.jobs import kinds, queue, records
from media_hub.jobs.worker import Outcome, job_fence, run_claimed

LEASE_S = 30.0


def _claimed(hub: Hub, owner: str = "worker-x") -> queue.ClaimedJob:
    queue.enqueue(hub.db, "fenced-test", {})
    job = queue.claim(hub.db, owner, ["fenced-test"], LEASE_S)
    assert job is not None
    return job


def _elsewhere(work: Any) -> None:
    """Run `work` as another process would: in a thread, which starts outside the fence
    (its errors raised here)."""
    with ThreadPoolExecutor(1) as pool:
        pool.submit(work).result()


def _taken_over(hub: Hub, job: queue.ClaimedJob) -> None:
    """The lease runs out (its worker paused) and another worker claims the job."""

    def expire_and_claim() -> None:
        with hub.db.session() as session:
            session.execute(
                update(Job)
                .where(Job.id == job.id)
                .values(lease_expires_at=utcnow() - timedelta(days=1))
            )
        other = queue.claim(hub.db, "worker-y", ["fenced-test"], LEASE_S)
        assert other is not None
        assert other.id == job.id

    _elsewhere(expire_and_claim)


def _asset(hub: Hub) -> int:
    return hub.catalog.add(NewAsset(kind=AssetKind.VIDEO, titles={"fr": "Avant"}))["id"]


def _retitle(hub: Hub, asset_id: int, title: str) -> None:
    hub.catalog.edit(asset_id, AssetEdit(titles={"fr": title}))


def test_a_job_taken_over_can_neither_act_nor_record(hub: Hub) -> None:
    asset_id = _asset(hub)
    job = _claimed(hub)
    lease = job_fence(hub.db, job, LEASE_S)
    with fence.holding(lease):
        fence.confirm("sending")  # held: renewed, no error
        _retitle(hub, asset_id, "Pendant")
        _taken_over(hub, job)
        with pytest.raises(LeaseLostError, match="taken over by another worker"):
            fence.confirm("opening the upload session")
        with pytest.raises(LeaseLostError, match="recording what it did"):
            _retitle(hub, asset_id, "Après")  # a stale writer's write fails in the database
    assert lease.stop.is_set()
    assert hub.catalog.show(asset_id)["titles"] == {"fr": "Pendant"}
    with hub.db.session() as session:
        assert session.get(Job, job.id).lease_owner == "worker-y"  # type: ignore[union-attr]


def test_a_cancelled_job_stops_acting_but_records_what_it_did(hub: Hub) -> None:
    asset_id = _asset(hub)
    job = _claimed(hub)
    with fence.holding(job_fence(hub.db, job, LEASE_S)):
        _elsewhere(lambda: queue.cancel(hub.db, job.id))
        with pytest.raises(LeaseLostError, match="was cancelled") as stopped:
            fence.confirm("setting the thumbnail")
        assert stopped.value.state is LeaseState.CANCELLED
        _retitle(hub, asset_id, "Déjà fait")  # the truth of what was done is kept
    assert hub.catalog.show(asset_id)["titles"] == {"fr": "Déjà fait"}


def test_outside_a_worker_nothing_is_fenced(hub: Hub) -> None:
    asset_id = _asset(hub)
    fence.confirm("anything")
    _retitle(hub, asset_id, "Libre")
    assert hub.catalog.show(asset_id)["titles"] == {"fr": "Libre"}


def test_the_worker_reports_a_job_stopped_at_a_fence_as_lost_and_notes_a_cancel(
    hub: Hub, monkeypatch: pytest.MonkeyPatch
) -> None:
    asset_id = _asset(hub)
    reached = threading.Event()

    def handler(running: Hub, payload: Mapping[str, Any]) -> dict[str, Any]:
        _retitle(running, asset_id, "Étape 1")
        _elsewhere(lambda: queue.cancel(running.db, job.id))  # a person cancels meanwhile
        fence.confirm("step 2")
        reached.set()
        return {}

    monkeypatch.setitem(kinds.HANDLERS, "fenced-test", handler)
    job = _claimed(hub)
    finished = run_claimed(hub, job, LEASE_S)
    assert finished.outcome is Outcome.LOST
    assert not reached.is_set()
    assert hub.catalog.show(asset_id)["titles"] == {"fr": "Étape 1"}
    shown = records.show_job(hub.db, job.id)
    assert shown["state"] == JobState.CANCELLED.value
    assert "step 2 and what follows were not done" in str(shown["error"])


def test_a_lost_lease_stops_a_transcode_at_its_next_progress_line() -> None:
    stopping = fence.Fence(7, lambda: LeaseState.HELD, lambda session: LeaseState.HELD)
    stopping.stop.set()
    from media_hub.media.transcode import ProgressReader

    with fence.holding(stopping), pytest.raises(MediaHubError, match="job 7"):
        ProgressReader(10.0, None).feed([b"out_time_us=1000000\n"])

"""The job queue in the catalog: enqueue, claim under a lease, renew, finish.

Every state change is one conditional UPDATE (or a pair in one transaction), never a read
followed by a blind write: a claim takes a row only if it is still claimable, and a finish
counts only while the caller still holds the lease, so a worker whose lease was taken over
can never record a second outcome. On PostgreSQL the claim's subquery locks its row with
`FOR UPDATE SKIP LOCKED`, so workers never wait on each other's candidate; on SQLite the
UPDATE itself takes the database's one write lock.

`attempts` counts the times a worker took the job (claimed it), whatever came of it: a try
that failed, and a try whose worker died (its lease expired, nothing recorded), so a job that
crashes every worker that runs it is parked after `max_attempts` like one that fails. A job
handed back untouched (`release`) or put off until a quota reset (`defer`) gets its attempt
back.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.orm import Session

from media_hub.catalog.db import Catalog
from media_hub.catalog.models import Asset
from media_hub.catalog.pipeline_models import Job
from media_hub.catalog.types import utcnow
from media_hub.catalog.vocabulary import JobState
from media_hub.errors import ExitStatus, MediaHubError, NotFoundError
from media_hub.fence import LeaseState
from media_hub.jobs.records import show_job

BACKOFF_BASE_S = 30.0
BACKOFF_CAP_S = 3600.0
ACTIVE = (JobState.QUEUED, JobState.RUNNING)
RETRYABLE = (JobState.PARKED, JobState.FAILED, JobState.CANCELLED)
CANCELLABLE = (JobState.QUEUED, JobState.RUNNING, JobState.PARKED, JobState.FAILED)


class JobStateError(MediaHubError):
    """The job is not in a state that allows the request (retry a done job, cancel twice)."""

    exit_status = ExitStatus.CONFLICT


@dataclass(frozen=True)
class ClaimedJob:
    """What a worker needs to run a job; `lease_owner` is the worker that claimed it and
    `attempts` the number of this try (1 for the first)."""

    id: int
    kind: str
    asset_id: int | None
    payload: dict[str, Any]
    attempts: int
    lease_owner: str
    lease_expires_at: datetime


def enqueue(
    catalog: Catalog,
    kind: str,
    payload: dict[str, Any],
    asset_id: int | None = None,
    *,
    max_attempts: int = 5,
    run_after: datetime | None = None,
) -> int:
    """The id of a new queued job, or of the same step already queued or running; it runs
    from `run_after` on (default: now)."""
    with catalog.session() as session:
        if asset_id is not None and session.get(Asset, asset_id) is None:
            raise NotFoundError(f"asset {asset_id}", "list assets with 'media-hub catalog list'")
        _serialize_enqueue(session, kind, asset_id)
        active = session.scalars(
            select(Job).where(Job.kind == kind, Job.state.in_(ACTIVE), _same_asset(asset_id))
        )
        for existing in active:
            if existing.payload == payload:
                return existing.id
        job = Job(
            kind=kind,
            asset_id=asset_id,
            payload=payload,
            state=JobState.QUEUED,
            max_attempts=max_attempts,
            run_after=run_after or utcnow(),
        )
        session.add(job)
        session.flush()
        return job.id


def claim(
    catalog: Catalog, worker_id: str, kinds: Sequence[str] | None, lease_s: float
) -> ClaimedJob | None:
    """Take the oldest runnable job of `kinds` (all kinds if None), or None if there is none.

    Runnable: queued and due, or running under a lease that has expired (its worker died)
    with attempts left. The claim counts an attempt; a job whose workers died on every one of
    its attempts is parked here, since no worker is left to record a failure.
    """
    now = utcnow()
    claimable = or_(
        and_(Job.state == JobState.QUEUED, Job.run_after <= now),
        and_(_expired(now), Job.attempts < Job.max_attempts),
    )
    candidate = select(Job.id).where(claimable)
    if kinds is not None:
        candidate = candidate.where(Job.kind.in_(list(kinds)))
    candidate = candidate.order_by(Job.run_after, Job.id).limit(1)
    candidate = candidate.with_for_update(skip_locked=True)
    expires = now + timedelta(seconds=lease_s)
    statement = (
        update(Job)
        .where(Job.id == candidate.scalar_subquery(), claimable)
        .values(
            state=JobState.RUNNING,
            attempts=Job.attempts + 1,
            lease_owner=worker_id,
            lease_expires_at=expires,
            progress=None,
            updated_at=now,
        )
        .returning(Job.id, Job.kind, Job.asset_id, Job.payload, Job.attempts)
        .execution_options(synchronize_session=False)
    )
    with catalog.session() as session:
        _park_abandoned(session, now)
        row = session.execute(statement).first()
    if row is None:
        return None
    return ClaimedJob(
        id=row.id,
        kind=row.kind,
        asset_id=row.asset_id,
        payload=dict(row.payload or {}),
        attempts=row.attempts,
        lease_owner=worker_id,
        lease_expires_at=expires,
    )


def _expired(now: datetime) -> ColumnElement[bool]:
    return and_(Job.state == JobState.RUNNING, Job.lease_expires_at < now)


def _park_abandoned(session: Session, now: datetime) -> None:
    """Park the jobs whose worker died on their last attempt: one conditional UPDATE."""
    session.execute(
        update(Job)
        .where(_expired(now), Job.attempts >= Job.max_attempts)
        .values(
            state=JobState.PARKED,
            error=literal("its worker stopped before finishing (lease expired) on every one of ")
            + cast(Job.attempts, String)
            + literal(" attempts; the last was ")
            + func.coalesce(Job.lease_owner, "?"),
            lease_owner=None,
            lease_expires_at=None,
            run_after=now,
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )


def renew(catalog: Catalog, job_id: int, worker_id: str, lease_s: float) -> bool:
    """Extend the lease; False if it was lost (taken over, cancelled): stop recording."""
    now = utcnow()
    return _held_update(
        catalog, job_id, worker_id,
        lease_expires_at=now + timedelta(seconds=lease_s), updated_at=now,
    )  # fmt: skip


def lease_state(session: Session, job_id: int, worker_id: str, lease_s: float) -> LeaseState:
    """Renew the lease inside `session`'s transaction if it is still held; else say why not
    (cancelled by a person, with nobody else on it; or anything else: taken). The UPDATE
    locks the job's row until the transaction ends, so a claim cannot slip in between."""
    now = utcnow()
    renewed = session.execute(
        update(Job)
        .where(_held(job_id, worker_id))
        .values(lease_expires_at=now + timedelta(seconds=lease_s), updated_at=now)
        .returning(Job.id)
        .execution_options(synchronize_session=False)
    ).first()
    if renewed is not None:
        return LeaseState.HELD
    row = session.execute(select(Job.state, Job.lease_owner).where(Job.id == job_id)).first()
    if row is not None and row.state == JobState.CANCELLED and row.lease_owner is None:
        return LeaseState.CANCELLED
    return LeaseState.TAKEN


def record_progress(catalog: Catalog, job_id: int, worker_id: str, fraction: float) -> bool:
    """Note how far the running job is (0 to 1), for people watching; False if the lease was
    lost. The lease is not renewed here: that stays the lease keeper's business."""
    return _held_update(catalog, job_id, worker_id, progress=min(max(fraction, 0.0), 1.0))


def note_cancelled(catalog: Catalog, job_id: int, note: str) -> bool:
    """Say on a cancelled job where its worker stopped (and so what was already done);
    False if the job is not one a person cancelled."""
    with catalog.session() as session:
        noted = session.execute(
            update(Job)
            .where(Job.id == job_id, Job.state == JobState.CANCELLED, Job.lease_owner.is_(None))
            .values(error=note, updated_at=utcnow())
            .returning(Job.id)
            .execution_options(synchronize_session=False)
        ).first()
    return noted is not None


def complete(catalog: Catalog, job_id: int, worker_id: str, result: dict[str, Any]) -> bool:
    """Record the job done with its result; False (nothing written) if the lease was lost.

    The lease owner is kept on a done job: it says which worker ran it.
    """
    return _held_update(
        catalog, job_id, worker_id,
        state=JobState.DONE, result=result, error=None, lease_expires_at=None,
        updated_at=utcnow(),
    )  # fmt: skip


def release(catalog: Catalog, job_id: int, worker_id: str) -> bool:
    """Hand a job back untouched (a worker stopping before it began, or told to drop it):
    queued, due now, its attempt given back. False if the lease was already lost."""
    now = utcnow()
    return _held_update(
        catalog, job_id, worker_id,
        state=JobState.QUEUED, attempts=_given_back(), lease_owner=None, lease_expires_at=None,
        run_after=now, updated_at=now,
    )  # fmt: skip


def defer(catalog: Catalog, job_id: int, worker_id: str, until: datetime, reason: str) -> bool:
    """Put a job off until `until` (a quota reset), not as a failure: queued again, due then,
    `reason` kept as its error, its attempt given back. False if the lease was lost."""
    return _held_update(
        catalog, job_id, worker_id,
        state=JobState.QUEUED, attempts=_given_back(), error=reason, lease_owner=None,
        lease_expires_at=None, run_after=until, updated_at=utcnow(),
    )  # fmt: skip


def _given_back() -> ColumnElement[int]:
    return case((Job.attempts > 0, Job.attempts - 1), else_=0)


def backoff_s(attempts: int, base_s: float = BACKOFF_BASE_S, cap_s: float = BACKOFF_CAP_S) -> float:
    """Seconds before the next try after `attempts` failures: doubling, capped."""
    return float(min(cap_s, base_s * 2 ** max(attempts - 1, 0)))


def fail(
    catalog: Catalog,
    job_id: int,
    worker_id: str,
    error: str,
    *,
    permanent: bool = False,
    base_s: float = BACKOFF_BASE_S,
    cap_s: float = BACKOFF_CAP_S,
) -> JobState | None:
    """Record a failed attempt (counted when it was claimed): queued again after a backoff,
    or parked for a person once `max_attempts` is reached (at once if `permanent`). None if
    the lease was lost."""
    now = utcnow()
    with catalog.session() as session:
        counted = session.execute(
            update(Job)
            .where(_held(job_id, worker_id))
            .values(error=error, lease_expires_at=None, updated_at=now)
            .returning(Job.attempts, Job.max_attempts)
            .execution_options(synchronize_session=False)
        ).first()
        if counted is None:
            return None
        attempts, max_attempts = counted
        if permanent or attempts >= max_attempts:
            state, run_after = JobState.PARKED, now
        else:
            state, run_after = (
                JobState.QUEUED,
                now + timedelta(seconds=backoff_s(attempts, base_s, cap_s)),
            )
        session.execute(
            update(Job)
            .where(Job.id == job_id)
            .values(state=state, run_after=run_after, lease_owner=None)
            .execution_options(synchronize_session=False)
        )
    return state


def retry(catalog: Catalog, job_id: int) -> dict[str, Any]:
    """Queue a parked, failed or cancelled job again, due now, with its attempts reset."""
    return _person_changes(
        catalog, job_id, RETRYABLE, "retried",
        state=JobState.QUEUED, attempts=0, run_after=utcnow(), lease_owner=None,
        lease_expires_at=None,
    )  # fmt: skip


def cancel(catalog: Catalog, job_id: int) -> dict[str, Any]:
    """Cancel a job that is not done; a worker running it loses its lease and records nothing."""
    return _person_changes(
        catalog, job_id, CANCELLABLE, "cancelled",
        state=JobState.CANCELLED, lease_owner=None, lease_expires_at=None,
    )  # fmt: skip


def _held(job_id: int, worker_id: str) -> ColumnElement[bool]:
    return and_(Job.id == job_id, Job.lease_owner == worker_id, Job.state == JobState.RUNNING)


def _held_update(catalog: Catalog, job_id: int, worker_id: str, **values: Any) -> bool:
    with catalog.session() as session:
        done = session.execute(
            update(Job)
            .where(_held(job_id, worker_id))
            .values(**values)
            .returning(Job.id)
            .execution_options(synchronize_session=False)
        ).first()
    return done is not None


def _person_changes(
    catalog: Catalog, job_id: int, allowed: Sequence[JobState], verb: str, **values: Any
) -> dict[str, Any]:
    with catalog.session() as session:
        changed = session.execute(
            update(Job)
            .where(Job.id == job_id, Job.state.in_(list(allowed)))
            .values(updated_at=utcnow(), **values)
            .returning(Job.id)
            .execution_options(synchronize_session=False)
        ).first()
        if changed is None:
            job = session.get(Job, job_id)
            if job is None:
                raise NotFoundError(f"job {job_id}", "see 'media-hub jobs list'")
            raise JobStateError(f"job {job_id} is {job.state} and cannot be {verb}")
    return show_job(catalog, job_id)


def _same_asset(asset_id: int | None) -> ColumnElement[bool]:
    return Job.asset_id.is_(None) if asset_id is None else Job.asset_id == asset_id


def _serialize_enqueue(session: Session, kind: str, asset_id: int | None) -> None:
    """Make concurrent enqueues of the same step take turns, so the check-then-insert holds.

    PostgreSQL: a transaction-scoped advisory lock on the step. SQLite: an UPDATE that
    matches nothing still takes the write lock, which the transaction keeps until it ends.
    """
    if session.get_bind().dialect.name == "postgresql":
        digest = hashlib.sha256(json.dumps([kind, asset_id]).encode()).digest()
        key = int.from_bytes(digest[:8], "big", signed=True)
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
    else:
        session.execute(
            update(Job).where(Job.id == -1).values(kind=Job.kind),
            execution_options={"synchronize_session": False},
        )

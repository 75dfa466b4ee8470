"""Jobs as people and scripts read them: listed, shown, counted, and why a queued job waits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from media_hub.catalog.db import Catalog
from media_hub.catalog.pipeline_models import Job
from media_hub.catalog.types import utcnow
from media_hub.catalog.vocabulary import JobState
from media_hub.errors import NotFoundError
from media_hub.platforms import registry

QUOTA_MARK = "quota: "  # starts the error of a job deferred until a quota reset


def list_jobs(
    catalog: Catalog,
    *,
    states: Sequence[JobState] = (),
    kinds: Sequence[str] = (),
    asset_id: int | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Jobs as plain records, newest first."""
    query = select(Job).order_by(Job.id.desc())
    if states:
        query = query.where(Job.state.in_(list(states)))
    if kinds:
        query = query.where(Job.kind.in_(list(kinds)))
    if asset_id is not None:
        query = query.where(Job.asset_id == asset_id)
    if limit is not None:
        query = query.limit(limit)
    with catalog.session() as session:
        return [job_record(job) for job in session.scalars(query)]


def show_job(catalog: Catalog, job_id: int) -> dict[str, Any]:
    with catalog.session() as session:
        job = session.get(Job, job_id)
        if job is None:
            raise NotFoundError(f"job {job_id}", "see 'media-hub jobs list'")
        return job_record(job)


def count_by_state(catalog: Catalog) -> dict[str, int]:
    with catalog.session() as session:
        rows = session.execute(select(Job.state, func.count()).group_by(Job.state))
        return {str(state): int(count) for state, count in rows}


def job_record(job: Job) -> dict[str, Any]:
    """A job as plain data. `attempts`: the tries so far, each claim by a worker, those whose
    worker died included; `waiting`: why a queued job is not due yet (a quota reset), or None."""
    return {
        "id": job.id,
        "kind": job.kind,
        "asset_id": job.asset_id,
        "state": str(job.state),
        "attempts": job.attempts,
        "max_attempts": job.max_attempts,
        "run_after": _iso(job.run_after),
        "lease_owner": job.lease_owner,
        "lease_expires_at": _iso(job.lease_expires_at),
        "payload": job.payload,
        "result": job.result,
        "error": job.error,
        "progress": job.progress,
        "created_at": _iso(job.created_at),
        "updated_at": _iso(job.updated_at),
        "waiting": quota_wait(job.state, job.run_after, job.error, utcnow()),
    }


def quota_wait(state: str, run_after: datetime, error: str | None, now: datetime) -> str | None:
    """'waiting for the quota reset at ...' for a job deferred by `defer` and not yet due.

    Each platform's quota resets at a midnight of its own zone, so the reset is shown in
    that zone.
    """
    if state != JobState.QUEUED or run_after <= now or not (error or "").startswith(QUOTA_MARK):
        return None
    service = (error or "")[len(QUOTA_MARK) :].split(":", 1)[0]
    platform = registry.by_label(service)
    zone, name = (platform.quota_zone, platform.quota_zone_name) if platform else (UTC, "UTC")
    return f"waiting for the quota reset at {run_after.astimezone(zone):%Y-%m-%d %H:%M} {name}"


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None

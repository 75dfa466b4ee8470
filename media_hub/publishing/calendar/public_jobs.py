"""The `calendar-public` jobs of platforms without a schedule of their own: one per booked
publication, due at its slot; moving the booking moves the job, unscheduling cancels it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from media_hub.catalog.pipeline_models import Job
from media_hub.catalog.vocabulary import JobState
from media_hub.hub import Hub
from media_hub.jobs.going_public import KIND
from media_hub.jobs.queue import enqueue

WAITING = (JobState.QUEUED, JobState.FAILED)


def queue_public(hub: Hub, asset_id: int, platform: str, at: datetime) -> int:
    """The job that makes the publication public at `at` (the same one if queued)."""
    payload = {"asset_id": asset_id, "platform": platform}
    return enqueue(hub.db, KIND, payload, asset_id, run_after=at)


def move(hub: Hub, asset_id: int, platform: str, at: datetime | None) -> None:
    """The waiting job moved to `at`, or cancelled (None); a job already running is left
    to finish."""
    with hub.db.session() as session:
        jobs = session.scalars(
            select(Job).where(Job.kind == KIND, Job.asset_id == asset_id, Job.state.in_(WAITING))
        )
        for job in jobs:
            if job.payload.get("platform") != platform:
                continue
            if at is None:
                job.state = JobState.CANCELLED
            else:
                job.run_after = at

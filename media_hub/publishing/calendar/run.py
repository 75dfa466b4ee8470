"""`calendar run`: the calendar's due work, idempotent, safe to call from cron every few
minutes on a hub without workers (workers run the `calendar-public` jobs themselves).

1. Upload ahead: each booking whose upload day has come (the platform's quota day before
   its slot's) is uploaded private; YouTube gets `status.publishAt` with it and goes public
   by itself, other platforms get a `calendar-public` job due at the slot.
2. Make public: on platforms without a schedule, each booking whose slot has come.
3. Confirm: the uploaded, scheduled YouTube videos are read (videos.list, 1 unit per 50
   a run) and recorded live once YouTube shows them public: the platform's clock decides,
   and a video someone published early in YouTube Studio is seen too.

Every step goes through the same resumable, never-twice uploads as `upload`: a run killed
between a video's upload and its record finds the video through its upload session and
records it, schedule included, in the next run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from media_hub.catalog.pipeline_models import Publication
from media_hub.catalog.vocabulary import PublicationState
from media_hub.errors import MediaHubError, QuotaError
from media_hub.hub import Hub
from media_hub.jobs.going_public import go_public
from media_hub.platforms import registry
from media_hub.platforms.publisher import Publisher, UploadOptions
from media_hub.publishing.calendar.plan import upload_day
from media_hub.publishing.calendar.public_jobs import queue_public

MIN_LEAD = timedelta(minutes=15)  # YouTube refuses a publishAt that is not in the future


@dataclass
class CalendarRun:
    uploaded: list[tuple[int, str]] = field(default_factory=list)  # (asset, platform)
    made_public: list[tuple[int, str]] = field(default_factory=list)
    went_live: list[tuple[int, str]] = field(default_factory=list)
    failures: list[tuple[int, str, MediaHubError]] = field(default_factory=list)
    waiting: int = 0  # bookings whose upload day has not come

    @property
    def failed(self) -> bool:
        return bool(self.failures)


def run_calendar(hub: Hub, now: datetime) -> CalendarRun:
    done = CalendarRun()
    _upload_ahead(hub, now, done)
    _make_public(hub, now, done)
    _confirm_live(hub, now, done)
    return done


def _bookings(hub: Hub) -> list[Publication]:
    with hub.db.session() as session:
        rows = list(
            session.scalars(
                select(Publication)
                .where(Publication.scheduled_at.is_not(None), Publication.live_at.is_(None))
                .order_by(Publication.scheduled_at, Publication.platform, Publication.asset_id)
            )
        )
        session.expunge_all()
    return rows


def _upload_ahead(hub: Hub, now: datetime, done: CalendarRun) -> None:
    stopped: set[str] = set()  # platforms whose quota ran out in this run
    publishers: dict[str, Publisher[Any]] = {}
    for row in _bookings(hub):
        if row.state == PublicationState.DONE or row.platform in stopped:
            continue
        assert row.scheduled_at is not None
        platform = registry.get(row.platform)
        if row.scheduled_at - now < MIN_LEAD:
            continue  # too late to upload: it shows as missed
        if upload_day(platform, row.scheduled_at, now) > now.astimezone(platform.quota_zone).date():
            done.waiting += 1
            continue
        publisher = publishers.setdefault(row.platform, platform.publisher(hub))
        options = UploadOptions(
            privacy="private", publish_at=row.scheduled_at if platform.schedules_itself else None
        )
        try:
            with platform.reaching(hub):
                published = publisher.publish_asset(row.asset_id, options)
        except MediaHubError as exc:
            done.failures.append((row.asset_id, row.platform, exc))
            if isinstance(exc, QuotaError):
                stopped.add(row.platform)
            continue
        if not platform.schedules_itself:
            _keep_schedule(hub, row.id, row.scheduled_at)
            queue_public(hub, row.asset_id, row.platform, row.scheduled_at)
        if published.uploaded_now or published.finished:
            done.uploaded.append((row.asset_id, row.platform))


def _keep_schedule(hub: Hub, publication_id: int, at: datetime) -> None:
    """A platform without a schedule recorded no time with the upload: the booking's stays."""
    with hub.db.session() as session:
        stored = session.get(Publication, publication_id)
        if stored is not None and stored.scheduled_at is None:
            stored.scheduled_at = at


def _make_public(hub: Hub, now: datetime, done: CalendarRun) -> None:
    for row in _bookings(hub):
        platform = registry.get(row.platform)
        if platform.schedules_itself or row.remote_id is None:
            continue
        assert row.scheduled_at is not None
        if row.scheduled_at > now:
            continue
        try:
            if go_public(hub, row.asset_id, row.platform, now):
                done.made_public.append((row.asset_id, row.platform))
        except MediaHubError as exc:
            done.failures.append((row.asset_id, row.platform, exc))


def _confirm_live(hub: Hub, now: datetime, done: CalendarRun) -> None:
    due: dict[str, list[Publication]] = {}
    for row in _bookings(hub):
        assert row.scheduled_at is not None
        platform = registry.get(row.platform)
        if row.remote_id is not None and platform.schedules_itself:
            due.setdefault(row.platform, []).append(row)
    for name, rows in due.items():
        try:
            privacy = registry.get(name).privacy_now(hub, [str(row.remote_id) for row in rows])
        except MediaHubError as exc:
            done.failures += [(row.asset_id, name, exc) for row in rows]
            continue
        with hub.db.session() as session:
            for row in rows:
                if privacy.get(str(row.remote_id)) != "public":
                    continue
                stored = session.get(Publication, row.id)
                if stored is not None and stored.live_at is None:
                    stored.privacy = "public"
                    at = stored.scheduled_at
                    stored.live_at = at if at is not None and at <= now else now
                    done.went_live.append((row.asset_id, name))

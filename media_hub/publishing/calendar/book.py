"""`calendar move` and `calendar unschedule`: a booking's time changed, or taken off.

A booking not uploaded yet changes in the catalog alone. An uploaded one changes on its
platform first: YouTube by `videos.update` of `status.publishAt` only; a platform without a
schedule of its own by moving the job that makes it public. A publication already live
cannot be moved or unscheduled; a time in the past is refused. Each refusal is one line and
changes nothing. Each change is written to the audit log (publications are not audited rows),
under the asset, as `calendar.PLATFORM`, by `user` (the web app's signed-in person).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from media_hub.catalog.audit import USER_KEY
from media_hub.catalog.calendar_file import local_instant, read_calendar
from media_hub.catalog.models import AuditEntry
from media_hub.catalog.pipeline_models import Publication
from media_hub.catalog.publications import status_of
from media_hub.errors import UsageError, ValidationError
from media_hub.hub import Hub
from media_hub.platforms import registry
from media_hub.publishing.calendar import public_jobs


@dataclass(frozen=True)
class Rescheduled:
    asset_id: int
    platform: str
    before: datetime | None
    after: datetime | None
    on_platform: bool  # the platform was changed too (it had the upload)


def move(
    hub: Hub,
    asset_id: int,
    to: str,
    now: datetime,
    *,
    platform: str | None = None,
    user: str | None = None,
) -> Rescheduled:
    """The asset's booking moved to `to` (local time in the hub's zone, or with an offset)."""
    zone = read_calendar(hub.settings.definitions_dir).zone
    at = local_instant(to, zone, "--to")
    if at <= now:
        raise ValidationError(
            "--to", f"{at.astimezone(zone):%Y-%m-%d %H:%M} is in the past; give a later time"
        )
    return _change(hub, asset_id, at, now, platform, user)


def unschedule(
    hub: Hub, asset_id: int, now: datetime, *, platform: str | None = None, user: str | None = None
) -> Rescheduled:
    """The asset's booking taken off the calendar: not uploaded yet, it is forgotten;
    uploaded, it stays private on the platform without a time."""
    return _change(hub, asset_id, None, now, platform, user)


def _change(
    hub: Hub,
    asset_id: int,
    at: datetime | None,
    now: datetime,
    platform: str | None,
    user: str | None,
) -> Rescheduled:
    row = _booking(hub, asset_id, platform, now)
    record = f"asset {asset_id}"
    if at is not None:
        _free(hub, row.platform, at, asset_id)
    on_platform = row.remote_id is not None
    if on_platform:
        assert row.remote_id is not None
        chosen = registry.get(row.platform)
        if chosen.schedules_itself:
            chosen.reschedule(hub, row.remote_id, at)
        else:
            public_jobs.move(hub, asset_id, row.platform, at)
    with hub.db.session(user=user) as session:
        stored = session.get(Publication, row.id)
        if stored is None:
            raise ValidationError("publication", "it was removed meanwhile", record=record)
        before = stored.scheduled_at
        if at is None and stored.remote_id is None:
            session.delete(stored)  # a booking only: nothing was sent
        else:
            stored.scheduled_at = at
        session.add(
            AuditEntry(
                user=session.info[USER_KEY], record_type="asset", record_id=asset_id,
                version=None, action="update", field=f"calendar.{row.platform}",
                old_value=before.isoformat() if before else None,
                new_value=at.isoformat() if at else None,
            )
        )  # fmt: skip
    return Rescheduled(asset_id, row.platform, before, at, on_platform)


def _booking(hub: Hub, asset_id: int, platform: str | None, now: datetime) -> Publication:
    hub.catalog.show(asset_id)  # NotFoundError for an unknown asset
    record = f"asset {asset_id}"
    with hub.db.session() as session:
        query = select(Publication).where(Publication.asset_id == asset_id)
        if platform is not None:
            query = query.where(Publication.platform == platform)
        rows = list(session.scalars(query.order_by(Publication.platform)))
        session.expunge_all()
    live = [row for row in rows if status_of(row, now) in ("live", "due")]
    booked = [row for row in rows if row.scheduled_at is not None and row not in live]
    if not booked:
        if live:
            raise ValidationError(
                "calendar", f"it went live on {live[0].platform}; a live publication cannot "
                "be moved or unscheduled", record=record,
            )  # fmt: skip
        raise ValidationError(
            "calendar",
            "it has no booking; 'media-hub calendar plan --apply' books the slots",
            record=record,
        )
    if len(booked) > 1:
        names = ", ".join(row.platform for row in booked)
        raise UsageError("--platform", f"asset {asset_id} is booked on {names}; name one")
    return booked[0]


def _free(hub: Hub, platform: str, at: datetime, asset_id: int) -> None:
    with hub.db.session() as session:
        other = session.scalar(
            select(Publication.asset_id).where(
                Publication.platform == platform, Publication.scheduled_at == at,
                Publication.asset_id != asset_id,
            )
        )  # fmt: skip
    if other is not None:
        raise ValidationError(
            "--to",
            f"asset {other} is booked at that time on {platform}; move it first",
            record=f"asset {asset_id}",
        )

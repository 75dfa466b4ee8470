"""The local quota ledger: units spent per bucket per Pacific day, as Google counts them.

YouTube's quota day ends at midnight Pacific time. Recording each call here lets a batch stop
before the wall, tell the user when it resets, and (later) share the day's budget between
workers.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from media_hub.catalog.pipeline_models import QuotaEntry
from media_hub.platforms.youtube import YOUTUBE
from media_hub.platforms.youtube.clock import DAILY_UNITS, pacific_day

# Google's published costs (FACTS.md); videos.insert has a bucket of its own (calls, not units).
UPLOAD_BUCKET = "videos.insert"
DEFAULT_BUCKET = "default"
COSTS: dict[str, int] = {
    "videos.insert": 1,
    "videos.update": 50,
    "thumbnails.set": 50,
    "playlists.insert": 50,
    "playlists.update": 50,
    "playlistItems.insert": 50,
    "playlistItems.update": 50,
    "playlistItems.delete": 50,
    "captions.insert": 400,
    "captions.update": 450,
}
LIST_COST = 1
DAILY_LIMITS = {UPLOAD_BUCKET: 100, DEFAULT_BUCKET: DAILY_UNITS}


def cost(method: str) -> int:
    return COSTS.get(method, LIST_COST)


def bucket(method: str) -> str:
    return UPLOAD_BUCKET if method == "videos.insert" else DEFAULT_BUCKET


def record(session: Session, method: str, now: datetime | None = None) -> None:
    now = now or datetime.now(UTC)
    session.add(
        QuotaEntry(
            platform=YOUTUBE, bucket=bucket(method), day=pacific_day(now),
            method=method, units=cost(method), at=now,
        )
    )  # fmt: skip


def spent(session: Session, bucket_name: str, day: date) -> int:
    total = session.scalar(
        select(func.coalesce(func.sum(QuotaEntry.units), 0)).where(
            QuotaEntry.platform == YOUTUBE,
            QuotaEntry.bucket == bucket_name,
            QuotaEntry.day == day,
        )
    )
    return int(total or 0)

"""The local quota ledger: units spent per bucket per Pacific day, as Google counts them.

YouTube's quota day ends at midnight Pacific time. Recording each call here lets a batch stop
before the wall, tell the user when it resets, and share the day's budget between workers.

Each call is written ahead (`spending`): its full cost is committed, unconfirmed, before the
request is sent, and settled when the answer comes. A process that dies while a call is in
flight has still counted it, as YouTube has if the request got there: the ledger errs on the
side of spending. Google's quota page (developers.google.com/youtube/v3/determine_quota_cost,
read 2026-12) says "All API requests, including invalid requests, incur a quota cost of at
least one point": a call YouTube answered with an error is settled at that one unit, not the
method's full cost. A call whose answer never came (a dropped connection, a crash) keeps its
full cost and stays unconfirmed, since it may have been carried out.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime

from googleapiclient.errors import HttpError
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from media_hub import fence
from media_hub.catalog.db import Catalog
from media_hub.catalog.pipeline_models import QuotaEntry
from media_hub.platforms.youtube import YOUTUBE
from media_hub.platforms.youtube.clock import pacific_day
from media_hub.platforms.youtube.errors import reason_of
from media_hub.platforms.youtube.settings import youtube_settings
from media_hub.settings import Settings

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
REFUSED_COST = 1  # what any request costs at least, refused or invalid ones too
SPENT_REASONS = frozenset({"quotaExceeded", "dailyLimitExceeded"})
SPENT_MARK = "quotaExceeded"  # a ledger entry of 0 units: YouTube said the bucket is spent


def limits(settings: Settings) -> dict[str, int]:
    """The project's daily limits per bucket, as granted by Google (settings)."""
    granted = youtube_settings(settings)
    return {UPLOAD_BUCKET: granted.daily_uploads, DEFAULT_BUCKET: granted.daily_units}


def left(session: Session, bucket_name: str, day: date, limit: int) -> int:
    """What the bucket has left that day: the limit less what was spent, or nothing once
    YouTube has refused a call for quota that day."""
    marked = session.scalar(
        select(QuotaEntry.id).where(
            QuotaEntry.platform == YOUTUBE, QuotaEntry.bucket == bucket_name,
            QuotaEntry.day == day, QuotaEntry.method == SPENT_MARK,
        ).limit(1)
    )  # fmt: skip
    return 0 if marked is not None else max(0, limit - spent(session, bucket_name, day))


def cost(method: str) -> int:
    return COSTS.get(method, LIST_COST)


def bucket(method: str) -> str:
    return UPLOAD_BUCKET if method == "videos.insert" else DEFAULT_BUCKET


@contextmanager
def spending(catalog: Catalog, method: str) -> Iterator[None]:
    """Count one call of `method`, sent inside the block, in the ledger: written ahead at its
    full cost, confirmed when the block ends, cut to `REFUSED_COST` when YouTube answers it
    with an error (HttpError), left unconfirmed at full cost when no answer came. In a
    worker's job, the job's lease is confirmed first: every YouTube call passes here."""
    fence.confirm(f"calling YouTube's {method}")
    entry_id = _write_ahead(catalog, method)
    try:
        yield
    except HttpError as exc:
        if reason_of(exc) in SPENT_REASONS:  # refused for quota: it spent nothing, and the day
            _settle(catalog, entry_id, 0)  # is over sooner than the ledger thought
            _mark_spent(catalog, method)
        else:
            _settle(catalog, entry_id, REFUSED_COST)
        raise
    _settle(catalog, entry_id, None)


def _mark_spent(catalog: Catalog, method: str) -> None:
    """YouTube says the bucket is spent for today: trust it over the ledger's count (a
    project's real quota can be lower than the setting, or another client spends it too)."""
    now = datetime.now(UTC)
    with catalog.session() as session:
        session.add(
            QuotaEntry(
                platform=YOUTUBE, bucket=bucket(method), day=pacific_day(now), method=SPENT_MARK,
                units=0, at=now, confirmed=True,
            )
        )  # fmt: skip


def _write_ahead(catalog: Catalog, method: str) -> int:
    """The call's entry, committed in a session of its own before anything is sent."""
    now = datetime.now(UTC)
    entry = QuotaEntry(
        platform=YOUTUBE, bucket=bucket(method), day=pacific_day(now), method=method,
        units=cost(method), at=now, confirmed=False,
    )  # fmt: skip
    with catalog.session() as session:
        session.add(entry)
        session.flush()
        return entry.id


def _settle(catalog: Catalog, entry_id: int, units: int | None) -> None:
    values: dict[str, object] = {"confirmed": True}
    if units is not None:
        values["units"] = units
    with catalog.session() as session:
        session.execute(update(QuotaEntry).where(QuotaEntry.id == entry_id).values(**values))


def spent(session: Session, bucket_name: str, day: date) -> int:
    """Units spent in the bucket that day, unconfirmed calls included (they may have landed)."""
    total = session.scalar(
        select(func.coalesce(func.sum(QuotaEntry.units), 0)).where(
            QuotaEntry.platform == YOUTUBE,
            QuotaEntry.bucket == bucket_name,
            QuotaEntry.day == day,
        )
    )
    return int(total or 0)

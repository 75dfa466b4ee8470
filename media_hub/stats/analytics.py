"""The stored daily numbers (Analytics) of each playlist, summed over a period and kept day
by day for the chart: a period needs no pull at its ends, only its days stored."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from media_hub.catalog.pipeline_models import StatsRow


@dataclass(frozen=True)
class PlaylistAnalytics:
    """A playlist's days in the period: views, watch time and starts summed; the average view
    duration weighted by views.

    `views` counts the playlist's videos viewed anywhere (Analytics' `views` filtered by the
    playlist, since Google's January 2024 change); `playlist_views` only those viewed inside
    the playlist (`playlistViews`).
    """

    days: int
    first_day: date
    last_day: date
    views: int
    watch_minutes: float
    playlist_starts: int
    playlist_views: int = 0

    @property
    def average_view_seconds(self) -> float:
        return self.watch_minutes * 60 / self.views if self.views else 0.0


@dataclass(frozen=True)
class Day:
    """One stored day of one playlist."""

    views: int
    watch_minutes: float
    playlist_starts: int
    playlist_views: int


def stored_days(
    session: Session, since: date | None, until: date | None
) -> dict[tuple[int, date], Day]:
    """(catalog playlist id, day) -> its numbers, from `since` to `until` (both included).

    Each day is stored once; should two pulls running at once both have stored one, the
    later snapshot's row is the one counted.
    """
    statement = (
        select(StatsRow.playlist_id, StatsRow.day, StatsRow.views, StatsRow.watch_minutes,
               StatsRow.playlist_starts, StatsRow.playlist_views)
        .where(StatsRow.day.is_not(None), StatsRow.playlist_id.is_not(None))
        .order_by(StatsRow.snapshot_id)
    )  # fmt: skip
    if since is not None:
        statement = statement.where(StatsRow.day >= since)
    if until is not None:
        statement = statement.where(StatsRow.day <= until)
    days: dict[tuple[int, date], Day] = {}
    for playlist_id, day, views, minutes, starts, in_playlist in session.execute(statement):
        if playlist_id is not None and day is not None:
            days[playlist_id, day] = Day(int(views), float(minutes), int(starts), int(in_playlist))
    return days


def summed(days: dict[tuple[int, date], Day]) -> dict[int, PlaylistAnalytics]:
    """Catalog playlist id -> its days summed."""
    by_playlist: dict[int, list[tuple[date, Day]]] = defaultdict(list)
    for (playlist_id, day), numbers in days.items():
        by_playlist[playlist_id].append((day, numbers))
    sums: dict[int, PlaylistAnalytics] = {}
    for playlist_id, rows in by_playlist.items():
        dates = [day for day, _ in rows]
        sums[playlist_id] = PlaylistAnalytics(
            len(rows), min(dates), max(dates),
            sum(n.views for _, n in rows), sum(n.watch_minutes for _, n in rows),
            sum(n.playlist_starts for _, n in rows), sum(n.playlist_views for _, n in rows),
        )  # fmt: skip
    return sums


def playlist_analytics(
    session: Session, since: date | None, until: date | None
) -> dict[int, PlaylistAnalytics]:
    """Catalog playlist id -> its days from `since` to `until` (both included), summed."""
    return summed(stored_days(session, since, until))

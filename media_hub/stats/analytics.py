"""The stored daily numbers (Analytics) of each playlist, summed over a period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from media_hub.catalog.pipeline_models import StatsRow


@dataclass(frozen=True)
class PlaylistAnalytics:
    """A playlist's days in the period: views, watch time and starts summed; the average view
    duration weighted by views."""

    days: int
    first_day: date
    last_day: date
    views: int
    watch_minutes: float
    playlist_starts: int

    @property
    def average_view_seconds(self) -> float:
        return self.watch_minutes * 60 / self.views if self.views else 0.0


def playlist_analytics(
    session: Session, since: date | None, until: date | None
) -> dict[int, PlaylistAnalytics]:
    """Catalog playlist id -> its days from `since` to `until` (both included).

    Each day is stored once; should two pulls running at once both have stored one, the
    later snapshot's row is the one counted.
    """
    statement = (
        select(StatsRow.playlist_id, StatsRow.day, StatsRow.views, StatsRow.watch_minutes,
               StatsRow.playlist_starts)
        .where(StatsRow.day.is_not(None), StatsRow.playlist_id.is_not(None))
        .order_by(StatsRow.snapshot_id)
    )  # fmt: skip
    if since is not None:
        statement = statement.where(StatsRow.day >= since)
    if until is not None:
        statement = statement.where(StatsRow.day <= until)
    days: dict[tuple[int, date], tuple[int, float, int]] = {}
    for playlist_id, day, views, minutes, starts in session.execute(statement):
        if playlist_id is not None and day is not None:
            days[playlist_id, day] = (int(views), float(minutes), int(starts))
    sums: dict[int, PlaylistAnalytics] = {}
    for (playlist_id, day), (views, minutes, starts) in sorted(days.items()):
        was = sums.get(playlist_id)
        sums[playlist_id] = (
            PlaylistAnalytics(1, day, day, views, minutes, starts)
            if was is None
            else PlaylistAnalytics(
                was.days + 1, was.first_day, day, was.views + views,
                was.watch_minutes + minutes, was.playlist_starts + starts,
            )
        )  # fmt: skip
    return sums

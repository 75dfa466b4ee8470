"""Writing a pull into the catalog: one snapshot row and all its counts, in one transaction.

A snapshot holds three kinds of `StatsRow`:

- an asset's lifetime counters (`asset_id`, no playlist, no day);
- the same counters once more for each playlist the asset was in at that pull
  (`asset_id` and `playlist_id`), so a playlist's totals are a sum over its own rows;
- a playlist's Analytics numbers for one day (`playlist_id` and `day`, no asset), stored once:
  the first pull that reads a day keeps it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from media_hub.catalog.pipeline_models import StatsRow, StatsSnapshot
from media_hub.platforms.stats_source import PlaylistDay, StatsReading

INSERT_BATCH = 5_000


@dataclass
class PendingSnapshot:
    """A pull read into memory, not yet written: the platforms' readings, by platform name."""

    taken_at: datetime
    readings: dict[str, StatsReading] = field(default_factory=dict)

    @property
    def units(self) -> int:
        return sum(reading.units for reading in self.readings.values())


def stored_days(session: Session) -> dict[int, date]:
    """The last Analytics day stored for each playlist."""
    rows = session.execute(
        select(StatsRow.playlist_id, func.max(StatsRow.day))
        .where(StatsRow.day.is_not(None), StatsRow.playlist_id.is_not(None))
        .group_by(StatsRow.playlist_id)
    )
    return {int(playlist): day for playlist, day in rows if playlist is not None and day}


def write_snapshot(session: Session, pending: PendingSnapshot) -> tuple[int, int]:
    """Insert the snapshot and its rows; (snapshot id, Analytics days written).

    Runs inside the caller's transaction: an error or an interruption anywhere leaves no
    snapshot. Days another pull stored meanwhile are left out, so each day is kept once.
    """
    snapshot = StatsSnapshot(taken_at=pending.taken_at, units_spent=pending.units)
    session.add(snapshot)
    session.flush()
    rows = _count_rows(snapshot.id, pending)
    last = stored_days(session)
    new_days = [
        _day_row(snapshot.id, platform, playlist_id, day)
        for platform, reading in sorted(pending.readings.items())
        for playlist_id, days in sorted(reading.days.items())
        for day in days
        if playlist_id not in last or day.day > last[playlist_id]
    ]
    rows += new_days
    for start in range(0, len(rows), INSERT_BATCH):
        session.execute(insert(StatsRow), rows[start : start + INSERT_BATCH])
    return snapshot.id, len(new_days)


def _count_rows(snapshot_id: int, pending: PendingSnapshot) -> list[dict[str, Any]]:
    """An asset's counters once per platform, then again for each playlist it is in there."""
    by_asset = {
        (asset_id, platform): asdict(counts)
        for platform, reading in pending.readings.items()
        for asset_id, counts in reading.counts.items()
    }
    rows = [
        _row(snapshot_id, platform=platform, asset_id=asset_id, playlist_id=None, **counts)
        for (asset_id, platform), counts in sorted(by_asset.items())
    ]
    for platform, reading in sorted(pending.readings.items()):
        for playlist_id, assets in sorted(reading.members.items()):
            rows += [
                _row(snapshot_id, platform=platform, asset_id=asset_id, playlist_id=playlist_id,
                     **by_asset[asset_id, platform])
                for asset_id in sorted(set(assets))
                if (asset_id, platform) in by_asset
            ]  # fmt: skip
    return rows


def _row(snapshot_id: int, **values: Any) -> dict[str, Any]:
    """Every column given, so that one executemany statement covers all the rows."""
    return {
        "snapshot_id": snapshot_id, "day": None, "views": 0, "likes": 0, "comments": 0,
        "downloads": 0, "favorites": 0, "watch_minutes": 0.0, "average_view_seconds": 0.0,
        "playlist_starts": 0, "playlist_views": 0, "unique_viewers": 0, "reactions": 0,
        "shares": 0, **values,
    }  # fmt: skip


def _day_row(snapshot_id: int, platform: str, playlist_id: int, day: PlaylistDay) -> dict[str, Any]:
    return _row(
        snapshot_id, platform=platform, asset_id=None, playlist_id=playlist_id,
        day=day.day, views=day.views, watch_minutes=day.watch_minutes,
        average_view_seconds=day.average_view_seconds, playlist_starts=day.playlist_starts,
        playlist_views=day.playlist_views,
    )  # fmt: skip

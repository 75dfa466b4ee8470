"""Writing a pull into the catalog: one snapshot row and all its counts, in one transaction.

A snapshot holds three kinds of `StatsRow`:

- an asset's lifetime counters (`asset_id`, no playlist, no day);
- the same counters once more for each playlist the asset was in at that pull
  (`asset_id` and `playlist_id`), so a playlist's totals are a sum over its own rows;
- a playlist's Analytics numbers for one day (`playlist_id` and `day`, no asset), stored once:
  the first pull that reads a day keeps it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from media_hub.catalog.pipeline_models import StatsRow, StatsSnapshot
from media_hub.catalog.vocabulary import Platform
from media_hub.platforms.stats_source import DeckCounts, PlaylistDay, VideoCounts

INSERT_BATCH = 5_000


@dataclass
class PendingSnapshot:
    """A pull read into memory, not yet written."""

    taken_at: datetime
    videos: dict[int, VideoCounts] = field(default_factory=dict)  # asset id ->
    decks: dict[int, DeckCounts] = field(default_factory=dict)  # asset id ->
    members: dict[int, list[int]] = field(default_factory=dict)  # playlist id -> asset ids
    days: dict[int, list[PlaylistDay]] = field(default_factory=dict)  # playlist id ->
    units: int = 0


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
        _day_row(snapshot.id, playlist_id, day)
        for playlist_id, days in sorted(pending.days.items())
        for day in days
        if playlist_id not in last or day.day > last[playlist_id]
    ]
    rows += new_days
    for start in range(0, len(rows), INSERT_BATCH):
        session.execute(insert(StatsRow), rows[start : start + INSERT_BATCH])
    return snapshot.id, len(new_days)


def _count_rows(snapshot_id: int, pending: PendingSnapshot) -> list[dict[str, Any]]:
    by_asset: dict[int, dict[str, Any]] = {}
    for asset_id, video in pending.videos.items():
        by_asset[asset_id] = {
            "platform": Platform.YOUTUBE, "views": video.views, "likes": video.likes,
            "comments": video.comments,
        }  # fmt: skip
    for asset_id, deck in pending.decks.items():
        by_asset[asset_id] = {
            "platform": Platform.SLIDESHARE, "views": deck.views, "downloads": deck.downloads,
            "favorites": deck.favorites, "comments": deck.comments,
        }  # fmt: skip
    rows = [
        _row(snapshot_id, asset_id=asset_id, playlist_id=None, **counts)
        for asset_id, counts in sorted(by_asset.items())
    ]
    for playlist_id, assets in sorted(pending.members.items()):
        rows += [
            _row(snapshot_id, asset_id=asset_id, playlist_id=playlist_id, **by_asset[asset_id])
            for asset_id in sorted(set(assets))
            if asset_id in by_asset
        ]
    return rows


def _row(snapshot_id: int, **values: Any) -> dict[str, Any]:
    """Every column given, so that one executemany statement covers all the rows."""
    return {
        "snapshot_id": snapshot_id, "day": None, "views": 0, "likes": 0, "comments": 0,
        "downloads": 0, "favorites": 0, "watch_minutes": 0.0, "average_view_seconds": 0.0,
        "playlist_starts": 0, **values,
    }  # fmt: skip


def _day_row(snapshot_id: int, playlist_id: int, day: PlaylistDay) -> dict[str, Any]:
    return _row(
        snapshot_id, platform=Platform.YOUTUBE, asset_id=None, playlist_id=playlist_id,
        day=day.day, views=day.views, watch_minutes=day.watch_minutes,
        average_view_seconds=day.average_view_seconds, playlist_starts=day.playlist_starts,
    )  # fmt: skip

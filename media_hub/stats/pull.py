"""`stats pull`: read every published asset's counters into one dated snapshot.

Each platform with something published on it is read first, into memory, by its own
`StatsReader`, in the fewest list calls it allows, daily numbers only for the days not
stored yet. Only then is the snapshot written, in one transaction, so an interrupted pull
leaves nothing behind and a rerun starts afresh. (Reading inside the transaction would also block on
SQLite: each list call writes the quota ledger.)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from media_hub import progress
from media_hub.catalog.db import Catalog
from media_hub.catalog.models import Asset, Playlist, PlaylistItem, PlaylistRemoteId
from media_hub.catalog.pipeline_models import Publication
from media_hub.catalog.vocabulary import AssetKind
from media_hub.errors import ConfigError, MediaHubError
from media_hub.hub import Hub
from media_hub.platforms import registry
from media_hub.platforms.base import Platform
from media_hub.platforms.stats_source import StatsReader, StatsTargets
from media_hub.stats.snapshots import PendingSnapshot, stored_days, write_snapshot

ReaderFactory = Callable[[], StatsReader]


@dataclass
class PullResult:
    """What a pull read, wrote and spent, over every platform read."""

    snapshot_id: int
    taken_at: datetime
    videos: int = 0
    decks: int = 0
    playlists: int = 0
    analytics_days: int = 0
    analytics_queries: int = 0
    analytics: bool = False  # whether any platform's daily playlist numbers could be read
    list_calls: dict[str, int] = field(default_factory=dict)  # calls by method, all platforms
    units: int = 0  # quota units, all platforms
    platform_calls: dict[str, dict[str, int]] = field(default_factory=dict)  # by method
    platform_units: dict[str, int] = field(default_factory=dict)  # platform -> units spent
    notes: list[str] = field(default_factory=list)  # what the platforms say of their reading
    missing: list[str] = field(default_factory=list)  # published, but gone from the platform


class PullInterruptedError(MediaHubError):
    """A platform failed midway: nothing was written; says what was spent."""

    def __init__(self, cause: MediaHubError, units: int) -> None:
        self.exit_status = cause.exit_status
        super().__init__(
            f"{cause}; no snapshot was written ({units} quota units spent); rerun "
            "'media-hub stats pull'"
        )


def pull_stats(
    catalog: Catalog,
    readers: Mapping[str, ReaderFactory | None],
    *,
    now: datetime | None = None,
) -> PullResult:
    """Read the platforms, then write one snapshot; a platform with nothing published on it
    is not contacted (its factory is not called)."""
    now = now or datetime.now(UTC)
    with catalog.session() as session:
        last_days = stored_days(session)
        targets = {name: read_targets(session, name, last_days) for name in readers}
        kinds = _published_kinds(session)
    pending = PendingSnapshot(taken_at=now)
    for name, factory in readers.items():
        wanted = targets[name]
        if not wanted.published and not wanted.playlists:
            continue
        if factory is None:
            label = registry.get(name).label
            raise ConfigError(f"assets are published on {label}, but {label} is not set up")
        reader = factory()
        try:
            with progress.step(f"reading the statistics of {registry.get(name).label}"):
                pending.readings[name] = reader.read(wanted, now)
        except MediaHubError as exc:
            raise PullInterruptedError(exc, pending.units + reader.units) from exc
    result = _result(pending, kinds)
    with catalog.session() as session:
        result.snapshot_id, result.analytics_days = write_snapshot(session, pending)
    return result


def read_targets(session: Session, platform: str, last_days: dict[int, date]) -> StatsTargets:
    """What the catalog has published on `platform`, and its playlists' ids and members."""
    published: dict[str, int] = {}
    published_at: dict[str, datetime] = {}
    for remote_id, asset_id, when in session.execute(
        select(Publication.remote_id, Publication.asset_id, Publication.published_at)
        .where(Publication.platform == platform, Publication.remote_id.is_not(None))
        .order_by(Publication.asset_id)
    ):
        published[str(remote_id)] = asset_id
        if when is not None:
            published_at[str(remote_id)] = when
    kinds = registry.get(platform).kinds if platform in registry.names() else frozenset()
    playlists = {
        playlist_id: str(remote_id)
        for playlist_id, remote_id in session.execute(
            select(Playlist.id, PlaylistRemoteId.remote_id)
            .join(PlaylistRemoteId)
            .where(Playlist.kind.in_(kinds), PlaylistRemoteId.platform == platform)
        )
    }
    members: dict[int, list[int]] = {}
    for playlist_id, asset_id in session.execute(
        select(PlaylistItem.playlist_id, PlaylistItem.asset_id)
        .join(Playlist, Playlist.id == PlaylistItem.playlist_id)
        .where(Playlist.kind.in_(kinds))
        .order_by(PlaylistItem.playlist_id, PlaylistItem.position)
    ):
        members.setdefault(playlist_id, []).append(asset_id)
    return StatsTargets(published, published_at, playlists, members, last_days)


def _published_kinds(session: Session) -> dict[int, AssetKind]:
    return {
        asset_id: AssetKind(kind)
        for asset_id, kind in session.execute(
            select(Asset.id, Asset.kind).join(Publication, Publication.asset_id == Asset.id)
        )
    }


def _result(pending: PendingSnapshot, kinds: Mapping[int, AssetKind]) -> PullResult:
    result = PullResult(snapshot_id=0, taken_at=pending.taken_at)
    counted: set[int] = set()
    for name, reading in pending.readings.items():
        counted |= set(reading.counts)
        result.playlists += len(reading.members)
        result.analytics = result.analytics or reading.analytics
        result.analytics_queries += reading.analytics_queries
        for method, count in reading.calls.items():
            result.list_calls[method] = result.list_calls.get(method, 0) + count
        result.units += reading.units
        result.platform_calls[name] = dict(sorted(reading.calls.items()))
        result.platform_units[name] = reading.units
        result.notes += reading.notes
        result.missing += reading.missing
    result.list_calls = dict(sorted(result.list_calls.items()))
    result.videos = sum(1 for asset_id in counted if kinds.get(asset_id) is AssetKind.VIDEO)
    result.decks = sum(1 for asset_id in counted if kinds.get(asset_id) is AssetKind.DECK)
    return result


def pull_hub(hub: Hub) -> PullResult:
    """A pull of every platform of the hub that keeps counters."""
    readers: dict[str, ReaderFactory | None] = {
        platform.name: _factory(platform, hub)
        for platform in registry.every()
        if platform.keeps_stats
    }
    return pull_stats(hub.db, readers)


def _factory(platform: Platform, hub: Hub) -> ReaderFactory:
    return lambda: platform.stats_reader(hub)

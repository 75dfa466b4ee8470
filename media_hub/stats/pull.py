"""`stats pull`: read every published video's and deck's counters into one dated snapshot.

The platforms are read first, into memory: videos.list part=statistics 50 ids per call, the
items of the catalog's YouTube playlists 50 per page, Analytics only for the days not stored
yet, SlideShare's detailed listing 100 per call. Only then is the snapshot written, in one
transaction, so an interrupted pull leaves nothing behind and a rerun starts afresh. (Reading
inside the transaction would also block on SQLite: each list call writes the quota ledger.)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from media_hub.catalog.db import Catalog
from media_hub.catalog.models import Playlist, PlaylistItem, PlaylistRemoteId
from media_hub.catalog.pipeline_models import Publication
from media_hub.catalog.vocabulary import AssetKind, Platform
from media_hub.errors import ConfigError, MediaHubError
from media_hub.hub import Hub
from media_hub.platforms.stats_source import DeckStatsSource, VideoStatsSource
from media_hub.platforms.youtube.quota import pacific_day
from media_hub.stats.snapshots import PendingSnapshot, stored_days, write_snapshot

FIRST_PULL_DAYS = 28  # Analytics days read for a playlist none of whose videos has a date


@dataclass(frozen=True)
class Targets:
    """What the catalog says is published, and the Analytics days already stored."""

    videos: dict[str, int]  # YouTube video id -> asset id
    published: dict[str, date]  # YouTube video id -> day published (Pacific), when known
    video_playlists: dict[int, str]  # catalog playlist id -> YouTube playlist id
    decks: dict[str, int]  # slideshow id -> asset id
    deck_members: dict[int, list[int]]  # catalog deck playlist id -> asset ids
    last_days: dict[int, date]  # catalog playlist id -> last Analytics day stored


@dataclass
class PullResult:
    """What a pull read, wrote and spent."""

    snapshot_id: int
    taken_at: datetime
    videos: int = 0
    decks: int = 0
    playlists: int = 0
    analytics_days: int = 0
    analytics_queries: int = 0
    analytics: bool = False  # whether the token could read Analytics
    list_calls: dict[str, int] = field(default_factory=dict)  # Data API calls by method
    units: int = 0  # Data API quota units
    slideshare_calls: int = 0
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
    youtube: Callable[[], VideoStatsSource] | None,
    slideshare: Callable[[], DeckStatsSource] | None,
    *,
    now: datetime | None = None,
) -> PullResult:
    """Read the platforms, then write one snapshot; a platform with nothing published on it
    is not contacted (its factory is not called)."""
    now = now or datetime.now(UTC)
    with catalog.session() as session:
        targets = read_targets(session)
    pending = PendingSnapshot(taken_at=now)
    result = PullResult(snapshot_id=0, taken_at=now)
    if targets.videos or targets.video_playlists:
        if youtube is None:
            raise ConfigError("videos are published on YouTube, but YouTube is not configured")
        source = youtube()
        try:
            _read_youtube(source, targets, pending, result, pacific_day(now))
        except MediaHubError as exc:
            raise PullInterruptedError(exc, source.units) from exc
    if targets.decks:
        if slideshare is None:
            raise ConfigError("decks are published on SlideShare, but SlideShare is not set up")
        deck_source = slideshare()
        try:
            _read_slideshare(deck_source, targets, pending, result)
        except MediaHubError as exc:
            raise PullInterruptedError(exc, pending.units) from exc
    with catalog.session() as session:
        result.snapshot_id, result.analytics_days = write_snapshot(session, pending)
    return result


def read_targets(session: Session) -> Targets:
    published = session.execute(
        select(Publication.platform, Publication.remote_id, Publication.asset_id,
               Publication.published_at)
        .where(Publication.remote_id.is_not(None))
        .order_by(Publication.asset_id)
    )  # fmt: skip
    videos: dict[str, int] = {}
    days: dict[str, date] = {}
    decks: dict[str, int] = {}
    for platform, remote_id, asset_id, published_at in published:
        if platform == Platform.YOUTUBE:
            videos[str(remote_id)] = asset_id
            if published_at is not None:
                days[str(remote_id)] = pacific_day(published_at)
        else:
            decks[str(remote_id)] = asset_id
    video_playlists = {
        playlist_id: str(youtube_id)
        for playlist_id, youtube_id in session.execute(
            select(Playlist.id, PlaylistRemoteId.remote_id)
            .join(PlaylistRemoteId)
            .where(Playlist.kind == AssetKind.VIDEO, PlaylistRemoteId.platform == Platform.YOUTUBE)
        )
    }
    deck_members: dict[int, list[int]] = {}
    for playlist_id, asset_id in session.execute(
        select(PlaylistItem.playlist_id, PlaylistItem.asset_id)
        .join(Playlist, Playlist.id == PlaylistItem.playlist_id)
        .where(Playlist.kind == AssetKind.DECK)
        .order_by(PlaylistItem.playlist_id, PlaylistItem.position)
    ):
        deck_members.setdefault(playlist_id, []).append(asset_id)
    return Targets(videos, days, video_playlists, decks, deck_members, stored_days(session))


def _read_youtube(
    source: VideoStatsSource,
    targets: Targets,
    pending: PendingSnapshot,
    result: PullResult,
    today: date,
) -> None:
    counts = source.video_counts(list(targets.videos))
    result.missing += sorted(set(targets.videos) - set(counts))
    pending.videos = {targets.videos[video_id]: n for video_id, n in counts.items()}
    yesterday = today - timedelta(days=1)  # YouTube's day ends at midnight Pacific
    for playlist_id, youtube_id in sorted(targets.video_playlists.items()):
        on_channel = source.playlist_videos(youtube_id)
        pending.members[playlist_id] = [
            targets.videos[video_id] for video_id in on_channel if video_id in counts
        ]
        if not source.has_analytics or not on_channel:
            continue
        start = _first_day(targets, playlist_id, on_channel, yesterday)
        if start <= yesterday:
            pending.days[playlist_id] = source.playlist_days(youtube_id, start, yesterday)
    pending.units = source.units
    result.analytics = source.has_analytics
    result.videos = len(pending.videos)
    result.playlists = len(pending.members)
    result.list_calls = dict(sorted(source.calls.items()))
    result.units = source.units
    result.analytics_queries = source.analytics_queries


def _first_day(targets: Targets, playlist_id: int, videos: list[str], yesterday: date) -> date:
    """The day after the last one stored, else the first day any of the videos was out."""
    last = targets.last_days.get(playlist_id)
    if last is not None:
        return last + timedelta(days=1)
    known = [targets.published[video_id] for video_id in videos if video_id in targets.published]
    return min(known) if known else yesterday - timedelta(days=FIRST_PULL_DAYS - 1)


def _read_slideshare(
    source: DeckStatsSource, targets: Targets, pending: PendingSnapshot, result: PullResult
) -> None:
    counts = source.deck_counts()
    result.missing += sorted(set(targets.decks) - set(counts))
    pending.decks = {
        asset_id: counts[deck_id]
        for deck_id, asset_id in targets.decks.items()
        if deck_id in counts
    }
    for playlist_id, assets in targets.deck_members.items():
        pending.members[playlist_id] = [a for a in assets if a in pending.decks]
    result.decks = len(pending.decks)
    result.playlists = len(pending.members)
    result.slideshare_calls = source.calls


def pull_hub(hub: Hub) -> PullResult:
    """A pull of the hub's configured YouTube channel and SlideShare account."""
    from media_hub.platforms.slideshare.stats import slideshare_stats_source
    from media_hub.platforms.youtube.stats import youtube_stats_source

    catalog = hub.catalog.catalog
    return pull_stats(
        catalog,
        lambda: youtube_stats_source(hub.settings, catalog),
        lambda: slideshare_stats_source(hub.settings),
    )

"""What a statistics pull reads from a platform: a `StatsReader` returning common counts.

Each platform's reader stands on one side (with its real client behind it), the pull on the
other; tests and the bench run the real clients against the sandbox.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol


@dataclass(frozen=True)
class VideoCounts:
    """A video's lifetime counters, as videos.list part=statistics shows them today."""

    views: int
    likes: int
    comments: int


@dataclass(frozen=True)
class DeckCounts:
    """A slideshow's lifetime counters, as SlideShare's detailed listing shows them."""

    views: int
    downloads: int
    favorites: int
    comments: int


@dataclass(frozen=True)
class PlaylistDay:
    """One day of a playlist in YouTube Analytics (days that have ended only).

    `views` is the playlist's videos viewed anywhere (what Analytics' `views` filtered by a
    playlist has counted since January 2024); `playlist_views` those viewed inside the playlist
    (`playlistViews`), `playlist_starts` the times someone started playing it.
    """

    day: date
    views: int
    watch_minutes: float
    average_view_seconds: float
    playlist_starts: int
    playlist_views: int = 0


class VideoStatsSource(Protocol):
    """YouTube, read as cheaply as its quota allows."""

    calls: Counter[str]  # Data API list calls made, by method
    analytics_queries: int  # Analytics reports.query calls (not Data API quota)

    @property
    def has_analytics(self) -> bool:
        """Whether the token may read YouTube Analytics (the yt-analytics.readonly scope)."""
        ...

    @property
    def units(self) -> int:
        """Data API quota units spent so far."""
        ...

    def video_counts(self, video_ids: Sequence[str]) -> dict[str, VideoCounts]:
        """Counters of the videos that exist, by id; 50 ids per call."""
        ...

    def playlist_videos(self, playlist_id: str) -> list[str]:
        """The ids of the videos in a channel playlist; 50 items per page."""
        ...

    def playlist_days(self, playlist_id: str, start: date, end: date) -> list[PlaylistDay]:
        """The playlist's daily numbers from `start` to `end`, for the days that have data."""
        ...


class DeckStatsSource(Protocol):
    """SlideShare: every slideshow of the account, 100 per call."""

    calls: int

    def deck_counts(self) -> dict[str, DeckCounts]:
        """Counters of every slideshow of the account, by slideshow id."""
        ...


@dataclass(frozen=True)
class StatsCounts:
    """An asset's lifetime counters in the shape every platform shares (0: not kept there)."""

    views: int = 0
    likes: int = 0
    comments: int = 0
    downloads: int = 0
    favorites: int = 0
    unique_viewers: int = 0  # people who watched (Facebook)
    reactions: int = 0  # every type of reaction (Facebook)
    shares: int = 0
    watch_minutes: float = 0.0  # time watched, for an average over views (Facebook)


@dataclass(frozen=True)
class StatsTargets:
    """What the catalog says is on one platform, for that platform's statistics reader."""

    published: dict[str, int]  # remote id -> asset id
    published_at: dict[str, datetime]  # remote id -> when it was published, when known
    playlists: dict[int, str]  # catalog playlist id -> its id on the platform
    members: dict[int, list[int]]  # catalog playlist id -> asset ids, in catalog order
    last_days: dict[int, date]  # catalog playlist id -> last daily row stored


@dataclass
class StatsReading:
    """What one platform's counters read, keyed by the catalog's own ids."""

    counts: dict[int, StatsCounts] = field(default_factory=dict)  # asset id ->
    members: dict[int, list[int]] = field(default_factory=dict)  # playlist id -> asset ids
    days: dict[int, list[PlaylistDay]] = field(default_factory=dict)  # playlist id ->
    missing: list[str] = field(default_factory=list)  # published, but gone from the platform
    calls: dict[str, int] = field(default_factory=dict)  # calls made, by method
    units: int = 0  # units of the platform's daily quota spent
    analytics: bool = False  # whether daily playlist numbers could be read
    analytics_queries: int = 0
    notes: list[str] = field(default_factory=list)  # lines for the person who pulled


class StatsReader(Protocol):
    """A platform's side of `stats pull`: read everything first, write nothing."""

    @property
    def units(self) -> int:
        """Quota units spent so far (told when a pull is interrupted)."""
        ...

    def read(self, targets: StatsTargets, now: datetime) -> StatsReading: ...

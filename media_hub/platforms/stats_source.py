"""What a statistics pull reads from a platform, behind one small interface per platform.

The real clients (YouTube's Data and Analytics APIs, SlideShare's REST API) stand on one side,
the pull on the other; tests and the bench run the real clients against the sandbox.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
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
    """One day of a playlist in YouTube Analytics (days that have ended only)."""

    day: date
    views: int
    watch_minutes: float
    average_view_seconds: float
    playlist_starts: int


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

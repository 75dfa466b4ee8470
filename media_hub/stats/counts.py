"""Lifetime counters of one platform, added up over assets and compared between snapshots."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Counts:
    """Each platform fills the counters it keeps (`Platform.stats_fields`), the others stay 0.
    A change between two snapshots is a `Counts` too (it can be negative: a platform may
    remove views it finds invalid)."""

    views: int = 0
    likes: int = 0
    comments: int = 0
    downloads: int = 0
    favorites: int = 0
    unique_viewers: int = 0
    reactions: int = 0
    shares: int = 0
    watch_minutes: float = 0.0  # summed, so that a group's average is weighted by views

    @property
    def average_watch_seconds(self) -> float:
        """Time watched per view: Meta's `total_video_avg_time_watched`, for a group too."""
        return round(self.watch_minutes * 60 / self.views, 1) if self.views else 0.0

    def __add__(self, other: Counts) -> Counts:
        # Field by field: `astuple` deep-copies, 40x slower over a report's 20,000 rows.
        return Counts(self.views + other.views, self.likes + other.likes,
                      self.comments + other.comments, self.downloads + other.downloads,
                      self.favorites + other.favorites,
                      self.unique_viewers + other.unique_viewers,
                      self.reactions + other.reactions, self.shares + other.shares,
                      self.watch_minutes + other.watch_minutes)  # fmt: skip

    def __sub__(self, other: Counts) -> Counts:
        return Counts(self.views - other.views, self.likes - other.likes,
                      self.comments - other.comments, self.downloads - other.downloads,
                      self.favorites - other.favorites,
                      self.unique_viewers - other.unique_viewers,
                      self.reactions - other.reactions, self.shares - other.shares,
                      self.watch_minutes - other.watch_minutes)  # fmt: skip

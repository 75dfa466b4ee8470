"""How a sandbox video's (or deck's) audience grows: one deterministic series per item and day.

Both the Data API's `statistics` and the Analytics API's daily rows are sums of this series, so
a statistics pull can be checked against a report. A day counts once it has ended (in Los
Angeles), the way YouTube's numbers lag by a day.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass


def _digest(*parts: str) -> bytes:
    return hashlib.sha256(":".join(parts).encode()).digest()


@dataclass(frozen=True)
class Daily:
    """One video's numbers for one day: views > likes > comments."""

    views: int = 0
    likes: int = 0
    comments: int = 0
    minutes: int = 0  # estimated minutes watched

    def __add__(self, other: Daily) -> Daily:
        return Daily(
            self.views + other.views,
            self.likes + other.likes,
            self.comments + other.comments,
            self.minutes + other.minutes,
        )


def average_view_seconds(video_id: str) -> int:
    """A per-video constant between one and six minutes."""
    return 60 + int.from_bytes(_digest(video_id, "duration")[:2], "big") % 300


def daily(video_id: str, day: dt.date) -> Daily:
    """The numbers of `video_id` on `day`; the same inputs always give the same numbers."""
    popularity = 40 + int.from_bytes(_digest(video_id)[:2], "big") % 400
    noise = _digest(video_id, day.isoformat())
    views = max(30, popularity * (60 + noise[0] % 80) // 100)
    likes = 1 + views * (2 + noise[1] % 5) // 100
    comments = likes * (5 + noise[2] % 20) // 100
    return Daily(views, likes, comments, views * average_view_seconds(video_id) // 60)


def counted_days(first: dt.date, today: dt.date) -> Iterable[dt.date]:
    """Days from `first` that have ended by `today`."""
    day = first
    while day < today:
        yield day
        day += dt.timedelta(days=1)


def total(video_id: str, first: dt.date, today: dt.date) -> Daily:
    """Cumulative numbers since the upload day: what `statistics` shows on `today`."""
    result = Daily()
    for day in counted_days(first, today):
        result = result + daily(video_id, day)
    return result


def playlist_share(playlist_id: str, video_id: str) -> int:
    """Percent of a video's views that happen inside a given playlist (20-50)."""
    return 20 + _digest(playlist_id, video_id)[0] % 31


def playlist_starts_percent(playlist_id: str) -> int:
    """Percent of in-playlist views that start the playlist (30-60)."""
    return 30 + _digest(playlist_id, "starts")[0] % 31


@dataclass(frozen=True)
class DeckDaily:
    """One SlideShare deck's numbers for one day: views > downloads > favorites >= comments."""

    views: int = 0
    downloads: int = 0
    favorites: int = 0
    comments: int = 0

    def __add__(self, other: DeckDaily) -> DeckDaily:
        return DeckDaily(
            self.views + other.views,
            self.downloads + other.downloads,
            self.favorites + other.favorites,
            self.comments + other.comments,
        )


def deck_daily(slideshow_id: int | str, day: dt.date) -> DeckDaily:
    """The numbers of a slideshow (its id as int or str) on `day`; always the same numbers."""
    popularity = 20 + int.from_bytes(_digest("deck", str(slideshow_id))[:2], "big") % 200
    noise = _digest("deck", str(slideshow_id), day.isoformat())
    views = max(10, popularity * (60 + noise[0] % 80) // 100)
    downloads = 1 + views * (5 + noise[1] % 10) // 100  # at most 1 + 14% of views < views
    favorites = downloads * (20 + noise[2] % 50) // 100  # under 70% of downloads
    comments = favorites * (30 + noise[3] % 71) // 100  # at most the favorites
    return DeckDaily(views, downloads, favorites, comments)


def deck_total(slideshow_id: int | str, first: dt.date, today: dt.date) -> DeckDaily:
    """Cumulative numbers since the conversion day: what get_slideshow shows on `today`."""
    result = DeckDaily()
    for day in counted_days(first, today):
        result = result + deck_daily(slideshow_id, day)
    return result


REACTION_TYPES = ("like", "love", "wow", "haha", "sorry", "anger")  # Meta's reaction keys


@dataclass(frozen=True)
class PageVideoDaily:
    """One Facebook Page video's numbers for one day: views >= new viewers > reactions >
    comments >= shares; `watched_ms` is the time watched, for the average."""

    views: int = 0
    viewers: int = 0  # people who watched for the first time that day
    reactions: tuple[int, ...] = (0,) * len(REACTION_TYPES)
    comments: int = 0
    shares: int = 0
    watched_ms: int = 0

    def __add__(self, other: PageVideoDaily) -> PageVideoDaily:
        return PageVideoDaily(
            self.views + other.views,
            self.viewers + other.viewers,
            tuple(a + b for a, b in zip(self.reactions, other.reactions, strict=True)),
            self.comments + other.comments,
            self.shares + other.shares,
            self.watched_ms + other.watched_ms,
        )

    @property
    def average_ms(self) -> int:
        """Meta's `total_video_avg_time_watched`: milliseconds per view."""
        return self.watched_ms // self.views if self.views else 0


def page_video_daily(video_id: str, day: dt.date) -> PageVideoDaily:
    """The numbers of a Page video on `day`; the same inputs always give the same numbers."""
    popularity = 30 + int.from_bytes(_digest("fb", video_id)[:2], "big") % 300
    noise = _digest("fb", video_id, day.isoformat())
    views = max(20, popularity * (60 + noise[0] % 80) // 100)
    viewers = views * (55 + noise[1] % 40) // 100  # some people watch twice
    reactions = tuple(
        views * share // 1000 for share in (40 + noise[2] % 30, 10 + noise[3] % 10,
                                            noise[4] % 5, noise[5] % 5, noise[6] % 3, noise[7] % 2)
    )  # fmt: skip
    comments = views * (5 + noise[8] % 15) // 1000
    shares = comments * (20 + noise[9] % 60) // 100
    seconds = 15 + int.from_bytes(_digest("fb", video_id, "watch")[:2], "big") % 120
    watched = views * seconds * 1000 + noise[10] * 37
    return PageVideoDaily(views, viewers, reactions, comments, shares, watched)


def page_video_total(video_id: str, first: dt.date, today: dt.date) -> PageVideoDaily:
    """Lifetime numbers since the day the video went up: what its insights show on `today`."""
    result = PageVideoDaily()
    for day in counted_days(first, today):
        result = result + page_video_daily(video_id, day)
    return result

"""YouTube as a statistics source: videos.list part=statistics 50 ids per call, the playlists'
items 50 per page (every list call written to the quota ledger), and, when the token allows
it, one Analytics `reports.query` per playlist for the days not stored yet."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from datetime import date, datetime, timedelta
from typing import Any

from google.oauth2.credentials import Credentials
from googleapiclient.errors import HttpError

from media_hub.catalog.db import Catalog
from media_hub.platforms.stats_source import (
    PlaylistDay,
    StatsCounts,
    StatsReading,
    StatsTargets,
    VideoCounts,
    VideoStatsSource,
)
from media_hub.platforms.youtube import clock, quota, scopes
from media_hub.platforms.youtube.errors import reason_of, translate
from media_hub.platforms.youtube.reading import PAGE, RETRIES, ChannelReader
from media_hub.platforms.youtube.settings import youtube_settings
from media_hub.settings import Settings

SCOPE_REASONS = {"insufficientPermissions", "forbidden", "ACCESS_TOKEN_SCOPE_INSUFFICIENT"}
PLAYLIST_METRICS = (
    "views", "estimatedMinutesWatched", "averageViewDuration", "playlistStarts", "playlistViews",
)  # fmt: skip


class YouTubeStatsSource(ChannelReader):
    """The channel's counters; `analytics` is None when the token lacks the Analytics scope.

    With `probe`, the token's scopes are not known (a token saved without them): the first
    Analytics query tells, and a refusal for want of the scope turns Analytics off.
    """

    def __init__(
        self, catalog: Catalog, youtube: Any, analytics: Any | None = None, *, probe: bool = False
    ) -> None:
        super().__init__(catalog, youtube)
        self.analytics = analytics
        self.analytics_queries = 0
        self._probe = probe

    @property
    def has_analytics(self) -> bool:
        return self.analytics is not None

    @property
    def units(self) -> int:
        return sum(quota.cost(method) * count for method, count in self.calls.items())

    def video_counts(self, video_ids: Sequence[str]) -> dict[str, VideoCounts]:
        ids = sorted(set(video_ids))
        counts: dict[str, VideoCounts] = {}
        for start in range(0, len(ids), PAGE):
            page = self.list_page(
                "videos.list", self.youtube.videos(), part="statistics",
                id=",".join(ids[start : start + PAGE]),
            )  # fmt: skip
            for item in page.get("items", []):
                numbers = item.get("statistics", {})
                counts[str(item["id"])] = VideoCounts(
                    views=int(numbers.get("viewCount", 0)),
                    likes=int(numbers.get("likeCount", 0)),  # absent when likes are hidden
                    comments=int(numbers.get("commentCount", 0)),  # absent when disabled
                )
        return counts

    def playlist_videos(self, playlist_id: str) -> list[str]:
        return [
            str(item["snippet"]["resourceId"]["videoId"])
            for item in self.playlist_items(playlist_id)
        ]

    def playlist_days(self, playlist_id: str, start: date, end: date) -> list[PlaylistDay]:
        if self.analytics is None:
            return []
        request = self.analytics.reports().query(
            ids="channel==MINE", startDate=start.isoformat(), endDate=end.isoformat(),
            metrics=",".join(PLAYLIST_METRICS), dimensions="day",
            filters=f"playlist=={playlist_id}",
        )  # fmt: skip
        try:
            table: dict[str, Any] = request.execute(num_retries=RETRIES)
        except HttpError as exc:
            if self._probe and reason_of(exc) in SCOPE_REASONS:
                self.analytics = None
                return []
            raise translate(exc, f"reading YouTube Analytics for playlist {playlist_id}") from exc
        finally:
            self.analytics_queries += 1
        self._probe = False
        names = [str(header["name"]) for header in table.get("columnHeaders", [])]
        days: list[PlaylistDay] = []
        for row in table.get("rows") or []:
            value = dict(zip(names, row, strict=True))
            days.append(
                PlaylistDay(
                    day=date.fromisoformat(str(value["day"])),
                    views=int(value.get("views", 0)),
                    watch_minutes=float(value.get("estimatedMinutesWatched", 0)),
                    average_view_seconds=float(value.get("averageViewDuration", 0)),
                    playlist_starts=int(value.get("playlistStarts", 0)),
                    playlist_views=int(value.get("playlistViews", 0)),
                )
            )
        return days


def has_analytics_scope(credentials: Credentials) -> bool | None:
    """What the token server granted (after a refresh), else what the saved token lists;
    None when neither says."""
    granted = credentials.granted_scopes or credentials.scopes
    return None if granted is None else scopes.ANALYTICS in granted


def youtube_stats_source(settings: Settings, catalog: Catalog) -> YouTubeStatsSource:
    """The configured channel's source: the saved token, refreshed when needed."""
    from media_hub.platforms.youtube.auth import load_credentials
    from media_hub.platforms.youtube.client import analytics_service, youtube_service
    from media_hub.platforms.youtube.errors import reaching

    with reaching(youtube_settings(settings).token_uri):
        credentials = load_credentials(settings)
    allowed = has_analytics_scope(credentials)
    analytics = analytics_service(settings, credentials) if allowed is not False else None
    return YouTubeStatsSource(
        catalog, youtube_service(settings, credentials), analytics, probe=allowed is None
    )


FIRST_PULL_DAYS = 28  # Analytics days read for a playlist none of whose videos has a date


class YouTubeStatsReader:
    """The channel's counters (videos.list 50 ids per call), its playlists' members as they
    are on the channel (50 items per page) and, when the token allows it, the Analytics days
    not stored yet. YouTube's day ends at midnight Pacific: yesterday is the last one read."""

    def __init__(
        self,
        source: VideoStatsSource,
        *,
        reaching: Callable[[], AbstractContextManager[None]] = nullcontext,
    ) -> None:
        self.source = source
        self._reaching = reaching

    @property
    def units(self) -> int:
        return self.source.units

    def read(self, targets: StatsTargets, now: datetime) -> StatsReading:
        with self._reaching():
            return self._read(targets, now)

    def _read(self, targets: StatsTargets, now: datetime) -> StatsReading:
        source = self.source
        reading = StatsReading()
        found = source.video_counts(list(targets.published))
        reading.missing = sorted(set(targets.published) - set(found))
        reading.counts = {
            targets.published[video_id]: StatsCounts(n.views, n.likes, n.comments)
            for video_id, n in found.items()
        }
        yesterday = clock.pacific_day(now) - timedelta(days=1)
        for playlist_id, remote_id in sorted(targets.playlists.items()):
            on_channel = source.playlist_videos(remote_id)
            reading.members[playlist_id] = [
                targets.published[video_id] for video_id in on_channel if video_id in found
            ]
            if not source.has_analytics or not on_channel:
                continue
            start = _first_day(targets, playlist_id, on_channel, yesterday)
            if start <= yesterday:
                reading.days[playlist_id] = source.playlist_days(remote_id, start, yesterday)
        reading.calls = dict(sorted(source.calls.items()))
        reading.units = source.units
        reading.analytics = source.has_analytics
        reading.analytics_queries = source.analytics_queries
        reading.notes = _analytics_note(reading)
        return reading


def _first_day(targets: StatsTargets, playlist_id: int, videos: list[str], yesterday: date) -> date:
    """The day after the last one stored, else the first day any of the videos was out."""
    last = targets.last_days.get(playlist_id)
    if last is not None:
        return last + timedelta(days=1)
    known = [
        clock.pacific_day(targets.published_at[video_id])
        for video_id in videos
        if video_id in targets.published_at
    ]
    return min(known) if known else yesterday - timedelta(days=FIRST_PULL_DAYS - 1)


def _analytics_note(reading: StatsReading) -> list[str]:
    if reading.analytics:
        queries = reading.analytics_queries
        days = sum(len(days) for days in reading.days.values())
        return [
            f"YouTube Analytics: {queries} Analytics quer{'y' if queries == 1 else 'ies'} "
            f"(not Data API quota), {days} new playlist day(s)"
        ]
    if reading.counts:
        return [
            "YouTube Analytics: not read; the token lacks the yt-analytics.readonly scope "
            "(run 'media-hub auth youtube' again to grant it)"
        ]
    return []

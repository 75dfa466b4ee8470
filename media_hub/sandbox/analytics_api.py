"""YouTube Analytics API v2 `reports.query`, from the same growth series as the statistics.

So a report's daily `views` for a video add up to the growth of its `viewCount`, and the
playlist metrics are shares of the same views. Only days that have ended carry data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from media_hub.sandbox import growth, oauth
from media_hub.sandbox.errors import ApiError
from media_hub.sandbox.state import Data, State
from media_hub.sandbox.wire import Request, Response, Route

VIDEO_METRICS = ("views", "estimatedMinutesWatched", "averageViewDuration", "likes", "comments")
PLAYLIST_METRICS = (
    "playlistViews",
    "playlistStarts",
    "playlistEstimatedMinutesWatched",
    "averageTimeInPlaylist",
)
FLOAT_METRICS = frozenset({"averageTimeInPlaylist"})


def _bad(message: str) -> ApiError:
    return ApiError("badRequest", message, domain="global")


class AnalyticsApi:
    """reports.query over the sandbox channel."""

    def __init__(self, state: State) -> None:
        self.state = state

    def routes(self) -> list[Route]:
        return [Route("GET", "/v2/reports", self.query, "reports.query", oauth.REPORTS, False)]

    def query(self, request: Request) -> Response:
        with self.state.read() as data:
            channel = data["channel"]["id"]
            if request.require("ids") not in {"channel==MINE", f"channel=={channel}"}:
                raise ApiError("forbidden", "Only channel==MINE is available.", domain="global")
            start, end = _date(request.require("startDate")), _date(request.require("endDate"))
            if end < start:
                raise _bad("The endDate is before the startDate.")
            metrics = request.require("metrics").split(",")
            unknown = set(metrics) - set(VIDEO_METRICS) - set(PLAYLIST_METRICS)
            if unknown:
                raise _bad(f"Unknown identifier ({sorted(unknown)[0]}) given in field metrics.")
            dimension = request.param("dimensions")
            if dimension not in {None, "", "day"}:
                raise _bad(f"The query is not supported: dimensions={dimension}.")
            playlist, videos = self._scope(data, request.param("filters"))
            if playlist is None and set(metrics) & set(PLAYLIST_METRICS):
                raise _bad("Playlist metrics need filters=playlist==ID.")
            days = list(
                growth.counted_days(start, min(end + dt.timedelta(days=1), self.state.today()))
            )
            firsts = {video_id: dt.date.fromisoformat(data["videos"][video_id]["first_day"])
                      for video_id in videos}  # fmt: skip
        compute = _metrics(playlist, firsts)
        if dimension == "day":
            rows = [[day.isoformat(), *compute([day], metrics)] for day in days]
        else:
            rows = [compute(days, metrics)]
        headers = [_header(metric) for metric in metrics]
        if dimension == "day":
            headers.insert(0, {"name": "day", "columnType": "DIMENSION", "dataType": "STRING"})
        return Response.json(
            {"kind": "youtubeAnalytics#resultTable", "columnHeaders": headers, "rows": rows}
        )

    def _scope(self, data: Data, filters: str | None) -> tuple[str | None, list[str]]:
        """The playlist (if any) and the videos a filter selects."""
        if not filters:
            return None, list(data["videos"])
        name, _, value = filters.partition("==")
        ids = [item for item in value.split(",") if item]
        if name == "video":
            return None, [video_id for video_id in ids if video_id in data["videos"]]
        if name == "playlist" and len(ids) == 1:
            playlist = data["playlists"].get(ids[0])
            if playlist is None:
                raise _bad(f"Unknown playlist {ids[0]}.")
            items = data["playlist_items"]
            return ids[0], sorted({items[item]["video_id"] for item in playlist["items"]})
        raise _bad(f"The query is not supported: filters={filters}.")


def _header(metric: str) -> dict[str, str]:
    kind = "FLOAT" if metric in FLOAT_METRICS else "INTEGER"
    return {"name": metric, "columnType": "METRIC", "dataType": kind}


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise _bad(f"Invalid date {text!r}; use YYYY-MM-DD.") from exc


def _metrics(
    playlist: str | None, firsts: dict[str, dt.date]
) -> Callable[[list[dt.date], list[str]], list[Any]]:
    """A function giving the requested metrics summed over some days."""

    def compute(days: list[dt.date], metrics: list[str]) -> list[Any]:
        total = growth.Daily()
        in_playlist = playlist_minutes = 0
        for day in days:
            for video_id, first in firsts.items():
                if day < first:
                    continue
                numbers = growth.daily(video_id, day)
                total = total + numbers
                if playlist is not None:
                    views = numbers.views * growth.playlist_share(playlist, video_id) // 100
                    in_playlist += views
                    playlist_minutes += views * growth.average_view_seconds(video_id) // 60
        starts = in_playlist * growth.playlist_starts_percent(playlist or "") // 100
        values = {
            "views": total.views,
            "likes": total.likes,
            "comments": total.comments,
            "estimatedMinutesWatched": total.minutes,
            "averageViewDuration": total.minutes * 60 // total.views if total.views else 0,
            "playlistViews": in_playlist,
            "playlistStarts": starts,
            "playlistEstimatedMinutesWatched": playlist_minutes,
            "averageTimeInPlaylist": round(playlist_minutes / starts, 2) if starts else 0.0,
        }
        return [values[metric] for metric in metrics]

    return compute

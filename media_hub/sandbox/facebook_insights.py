"""A Page video's insights as the Graph API serves them, from the sandbox's growth series.

What is imitated (Meta's pages, read 2026-12):

- Video Insights reference (developers.facebook.com/docs/graph-api/reference/video/
  video_insights) and the Video API insights guide (developers.facebook.com/docs/video-api/
  guides/insights): `GET /{video-id}/video_insights?metric=...&period=lifetime` answers
  `{"data": [{"name", "period": "lifetime", "values": [{"value": N}], "title", "description",
  "id": "{video-id}/video_insights/{name}/lifetime"}]}`. Metrics served here:
  `total_video_views` (3-second views), `total_video_views_unique` (people),
  `total_video_avg_time_watched` (milliseconds), `total_video_reactions_by_type_total`
  (`{"like": N, "love": N, ...}`) and `total_video_stories_by_action_type`
  (`{"share": N, "like": N, "comment": N}`).
- Field expansion guide: the same edge asked inside `fields`
  (`video_insights.metric(a,b).period(lifetime)`), and `comments.limit(0).summary(true)`,
  whose `summary.total_count` is the video's comment count.
- Batch requests guide: `POST /` with `batch=[{"method", "relative_url"}, ...]`, at most 50,
  answers one `{"code", "headers", "body"}` per request (the body a JSON string); each request
  counts as a call against the rate limits (`batch_cost`).

A video's numbers are `growth.page_video_total` from the day it went public (Los Angeles time,
as the other platforms' days) to the sandbox's today: they grow with the simulated days.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from media_hub.sandbox import growth
from media_hub.sandbox.facebook_page import GraphFailureError, invalid
from media_hub.sandbox.quota import pacific_day
from media_hub.sandbox.state import Data

MAX_BATCH = 50
METRICS: dict[str, tuple[str, str]] = {
    "total_video_views": ("Lifetime Total Video Views", "Lifetime: Total number of times your "
                          "video was viewed for 3 seconds or viewed to the end, whichever came "
                          "first. (Total Count)"),
    "total_video_views_unique": ("Lifetime Unique Video Views", "Lifetime: Number of unique "
                                 "people who viewed your video for 3 seconds or viewed to the "
                                 "end, whichever came first. (Unique Users)"),
    "total_video_avg_time_watched": ("Lifetime Average time video viewed", "Lifetime: Average "
                                     "time video viewed (Total Count)"),
    "total_video_reactions_by_type_total": ("Lifetime Reactions by type", "Lifetime: Total "
                                            "number of reactions by type. (Total Count)"),
    "total_video_stories_by_action_type": ("Lifetime Talking About This (Post) by action type",
                                           "Lifetime: The number of stories created about your "
                                           "video, by action type. (Total Count)"),
}  # fmt: skip
_FIELD = re.compile(r"^(?P<name>[a-z_]+)(?P<mods>(?:\.[a-z_]+\([^()]*\))*)$")
_MOD = re.compile(r"\.([a-z_]+)\(([^()]*)\)")


def video_numbers(video: Data, today: dt.date, now: dt.datetime, video_id: str) -> Any:
    """The video's lifetime numbers today: nothing before it went public."""
    when = video.get("scheduled_publish_time")
    if not video.get("published") and (when is None or now.timestamp() < int(when)):
        return growth.PageVideoDaily()
    start = (
        dt.datetime.fromtimestamp(int(when), dt.UTC)
        if when is not None
        else dt.datetime.strptime(video["created_time"], "%Y-%m-%dT%H:%M:%S%z")
    )
    return growth.page_video_total(video_id, pacific_day(start), today)


def metric_value(name: str, numbers: growth.PageVideoDaily) -> Any:
    if name == "total_video_views":
        return numbers.views
    if name == "total_video_views_unique":
        return numbers.viewers
    if name == "total_video_avg_time_watched":
        return numbers.average_ms
    if name == "total_video_reactions_by_type_total":
        return dict(zip(growth.REACTION_TYPES, numbers.reactions, strict=True))
    return {"share": numbers.shares, "like": numbers.reactions[0], "comment": numbers.comments}


def insights(video_id: str, numbers: growth.PageVideoDaily, metric: str | None) -> Data:
    """The `video_insights` edge: every metric served, or those named in `metric`."""
    names = [m.strip() for m in (metric or ",".join(METRICS)).split(",") if m.strip()]
    unknown = [name for name in names if name not in METRICS]
    if unknown:
        raise GraphFailureError(
            f"(#100) The value must be a valid insights metric: {unknown[0]}", 100
        )
    return {"data": [
        {"name": name, "period": "lifetime", "values": [{"value": metric_value(name, numbers)}],
         "title": METRICS[name][0], "description": METRICS[name][1],
         "id": f"{video_id}/video_insights/{name}/lifetime"}
        for name in names
    ]}  # fmt: skip


def split_fields(text: str) -> list[str]:
    """`a,b.metric(x,y),c` -> ["a", "b.metric(x,y)", "c"]: commas inside parentheses stay."""
    parts, depth, current = [], 0, ""
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    return [part for part in [*parts, current.strip()] if part]


def expanded(field: str) -> tuple[str, dict[str, str]] | None:
    """A field with its modifiers (`comments.limit(0).summary(true)`), or None: plain."""
    match = _FIELD.match(field)
    if match is None:
        raise invalid(f"(#100) Syntax error in the fields parameter near {field!r}")
    if not match.group("mods"):
        return None
    return match.group("name"), dict(_MOD.findall(match.group("mods")))


def edge_field(
    name: str, mods: dict[str, str], video_id: str, video: Data, numbers: growth.PageVideoDaily
) -> Any:
    """An edge asked inside `fields`: the insights, or the comments' summary."""
    if name == "video_insights":
        if mods.get("period", "lifetime") != "lifetime":
            raise invalid("(#100) The sandbox serves period=lifetime only")
        return insights(video_id, numbers, mods.get("metric"))
    if name == "comments":
        answer: Data = {"data": []}
        if mods.get("summary") == "true":
            answer["summary"] = {"order": "ranked", "total_count": numbers.comments,
                                 "can_comment": True}  # fmt: skip
        return answer
    raise invalid(f"(#100) Tried accessing nonexisting field ({name}) on node type (Video)")


def batch_requests(raw: str | None) -> list[dict[str, Any]]:
    """The `batch` parameter, checked: a JSON array of at most 50 requests."""
    try:
        requests = json.loads(raw or "")
    except ValueError as exc:
        raise invalid("(#100) The parameter batch must be a JSON array") from exc
    if not isinstance(requests, list) or not requests:
        raise invalid("(#100) The parameter batch must be a non-empty JSON array")
    if len(requests) > MAX_BATCH:
        raise invalid(f"(#1) Batch requests are limited to {MAX_BATCH} requests per batch")
    return [r if isinstance(r, dict) else {} for r in requests]


def batch_cost(raw: str | None) -> int:
    """What a batch counts against the rate limits: each of its requests."""
    try:
        count = len(json.loads(raw)) if raw else 1
    except (ValueError, TypeError):
        return 1
    return max(1, min(count, MAX_BATCH))


def relative(url: str) -> tuple[str, str | None, dict[str, str]]:
    """A batch request's `relative_url` -> (node, edge, query); a version prefix is allowed."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    if segments and re.fullmatch(r"v\d+\.\d+", segments[0]):
        segments = segments[1:]
    if not 1 <= len(segments) <= 2:
        raise invalid(f"(#100) Unsupported relative_url {url!r}")
    return segments[0], segments[1] if len(segments) == 2 else None, dict(parse_qsl(parts.query))


def sub_answer(run: Callable[[], Any]) -> Data:
    """One batch request's answer: its code and its body as a JSON string."""
    try:
        body, code = run(), 200
    except GraphFailureError as failure:
        error: Data = {"message": failure.message, "type": failure.kind, "code": failure.code}
        if failure.subcode is not None:
            error["error_subcode"] = failure.subcode
        body, code = {"error": error}, failure.status
    headers = [{"name": "Content-Type", "value": "application/json; charset=UTF-8"}]
    return {"code": code, "headers": headers, "body": json.dumps(body, ensure_ascii=False)}

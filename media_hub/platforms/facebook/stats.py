"""Facebook as a statistics source: each published video's insights, 50 videos per call.

What the code relies on (Meta's pages, read 2026-12):

- Video Insights reference (developers.facebook.com/docs/graph-api/reference/video/
  video_insights) and the Video API insights guide: lifetime metrics `total_video_views`,
  `total_video_views_unique`, `total_video_avg_time_watched` (milliseconds),
  `total_video_reactions_by_type_total` (`{"like": N, "love": N, ...}`) and
  `total_video_stories_by_action_type` (`{"share": N, ...}`); needs `pages_read_engagement`
  and the ANALYZE task on the Page.
- Field expansion guide: the edge asked in `fields` (`video_insights.metric(...)`) with
  `comments.limit(0).summary(true)`, whose `summary.total_count` counts the comments: one
  read per video for everything.
- Batch requests guide (developers.facebook.com/docs/graph-api/batch-requests): up to 50 reads
  in one `POST /` (`batch=[{"method": "GET", "relative_url"}]`), each answered on its own (a
  deleted video fails alone) and each counted as a call against the rate limits: a batch saves
  round trips, not rate limit. Hence the fewest calls: one HTTP request per 50 videos.
- Rate limiting guide: the usage headers (`X-Business-Use-Case-Usage` for Page tokens,
  `X-App-Usage` otherwise) give percentages of the limit; Meta asks callers to slow down as
  they near 100. `GraphClient` reads them after every answer and waits before the next call.

Facebook has no playlist media-hub uses: a playlist's Facebook members are the catalog's.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from datetime import datetime, timedelta
from typing import Any

from media_hub.catalog.db import Catalog
from media_hub.errors import MediaHubError, RemoteError
from media_hub.platforms.facebook import stats_kept
from media_hub.platforms.facebook.client import GraphClient
from media_hub.platforms.facebook.errors import RATE_LIMITS, SERVICE, GraphError, translate
from media_hub.platforms.facebook.stats_kept import PageVideoCounts
from media_hub.platforms.stats_source import StatsCounts, StatsReading, StatsTargets

log = logging.getLogger(__name__)

METRICS = (
    "total_video_views", "total_video_views_unique", "total_video_avg_time_watched",
    "total_video_reactions_by_type_total", "total_video_stories_by_action_type",
)  # fmt: skip
FIELDS = (
    f"id,video_insights.metric({','.join(METRICS)}).period(lifetime),"
    "comments.limit(0).summary(true)"
)
BATCH_LIMIT = 50  # Meta's most requests in one batch
GONE = 100  # "Object with ID ... does not exist": deleted from the Page
BATCH_METHOD = "POST / (batch)"


class FacebookStatsReader:
    """The Page's published videos' insights, in batches, resuming what a stopped pull read."""

    units = 0  # Meta counts calls against rolling rate limits, not units of a daily quota

    def __init__(
        self,
        catalog: Catalog,
        client_factory: Callable[[], GraphClient],
        *,
        batch_size: int = BATCH_LIMIT,
        reaching: Callable[[], AbstractContextManager[None]] = nullcontext,
    ) -> None:
        self.catalog = catalog
        self._client_factory = client_factory
        self._batch = max(1, min(batch_size, BATCH_LIMIT))
        self._reaching = reaching

    def read(self, targets: StatsTargets, now: datetime) -> StatsReading:
        wanted = sorted(targets.published)
        kept = {
            video_id: counts
            for video_id, counts in stats_kept.load(self.catalog, now).items()
            if video_id in targets.published
        }
        read: dict[str, PageVideoCounts] = dict(kept)
        missing: list[str] = []
        todo = [video_id for video_id in wanted if video_id not in kept]
        with self._reaching():
            client = self._client_factory()
            try:
                batches = self._read_all(client, todo, read, missing, len(wanted), now)
                usage = client.usage.percent
            finally:
                client.close()
        stats_kept.clear(self.catalog)
        counts = {targets.published[video_id]: _common(c) for video_id, c in read.items()}
        notes = []
        if kept:
            notes.append(f"Facebook: {len(kept)} video(s) kept from the stopped pull, "
                         f"{len(todo)} read now")  # fmt: skip
        if batches:
            notes.append(
                f"Facebook: {len(todo)} video(s) read in {batches} batch call(s), each video "
                f"counted by Meta against its rate limit (now at {usage}%)"
            )
        return StatsReading(
            counts=counts,
            members={
                playlist_id: [asset_id for asset_id in assets if asset_id in counts]
                for playlist_id, assets in targets.members.items()
            },
            missing=sorted(missing),
            calls={BATCH_METHOD: batches} if batches else {},
            notes=notes,
        )

    def _read_all(
        self,
        client: GraphClient,
        todo: list[str],
        read: dict[str, PageVideoCounts],
        missing: list[str],
        total: int,
        now: datetime,
    ) -> int:
        """Read `todo` into `read` batch by batch; on a failure, keep what was read for the
        rerun and stop with one line. Returns the batch calls made."""
        batches = 0
        for start in range(0, len(todo), self._batch):
            chunk = todo[start : start + self._batch]
            try:
                answers = _batch(client, chunk)
                batches += 1
                for video_id, answer in zip(chunk, answers, strict=True):
                    found = _counts(video_id, answer)
                    if found is None:
                        missing.append(video_id)
                    else:
                        read[video_id] = found
            except GraphError as error:
                stats_kept.save(self.catalog, read, now)
                raise _stopped(error, client, len(read), total) from error
            except MediaHubError:  # a lost answer, retried in vain
                stats_kept.save(self.catalog, read, now)
                raise
        return batches


def _batch(client: GraphClient, video_ids: list[str]) -> list[Any]:
    """One batch of reads; retried whole on a lost answer (reading twice changes nothing)."""
    requests = [{"method": "GET", "relative_url": f"{video_id}?fields={FIELDS}"}
                for video_id in video_ids]  # fmt: skip
    answers = client.post(
        "", {"batch": json.dumps(requests), "include_headers": "false"},
        doing="reading the videos' insights", idempotent=True,
    )  # fmt: skip
    if not isinstance(answers, list) or len(answers) != len(video_ids):
        raise RemoteError(SERVICE, "badBatch", "the batch answer has not one answer per request")
    return answers


def _counts(video_id: str, answer: Any) -> PageVideoCounts | None:
    """A batch answer's numbers; None when the video is gone; other errors raised."""
    code = answer.get("code") if isinstance(answer, dict) else None
    try:
        body = json.loads(answer.get("body") or "null") if isinstance(answer, dict) else None
    except ValueError:
        body = None
    if code != 200 or not isinstance(body, dict) or "error" in body:
        error = GraphError.from_body(code if isinstance(code, int) else 500, body)
        if error.code == GONE:
            log.info("Facebook video %s is gone: %s", video_id, error.message)
            return None
        raise error
    values = {
        item.get("name"): (item.get("values") or [{}])[0].get("value")
        for item in (body.get("video_insights") or {}).get("data") or []
    }
    reactions = values.get("total_video_reactions_by_type_total") or {}
    stories = values.get("total_video_stories_by_action_type") or {}
    comments = ((body.get("comments") or {}).get("summary") or {}).get("total_count")
    return PageVideoCounts(
        views=_int(values.get("total_video_views")),
        unique_viewers=_int(values.get("total_video_views_unique")),
        average_ms=_int(values.get("total_video_avg_time_watched")),
        reactions=sum(_int(n) for n in reactions.values()) if isinstance(reactions, dict) else 0,
        comments=_int(comments),
        shares=_int(stories.get("share")) if isinstance(stories, dict) else 0,
    )


def _int(value: Any) -> int:
    return int(value) if isinstance(value, int | float) else 0


def _common(c: PageVideoCounts) -> StatsCounts:
    return StatsCounts(
        views=c.views, comments=c.comments, unique_viewers=c.unique_viewers,
        reactions=c.reactions, shares=c.shares, watch_minutes=c.views * c.average_ms / 60_000,
    )  # fmt: skip


def _stopped(error: GraphError, client: GraphClient, done: int, total: int) -> Exception:
    """The one line for a stop: what was read (kept for the rerun) and what is left."""
    doing = (f"reading the videos' insights, {done} of {total} video(s) read and kept for "
             f"the rerun, {total - done} left")  # fmt: skip
    if error.code in RATE_LIMITS and client.usage.regain_minutes:
        wait = timedelta(minutes=client.usage.regain_minutes)
        return translate(error, doing, resets=lambda now: now + wait)
    return translate(error, doing)

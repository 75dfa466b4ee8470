"""The videos' insights a stopped pull had read, kept in the catalog so that the rerun reads
only the others (a rate limit is when calls are scarcest).

Kept as a platform fact (`facebook`, `stats-read`): one line per video, `ID N N N N N N` in
the order of `PageVideoCounts`' fields, with the time the first was read. Older than
`KEEP_FOR`, they are read again: the pull's counts should be of about one moment.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass
from datetime import UTC, datetime, timedelta

from media_hub.catalog.db import Catalog
from media_hub.catalog.pipeline_models import PlatformFact
from media_hub.platforms.facebook import FACEBOOK

FACT = "stats-read"
KEEP_FOR = timedelta(hours=6)


@dataclass(frozen=True)
class PageVideoCounts:
    """A Page video's lifetime insights, as Meta's metrics give them."""

    views: int  # total_video_views
    unique_viewers: int  # total_video_views_unique
    average_ms: int  # total_video_avg_time_watched (milliseconds per view)
    reactions: int  # total_video_reactions_by_type_total, every type added up
    comments: int  # comments.summary(true).total_count
    shares: int  # total_video_stories_by_action_type["share"]


def load(catalog: Catalog, now: datetime) -> dict[str, PageVideoCounts]:
    """What a stopped pull kept, unless it is older than KEEP_FOR."""
    with catalog.session() as session:
        fact = session.get(PlatformFact, (FACEBOOK, FACT))
        if fact is None or _aware(fact.fetched_at) < now - KEEP_FOR:
            return {}
        lines = list(fact.value)
    kept: dict[str, PageVideoCounts] = {}
    for line in lines:
        video_id, *numbers = line.split()
        if len(numbers) == len(PageVideoCounts.__dataclass_fields__):
            kept[video_id] = PageVideoCounts(*(int(n) for n in numbers))
    return kept


def save(catalog: Catalog, read: dict[str, PageVideoCounts], now: datetime) -> None:
    """Keep what was read (with the time of the first kept read, when there was one)."""
    lines = [" ".join([video_id, *map(str, astuple(c))]) for video_id, c in sorted(read.items())]
    with catalog.session() as session:
        fact = session.get(PlatformFact, (FACEBOOK, FACT))
        if fact is None:
            session.add(PlatformFact(platform=FACEBOOK, name=FACT, value=lines, fetched_at=now))
        else:
            fact.value = lines
            if _aware(fact.fetched_at) < now - KEEP_FOR:  # none of the old ones was kept
                fact.fetched_at = now


def clear(catalog: Catalog) -> None:
    with catalog.session() as session:
        fact = session.get(PlatformFact, (FACEBOOK, FACT))
        if fact is not None:
            session.delete(fact)


def _aware(moment: datetime) -> datetime:
    """SQLite gives back naive datetimes: they are UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)

"""Daily pulls through the workers: a `stats-pull` job with `daily_at` ("06:30", UTC) queues
the next day's pull before it pulls, so a failing pull (retried, then parked) does not break
the chain, and a rerun after a crash finds the next one queued already (same payload)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta

from media_hub.catalog.db import Catalog
from media_hub.errors import UsageError

KIND = "stats-pull"


def parse_time(text: str) -> time:
    """ "06:30" -> 06:30 UTC."""
    found = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", text.strip())
    if found is None:
        raise UsageError(
            "--daily-at", f"{text!r} is not a time of day; use HH:MM (UTC), e.g. 06:30"
        )
    return time(int(found[1]), int(found[2]), tzinfo=UTC)


def next_run(now: datetime, at: time) -> datetime:
    """The first moment at `at` (UTC) after `now`."""
    candidate = datetime.combine(now.astimezone(UTC).date(), at.replace(tzinfo=UTC))
    return candidate if candidate > now else candidate + timedelta(days=1)


def schedule_daily(catalog: Catalog, at: time, now: datetime | None = None) -> tuple[int, datetime]:
    """Queue the pull due next at `at`; (job id, when it is due). The same due time queued
    twice is one job."""
    from media_hub.jobs.queue import enqueue

    due = next_run(now or datetime.now(UTC), at)
    payload = {"daily_at": at.strftime("%H:%M"), "due": due.isoformat()}
    return enqueue(catalog, KIND, payload, run_after=due), due

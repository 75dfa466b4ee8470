"""`publish` over every platform: each one's plan, applied or not, in one shape to report."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from media_hub.catalog.pipeline_models import Publication
from media_hub.catalog.vocabulary import Platform
from media_hub.errors import QuotaError
from media_hub.hub import Hub
from media_hub.platforms.slideshare.publisher import SlideShareUpload
from media_hub.platforms.slideshare.sync import apply_deck_sync, plan_deck_sync
from media_hub.platforms.youtube.publisher import YouTubeUpload
from media_hub.platforms.youtube.quota import PACIFIC, next_reset
from media_hub.platforms.youtube.sync import apply_sync, plan_sync


@dataclass(frozen=True)
class Synced:
    platform: str
    calls: list[dict[str, Any]]
    reads: int
    units: int
    left: int
    missing: list[str] = field(default_factory=list)
    stopped: str | None = None  # why the calls stopped before the end


def platforms_in_use(hub: Hub) -> list[str]:
    """Platforms the catalog has publications on (YouTube when there are none yet)."""
    with hub.catalog.catalog.session() as session:
        used = set(session.scalars(select(Publication.platform).distinct()))
    names = [platform.value for platform in Platform if platform in used]
    return names or [Platform.YOUTUBE.value]


def sync_videos(job: YouTubeUpload, apply: bool) -> Synced:
    plan = plan_sync(job)
    result = apply_sync(job, plan) if apply else None
    calls = [_call("youtube", c.method, c.units, c.target, c.detail) for c in plan.calls]
    left = len(result.left) if result is not None else len(calls)
    stopped = None
    if result is not None and result.left:
        reset = next_reset(datetime.now(UTC)).astimezone(PACIFIC)
        stopped = (
            f"YouTube: the day's quota ran out with {left} change(s) left; rerun after "
            f"{reset:%Y-%m-%d %H:%M} Pacific time"
        )
    return Synced("youtube", calls, plan.reads, plan.units, left, plan.skipped, stopped=stopped)


def sync_decks(job: SlideShareUpload, apply: bool) -> Synced:
    plan = plan_deck_sync(job)
    calls = [_call("slideshare", c.method, c.units, c.target, c.detail) for c in plan.calls]
    left = len(calls)
    stopped: QuotaError | None = None
    if apply:
        result = apply_deck_sync(plan)
        left, stopped = len(result.left), result.stopped
    return Synced(
        "slideshare", calls, plan.reads, 0, left, plan.missing,
        stopped=f"{stopped}; {left} change(s) left" if stopped else None,
    )  # fmt: skip


def _call(platform: str, method: str, units: int, target: str, detail: str) -> dict[str, Any]:
    return {"platform": platform, "method": method, "units": units, "target": target,
            "detail": detail}  # fmt: skip

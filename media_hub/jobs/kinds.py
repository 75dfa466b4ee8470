"""The kinds of job a worker can run: each a plain function of the hub and the payload.

A handler must be idempotent (a job whose worker died is run again by another), take all it
needs from its payload and the hub's catalog and store (so any worker on any machine can
run it), and return a JSON-able result.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from media_hub import progress
from media_hub.errors import MediaHubError, ValidationError
from media_hub.hub import Hub
from media_hub.pipeline.renditions import ensure_rendition

Handler = Callable[[Hub, Mapping[str, Any]], dict[str, Any]]


def transcode(hub: Hub, payload: Mapping[str, Any]) -> dict[str, Any]:
    """Payload {"asset_id": int, "profile": str | None, "force_transcode": bool}: the
    asset's rendition, made once (by default in the profile its platform is sent)."""
    from media_hub.platforms.routing import rendition_profile

    asset_id = _asset_id(payload, "transcode")
    given = payload.get("profile")
    profile = rendition_profile(hub, asset_id, str(given) if given else None)
    with progress.fraction(f"transcode asset {asset_id} ({profile})") as advance:
        made = ensure_rendition(
            hub.db, hub.store, hub.settings.definitions_dir, asset_id, profile, advance,
            force_transcode=payload.get("force_transcode") is True,
        )  # fmt: skip
    return asdict(made)


def thumbnails(hub: Hub, payload: Mapping[str, Any]) -> dict[str, Any]:
    """Payload {"asset_id": int}: candidates (once), the chosen one and the branded image."""
    from media_hub.pipeline.thumbnails import ThumbnailPlace, make_thumbnails

    asset_id = _asset_id(payload, "thumbnails")
    settings = hub.settings
    place = ThumbnailPlace(settings.definitions_dir, settings.path(settings.thumbnails.dir))
    made = make_thumbnails(hub.db, hub.store, place, asset_id)
    return {"asset_id": asset_id, "branded": str(made.branded), "bytes": made.branded_bytes}


def stats_pull(hub: Hub, payload: Mapping[str, Any]) -> dict[str, Any]:
    """Payload {} or {"daily_at": "HH:MM", ...}: one statistics snapshot of every published
    video and deck; a daily one first queues the next day's (`jobs.schedule`)."""
    from media_hub.jobs.schedule import parse_time, schedule_daily
    from media_hub.stats.pull import pull_hub

    daily = payload.get("daily_at")
    following = schedule_daily(hub.db, parse_time(str(daily)))[0] if daily else None
    result = pull_hub(hub)
    return {"snapshot_id": result.snapshot_id, "videos": result.videos, "decks": result.decks,
            "units": result.units, "analytics_days": result.analytics_days,
            **({"next_job": following} if following else {})}  # fmt: skip


def _asset_id(payload: Mapping[str, Any], kind: str) -> int:
    asset_id = payload.get("asset_id")
    if not isinstance(asset_id, int):
        raise ValidationError("payload.asset_id", "an asset id is required", record=kind)
    return asset_id


class StillProcessingError(MediaHubError):
    """The platform has the file but has not finished with it: the job is tried again later
    (with the queue's backoff), which only checks, never sends twice."""


def upload(hub: Hub, payload: Mapping[str, Any]) -> dict[str, Any]:
    """Payload {"asset_id": int, "platform": str | None, "privacy": str | None,
    "publish_at": ISO time | None, "force_transcode": bool}: a staged asset to one of its
    series' platforms (the first when none is named; see `platforms.publisher.Publisher.stage`)."""
    from media_hub.platforms.publisher import UploadOptions
    from media_hub.platforms.routing import platform_for

    asset_id = _asset_id(payload, "upload")
    publish_at = payload.get("publish_at")
    options = UploadOptions(
        privacy=payload.get("privacy"),
        publish_at=datetime.fromisoformat(publish_at) if isinstance(publish_at, str) else None,
        force_transcode=payload.get("force_transcode") is True,
    )
    name = payload.get("platform")
    platform = platform_for(hub, hub.catalog.show(asset_id), str(name) if name else None)
    job = platform.publisher(hub)
    platform.check_quota(job, asset_id, datetime.now(UTC))
    with (
        progress.fraction(f"transcode asset {asset_id}") as transcoded,
        progress.fraction(f"send asset {asset_id} to {platform.name}") as sent,
    ):
        done = job.publish_asset(
            asset_id, options, on_transcode=transcoded,
            on_bytes=lambda count, total: sent(count / total) if total else None,
        )  # fmt: skip
    if not done.finished:
        raise StillProcessingError(
            f"asset {asset_id}: {done.platform} is still processing {done.remote_id}; "
            "checked again later"
        )
    return {"platform": str(done.platform), "remote_id": done.remote_id, "url": done.url,
            "uploaded_now": done.uploaded_now, "rendition": done.rendition,
            "rendition_reasons": list(done.rendition_reasons)}  # fmt: skip


def calendar_public(hub: Hub, payload: Mapping[str, Any]) -> dict[str, Any]:
    """Payload {"asset_id": int, "platform": str}: the publication, uploaded private for
    its calendar slot, made public (queued with run_after = the slot; see `going_public`)."""
    from media_hub.jobs.going_public import go_public

    asset_id = _asset_id(payload, "calendar-public")
    made = go_public(hub, asset_id, str(payload.get("platform")), datetime.now(UTC))
    return {"asset_id": asset_id, "made_public": made}


HANDLERS: Mapping[str, Handler] = {
    "calendar-public": calendar_public,
    "transcode": transcode,
    "thumbnails": thumbnails,
    "upload": upload,
    "stats-pull": stats_pull,
}


def known_kinds() -> list[str]:
    return sorted(HANDLERS)


def handler_for(kind: str) -> Handler:
    found = HANDLERS.get(kind)
    if found is None:
        raise ValidationError(
            "kind", f"unknown job kind {kind!r}; known: {', '.join(known_kinds())}"
        )
    return found

"""The publisher of an asset's kind, with clients made from the hub's settings: what a worker
uses (the CLI makes its own, to word network failures for a person at a terminal)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from media_hub.catalog.vocabulary import AssetKind
from media_hub.errors import QuotaError
from media_hub.hub import Hub
from media_hub.platforms.slideshare.publisher import SlideShareUpload
from media_hub.platforms.youtube import quota
from media_hub.platforms.youtube.publisher import YouTubeUpload


def publisher_for(hub: Hub, kind: AssetKind) -> YouTubeUpload | SlideShareUpload:
    if kind is AssetKind.DECK:
        return SlideShareUpload(hub, lambda: _slideshare(hub))
    return YouTubeUpload(hub, lambda: _youtube(hub))


def check_youtube_quota(job: YouTubeUpload, asset_id: int, now: datetime | None = None) -> None:
    """Refuse to start an upload the shared ledger cannot pay for today, before any call.

    Workers on several machines share the ledger in the catalog; two may still both pass
    this check for the last units, and YouTube's own quotaExceeded then stops the later one.
    """
    moment = now or datetime.now(UTC)
    day = quota.pacific_day(moment)
    with job.catalog.session() as session:
        for bucket, units in sorted(job.needed_quota(asset_id).items()):
            left = quota.DAILY_LIMITS[bucket] - quota.spent(session, bucket, day)
            if units > left:
                reset = quota.next_reset(moment).astimezone(quota.PACIFIC)
                raise QuotaError(
                    "YouTube", "quotaExceeded",
                    f"asset {asset_id} needs {units} units of the {bucket} quota and {left} are "
                    f"left today; it waits for the reset at {reset:%Y-%m-%d %H:%M} Pacific time",
                )  # fmt: skip


def _youtube(hub: Hub) -> Any:
    from media_hub.platforms.youtube.auth import load_credentials
    from media_hub.platforms.youtube.client import youtube_service

    return youtube_service(hub.settings, load_credentials(hub.settings))


def _slideshare(hub: Hub) -> Any:
    from media_hub.platforms.slideshare.connect import slideshare_client

    return slideshare_client(hub.settings)

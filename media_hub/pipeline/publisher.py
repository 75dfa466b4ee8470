"""What every platform's publisher offers `upload`: a plan of what would be sent, and the
publication itself, resumable and never twice.

YouTube (`youtube_upload.YouTubeUpload`) and SlideShare (`slideshare_upload.SlideShareUpload`)
implement it; `export_bundle` is the way out when a platform's API is closed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from media_hub.catalog.assets import AssetEdit
from media_hub.catalog.vocabulary import AssetStatus, Platform
from media_hub.hub import Hub
from media_hub.pipeline.ingest import IngestRequest

DAILY_QUOTA = "default"  # the YouTube bucket shared by all calls but uploads and searches


@dataclass(frozen=True)
class UploadOptions:
    privacy: str | None = None
    publish_at: datetime | None = None


@dataclass(frozen=True)
class PlannedCall:
    method: str
    units: int
    bucket: str
    detail: str


@dataclass(frozen=True)
class UploadPlan:
    file: Path
    asset_id: int
    already_uploaded: bool
    resource: dict[str, Any]
    calls: list[PlannedCall]

    @property
    def units(self) -> int:
        """Units of the platform's shared daily quota (YouTube's; SlideShare counts calls)."""
        return sum(call.units for call in self.calls if call.bucket == DAILY_QUOTA)


@dataclass(frozen=True)
class Published:
    file: Path
    asset_id: int
    platform: Platform
    remote_id: str
    url: str
    uploaded_now: bool
    finished: bool = True  # False while the platform still processes it (a rerun checks)


class Publisher(Protocol):
    platform: Platform

    def prepare(self, request: IngestRequest, options: UploadOptions) -> UploadPlan:
        """Everything local (ingest, metadata rendered and checked); nothing sent."""
        ...

    def publish(
        self,
        request: IngestRequest,
        options: UploadOptions,
        *,
        on_step: Callable[[str], None] | None = None,
        on_bytes: Callable[[int, int], None] | None = None,
        on_transcode: Callable[[float], None] | None = None,
    ) -> Published: ...


def mark_published(hub: Hub, asset_id: int) -> None:
    """The asset's status becomes `published` (once: a rerun records nothing new)."""
    if hub.catalog.show(asset_id)["status"] != AssetStatus.PUBLISHED.value:
        hub.catalog.edit(asset_id, AssetEdit(status=AssetStatus.PUBLISHED))

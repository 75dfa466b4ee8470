"""What every platform's publisher offers `upload`: a plan of what would be sent, and the
publication itself, resumable and never twice.

Each platform's `Platform.publisher` returns one (see `youtube/publisher.py` and
`slideshare/publisher.py`); `folder/bundle.py` is the way out when a platform's API is closed.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar, Generic, TypeVar

from sqlalchemy import select

from media_hub.catalog.assets import AssetEdit
from media_hub.catalog.db import Catalog
from media_hub.catalog.pipeline_models import Publication
from media_hub.catalog.vocabulary import AssetStatus
from media_hub.errors import ValidationError
from media_hub.hub import Hub
from media_hub.pipeline.ingest import IngestRequest, ingest
from media_hub.pipeline.series_templates import SeriesTemplates

Client = TypeVar("Client")
DAILY_QUOTA = "default"  # the YouTube bucket shared by all calls but uploads and searches


@dataclass(frozen=True)
class UploadOptions:
    privacy: str | None = None
    publish_at: datetime | None = None
    force_transcode: bool = False  # transcode even a master that could pass through


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
        """Units of the platform's shared daily quota (0 where a platform counts calls)."""
        return sum(call.units for call in self.calls if call.bucket == DAILY_QUOTA)


@dataclass(frozen=True)
class Published:
    file: Path
    asset_id: int
    platform: str  # the platform's name
    remote_id: str
    url: str
    uploaded_now: bool
    finished: bool = True  # False while the platform still processes it (a rerun checks)
    # How the file sent was made (videos): remux, audio or transcode, and why.
    rendition: str | None = None
    rendition_reasons: tuple[str, ...] = ()


class Publisher(ABC, Generic[Client]):
    """The publisher interface `upload` uses for every platform: `prepare` (a plan, nothing
    sent), `stage` (what a worker needs, kept in the catalog and the store), `publish_asset`
    (the upload itself, resumable, never twice) and `publish` (both, here).

    It holds what the publishers share: the hub, its catalog, the series' templates, and the
    platform client, made on first use (a plan or an export never connects)."""

    platform: ClassVar[str]  # the platform's name, as in the catalog's publications

    def __init__(self, hub: Hub, client_factory: Callable[[], Client]) -> None:
        self.hub = hub
        self._client_factory = client_factory
        self._client: Client | None = None
        self._templates = SeriesTemplates(hub)

    @property
    def catalog(self) -> Catalog:
        return self.hub.db

    @property
    def client(self) -> Client:
        if self._client is None:
            self._client = self._client_factory()
        return self._client

    def texts_as_published(self, asset_id: int) -> bool:
        """Whether the asset's adopted texts go out as they are, not through the template."""
        with self.catalog.session() as session:
            marked = session.scalar(
                select(Publication.texts_as_published).where(
                    Publication.asset_id == asset_id, Publication.platform == self.platform
                )
            )
        return bool(marked)

    def ingested(self, request: IngestRequest) -> int:
        """The request's asset id, ingested now if it is new; its series is required (the
        catalogued asset's, with `--asset`)."""
        if request.series is None and request.asset_id is None:
            raise ValidationError("series", "give --series: its template makes the metadata")
        return ingest(self.catalog, self.hub.store, request).asset_id

    def prepare(self, request: IngestRequest, options: UploadOptions) -> UploadPlan:
        """Everything local (ingest, metadata rendered and checked); nothing sent."""
        return self.plan_asset(self.ingested(request), options, request.path)

    def publish(
        self,
        request: IngestRequest,
        options: UploadOptions,
        *,
        on_step: Callable[[str], None] | None = None,
        on_bytes: Callable[[int, int], None] | None = None,
        on_transcode: Callable[[float], None] | None = None,
    ) -> Published:
        """The whole upload in this process: `stage`, then `publish_asset`."""
        asset_id = self.stage(request, options)
        return self.publish_asset(
            asset_id, options, on_step=on_step, on_bytes=on_bytes, on_transcode=on_transcode,
            file=request.path,
        )  # fmt: skip

    @abstractmethod
    def plan_asset(
        self, asset_id: int, options: UploadOptions, file: Path | None = None
    ) -> UploadPlan:
        """What publishing a catalogued asset would send (metadata rendered and checked);
        nothing sent. `file` is the file it came from, when there is one."""

    def stage(self, request: IngestRequest, options: UploadOptions) -> int:
        """Ingest and check; keep in the catalog and the store all that a worker needs.
        Returns the asset id: `upload --queue` enqueues it. A platform that sends more than
        the asset and its texts (YouTube's captions) keeps those too."""
        return self.prepare(request, options).asset_id

    @abstractmethod
    def publish_asset(
        self,
        asset_id: int,
        options: UploadOptions,
        *,
        on_step: Callable[[str], None] | None = None,
        on_bytes: Callable[[int, int], None] | None = None,
        on_transcode: Callable[[float], None] | None = None,
        file: Path | None = None,
    ) -> Published:
        """The upload of a staged asset, from the catalog and the store alone."""


def mark_published(hub: Hub, asset_id: int) -> None:
    """The asset's status becomes `published` (once: a rerun records nothing new)."""
    if hub.catalog.show(asset_id)["status"] != AssetStatus.PUBLISHED.value:
        hub.catalog.edit(asset_id, AssetEdit(status=AssetStatus.PUBLISHED))

"""`upload` for videos: ingest, transcode, thumbnail, upload, thumbnail.set, playlists, captions.

Each step is idempotent and recorded as it completes (the asset, the rendition, the chosen
thumbnail, the publication with its session and offset, the playlist items and captions), so a
rerun after any crash continues where the last one stopped, and a finished asset is never sent
again. The metadata is rendered from the series' template and checked against YouTube's limits
before any call.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from media_hub.catalog.db import Catalog
from media_hub.catalog.models import Playlist, PlaylistItem
from media_hub.catalog.pipeline_models import Caption, Publication, Thumbnail
from media_hub.catalog.records import AssetRecord
from media_hub.catalog.service import CatalogService
from media_hub.catalog.vocabulary import AssetKind, PublicationState
from media_hub.errors import ValidationError
from media_hub.pipeline.ingest import IngestRequest
from media_hub.pipeline.renditions import ensure_rendition
from media_hub.pipeline.thumbnails import ThumbnailPlace, make_thumbnails
from media_hub.platforms.publisher import (
    PlannedCall,
    Published,
    Publisher,
    UploadOptions,
    UploadPlan,
    mark_published,
)
from media_hub.platforms.youtube import UPLOAD_PROFILE, YOUTUBE, channel, languages, quota
from media_hub.platforms.youtube.metadata import render_video_metadata
from media_hub.platforms.youtube.settings import youtube_settings
from media_hub.platforms.youtube.uploader import upload_video


class YouTubeUpload(Publisher[Any]):
    """The steps of one hub's uploads; `youtube` is a google-api-python-client resource."""

    platform = YOUTUBE

    @property
    def youtube(self) -> Any:
        return self.client

    def plan_asset(
        self, asset_id: int, options: UploadOptions, file: Path | None = None
    ) -> UploadPlan:
        """The metadata checked and the calls a publication would make; nothing sent."""
        resource = self.metadata(asset_id, options)
        return UploadPlan(
            file or Path(f"asset-{asset_id}"), asset_id, self._uploaded(asset_id), resource,
            self._calls(asset_id, file),
        )  # fmt: skip

    def stage(self, request: IngestRequest, options: UploadOptions) -> int:
        """Everything a worker needs, put in the catalog and the store: the asset, its
        metadata checked, and the captions found beside the file."""
        asset_id = self.prepare(request, options).asset_id
        for lang, path in channel.captions_beside(request.path):
            stored = self.hub.store.put_file(path, path.suffix.lower())
            with self.catalog.session() as session:
                caption = session.scalars(
                    select(Caption).where(Caption.asset_id == asset_id, Caption.lang == lang)
                ).first()
                if caption is None:
                    caption = Caption(asset_id=asset_id, lang=lang)
                    session.add(caption)
                if caption.remote_id is None:  # not sent yet: the newest file wins
                    caption.format = path.suffix.lower().lstrip(".")
                    caption.store_key = stored.key
        return asset_id

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
        """The steps after ingest, from the catalog and the store alone (any worker can)."""
        step = on_step or (lambda _label: None)
        configured = youtube_settings(self.hub.settings).language_keys
        languages.refresh(self.catalog, self.youtube, configured)  # at most once a day
        resource = self.metadata(asset_id, options)
        step("transcode")
        settings = self.hub.settings
        rendition = ensure_rendition(
            self.catalog, self.hub.store, settings.definitions_dir, asset_id, UPLOAD_PROFILE,
            on_transcode, force_transcode=options.force_transcode,
        )  # fmt: skip
        step("thumbnail")
        place = ThumbnailPlace(settings.definitions_dir, settings.path(settings.thumbnails.dir))
        thumbnails = make_thumbnails(self.catalog, self.hub.store, place, asset_id)
        step("upload")
        with self.hub.store.local_path(rendition.store_key) as media:
            uploaded = upload_video(
                self.catalog, self.youtube, asset_id, media, resource, progress=on_bytes,
                chunk_bytes=youtube_settings(settings).upload_chunk_kib * 1024,
            )  # fmt: skip
        state = self._state(asset_id)
        if state == PublicationState.UPLOADED:
            step("thumbnail.set")
            channel.set_thumbnail(
                self.catalog, self.youtube, asset_id, uploaded.video_id, thumbnails.branded,
                store_key=branded_key(self.catalog, asset_id),
            )  # fmt: skip
            self._set_state(asset_id, PublicationState.THUMBNAIL)
        step("playlists")
        for slug in self._playlists(asset_id):
            channel.add_to_playlist(
                self.catalog, self.youtube, slug, asset_id, uploaded.video_id,
                self.language_keys(),
            )  # fmt: skip
        step("captions")
        for lang, key in self._pending_captions(asset_id):
            with self.hub.store.local_path(key) as path:
                channel.upload_caption(
                    self.catalog, self.youtube, asset_id, uploaded.video_id, lang, path, key
                )
        self._set_state(asset_id, PublicationState.DONE)
        mark_published(self.hub, asset_id)
        return Published(
            file or Path(f"asset-{asset_id}"), asset_id, YOUTUBE, uploaded.video_id,
            uploaded.url, uploaded.uploaded_now, rendition=rendition.decision,
            rendition_reasons=tuple(rendition.reasons),
        )  # fmt: skip

    def needed_quota(self, asset_id: int) -> dict[str, int]:
        """What the rest of the asset's upload will spend, by quota bucket."""
        spend: dict[str, int] = {}
        for call in self._calls(asset_id, None):
            spend[call.bucket] = spend.get(call.bucket, 0) + call.units
        return spend

    def metadata(
        self, asset_id: int, options: UploadOptions, asset: AssetRecord | None = None
    ) -> dict[str, Any]:
        """The videos.insert/update body of the asset (its record may be given, preloaded)."""
        service: CatalogService = self.hub.catalog
        asset = asset if asset is not None else service.show(asset_id)
        if asset["kind"] != AssetKind.VIDEO.value:
            raise ValidationError("kind", "only videos go to YouTube", record=f"asset {asset_id}")
        series, template, template_name = self._templates.of(asset)
        rendered = render_video_metadata(
            asset, series, template, template_name, privacy=options.privacy,
            publish_at=options.publish_at, now=datetime.now(UTC),
            as_published=self.texts_as_published(asset_id), language_keys=self.language_keys(),
        )  # fmt: skip
        resource: dict[str, Any] = rendered.to_resource()
        return resource

    def language_keys(self) -> languages.LanguageKeys:
        """YouTube's language keys as last read (no call) and the hub's mapping of them."""
        configured = youtube_settings(self.hub.settings).language_keys
        return languages.language_keys(self.catalog, configured)

    def _calls(self, asset_id: int, source: Path | None) -> list[PlannedCall]:
        if self._state(asset_id) == PublicationState.DONE:
            return []
        calls = []
        if not languages.is_fresh(self.catalog):
            calls.append(_call("i18nLanguages.list", "YouTube's language keys (once a day)"))
        if not self._uploaded(asset_id):
            calls.append(_call("videos.insert", "the video, resumable"))
            calls.append(_call("thumbnails.set", "the branded thumbnail"))
        with self.catalog.session() as session:
            for slug in self._playlists(asset_id):
                playlist = session.scalars(select(Playlist).where(Playlist.slug == slug)).one()
                item = session.get(PlaylistItem, (playlist.id, asset_id))
                if playlist.remote_id(YOUTUBE) is None:
                    calls.append(_call("playlists.list", f"look for playlist {slug} (per 50)"))
                    calls.append(_call("playlists.insert", f"create playlist {slug}"))
                if item is None or item.remote_item_id is None:
                    if item is not None and item.insert_sent_at is not None:  # may have landed
                        calls.append(_call("playlistItems.list", f"look in {slug} (per 50)"))
                    calls.append(_call("playlistItems.insert", f"add to playlist {slug}"))
        captions = channel.captions_beside(source) if source is not None else []
        pending = {lang for lang, _ in self._pending_captions(asset_id)}
        for lang in sorted(pending | {lang for lang, _ in captions}):
            calls.append(_call("captions.insert", f"{lang} captions"))
        return calls

    def _pending_captions(self, asset_id: int) -> list[tuple[str, str]]:
        """(language, store key) of the staged captions not on YouTube yet."""
        with self.catalog.session() as session:
            rows = session.scalars(
                select(Caption)
                .where(Caption.asset_id == asset_id, Caption.remote_id.is_(None))
                .order_by(Caption.lang)
            )
            return [(row.lang, row.store_key) for row in rows]

    def _playlists(self, asset_id: int) -> list[str]:
        record = self.hub.catalog.show(asset_id)
        playlists: list[str] = record.get("playlists", [])
        return playlists

    def _state(self, asset_id: int) -> PublicationState | None:
        with self.catalog.session() as session:
            return session.scalars(
                select(Publication.state).where(
                    Publication.asset_id == asset_id, Publication.platform == YOUTUBE
                )
            ).first()

    def _uploaded(self, asset_id: int) -> bool:
        return self._state(asset_id) in (
            PublicationState.UPLOADED,
            PublicationState.THUMBNAIL,
            PublicationState.DONE,
        )

    def _set_state(self, asset_id: int, state: PublicationState) -> None:
        with self.catalog.session() as session:
            publication = session.scalars(
                select(Publication).where(
                    Publication.asset_id == asset_id, Publication.platform == YOUTUBE
                )
            ).one()
            publication.state = state


def branded_key(catalog: Catalog, asset_id: int) -> str | None:
    """The store key of the asset's current branded thumbnail."""
    with catalog.session() as session:
        key: str | None = session.scalars(
            select(Thumbnail.store_key).where(
                Thumbnail.asset_id == asset_id, Thumbnail.role == "branded"
            )
        ).first()
    return key


def _call(method: str, detail: str) -> PlannedCall:
    return PlannedCall(method, quota.cost(method), quota.bucket(method), detail)

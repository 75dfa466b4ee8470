"""`upload` for Facebook Page videos: rendition, branded thumbnail, resumable upload, then the
video published on the Page's `/videos` edge with its texts and thumbnail.

Never two videos: the upload session is committed before the first byte (see `upload.py`);
the handle is committed before the publishing call (state `sending`), so a rerun after a
crash, a dropped connection or a 5xx on that call first looks on the Page for a video with the
asset's texts made since then and not claimed by another asset, and only publishes when there
is none. The rendition is YouTube's (H.264 and AAC in MP4, which Facebook takes as well), so a
clip cross-posted to both is transcoded once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from media_hub import fence
from media_hub.catalog.pipeline_models import Publication
from media_hub.catalog.records import AssetRecord
from media_hub.catalog.vocabulary import AssetKind, Privacy, PublicationState
from media_hub.errors import RemoteError, ValidationError
from media_hub.pipeline.renditions import ensure_rendition
from media_hub.pipeline.thumbnails import ThumbnailPlace, make_thumbnails
from media_hub.platforms.facebook import FACEBOOK
from media_hub.platforms.facebook.client import GraphClient, LostAnswerError
from media_hub.platforms.facebook.errors import SERVICE, GraphError, translate
from media_hub.platforms.facebook.metadata import VideoTexts, render_video_texts
from media_hub.platforms.facebook.settings import facebook_settings
from media_hub.platforms.facebook.upload import HANDLE_PREFIX, update, upload_file
from media_hub.platforms.publisher import (
    PlannedCall,
    Published,
    Publisher,
    UploadOptions,
    UploadPlan,
    mark_published,
)
from media_hub.platforms.youtube import UPLOAD_PROFILE

BUCKET = "facebook"  # Meta counts calls against rolling rate limits, not a daily quota
VIDEO_URL = "https://www.facebook.com/{page}/videos/{video}"
CLOCK_SKEW = timedelta(minutes=10)  # a lost video is looked for from this long before the send
PUBLISH_ATTEMPTS = 4


class FacebookUpload(Publisher[GraphClient]):
    """The steps of one hub's uploads to its Facebook Page."""

    platform = FACEBOOK

    def plan_asset(
        self, asset_id: int, options: UploadOptions, file: Path | None = None
    ) -> UploadPlan:
        texts = self.texts(asset_id, options)
        row = self._row(asset_id)
        done = row is not None and row.remote_id is not None
        resource = {**texts.to_params(), "platform": FACEBOOK}
        return UploadPlan(
            file or Path(f"asset-{asset_id}"), asset_id, done, resource,
            [] if done else self._calls(row),
        )  # fmt: skip

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
        step = on_step or (lambda _label: None)
        texts = self.texts(asset_id, options)
        source = file or Path(f"asset-{asset_id}")
        row = self._row(asset_id)
        if row is not None and row.remote_id is not None:
            return self._published(source, asset_id, row, uploaded_now=False)
        settings = self.hub.settings
        step("transcode")
        rendition = ensure_rendition(
            self.catalog, self.hub.store, settings.definitions_dir, asset_id, UPLOAD_PROFILE,
            on_transcode, force_transcode=options.force_transcode,
        )  # fmt: skip
        step("thumbnail")
        place = ThumbnailPlace(settings.definitions_dir, settings.path(settings.thumbnails.dir))
        thumbnail = make_thumbnails(self.catalog, self.hub.store, place, asset_id).branded
        sent_before = row is not None and row.state == PublicationState.SENDING
        if sent_before:
            step("look for a video lost in a crash")
            found = self._find_sent(asset_id, texts)
            if found is not None:
                return self._record(source, asset_id, found, texts)
        step("upload")
        with self.hub.store.local_path(rendition.store_key) as media:
            uploaded = upload_file(
                self.catalog, self.client, asset_id, media, progress=on_bytes,
                chunk_bytes=facebook_settings(settings).upload_chunk_kib * 1024,
            )  # fmt: skip
        step("publish")
        video_id = self._publish(asset_id, uploaded.handle, texts, thumbnail.read_bytes())
        return self._record(source, asset_id, video_id, texts)

    # -- texts ---------------------------------------------------------------------------------
    def texts(
        self, asset_id: int, options: UploadOptions, asset: AssetRecord | None = None
    ) -> VideoTexts:
        """The video's title and description from its series' template, checked."""
        asset = asset if asset is not None else self.hub.catalog.show(asset_id)
        if asset["kind"] != AssetKind.VIDEO.value:
            raise ValidationError("kind", "only videos go to Facebook", record=f"asset {asset_id}")
        series, template, template_name = self._templates.of(asset)
        return render_video_texts(
            asset, series, template, template_name, facebook_settings(self.hub.settings),
            publish_at=options.publish_at, private=options.privacy == Privacy.PRIVATE,
            as_published=self.texts_as_published(asset_id),
        )  # fmt: skip

    # -- steps ---------------------------------------------------------------------------------
    def _publish(self, asset_id: int, handle: str, texts: VideoTexts, thumb: bytes) -> str:
        """`POST /{page-id}/videos` with the handle; a lost answer is looked for before the
        call goes out again."""
        doing = f"publishing asset {asset_id} on the Page"
        fields = {**texts.to_params(), "fbuploader_video_file_chunk": handle}
        files = {"thumb": ("thumbnail.jpg", thumb, "image/jpeg")}
        for attempt in range(1, PUBLISH_ATTEMPTS + 1):
            update(self.catalog, asset_id, state=PublicationState.SENDING,
                   session_uri=HANDLE_PREFIX + handle)  # fmt: skip
            fence.confirm(f"publishing asset {asset_id} on Facebook")
            try:
                answer = self.client.post(
                    f"{self.client.page_id}/videos", fields, files=files, doing=doing
                )
            except GraphError as error:
                raise translate(error, doing) from error
            except LostAnswerError:
                found = self._find_sent(asset_id, texts)
                if found is not None:
                    return found
                if attempt == PUBLISH_ATTEMPTS:
                    raise
                continue
            video_id = answer.get("id") if isinstance(answer, dict) else None
            if not isinstance(video_id, str | int):
                raise RemoteError(SERVICE, "noVideoId", f"{doing}: the answer had no video id")
            return str(video_id)
        raise AssertionError("unreachable")

    def _find_sent(self, asset_id: int, texts: VideoTexts) -> str | None:
        """The Page's newest video with the asset's texts, made since the publishing call
        was first sent and claimed by no other asset."""
        row = self._row(asset_id)
        since = (row.updated_at if row is not None else datetime.now(UTC)).replace(tzinfo=UTC)
        claimed = self._claimed(asset_id)
        found: tuple[str, str] | None = None
        doing = f"looking on the Page for asset {asset_id}'s video"
        try:
            for video in self.client.pages(
                f"{self.client.page_id}/videos",
                {"fields": "id,title,description,created_time", "type": "uploaded"},
                doing=doing,
            ):
                created = graph_time(video.get("created_time"))
                if (
                    str(video.get("id")) not in claimed
                    and (video.get("title") or "").strip() == texts.title
                    and (video.get("description") or "").strip() == texts.description
                    and created is not None
                    and created >= since - CLOCK_SKEW
                    and (found is None or video.get("created_time", "") > found[1])
                ):
                    found = (str(video["id"]), str(video.get("created_time", "")))
        except GraphError as error:
            raise translate(error, doing) from error
        return found[0] if found else None

    def _record(self, source: Path, asset_id: int, video_id: str, texts: VideoTexts) -> Published:
        url = VIDEO_URL.format(page=self.client.page_id, video=video_id)
        now = datetime.now(UTC)
        live = texts.privacy == Privacy.PUBLIC
        update(
            self.catalog, asset_id, remote_id=video_id, url=url, session_uri=None,
            state=PublicationState.DONE, thumbnail_key=None,
            published_at=texts.publish_at or now, privacy=texts.privacy,
            scheduled_at=texts.publish_at, live_at=now if live else None,
        )  # fmt: skip
        mark_published(self.hub, asset_id)
        return Published(source, asset_id, FACEBOOK, video_id, url, True)

    def _published(
        self, source: Path, asset_id: int, row: Publication, *, uploaded_now: bool
    ) -> Published:
        assert row.remote_id is not None
        return Published(source, asset_id, FACEBOOK, row.remote_id, row.url or "", uploaded_now)

    def _calls(self, row: Publication | None) -> list[PlannedCall]:
        calls = []
        if row is not None and row.state == PublicationState.SENDING:
            calls.append(PlannedCall("GET /{page-id}/videos", 0, BUCKET, "look for a lost video"))
        uploaded = row is not None and (row.session_uri or "").startswith(HANDLE_PREFIX)
        if not uploaded:
            if row is None or row.session_uri is None:
                calls.append(PlannedCall("POST /{app-id}/uploads", 0, BUCKET, "upload session"))
            calls.append(PlannedCall("POST /upload:{session}", 0, BUCKET, "the file, by pieces"))
        calls.append(PlannedCall("POST /{page-id}/videos", 0, BUCKET, "texts and thumbnail"))
        return calls

    # -- the catalog's record ------------------------------------------------------------------
    def _row(self, asset_id: int) -> Publication | None:
        with self.catalog.session() as session:
            row: Publication | None = session.scalars(
                select(Publication).where(
                    Publication.asset_id == asset_id, Publication.platform == FACEBOOK
                )
            ).first()
            return row

    def _claimed(self, asset_id: int) -> set[str]:
        with self.catalog.session() as session:
            ids = session.scalars(
                select(Publication.remote_id).where(
                    Publication.platform == FACEBOOK,
                    Publication.asset_id != asset_id,
                    Publication.remote_id.is_not(None),
                )
            )
            return {remote_id for remote_id in ids if remote_id is not None}


def graph_time(text: Any) -> datetime | None:
    """Graph's `created_time` ("2026-12-06T10:00:00+0000") as an aware datetime."""
    if not isinstance(text, str):
        return None
    try:
        moment = datetime.strptime(text, "%Y-%m-%dT%H:%M:%S%z")
    except ValueError:
        return None
    return moment.astimezone(UTC)

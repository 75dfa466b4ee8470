"""Resumable uploads that survive crashes and never upload twice.

The session URI and the confirmed byte offset are committed to the catalog before bytes are
sent and after each chunk. A rerun asks the session how far it got (`bytes */N`) and resumes
from the confirmed byte, or finds the finished video and records it. A finished asset is
never uploaded again. 5xx answers and dropped connections are retried by the library with
exponential backoff (`num_retries`); quota errors stop the batch.
"""

from __future__ import annotations

import copy
import json
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httplib2
from googleapiclient.errors import HttpError
from googleapiclient.http import MediaFileUpload
from sqlalchemy import select

from media_hub import fence
from media_hub.catalog.db import Catalog
from media_hub.catalog.pipeline_models import Publication
from media_hub.catalog.vocabulary import PublicationState
from media_hub.errors import RemoteError
from media_hub.platforms.youtube import YOUTUBE, quota
from media_hub.platforms.youtube.errors import translate

log = logging.getLogger(__name__)

CHUNK_BYTES = 32 * 1024 * 1024  # a multiple of 256 KiB, as the protocol requires
RETRIES = 6
TRANSPORT_RETRIES = 8  # dropped connections in a row before giving up
RETRIED_STATUSES = frozenset({500, 502, 503, 504})  # what Google's upload sample retries


class ChunkedFile(MediaFileUpload):  # type: ignore[misc]  # googleapiclient is untyped
    """A file sent one chunk at a time from memory (one chunk, never the file).

    As a stream, the library sends a slice of the open file, which a retry cannot read again:
    the retried chunk would go out empty and the upload would stall.
    """

    def has_stream(self) -> bool:
        return False


WATCH_URL = "https://www.youtube.com/watch?v={}"


@dataclass(frozen=True)
class UploadOutcome:
    asset_id: int
    video_id: str
    url: str
    uploaded_now: bool  # False: it was already on the channel
    resumed_from: int  # bytes the session had before this run (0 for a fresh upload)


def upload_video(
    catalog: Catalog,
    youtube: Any,
    asset_id: int,
    media: Path,
    resource: dict[str, Any],
    *,
    chunk_bytes: int = CHUNK_BYTES,
    progress: Callable[[int, int], None] | None = None,
) -> UploadOutcome:
    """Upload `media` as the video of `asset_id` with the videos.insert body `resource`."""
    size = media.stat().st_size
    publication = _publication(catalog, asset_id)
    if publication.remote_id is not None:
        return UploadOutcome(asset_id, publication.remote_id, _url(publication), False, 0)
    request = youtube.videos().insert(
        part=",".join(resource),
        body=resource,
        media_body=ChunkedFile(
            str(media), mimetype="video/mp4", chunksize=chunk_bytes, resumable=True
        ),
    )
    resumed_from = 0
    if publication.session_uri and publication.total_bytes == size:
        request.resumable_uri = publication.session_uri
        finished, confirmed = _ask_session(request, size)
        if finished is not None:
            return _finish(catalog, asset_id, finished, resource, resumed_from=size)
        if confirmed is not None:
            request.resumable_progress = resumed_from = confirmed
            log.info("asset %s: resuming the upload at byte %d of %d", asset_id, confirmed, size)
        else:  # the session is gone (expired): no video was made from it
            request.resumable_uri = None
    if request.resumable_uri is None:
        request.resumable_uri = _open_session(catalog, request, asset_id, size)
    if progress is not None:
        progress(resumed_from, size)
    response = None
    dropped = 0
    while response is None:
        fence.confirm(f"sending the next chunk of asset {asset_id}")
        try:
            status, response = request.next_chunk(num_retries=RETRIES)
        except HttpError as exc:
            raise translate(exc, f"uploading asset {asset_id}") from exc
        except (OSError, httplib2.HttpLib2Error) as exc:
            # The library marks the request; the next call asks the session where it stands.
            dropped += 1
            if dropped > TRANSPORT_RETRIES:
                lost = f"uploading asset {asset_id}: {exc}"
                raise RemoteError("YouTube", "connection", lost) from exc
            delay = min(30.0, 2.0**dropped) * (0.5 + random.random() / 2)  # noqa: S311
            log.warning("asset %s: connection lost (%s); retrying in %.1f s", asset_id, exc, delay)
            time.sleep(delay)
            continue
        dropped = 0
        if status is not None:
            _confirm(catalog, asset_id, status.resumable_progress)
            if progress is not None:
                progress(status.resumable_progress, size)
    if progress is not None:
        progress(size, size)
    return _finish(catalog, asset_id, response, resource, resumed_from=resumed_from)


def _publication(catalog: Catalog, asset_id: int) -> Publication:
    with catalog.session() as session:
        found = session.scalars(
            select(Publication).where(
                Publication.asset_id == asset_id, Publication.platform == YOUTUBE
            )
        ).first()
        if found is None:
            found = Publication(asset_id=asset_id, platform=YOUTUBE, state=PublicationState.PENDING)
            session.add(found)
            session.flush()
        return found


def _open_session(catalog: Catalog, request: Any, asset_id: int, size: int) -> str:
    """The initiating POST, done here so that its URI is committed before any byte is sent."""
    headers = copy.copy(request.headers)
    headers["X-Upload-Content-Type"] = request.resumable.mimetype()
    headers["X-Upload-Content-Length"] = str(size)
    headers["content-length"] = str(request.body_size)
    attempt = 0
    while True:
        try:
            with quota.spending(catalog, "videos.insert"):
                response, content = request.http.request(
                    request.uri, method=request.method, body=request.body, headers=headers
                )
        except (OSError, httplib2.HttpLib2Error) as exc:
            failed = f"connection lost ({exc})"
        else:
            if response.status not in RETRIED_STATUSES:
                break
            failed = f"HTTP {response.status}"
        # Nothing was uploaded yet: a new session costs a call, never a second video.
        attempt += 1
        if attempt > TRANSPORT_RETRIES:
            raise RemoteError(
                "YouTube", "connection",
                f"uploading asset {asset_id}: the upload session could not be opened "
                f"({failed}); rerun to try again",
            )  # fmt: skip
        delay = min(30.0, 2.0**attempt) * (0.5 + random.random() / 2)  # noqa: S311
        log.warning("asset %s: opening the upload failed (%s); retrying in %.1f s",
                    asset_id, failed, delay)  # fmt: skip
        time.sleep(delay)
    if response.status != 200 or "location" not in response:
        raise translate(
            HttpError(response, content, uri=request.uri), f"uploading asset {asset_id}"
        )
    uri = str(response["location"])
    with catalog.session() as session:
        publication = _row(session, asset_id)
        publication.session_uri = uri
        publication.total_bytes = size
        publication.confirmed_bytes = 0
        publication.state = PublicationState.UPLOADING
    return uri


def _ask_session(request: Any, size: int) -> tuple[dict[str, Any] | None, int | None]:
    """(the video, if the upload had finished; else the bytes the server holds, or None if
    the session no longer exists)."""
    response, content = request.http.request(
        request.resumable_uri, "PUT", headers={"Content-Range": f"bytes */{size}",
                                               "content-length": "0"},
    )  # fmt: skip
    if response.status in (200, 201):
        body: dict[str, Any] = json.loads(content)
        return body, None
    if response.status == 308:
        received = response.get("range")
        return None, int(received.split("-")[1]) + 1 if received else 0
    if response.status in (404, 410):
        return None, None
    raise translate(HttpError(response, content, uri=request.resumable_uri), "resuming an upload")


def _confirm(catalog: Catalog, asset_id: int, confirmed: int) -> None:
    with catalog.session() as session:
        _row(session, asset_id).confirmed_bytes = confirmed


def _finish(
    catalog: Catalog,
    asset_id: int,
    video: dict[str, Any],
    resource: dict[str, Any],
    *,
    resumed_from: int,
) -> UploadOutcome:
    """The video recorded with its privacy and schedule in one transaction: a process
    killed before it leaves none of them, and the rerun finds the video through its session
    and records them then (one video, scheduled once)."""
    video_id = video.get("id")
    if not isinstance(video_id, str):
        raise RemoteError("YouTube", "noVideoId", f"the upload of asset {asset_id} returned no id")
    asked = resource.get("status") or {}
    privacy = str(asked.get("privacyStatus") or "public")
    publish_at = asked.get("publishAt")
    with catalog.session() as session:
        publication = _row(session, asset_id)
        publication.remote_id = video_id
        publication.url = WATCH_URL.format(video_id)
        publication.state = PublicationState.UPLOADED
        publication.session_uri = None
        publication.confirmed_bytes = publication.total_bytes or 0
        publication.published_at = _published_at(video)
        publication.privacy = privacy
        publication.scheduled_at = _instant(publish_at) if publish_at else None
        publication.live_at = publication.published_at if privacy != "private" else None
        url = publication.url
    return UploadOutcome(asset_id, video_id, url, True, resumed_from)


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def _published_at(video: dict[str, Any]) -> datetime:
    """When YouTube says the video was published (the statistics count from that day), else
    now."""
    text = video.get("snippet", {}).get("publishedAt")
    if isinstance(text, str):
        try:
            return datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            pass
    return datetime.now(UTC)


def _row(session: Any, asset_id: int) -> Publication:
    row: Publication = session.scalars(
        select(Publication).where(Publication.asset_id == asset_id, Publication.platform == YOUTUBE)
    ).one()
    return row


def _url(publication: Publication) -> str:
    return publication.url or WATCH_URL.format(publication.remote_id)

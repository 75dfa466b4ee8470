"""The file sent through Meta's Resumable Upload API, surviving crashes.

The session id is committed to the catalog before the first byte is sent, and the confirmed
offset after each piece. A rerun asks the session where it stands (`GET /upload:<id>`) and
sends from there. A dropped connection or a 5xx costs at most the piece in flight: the offset
is asked again before going on. Meta's handle (`h`) comes only in the answer to the last piece
and cannot be read back from the session; a crash between that answer and its commit leaves a
complete session without a handle, so the rerun sends the file again through a new session.
Nothing is published by an upload, so that costs bytes, never a second video.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from media_hub import fence
from media_hub.catalog.db import Catalog
from media_hub.catalog.pipeline_models import Publication
from media_hub.catalog.vocabulary import PublicationState
from media_hub.errors import RemoteError
from media_hub.platforms.facebook import FACEBOOK
from media_hub.platforms.facebook.client import FilePiece, GraphClient, LostAnswerError
from media_hub.platforms.facebook.errors import SERVICE, GraphError, translate

log = logging.getLogger(__name__)

MIMETYPE = "video/mp4"
LOST_IN_A_ROW = 8  # failed pieces in a row before giving up (a rerun resumes)
HANDLE_PREFIX = "handle:"  # session_uri of a finished upload whose video is not published yet


@dataclass(frozen=True)
class Uploaded:
    handle: str
    resumed_from: int  # bytes Meta held before this run (0 for a fresh upload)


def publication(catalog: Catalog, asset_id: int) -> Publication:
    """The asset's Facebook publication row, made (pending) when there is none."""
    with catalog.session() as session:
        found = session.scalars(
            select(Publication).where(
                Publication.asset_id == asset_id, Publication.platform == FACEBOOK
            )
        ).first()
        if found is None:
            found = Publication(
                asset_id=asset_id, platform=FACEBOOK, state=PublicationState.PENDING
            )
            session.add(found)
            session.flush()
        return found


def update(catalog: Catalog, asset_id: int, **values: object) -> None:
    with catalog.session() as session:
        row = session.scalars(
            select(Publication).where(
                Publication.asset_id == asset_id, Publication.platform == FACEBOOK
            )
        ).one()
        for name, value in values.items():
            setattr(row, name, value)


def upload_file(
    catalog: Catalog,
    client: GraphClient,
    asset_id: int,
    media: Path,
    *,
    chunk_bytes: int,
    progress: Callable[[int, int], None] | None = None,
) -> Uploaded:
    """Send `media` for `asset_id` (resuming its committed session); return Meta's handle."""
    size = media.stat().st_size
    doing = f"uploading asset {asset_id}"
    row = publication(catalog, asset_id)
    if row.session_uri and row.session_uri.startswith(HANDLE_PREFIX):
        return Uploaded(row.session_uri.removeprefix(HANDLE_PREFIX), size)
    offset = 0
    session = row.session_uri if row.total_bytes == size else None
    if session is not None:
        try:
            offset = client.upload_offset(session, doing=doing)
        except GraphError as error:
            if error.temporary:
                raise translate(error, doing) from error
            session = None  # expired or unknown: no video came of it
        if offset >= size:  # complete, but its handle was lost with the process
            log.info("asset %s: the last upload's handle was lost; sending it again", asset_id)
            session, offset = None, 0
    if session is None:
        session = _open(catalog, client, asset_id, media.name, size, doing)
    elif offset:
        log.info("asset %s: resuming the upload at byte %d of %d", asset_id, offset, size)
    resumed_from = offset
    if progress is not None:
        progress(offset, size)
    lost = 0
    with media.open("rb") as stream:
        while True:
            piece = FilePiece(stream, offset, min(chunk_bytes, size - offset))
            fence.confirm(f"sending the next piece of asset {asset_id}")
            try:
                answer = client.send_bytes(session, offset, piece, doing=doing)
            except (LostAnswerError, GraphError) as failure:
                if isinstance(failure, GraphError) and not _retry_piece(failure):
                    raise translate(failure, doing) from failure
                lost += 1
                if lost > LOST_IN_A_ROW:
                    raise (failure if isinstance(failure, LostAnswerError) else
                           translate(failure, doing)) from failure  # fmt: skip
                log.warning("asset %s: a piece was lost (%s); asking where the upload stands",
                            asset_id, failure)  # fmt: skip
                offset = client.upload_offset(session, doing=doing)
                continue
            lost = 0
            handle = answer.get("h") if isinstance(answer, dict) else None
            if isinstance(handle, str) and handle:
                update(catalog, asset_id, session_uri=HANDLE_PREFIX + handle,
                       confirmed_bytes=size, state=PublicationState.UPLOADING)  # fmt: skip
                if progress is not None:
                    progress(size, size)
                return Uploaded(handle, resumed_from)
            reported = answer.get("file_offset") if isinstance(answer, dict) else None
            offset = int(reported) if isinstance(reported, int | str) and str(reported).isdigit() \
                else client.upload_offset(session, doing=doing)  # fmt: skip
            if offset >= size:
                raise RemoteError(
                    SERVICE, "noHandle", f"{doing}: the upload ended without a handle"
                )
            update(catalog, asset_id, confirmed_bytes=offset)
            if progress is not None:
                progress(offset, size)


def _open(
    catalog: Catalog, client: GraphClient, asset_id: int, name: str, size: int, doing: str
) -> str:
    """A new session, committed before any byte is sent."""
    try:
        session = client.start_upload(name, size, MIMETYPE, doing=doing)
    except GraphError as error:
        raise translate(error, doing) from error
    update(catalog, asset_id, session_uri=session, total_bytes=size, confirmed_bytes=0,
           state=PublicationState.UPLOADING)  # fmt: skip
    return session


def _retry_piece(error: GraphError) -> bool:
    """A temporary failure, or an offset Meta does not expect: ask where it stands."""
    return error.temporary or (error.code == 100 and "offset" in error.message.lower())

"""Files sent from the asset page: the tus resumable upload protocol 1.0.0, core and creation.

`POST /uploads` makes an upload (its length, asset and file name given in Upload-Length and
Upload-Metadata); `HEAD /uploads/ID` says how many bytes the server holds, so a dropped
connection resumes there; `PATCH /uploads/ID` appends from that offset, streamed to the part
file, never held in memory. With the last byte in, the file is attached to its asset by
`ingest`, as `media-hub ingest FILE --asset ID` does, and refused as it refuses. Only editors
send files; the page's script sends its CSRF token in the X-CSRF-Token header.
"""

from __future__ import annotations

import base64
import binascii
import os
from pathlib import Path

import anyio
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from media_hub.catalog.db import Catalog
from media_hub.catalog.user_models import Role
from media_hub.errors import MediaHubError, NotFoundError, ValidationError
from media_hub.pipeline.ingest import IngestRequest, IngestResult, ingest, kind_of
from media_hub.web.context import Visit, check_csrf, need, web
from media_hub.web.render import finish
from media_hub.web.upload_parts import BusyError, Upload, UploadGoneError, UploadParts, checked_name

VERSION = "1.0.0"
CHUNK_TYPE = "application/offset+octet-stream"


def _parts(request: Request) -> UploadParts:
    app = web(request)
    return UploadParts(app.hub.settings.home, app.config.uploads_dir)


def _answer(request: Request, status: int, text: str = "", **headers: str) -> Response:
    """A protocol answer: plain text (a one-line reason for the page to show), tus headers."""
    response = PlainTextResponse(text, status_code=status) if text else Response(status_code=status)
    response.headers["Tus-Resumable"] = VERSION
    response.headers["Cache-Control"] = "no-store"
    for name, value in headers.items():
        response.headers[name.replace("_", "-")] = value
    return finish(request, response)


async def _editor(request: Request, *, csrf: bool) -> Visit | Response:
    """The editor sending, or the answer refusing the request (wrong protocol version)."""
    current = await run_in_threadpool(need, request, Role.EDITOR)
    if csrf:
        check_csrf(request, {})  # the header: a script cannot send a form field with PATCH
    if request.headers.get("tus-resumable") != VERSION:
        return _answer(request, 412, f"this server speaks tus {VERSION}", Tus_Version=VERSION)
    return current


def _number(request: Request, header: str) -> int | None:
    text = request.headers.get(header, "")
    return int(text) if text.isdecimal() and len(text) <= 18 else None


def _metadata(header: str) -> dict[str, str]:
    """Upload-Metadata: `key base64,key base64`, values decoded as UTF-8."""
    found: dict[str, str] = {}
    for pair in header.split(","):
        key, _, value = pair.strip().partition(" ")
        try:
            found[key] = base64.b64decode(value.strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError) as exc:
            raise ValidationError("Upload-Metadata", f"{key!r} is not base64 text") from exc
    return found


async def options(request: Request) -> Response:
    await run_in_threadpool(need, request, Role.EDITOR)
    max_size = str(web(request).config.upload_max_bytes)
    return _answer(request, 204, Tus_Version=VERSION, Tus_Extension="creation",
                   Tus_Max_Size=max_size)  # fmt: skip


async def create(request: Request) -> Response:
    current = await _editor(request, csrf=True)
    if isinstance(current, Response):
        return current
    length = _number(request, "upload-length")
    limit = web(request).config.upload_max_bytes
    if length is None:
        return _answer(request, 400, "Upload-Length is required: the file's size in bytes")
    if length > limit:
        return _answer(request, 413, f"the file is larger than the {_size(limit)} allowed")
    if length == 0:
        return _answer(request, 400, "the file is empty (0 bytes)")
    try:
        upload = await run_in_threadpool(_create, request, current, length)
    except NotFoundError as exc:
        return _answer(request, 404, f"{exc.record} not found")
    except MediaHubError as exc:
        return _answer(request, 400, _line(exc))
    return _answer(request, 201, Location=f"/uploads/{upload.id}")


def _create(request: Request, current: Visit, length: int) -> Upload:
    meta = _metadata(request.headers.get("upload-metadata", ""))
    asset_text, name = meta.get("asset", ""), checked_name(meta.get("filename", ""))
    if not asset_text.isdecimal() or len(asset_text) > 18:
        raise ValidationError("Upload-Metadata", "asset: an asset id is required")
    asset = web(request).hub.catalog.show(int(asset_text))
    kind = kind_of(Path(name))  # refused now rather than after the last byte
    if asset["kind"] != kind:
        raise ValidationError("file", f"it is a {asset['kind']}, and {name} is a {kind}",
                              record=f"asset {asset['id']}")  # fmt: skip
    return _parts(request).create(length, asset["id"], name, current.name)


async def head(request: Request) -> Response:
    current = await _editor(request, csrf=False)
    if isinstance(current, Response):
        return current
    parts = _parts(request)
    try:
        upload = parts.get(request.path_params["upload_id"], current.name)
        offset = parts.offset(upload)
    except UploadGoneError:
        return _answer(request, 404)
    return _answer(request, 200, Upload_Offset=str(offset), Upload_Length=str(upload.length))


async def append(request: Request) -> Response:
    current = await _editor(request, csrf=True)
    if isinstance(current, Response):
        return current
    if request.headers.get("content-type", "").split(";")[0].strip() != CHUNK_TYPE:
        return _answer(request, 415, f"send the bytes as {CHUNK_TYPE}")
    parts = _parts(request)
    try:
        upload = parts.get(request.path_params["upload_id"], current.name)
    except UploadGoneError:
        return _answer(request, 404, "no such upload: start it again")
    offset = _number(request, "upload-offset")
    if offset is None:
        return _answer(request, 400, "Upload-Offset is required")
    sent = _number(request, "content-length")
    if sent is not None and offset + sent > upload.length:
        return _answer(request, 413, "more bytes than the Upload-Length given")
    try:
        with parts.appending(upload) as out:
            held = os.fstat(out.fileno()).st_size
            if held != offset:
                return _answer(request, 409, f"the server holds {held} bytes; resume from there",
                               Upload_Offset=str(held))  # fmt: skip
            written = offset
            try:
                async for chunk in request.stream():
                    if written + len(chunk) > upload.length:
                        out.truncate(offset)
                        return _answer(request, 413, "more bytes than the Upload-Length given")
                    await anyio.to_thread.run_sync(out.write, chunk)
                    written += len(chunk)
            except ClientDisconnect:  # what arrived is kept: HEAD tells the client where to go on
                out.flush()
                return _answer(request, 400, "the connection dropped", Upload_Offset=str(written))
    except BusyError as exc:
        return _answer(request, 409, _line(exc))
    except UploadGoneError:
        return _answer(request, 404, "no such upload: start it again")
    if written < upload.length:
        return _answer(request, 204, Upload_Offset=str(written))
    try:
        result = await run_in_threadpool(_attach, request, parts, upload, current.name)
    except MediaHubError as exc:
        return _answer(request, 400, _line(exc))
    return _answer(request, 204, Upload_Offset=str(written), Media_Hub_Asset=str(result.asset_id))


def _attach(request: Request, parts: UploadParts, upload: Upload, user: str) -> IngestResult:
    """The finished file to its asset, as `ingest FILE --asset ID`, recorded as `user`'s."""
    hub = web(request).hub
    catalog = Catalog(hub.db.engine, user)
    with parts.finished(upload) as path:
        return ingest(catalog, hub.store, IngestRequest(path, asset_id=upload.asset_id))


def _line(exc: MediaHubError) -> str:
    return str(exc).splitlines()[0]


def _size(count: int) -> str:
    return f"{count / 1024**2:.0f} MiB"


routes = [
    Route("/uploads", options, methods=["OPTIONS"]),
    Route("/uploads", create, methods=["POST"]),
    Route("/uploads/{upload_id}", head, methods=["HEAD"]),
    Route("/uploads/{upload_id}", append, methods=["PATCH"]),
]

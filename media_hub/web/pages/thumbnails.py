"""Thumbnail candidates as a contact sheet to pick from (as `thumbs pick`), or a picture of
one's own (as `thumbs set`)."""

from __future__ import annotations

from pathlib import PurePath

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from media_hub.catalog.user_models import Role
from media_hub.errors import MediaError, ValidationError
from media_hub.pipeline.thumbnails import (
    CandidateRecord,
    ThumbnailPlace,
    list_thumbnails,
    pick_thumbnail,
    use_own_thumbnail,
)
from media_hub.web.context import Fields, check_csrf, first, need, posted, web
from media_hub.web.render import page, redirect
from media_hub.web.small_files import FileTooLargeError, read_small_file
from media_hub.web.upload_store import scratch


def _place(request: Request) -> ThumbnailPlace:
    app = web(request)
    return ThumbnailPlace(app.hub.settings.definitions_dir, app.config.thumbnails_dir)


def _candidates(request: Request, asset_id: int) -> list[CandidateRecord]:
    try:
        rows = list_thumbnails(web(request).hub.db, asset_id)
    except ValidationError:  # no ingested file: nothing to pick from
        return []
    return [row for row in rows if row.role == "candidate"]


MAX_PICTURE_BYTES = 20 * 2**20  # a camera's JPEG; the thumbnail made from it is far smaller
PICTURE_SUFFIXES = (".jpg", ".jpeg", ".png")


def candidates(request: Request) -> Response:
    need(request, Role.VIEWER)
    return _shown(request, request.path_params["asset_id"])


def _shown(
    request: Request, asset_id: int, error: str | None = None, status: int = 200
) -> Response:
    record = web(request).hub.catalog.show(asset_id)
    sheet = (web(request).config.thumbnails_dir / f"asset-{asset_id}-candidates.jpg").is_file()
    return page(
        request, "thumbnails.html", status=status, asset=record,
        candidates=_candidates(request, asset_id), sheet=sheet, error=error,
        max_mib=MAX_PICTURE_BYTES // 2**20,
    )  # fmt: skip


async def own_picture(request: Request) -> Response:
    """The picture is read up to its limit in the event loop; the thumbnail is made in a
    worker thread. (A form with a file cannot go through `posted`; CSRF is checked below.)"""
    await run_in_threadpool(need, request, Role.LIBRARIAN)
    asset_id: int = request.path_params["asset_id"]
    try:
        fields, name, data = await read_small_file(request, "picture", MAX_PICTURE_BYTES)
    except FileTooLargeError:
        problem = f"the picture is larger than {MAX_PICTURE_BYTES // 2**20} MiB; give a smaller one"
        return await run_in_threadpool(_shown, request, asset_id, problem, 413)
    return await run_in_threadpool(_use_own, request, asset_id, fields, name, data)


def _use_own(request: Request, asset_id: int, fields: Fields, name: str, data: bytes) -> Response:
    need(request, Role.LIBRARIAN)
    check_csrf(request, fields)
    suffix = PurePath(name).suffix.lower()
    if not data or suffix not in PICTURE_SUFFIXES:
        problem = f"{name or 'no file'}: choose a JPEG or PNG picture (.jpg, .jpeg or .png)"
        return _shown(request, asset_id, problem, 400)
    app = web(request)
    with scratch(app.hub.settings.home, f"picture{suffix}", data) as picture:
        try:
            use_own_thumbnail(app.hub.db, app.hub.store, _place(request), asset_id, picture)
        except MediaError as exc:
            return _shown(request, asset_id, f"{name}: {exc.problem}", 400)
    return redirect(request, f"/assets/{asset_id}/thumbnails")


def pick(request: Request, fields: Fields) -> Response:
    need(request, Role.LIBRARIAN)
    check_csrf(request, fields)
    asset_id: int = request.path_params["asset_id"]
    number = first(fields, "candidate")
    if not number.isdecimal() or len(number) > 6:
        raise HTTPException(400)
    app = web(request)
    pick_thumbnail(app.hub.db, app.hub.store, _place(request), asset_id, int(number))
    return redirect(request, f"/assets/{asset_id}/thumbnails")


routes = [
    Route("/assets/{asset_id:int}/thumbnails", candidates, methods=["GET"]),
    Route("/assets/{asset_id:int}/thumbnails", posted(pick), methods=["POST"]),
    Route("/assets/{asset_id:int}/thumbnails/own", own_picture, methods=["POST"]),
]

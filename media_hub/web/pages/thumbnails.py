"""Thumbnail candidates as a contact sheet to pick from (as `thumbs pick`)."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from media_hub.catalog.user_models import Role
from media_hub.errors import ValidationError
from media_hub.pipeline.thumbnails import (
    CandidateRecord,
    ThumbnailPlace,
    list_thumbnails,
    pick_thumbnail,
)
from media_hub.web.context import Fields, check_csrf, first, need, posted, web
from media_hub.web.render import page, redirect


def _place(request: Request) -> ThumbnailPlace:
    app = web(request)
    return ThumbnailPlace(app.hub.settings.definitions_dir, app.config.thumbnails_dir)


def _candidates(request: Request, asset_id: int) -> list[CandidateRecord]:
    try:
        rows = list_thumbnails(web(request).hub.db, asset_id)
    except ValidationError:  # no ingested file: nothing to pick from
        return []
    return [row for row in rows if row.role == "candidate"]


def candidates(request: Request) -> Response:
    need(request, Role.VIEWER)
    asset_id: int = request.path_params["asset_id"]
    record = web(request).hub.catalog.show(asset_id)
    sheet = (web(request).config.thumbnails_dir / f"asset-{asset_id}-candidates.jpg").is_file()
    return page(
        request, "thumbnails.html", asset=record, candidates=_candidates(request, asset_id),
        sheet=sheet,
    )  # fmt: skip


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
]

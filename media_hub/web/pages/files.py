"""Thumbnails by asset id: the path is built from a number, never from what was asked."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from media_hub.catalog.user_models import Role
from media_hub.web.context import need, web


def thumbnail(request: Request) -> Response:
    need(request, Role.VIEWER)
    asset_id: int = request.path_params["asset_id"]
    suffix = "-candidates" if request.url.path.endswith("/candidates.jpg") else ""
    path = web(request).config.thumbnails_dir / f"asset-{asset_id}{suffix}.jpg"
    if not path.is_file():
        raise HTTPException(404)
    return FileResponse(
        path, media_type="image/jpeg", headers={"Cache-Control": "private, max-age=60"}
    )


routes = [
    Route("/thumbs/{asset_id:int}.jpg", thumbnail, methods=["GET"]),
    Route("/thumbs/{asset_id:int}/candidates.jpg", thumbnail, methods=["GET"]),
]

"""Pieces every Data API resource shares: etags, list envelopes, the `part` parameter."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from media_hub.sandbox.errors import ApiError
from media_hub.sandbox.wire import Request

THUMBNAIL_SIZES = {"default": (120, 90), "medium": (320, 180), "high": (480, 360)}


def etag(value: Any) -> str:
    return hashlib.sha1(json.dumps(value, sort_keys=True).encode()).hexdigest()[:27]  # noqa: S324


def list_response(kind: str, items: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    page = {"totalResults": len(items), "resultsPerPage": len(items)}
    return {"kind": kind, "etag": etag(items), **extra, "pageInfo": page, "items": items}


def parts_of(request: Request, allowed: frozenset[str]) -> set[str]:
    parts = {part.strip() for part in request.require("part").split(",") if part.strip()}
    unknown = parts - allowed
    if unknown:
        raise ApiError("unknownPart", f"Unknown part: {', '.join(sorted(unknown))}.")
    return parts


def thumbnail_urls(base_url: str, video_id: str) -> dict[str, Any]:
    return {
        name: {"url": f"{base_url}/sandbox/thumbnails/{video_id}/{name}.jpg", "width": w,
               "height": h}
        for name, (w, h) in THUMBNAIL_SIZES.items()
    }  # fmt: skip

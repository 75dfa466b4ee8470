"""The kinds of job a worker can run: each a plain function of the hub and the payload.

A handler must be idempotent (a job whose worker died is run again by another), take all it
needs from its payload and the hub's catalog and store (so any worker on any machine can
run it), and return a JSON-able result.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict
from typing import Any

from media_hub.errors import ValidationError
from media_hub.hub import Hub
from media_hub.pipeline.renditions import ensure_rendition

Handler = Callable[[Hub, Mapping[str, Any]], dict[str, Any]]


def transcode(hub: Hub, payload: Mapping[str, Any]) -> dict[str, Any]:
    """Payload {"asset_id": int, "profile": str}: the asset's rendition, made once."""
    asset_id = payload.get("asset_id")
    if not isinstance(asset_id, int):
        raise ValidationError("payload.asset_id", "an asset id is required", record="transcode")
    profile = str(payload.get("profile", "youtube"))
    made = ensure_rendition(
        hub.catalog.catalog, hub.store, hub.settings.definitions_dir, asset_id, profile
    )
    return asdict(made)


HANDLERS: Mapping[str, Handler] = {
    "transcode": transcode,
}


def known_kinds() -> list[str]:
    return sorted(HANDLERS)


def handler_for(kind: str) -> Handler:
    found = HANDLERS.get(kind)
    if found is None:
        raise ValidationError(
            "kind", f"unknown job kind {kind!r}; known: {', '.join(known_kinds())}"
        )
    return found

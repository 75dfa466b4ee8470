"""Catalog records as plain data, the shape every output (JSON, CSV, tables) starts from."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NotRequired, TypedDict

from media_hub.catalog.models import Asset, AuditEntry, Playlist, Series, Topic

# The asset columns a record shows, read from an ORM object or straight from a result row.
ASSET_COLUMNS = (
    "id", "kind", "season", "episode", "default_language", "recorded_date", "source_checksum",
    "status", "version", "created_at", "created_by", "updated_at", "updated_by",
)  # fmt: skip


class AssetRecord(TypedDict):
    """An asset as the library hands it out: plain values, JSON-ready, keys checked by mypy."""

    id: int
    kind: str
    series: str | None
    season: int | None
    episode: int | None
    default_language: str
    titles: dict[str, str]
    descriptions: dict[str, str]
    topics: list[str]
    recorded_date: str | None
    source_checksum: str | None
    status: str
    version: int
    created_at: str
    created_by: str
    updated_at: str
    updated_by: str
    playlists: NotRequired[list[str]]  # in `CatalogService.show`, by slug
    # In `CatalogService.show`: platforms whose adopted texts are sent as they are.
    texts_as_published: NotRequired[list[str]]
    # In `CatalogService.show`: each platform's publication (`publications.PublicationRecord`).
    publications: NotRequired[list[dict[str, Any]]]


def asset_record(asset: Asset) -> AssetRecord:
    return asset_record_from_columns(
        {name: getattr(asset, name) for name in ASSET_COLUMNS},
        asset.series.slug if asset.series else None,
        {text.lang: text.title for text in asset.texts},
        {text.lang: text.description for text in asset.texts if text.description},
        asset.topics,
    )


def asset_record_from_columns(
    columns: Mapping[str, Any],
    series: str | None,
    titles: dict[str, str],
    descriptions: dict[str, str],
    topics: list[str],
) -> AssetRecord:
    recorded = columns["recorded_date"]
    return {
        "id": columns["id"],
        "kind": columns["kind"].value,
        "series": series,
        "season": columns["season"],
        "episode": columns["episode"],
        "default_language": columns["default_language"],
        "titles": titles,
        "descriptions": descriptions,
        "topics": topics,
        "recorded_date": recorded.isoformat() if recorded else None,
        "source_checksum": columns["source_checksum"],
        "status": columns["status"].value,
        "version": columns["version"],
        "created_at": columns["created_at"].isoformat(),
        "created_by": columns["created_by"],
        "updated_at": columns["updated_at"].isoformat(),
        "updated_by": columns["updated_by"],
    }


def default_title(asset: Asset) -> str:
    text = asset.text(asset.default_language)
    return text.title if text else ""


def series_record(series: Series, asset_count: int | None = None) -> dict[str, Any]:
    record: dict[str, Any] = {
        "slug": series.slug,
        "kind": series.kind.value,
        "names": series.names,
        "descriptions": series.descriptions,
        "default_language": series.default_language,
        "numbering": series.numbering.value,
        "playlists": series.playlist_slugs,
        "topics": series.topic_slugs,
        "template": series.template,
        "version": series.version,
    }
    if asset_count is not None:
        record["assets"] = asset_count
    return record


def playlist_record(playlist: Playlist, asset_ids: list[int] | None = None) -> dict[str, Any]:
    record: dict[str, Any] = {
        "slug": playlist.slug,
        "kind": playlist.kind.value,
        "names": playlist.names,
        "descriptions": playlist.descriptions,
        "privacy": playlist.privacy.value,
        "order": playlist.order.value,
        "remote_ids": playlist.remote_ids,
        "version": playlist.version,
    }
    if asset_ids is not None:
        record["assets"] = asset_ids
    return record


def topic_record(topic: Topic) -> dict[str, Any]:
    return {"slug": topic.slug, "names": topic.names}


def audit_record(entry: AuditEntry) -> dict[str, Any]:
    return {
        "at": entry.at.isoformat(),
        "user": entry.user,
        "record": f"{entry.record_type} {entry.record_id}",
        "version": entry.version,
        "action": entry.action,
        "field": entry.field,
        "old": entry.old_value,
        "new": entry.new_value,
    }

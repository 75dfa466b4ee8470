"""Catalog records as plain data, the shape every output (JSON, CSV, tables) starts from."""

from __future__ import annotations

from typing import Any

from media_hub.catalog.models import Asset, AuditEntry, Playlist, Series, Topic


def asset_record(asset: Asset) -> dict[str, Any]:
    return {
        "id": asset.id,
        "kind": asset.kind.value,
        "series": asset.series.slug if asset.series else None,
        "season": asset.season,
        "episode": asset.episode,
        "default_language": asset.default_language,
        "titles": {text.lang: text.title for text in asset.texts},
        "descriptions": {text.lang: text.description for text in asset.texts if text.description},
        "topics": asset.topics,
        "recorded_date": asset.recorded_date.isoformat() if asset.recorded_date else None,
        "source_checksum": asset.source_checksum,
        "status": asset.status.value,
        "version": asset.version,
        "created_at": asset.created_at.isoformat(),
        "created_by": asset.created_by,
        "updated_at": asset.updated_at.isoformat(),
        "updated_by": asset.updated_by,
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
        "youtube_id": playlist.youtube_id,
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

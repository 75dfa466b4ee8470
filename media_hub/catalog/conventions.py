"""Applying the channel's conventions (catalog/*.toml) to the catalog, idempotently.

Records are matched by slug: new ones are added, changed fields are updated (and audited), and
records that the files no longer mention are kept (assets may point to them) and reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from media_hub.catalog.definitions import (
    Definitions,
    PlaylistDefinition,
    SeriesDefinition,
    TopicDefinition,
)
from media_hub.catalog.models import Playlist, Series, Topic

Action = Literal["added", "changed", "not in files"]
Slugged = TypeVar("Slugged", Topic, Playlist, Series)


@dataclass(frozen=True)
class Change:
    action: Action
    record: str  # "series advisory-clips"
    field: str | None = None
    old: Any = None
    new: Any = None


def apply_definitions(session: Session, definitions: Definitions) -> list[Change]:
    """Bring topics, playlists and series in line with `definitions`; returns what changed."""
    changes: list[Change] = []
    changes += _sync(session, Topic, "topic", definitions.topics, _topic_fields)
    changes += _sync(session, Playlist, "playlist", definitions.playlists, _playlist_fields)
    changes += _sync(session, Series, "series", definitions.series, _series_fields)
    session.flush()
    return changes


def _topic_fields(definition: TopicDefinition) -> dict[str, Any]:
    return {"names": dict(definition.names)}


def _playlist_fields(definition: PlaylistDefinition) -> dict[str, Any]:
    return {
        "kind": definition.kind,
        "names": dict(definition.names),
        "descriptions": dict(definition.descriptions),
        "privacy": definition.privacy,
        "order": definition.order,
    }


def _series_fields(definition: SeriesDefinition) -> dict[str, Any]:
    return {
        "kind": definition.kind,
        "names": dict(definition.names),
        "descriptions": dict(definition.descriptions),
        "default_language": definition.default_language,
        "numbering": definition.numbering,
        "playlist_slugs": list(definition.playlists),
        "topic_slugs": list(definition.topics),
        "template": definition.template,
    }


def _sync(
    session: Session,
    model: type[Slugged],
    label: str,
    definitions: dict[str, Any],
    fields_of: Any,
) -> list[Change]:
    existing: dict[str, Slugged] = {
        record.slug: record for record in session.scalars(select(model))
    }
    changes: list[Change] = []
    for slug, definition in definitions.items():
        fields = fields_of(definition)
        record = existing.get(slug)
        if record is None:
            session.add(model(slug=slug, **fields))
            changes.append(Change("added", f"{label} {slug}"))
            continue
        for name, value in fields.items():
            current = getattr(record, name)
            if current != value:
                changes.append(Change("changed", f"{label} {slug}", name, current, value))
                setattr(record, name, value)
    changes.extend(
        Change("not in files", f"{label} {slug}") for slug in existing if slug not in definitions
    )
    return changes

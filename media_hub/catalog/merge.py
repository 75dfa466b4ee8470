"""A stale row merged field by field: the sheet was read at version 3, the asset is now at 5.

The audit log holds every field changed since version 3 with its old value, so the asset as
the librarian read it is the asset now with those changes undone, latest first (`base`).
Against it, a field the row changed and nobody else did is taken; a field someone else
changed and the row did not is kept as they left it; a field both changed to different
values is a `FieldConflict`, which names the field, who changed it and both values.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from media_hub.catalog.editable import NUMBER_FIELDS, SLUG_LIST_FIELDS, FieldValue, same, show
from media_hub.catalog.models import AuditEntry

_SHOWN_CHARS = 60


@dataclass(frozen=True)
class FieldConflict:
    asset_id: int
    field: str
    read_version: int
    version: int  # the asset's now
    by: str
    at: str
    theirs: FieldValue
    ours: FieldValue

    def __str__(self) -> str:
        return (
            f"asset {self.asset_id}: {self.field}: changed by {self.by} at {self.at} since "
            f"you read version {self.read_version} (now version {self.version}): the catalog "
            f"has {_shown(self.theirs)}, the sheet {_shown(self.ours)}; nothing of this row "
            "was saved: export the asset again and redo your edit"
        )


@dataclass(frozen=True)
class Merge:
    """The fields to write, the fields refused, and the fields others changed (kept)."""

    wanted: dict[str, FieldValue]
    conflicts: list[FieldConflict]
    kept: tuple[str, ...]


def entries_since(session: Session, asset_id: int, version: int) -> list[AuditEntry]:
    """The asset's audit entries of the versions after `version`, in log order."""
    return list(
        session.scalars(
            select(AuditEntry)
            .where(
                AuditEntry.record_type == "asset",
                AuditEntry.record_id == asset_id,
                AuditEntry.version > version,
            )
            .order_by(AuditEntry.id)
        )
    )


def base(current: Mapping[str, FieldValue], since: Sequence[AuditEntry]) -> dict[str, FieldValue]:
    """The editable fields as they were before the `since` entries: each undone, latest first."""
    fields = dict(current)
    for entry in reversed(since):
        if entry.field not in fields:
            continue  # not editable from a sheet (series, source, playlist positions)
        if entry.field in SLUG_LIST_FIELDS:  # one entry per slug added or removed
            slugs = set(_slugs(fields[entry.field]))
            slugs.discard(entry.new_value or "")
            if entry.old_value is not None:
                slugs.add(entry.old_value)
            fields[entry.field] = tuple(sorted(slugs - {""}))
        elif entry.field in NUMBER_FIELDS:
            fields[entry.field] = None if entry.old_value is None else int(entry.old_value)
        else:
            fields[entry.field] = entry.old_value
    return fields


def merge(
    asset_id: int,
    read_version: int,
    version: int,
    current: Mapping[str, FieldValue],
    wanted: Mapping[str, FieldValue],
    since: Sequence[AuditEntry],
) -> Merge:
    """What of `wanted` (a row read at `read_version`) goes onto `current` (at `version`)."""
    before = base(current, since)
    taken: dict[str, FieldValue] = {}
    conflicts: list[FieldConflict] = []
    for field, ours in wanted.items():
        if field not in before or same(field, before[field], ours):
            continue  # the row leaves it as it was read
        theirs = current[field]
        if same(field, before[field], theirs) or same(field, theirs, ours):
            taken[field] = ours
            continue
        last = next((entry for entry in reversed(since) if entry.field == field), None)
        by, at = (last.user, f"{last.at:%Y-%m-%d %H:%M} UTC") if last else ("someone", "a time")
        conflict = FieldConflict(asset_id, field, read_version, version, by, at, theirs, ours)
        conflicts.append(conflict)
    others = {field for field in before if not same(field, before[field], current[field])}
    kept = tuple(sorted(others - set(taken)))
    return Merge(taken, conflicts, kept)


def _slugs(value: FieldValue) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else ()


def _shown(value: FieldValue) -> str:
    text = show(value)
    if text is None:
        return "nothing"
    line = text.replace("\n", "⏎")
    return f"'{line if len(line) <= _SHOWN_CHARS else line[: _SHOWN_CHARS - 1] + '…'}'"

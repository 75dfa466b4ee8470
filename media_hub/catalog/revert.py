"""Restoring an asset as it was at an earlier version, rebuilt from the audit log.

The log holds every change of every field with the version it made, from the asset's
creation on; replaying the entries up to version N gives the asset after version N. The
restore is an ordinary edit (a new version, audited, checked by every rule), so a revert can
itself be reverted.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from media_hub.catalog import assets, lookup
from media_hub.catalog.editable import (
    FIELDS,
    NUMBER_FIELDS,
    SLUG_LIST_FIELDS,
    FieldChange,
    FieldValue,
    edit_between,
    fields_of,
)
from media_hub.catalog.models import AuditEntry
from media_hub.catalog.query import asset_records_by_id
from media_hub.catalog.vocabulary import LANGUAGES
from media_hub.errors import NotFoundError


def state_at(entries: Iterable[AuditEntry], version: int) -> dict[str, FieldValue]:
    """The editable fields after `version`, from the asset's audit entries in log order.

    Fields the log never mentions were empty at creation (a create writes no entry for an
    empty field); the series, kind, source and playlist positions are not editable here.
    """
    state: dict[str, FieldValue] = dict.fromkeys(FIELDS)
    members: dict[str, set[str]] = {field: set() for field in SLUG_LIST_FIELDS}
    for entry in entries:
        if entry.version is None or entry.version > version:
            continue
        if entry.field in SLUG_LIST_FIELDS:
            if entry.old_value is not None:
                members[entry.field].discard(entry.old_value)
            if entry.new_value is not None:
                members[entry.field].add(entry.new_value)
        elif entry.field in NUMBER_FIELDS:
            state[entry.field] = None if entry.new_value is None else int(entry.new_value)
        elif entry.field in state:
            state[entry.field] = entry.new_value
    for field, slugs in members.items():
        state[field] = tuple(sorted(slugs))
    for lang in LANGUAGES:
        if state[f"title.{lang}"] is None:
            state[f"description.{lang}"] = None
        elif state[f"description.{lang}"] is None:
            state[f"description.{lang}"] = ""
    return state


def revert_asset(session: Session, asset_id: int, version: int) -> list[FieldChange]:
    """Make the asset as it was after `version`; returns the fields that changed."""
    asset = lookup.asset(session, asset_id)
    history = assets.asset_history(session, asset_id)
    hint = f"see 'media-hub catalog history {asset_id}'"
    if not 1 <= version <= asset.version:
        raise NotFoundError(
            f"version {version} of asset {asset_id}",
            f"it has versions 1 to {asset.version}; {hint}",
        )
    if not any(entry.action == "create" for entry in history):
        raise NotFoundError(
            f"version {version} of asset {asset_id}",
            f"the audit log does not go back to the asset's creation, so no version can be "
            f"rebuilt; {hint}",
        )
    current = fields_of(asset_records_by_id(session, [asset_id])[asset_id])
    edit, changes = edit_between(asset_id, current, state_at(history, version))
    if changes:
        assets.edit_asset(session, asset_id, edit, expected_version=asset.version)
    return changes

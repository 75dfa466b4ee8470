"""The asset form: its fields read with the CLI's own parser, and a conflict merged by the
library's merge and laid out field by field.

A field is read by `editable.parse_value`, as `catalog set FIELD=VALUE` and a spreadsheet
cell are, so the form refuses exactly what the CLI refuses, field by field.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from media_hub.catalog import merge as merging
from media_hub.catalog.db import Catalog
from media_hub.catalog.editable import (
    FIELDS,
    SLUG_LIST_FIELDS,
    FieldValue,
    fields_of,
    parse_value,
    show,
)
from media_hub.catalog.query import asset_records_by_id
from media_hub.catalog.records import AssetRecord
from media_hub.errors import ValidationError

Fields = Mapping[str, list[str]]


@dataclass
class Submitted:
    values: dict[str, FieldValue] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def read_fields(fields: Fields, record: str) -> Submitted:
    """The form's values by field name, and each field's error."""
    submitted = Submitted()
    for name in FIELDS:
        if name in SLUG_LIST_FIELDS:
            text = " ".join(fields.get(name, []))
        elif name in fields:
            text = fields[name][0]
        else:
            continue
        try:
            submitted.values[name] = parse_value(name, text, record=record)
        except ValidationError as exc:
            submitted.errors[name] = exc.problem
            submitted.values[name] = text  # shown again as typed, beside the problem
    return submitted


def encode_base(values: Mapping[str, FieldValue]) -> str:
    """The values the editor started from, carried in the form as JSON."""
    return json.dumps({name: values.get(name) for name in FIELDS}, ensure_ascii=False)


def decode_base(text: str) -> dict[str, FieldValue] | None:
    try:
        raw = json.loads(text)
    except ValueError:
        return None
    if not isinstance(raw, dict):
        return None
    base: dict[str, FieldValue] = {}
    for name in FIELDS:
        value = raw.get(name)
        if isinstance(value, list):
            base[name] = tuple(str(item) for item in value)
        elif value is None or isinstance(value, str | int):
            base[name] = value
    return base


@dataclass(frozen=True)
class Conflict:
    """A field both editors changed: the other's value (who, when) and mine, as shown."""

    field: str
    mine: str | None
    theirs: str | None
    by: str
    at: str


def merge_over(
    catalog: Catalog, asset_id: int, read_version: int, mine: Mapping[str, FieldValue]
) -> tuple[AssetRecord, dict[str, FieldValue], list[Conflict]]:
    """The asset as it is now, and its fields with my changes (made from `read_version`)
    laid on them by the library's own merge (`catalog.merge`, as an import merges a stale
    row); the fields both of us changed differently keep my value until the editor chooses,
    and are returned."""
    with catalog.session() as session:
        record = asset_records_by_id(session, [asset_id])[asset_id]
        since = merging.entries_since(session, asset_id, read_version)
    current, version = fields_of(record), int(record["version"])
    result = merging.merge(asset_id, read_version, version, current, mine, since)
    merged = {**current, **result.wanted}
    conflicts = []
    for conflict in result.conflicts:
        merged[conflict.field] = conflict.ours
        conflicts.append(
            Conflict(
                conflict.field, show(conflict.ours), show(conflict.theirs), conflict.by, conflict.at
            )
        )
    return record, merged, conflicts

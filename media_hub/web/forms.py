"""The asset form: its fields read with the CLI's own parser, and a conflict laid out.

A field is read by `editable.parse_value`, as `catalog set FIELD=VALUE` and a spreadsheet
cell are, so the form refuses exactly what the CLI refuses, field by field.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from media_hub.catalog.editable import (
    FIELDS,
    SLUG_LIST_FIELDS,
    FieldValue,
    parse_value,
    show,
)
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


def same(a: FieldValue, b: FieldValue) -> bool:
    """Equal as the audit log would write them (an empty description is no description)."""
    return (show(a) or None) == (show(b) or None)


@dataclass(frozen=True)
class Conflict:
    field: str
    mine: str | None
    theirs: str | None


def merge(
    base: Mapping[str, FieldValue],
    mine: Mapping[str, FieldValue],
    theirs: Mapping[str, FieldValue],
) -> tuple[dict[str, FieldValue], list[Conflict]]:
    """Their version with my changes on it, and the fields we both changed differently
    (where mine is kept until the editor chooses)."""
    merged = dict(theirs)
    conflicts: list[Conflict] = []
    for name in FIELDS:
        if name not in mine or same(mine[name], base.get(name)):
            continue
        merged[name] = mine[name]
        if not same(theirs.get(name), base.get(name)) and not same(mine[name], theirs.get(name)):
            conflicts.append(Conflict(name, show(mine[name]), show(theirs.get(name))))
    return merged, conflicts

"""An asset's editable fields as one flat mapping, and the edit that takes it from one state
to another.

Spreadsheets (one column per field), `catalog set FIELD=VALUE` and `catalog revert` all say
what an asset should look like; `edit_between` turns that into an `AssetEdit` for
`assets.edit_asset` (so every rule applies) and into the list of changes shown before
anything is applied. Field names are the audit log's (`title.fr`, `recorded_date`), so a
preview reads like the history it will become.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from media_hub.catalog import rules
from media_hub.catalog.assets import KEEP, AssetEdit
from media_hub.catalog.dates import parse_day
from media_hub.catalog.vocabulary import LANGUAGES, AssetStatus
from media_hub.errors import ValidationError

FieldValue = str | int | tuple[str, ...] | None

NUMBER_FIELDS = ("season", "episode")
SLUG_LIST_FIELDS = ("topics", "playlists")
TEXT_FIELDS = tuple(f"{kind}.{lang}" for kind in ("title", "description") for lang in LANGUAGES)
FIELDS = (
    "status", *NUMBER_FIELDS, "default_language", "recorded_date", *TEXT_FIELDS,
    *SLUG_LIST_FIELDS,
)  # fmt: skip

# Spaces (as export writes lists), commas or semicolons, Latin or Arabic.
_SLUG_SEPARATORS = re.compile(r"[\s,;\u060c\u061b]+")


@dataclass(frozen=True)
class FieldChange:
    """One field of one asset, as it is and as it will be (None: absent)."""

    asset_id: int
    field: str
    old: str | None
    new: str | None


def fields_of(record: Mapping[str, Any]) -> dict[str, FieldValue]:
    """The editable fields of an asset record (with `playlists`, as `asset_records_by_id`)."""
    titles: Mapping[str, str] = record["titles"]
    descriptions: Mapping[str, str] = record["descriptions"]
    fields: dict[str, FieldValue] = {
        "status": record["status"],
        "season": record["season"],
        "episode": record["episode"],
        "default_language": record["default_language"],
        "recorded_date": record["recorded_date"],
        "topics": tuple(sorted(record["topics"])),
        "playlists": tuple(sorted(record.get("playlists", ()))),
    }
    for lang in LANGUAGES:
        fields[f"title.{lang}"] = titles.get(lang)
        fields[f"description.{lang}"] = descriptions.get(lang, "") if lang in titles else None
    return fields


def parse_value(field: str, text: str, *, record: str | None = None) -> FieldValue:
    """A field's value from what a person typed (a spreadsheet cell, `FIELD=VALUE`)."""
    cleaned = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if field == "status":
        return _status(cleaned, record)
    if field in NUMBER_FIELDS:
        return _number(field, cleaned, record)
    if field == "default_language":
        if not cleaned:
            raise ValidationError(field, "empty; give a language code", record=record)
        return cleaned
    if field == "recorded_date":
        return _date(cleaned, record)
    if field in SLUG_LIST_FIELDS:
        return tuple(sorted(set(_SLUG_SEPARATORS.split(cleaned)) - {""}))
    if field in TEXT_FIELDS:
        return cleaned or (None if field.startswith("title.") else "")
    raise ValidationError(field, f"not a field one can edit; use {', '.join(FIELDS)}")


def edit_between(
    asset_id: int, current: Mapping[str, FieldValue], wanted: Mapping[str, FieldValue]
) -> tuple[AssetEdit, list[FieldChange]]:
    """The edit taking `current` to `wanted` (fields absent from `wanted` are kept)."""
    record = f"asset {asset_id}"
    changed = {
        field: value
        for field, value in wanted.items()
        if not same(field, current.get(field), value)
    }
    changes = [
        FieldChange(asset_id, field, show(current.get(field)), show(value))
        for field, value in sorted(changed.items(), key=lambda item: FIELDS.index(item[0]))
    ]
    titles: dict[str, str | None] = {}
    descriptions: dict[str, str | None] = {}
    for field, value in changed.items():
        kind, _, lang = field.partition(".")
        if kind == "title":
            titles[lang] = None if value is None else str(value)
        elif kind == "description":
            descriptions[lang] = "" if value is None else str(value)
    for lang, text in list(descriptions.items()):
        has_title = (titles[lang] if lang in titles else current.get(f"title.{lang}")) is not None
        if not has_title and text:
            raise ValidationError(
                f"description.{lang}",
                f"there is no title in {lang!r}; give title.{lang} too, or clear the description",
                record=record,
            )
        if not has_title:
            del descriptions[lang]  # the language goes, and its description with it
    edit = AssetEdit(
        titles=titles,
        descriptions=descriptions,
        add_topics=_added(current, changed, "topics"),
        remove_topics=_removed(current, changed, "topics"),
        add_playlists=_added(current, changed, "playlists"),
        remove_playlists=_removed(current, changed, "playlists"),
        season=_int_or_none(changed["season"]) if "season" in changed else KEEP,
        episode=_int_or_none(changed["episode"]) if "episode" in changed else KEEP,
        default_language=(
            str(changed["default_language"]) if "default_language" in changed else KEEP
        ),
        recorded_date=(_to_date(changed["recorded_date"]) if "recorded_date" in changed else KEEP),
        status=AssetStatus(str(changed["status"])) if "status" in changed else KEEP,
    )
    return edit, changes


def show(value: FieldValue) -> str | None:
    """A value as the audit log writes it (lists as space-separated slugs)."""
    if value is None or value == ():
        return None
    if isinstance(value, tuple):
        return " ".join(value)
    return str(value)


def same(field: str, old: FieldValue, new: FieldValue) -> bool:
    if field.startswith("description."):
        return (old or "") == (new or "")
    if field in SLUG_LIST_FIELDS:
        return sorted(_slug_list(old)) == sorted(_slug_list(new))
    return old == new


def _slug_list(value: FieldValue) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else ()


def _added(
    current: Mapping[str, FieldValue], changed: Mapping[str, FieldValue], field: str
) -> list[str]:
    before = set(_slug_list(current.get(field)))
    return [slug for slug in _slug_list(changed.get(field)) if slug not in before]


def _removed(
    current: Mapping[str, FieldValue], changed: Mapping[str, FieldValue], field: str
) -> list[str]:
    if field not in changed:
        return []
    after = set(_slug_list(changed[field]))
    return [slug for slug in _slug_list(current.get(field)) if slug not in after]


def _int_or_none(value: FieldValue) -> int | None:
    return value if isinstance(value, int) else None


def _to_date(value: FieldValue) -> date | None:
    return None if value is None else date.fromisoformat(str(value))


def _status(text: str, record: str | None) -> str:
    allowed = [status.value for status in AssetStatus]
    if text.lower() not in allowed:
        raise ValidationError(
            "status", f"{text!r} is not a status; use one of {', '.join(allowed)}", record=record
        )
    return text.lower()


def _number(field: str, text: str, record: str | None) -> int | None:
    if not text:
        return None
    if text.endswith(".0"):  # spreadsheets may turn 3 into 3.0
        text = text[:-2]
    if not text.isdecimal():
        raise ValidationError(field, f"{text!r} is not a whole number", record=record)
    if len(text) > len(str(rules.NUMBER_MAX)):  # int() refuses 4,300 digits and more
        raise ValidationError(
            field, f"{len(text)} digits is too large; give at most {rules.NUMBER_MAX}",
            record=record,
        )  # fmt: skip
    return int(text)


def _date(text: str, record: str | None) -> str | None:
    """A day as `dates.parse_day` reads it (the command line's `--recorded` reads the same)."""
    if not text:
        return None
    try:
        return parse_day(text).isoformat()
    except ValueError as exc:
        raise ValidationError("recorded_date", str(exc), record=record) from exc

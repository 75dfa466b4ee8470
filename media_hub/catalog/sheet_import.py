"""`catalog import`: a sheet's rows turned into edits of the assets they name and new assets.

A row with an id edits that asset, merged over the changes made since the row's version
(`merge`); a row without one creates an asset, checked as `catalog add` checks it (kind and
series needed). Series, playlists and topics may be given by slug or by name (`names`). Every
row is checked before anything is written, and `bulk.apply_planned` applies them all or
none (or, `partial`, the good ones).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from media_hub import progress
from media_hub.catalog import merge, names
from media_hub.catalog.assets import NewAsset
from media_hub.catalog.bulk import (
    BulkOutcome,
    Merged,
    PlannedCreate,
    PlannedEdit,
    Problem,
    apply_planned,
    begin_writing,
    problem_of,
)
from media_hub.catalog.editable import (
    FIELDS,
    SLUG_LIST_FIELDS,
    TEXT_FIELDS,
    FieldValue,
    edit_between,
    fields_of,
    parse_value,
)
from media_hub.catalog.query import asset_records_by_id
from media_hub.catalog.spreadsheet import Sheet, SheetRow
from media_hub.catalog.vocabulary import AssetKind, AssetStatus
from media_hub.errors import ValidationError


@dataclass(frozen=True)
class _Row:
    number: int
    cells: Mapping[str, str]
    asset_id: int | None  # None: a new asset
    version: int  # as read (0 for a new asset)
    wanted: dict[str, FieldValue]


def import_sheet(session: Session, sheet: Sheet, *, partial: bool = False) -> BulkOutcome:
    """Apply the sheet's differences from the catalog; rows as they are in it are skipped."""
    begin_writing(session)
    vocabulary = names.vocabulary(session)
    problems: list[Problem] = []
    rows = _parsed_rows(sheet, vocabulary, problems)
    editing = {row.asset_id: row for row in rows if row.asset_id is not None}
    current = asset_records_by_id(session, list(editing))
    planned: list[PlannedEdit] = []
    merged: list[Merged] = []
    unchanged = 0
    refused = {problem.row for problem in problems}  # a cell that means nothing
    checking = progress.counted("checking the rows", editing.items(), len(editing))
    for asset_id, row in checking:
        record = current.get(asset_id)
        if record is None:
            problems.append(Problem(f"asset {asset_id} not found", row.number))
            continue
        noted = len(problems)
        try:
            _check_read_only(row, record, vocabulary)
            plan = _plan_edit(session, asset_id, row, record, problems, merged)
        except ValidationError as exc:
            problems.append(problem_of(row.number, asset_id, exc))
            continue
        if plan is not None:
            planned.append(plan)
        elif len(problems) == noted and row.number not in refused:  # as in the catalog
            unchanged += 1
    creations = []
    for row in rows:
        if row.asset_id is None:
            try:
                creations.append(PlannedCreate(_new_asset(row, vocabulary), row.number))
            except ValidationError as exc:
                problems.append(problem_of(row.number, None, exc))
    with progress.step("applying the sheet"):
        return apply_planned(
            session, planned, problems, unchanged, creations=creations, merged=merged,
            partial=partial,
        )  # fmt: skip


def _plan_edit(
    session: Session,
    asset_id: int,
    row: _Row,
    record: Mapping[str, Any],
    problems: list[Problem],
    merged: list[Merged],
) -> PlannedEdit | None:
    """The row's edit, merged over what changed since its version; None when it changes
    nothing or is refused (its conflicts then noted in `problems`)."""
    version = int(record["version"])
    if not 1 <= row.version <= version:
        raise ValidationError(
            "version",
            f"the asset has versions 1 to {version}, not {row.version}; keep the exported one",
        )
    since = merge.entries_since(session, asset_id, row.version) if row.version < version else []
    current = fields_of(record)
    merging = merge.merge(asset_id, row.version, version, current, row.wanted, since)
    if merging.conflicts:
        problems.extend(Problem(str(c), row.number, conflict=True) for c in merging.conflicts)
        return None
    edit, changes = edit_between(asset_id, current, merging.wanted)
    if not changes:
        return None
    if row.version < version:
        merged.append(Merged(row.number, asset_id, row.version, version, merging.kept))
    # Checked against the version merged over: a change made meanwhile is still refused.
    return PlannedEdit(asset_id, edit, version, tuple(changes), row.number)


def _parsed_rows(sheet: Sheet, vocabulary: names.Vocabulary, problems: list[Problem]) -> list[_Row]:
    """The rows whose id and version parse (or that have no id), with the fields they give;
    the problems of every cell are noted, not only the first one."""
    parsed: list[_Row] = []
    first_row: dict[int, int] = {}
    for row in sheet.rows:
        asset_id: int | None = None
        version = 0
        try:
            if row.cells.get("id", "").strip():
                asset_id, version = _whole(row, "id"), _whole(row, "version")
        except ValidationError as exc:
            problems.append(Problem(str(exc), row.number))
            continue
        if asset_id is not None and asset_id in first_row:
            problems.append(
                Problem(
                    f"asset {asset_id} is also on row {first_row[asset_id]}; keep one row",
                    row.number,
                )
            )
            continue
        if asset_id is not None:
            first_row[asset_id] = row.number
        record = f"asset {asset_id}" if asset_id is not None else "new asset"
        wanted: dict[str, FieldValue] = {}
        for column, text in row.cells.items():
            if column not in FIELDS or (asset_id is None and not text.strip()):
                continue  # a new asset's empty cells are left to `catalog add`'s defaults
            try:
                wanted[column] = _value(column, text, vocabulary, record)
            except ValidationError as exc:
                problems.append(Problem(str(exc), row.number))
        parsed.append(_Row(row.number, row.cells, asset_id, version, wanted))
    return parsed


def _value(column: str, text: str, vocabulary: names.Vocabulary, record: str) -> FieldValue:
    if column in SLUG_LIST_FIELDS:
        known = vocabulary.topics if column == "topics" else vocabulary.playlists
        return known.many(text, column, record=record)
    return parse_value(column, text, record=record)


def _whole(row: SheetRow, column: str) -> int:
    text = row.cells.get(column, "").strip().removesuffix(".0")
    if not text.isdecimal():
        raise ValidationError(column, f"{text!r} is not a {column} number; keep the exported one")
    return int(text)


def _check_read_only(row: _Row, record: Mapping[str, Any], vocabulary: names.Vocabulary) -> None:
    """`kind` and `series` are shown for reading: a series given by its name is the same,
    and an empty cell says nothing."""
    for column in ("kind", "series"):
        if not row.cells.get(column, "").strip():
            continue
        value, current = row.cells[column].strip(), record[column] or ""
        same = value.lower() == current
        if column == "series" and value and not same:
            same = vocabulary.series.index.get(names.key(value)) == current
        if not same:
            raise ValidationError(
                column,
                f"cannot be changed by an import (it is {current!r}, the sheet says {value!r}); "
                "put it back",
                record=f"asset {record['id']}",
            )


def _new_asset(row: _Row, vocabulary: names.Vocabulary) -> NewAsset:
    """What `catalog add` would be given for the row; `add_asset` checks the rest."""
    kind_text = row.cells.get("kind", "").strip().lower()
    kinds = [kind.value for kind in AssetKind]
    if kind_text not in kinds:
        shown = f"{kind_text!r} is not a kind" if kind_text else "a new asset (no id) needs one"
        raise ValidationError("kind", f"{shown}; use {' or '.join(kinds)}")
    series_text = row.cells.get("series", "").strip()
    if not series_text:
        raise ValidationError(
            "series", "a new asset (no id) needs its series; see 'media-hub series list'"
        )
    status = row.wanted.get("status")
    if status not in (None, AssetStatus.DRAFT.value):
        raise ValidationError(
            "status",
            f"a new asset starts as a draft, not {status}; leave the cell empty and set the "
            "status once the asset is in the catalog",
        )
    wanted = row.wanted
    return NewAsset(
        kind=AssetKind(kind_text),
        series=vocabulary.series.one(series_text, "series"),
        titles=_texts(wanted, "title"),
        descriptions=_texts(wanted, "description"),
        topics=list(_slugs(wanted.get("topics"))),
        playlists=list(_slugs(wanted.get("playlists"))),
        season=_number(wanted.get("season")),
        episode=_number(wanted.get("episode")),
        default_language=_text(wanted.get("default_language")),
        recorded_date=_day(wanted.get("recorded_date")),
    )


def _texts(wanted: Mapping[str, FieldValue], kind: str) -> dict[str, str]:
    return {
        field.partition(".")[2]: str(value)
        for field, value in wanted.items()
        if field in TEXT_FIELDS and field.startswith(f"{kind}.") and value
    }


def _slugs(value: FieldValue) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else ()


def _number(value: FieldValue) -> int | None:
    return value if isinstance(value, int) else None


def _text(value: FieldValue) -> str | None:
    return value if isinstance(value, str) else None


def _day(value: FieldValue) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else None

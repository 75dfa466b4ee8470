"""Many edits at once (a spreadsheet, `catalog set`): every one checked, all applied or none.

Each asset's edit goes through `assets.edit_asset` (so every rule applies) with the version
the editor saw, all in one transaction. When one is refused, the edits run again each in a
savepoint of its own, so that every problem is found in one pass, and then the whole
transaction is rolled back. A dry run is the same work in a transaction that is never
committed, so it finds exactly what the real run would.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from media_hub.catalog import assets, lookup
from media_hub.catalog.assets import AssetEdit
from media_hub.catalog.editable import (
    FIELDS,
    SLUG_LIST_FIELDS,
    FieldChange,
    FieldValue,
    edit_between,
    fields_of,
    parse_value,
)
from media_hub.catalog.models import Asset, AssetTopic
from media_hub.catalog.query import AssetQuery, asset_records_by_id, find_asset_ids
from media_hub.catalog.querylang import Assignment
from media_hub.catalog.spreadsheet import READ_ONLY_COLUMNS, Sheet, SheetRow
from media_hub.errors import ConflictError, ExitStatus, MediaHubError, ValidationError

_PRELOAD_CHUNK = 500


@dataclass(frozen=True)
class PlannedEdit:
    asset_id: int
    edit: AssetEdit
    expected_version: int
    changes: tuple[FieldChange, ...]
    row: int | None = None  # the spreadsheet row it comes from


@dataclass(frozen=True)
class Problem:
    """Why one row or asset was refused."""

    message: str
    row: int | None = None
    conflict: bool = False

    def __str__(self) -> str:
        return f"row {self.row}: {self.message}" if self.row is not None else self.message


class BulkEditError(MediaHubError):
    """Some edits were refused, so none was applied; `problems` says which and why."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = sorted(problems, key=lambda problem: problem.row or 0)
        conflicts = sum(problem.conflict for problem in problems)
        self.exit_status = ExitStatus.CONFLICT if conflicts else ExitStatus.ERROR
        count = len(problems)
        detail = f" ({conflicts} changed by someone else since read)" if conflicts else ""
        super().__init__(f"{count} problem{'s' if count != 1 else ''}{detail}; nothing was changed")


@dataclass(frozen=True)
class BulkOutcome:
    """What was (or, in a dry run, would be) changed."""

    changes: list[FieldChange]
    # Asset id -> the version its edit was checked against (what a confirmed run passes on).
    versions: dict[int, int] = field(default_factory=dict)
    unchanged: int = 0


def import_sheet(session: Session, sheet: Sheet) -> BulkOutcome:
    """Apply the sheet's differences from the catalog; rows as they are in it are skipped."""
    begin_writing(session)
    problems: list[Problem] = []
    rows = _parsed_rows(sheet, problems)
    current = asset_records_by_id(session, [row.asset_id for row in rows])
    planned: list[PlannedEdit] = []
    unchanged = 0
    for row in rows:
        record = current.get(row.asset_id)
        if record is None:
            problems.append(Problem(f"asset {row.asset_id} not found", row.number))
            continue
        try:
            _check_read_only(row.cells, record)
            edit, changes = edit_between(row.asset_id, fields_of(record), row.wanted)
        except ValidationError as exc:
            problems.append(_problem(row.number, row.asset_id, exc))
            continue
        if changes:
            planned.append(PlannedEdit(row.asset_id, edit, row.version, tuple(changes), row.number))
        else:
            unchanged += 1
    return apply_planned(session, planned, problems, unchanged)


def set_fields(
    session: Session,
    query: AssetQuery,
    assignments: Sequence[Assignment],
    *,
    versions: Mapping[int, int] | None = None,
) -> BulkOutcome:
    """Apply `assignments` to the assets matching `query`; with `versions` (a preview's),
    to exactly those assets, refused if any moved past the version previewed."""
    begin_writing(session)
    _check_slugs(session, assignments)
    ids = list(versions) if versions is not None else find_asset_ids(session, query)
    current = asset_records_by_id(session, ids)
    problems = [
        Problem(f"asset {asset_id} not found") for asset_id in ids if asset_id not in current
    ]
    planned: list[PlannedEdit] = []
    unchanged = 0
    for asset_id, record in current.items():
        before = fields_of(record)
        expected = versions[asset_id] if versions is not None else record["version"]
        try:
            edit, changes = edit_between(asset_id, before, assigned(before, assignments))
        except ValidationError as exc:
            problems.append(_problem(None, asset_id, exc))
            continue
        if changes:
            planned.append(PlannedEdit(asset_id, edit, expected, tuple(changes)))
        else:
            unchanged += 1
    return apply_planned(session, planned, problems, unchanged)


def assigned(
    current: Mapping[str, FieldValue], assignments: Sequence[Assignment]
) -> dict[str, FieldValue]:
    """The fields `assignments` touch, as they will be."""
    wanted: dict[str, FieldValue] = {}
    for assignment in assignments:
        if assignment.field not in SLUG_LIST_FIELDS:
            wanted[assignment.field] = assignment.value
            continue
        base = wanted.get(assignment.field, current.get(assignment.field))
        slugs = set(base if isinstance(base, tuple) else ())
        given = set(assignment.value if isinstance(assignment.value, tuple) else ())
        if assignment.op == "+=":
            slugs |= given
        elif assignment.op == "-=":
            slugs -= given
        else:
            slugs = given
        wanted[assignment.field] = tuple(sorted(slugs))
    return wanted


def apply_planned(
    session: Session, planned: Sequence[PlannedEdit], problems: list[Problem], unchanged: int = 0
) -> BulkOutcome:
    """Run every planned edit; raise `BulkEditError` if any was refused (the caller's
    transaction then rolls back, so nothing at all is applied).

    The edits first run together in one savepoint, the fast way when all is well; at the
    first refusal that savepoint is rolled back and they run again one savepoint each, so
    that every refused edit is found, not only the first.
    """
    begin_writing(session)
    if problems or not _applied_together(session, planned):
        _apply_one_by_one(session, planned, problems)
    if problems:
        raise BulkEditError(problems)
    changes = [change for item in planned for change in item.changes]
    versions = {item.asset_id: item.expected_version for item in planned}
    return BulkOutcome(changes, versions, unchanged)


def _applied_together(session: Session, planned: Sequence[PlannedEdit]) -> bool:
    savepoint = session.begin_nested()
    try:
        for chunk in _chunks(session, planned):
            for item in chunk:
                _edit(session, item)
    except MediaHubError:
        savepoint.rollback()
        return False
    savepoint.commit()
    return True


def _apply_one_by_one(
    session: Session, planned: Sequence[PlannedEdit], problems: list[Problem]
) -> None:
    for chunk in _chunks(session, planned):
        for item in chunk:
            savepoint = session.begin_nested()
            try:
                _edit(session, item)
            except MediaHubError as exc:
                savepoint.rollback()
                problems.append(_problem(item.row, item.asset_id, exc))
            else:
                savepoint.commit()


def _edit(session: Session, item: PlannedEdit) -> None:
    assets.edit_asset(session, item.asset_id, item.edit, expected_version=item.expected_version)


def _chunks(session: Session, planned: Sequence[PlannedEdit]) -> Iterator[Sequence[PlannedEdit]]:
    """The edits by chunks, each chunk's assets loaded in a few queries first (not three
    per asset): `lookup.asset` then finds them in the session."""
    for start in range(0, len(planned), _PRELOAD_CHUNK):
        chunk = planned[start : start + _PRELOAD_CHUNK]
        loaded = _preload(session, [item.asset_id for item in chunk])
        yield chunk
        del loaded  # the session holds loaded assets weakly: these were kept for the chunk


def begin_writing(session: Session) -> None:
    """Start the transaction for real on SQLite (taking the write lock, waiting for it).

    pysqlite sends BEGIN only before the first INSERT or UPDATE, so a SAVEPOINT issued
    earlier would open the outermost transaction, and its RELEASE would commit it: a dry run
    or a refused import would then be written. BEGIN IMMEDIATE also keeps the rows read for
    the diff from changing before they are written.
    """
    connection = session.connection()
    dbapi = connection.connection.dbapi_connection
    if isinstance(dbapi, sqlite3.Connection) and not dbapi.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


@dataclass(frozen=True)
class _Row:
    number: int
    cells: Mapping[str, str]
    asset_id: int
    version: int
    wanted: dict[str, FieldValue]


def _parsed_rows(sheet: Sheet, problems: list[Problem]) -> list[_Row]:
    """The rows whose id and version parse, with the fields they give; the problems of
    every cell are noted, not only the first one."""
    parsed: list[_Row] = []
    first_row: dict[int, int] = {}
    for row in sheet.rows:
        try:
            asset_id = _whole(row, "id")
            version = _whole(row, "version")
        except ValidationError as exc:
            problems.append(Problem(str(exc), row.number))
            continue
        if asset_id in first_row:
            problems.append(
                Problem(
                    f"asset {asset_id} is also on row {first_row[asset_id]}; keep one row",
                    row.number,
                )
            )
            continue
        first_row[asset_id] = row.number
        wanted: dict[str, FieldValue] = {}
        for column, text in row.cells.items():
            if column not in FIELDS:
                continue
            try:
                wanted[column] = parse_value(column, text, record=f"asset {asset_id}")
            except ValidationError as exc:
                problems.append(Problem(str(exc), row.number))
        parsed.append(_Row(row.number, row.cells, asset_id, version, wanted))
    return parsed


def _whole(row: SheetRow, column: str) -> int:
    text = row.cells.get(column, "").strip().removesuffix(".0")
    if not text.isdecimal():
        raise ValidationError(column, f"{text!r} is not a {column} number; keep the exported one")
    return int(text)


def _check_read_only(cells: Mapping[str, str], record: Mapping[str, Any]) -> None:
    for column in READ_ONLY_COLUMNS:
        if column not in cells:
            continue
        value, current = cells[column].strip(), record[column] or ""
        if value != current:
            raise ValidationError(
                column,
                f"cannot be changed by an import (it is {current!r}, the sheet says {value!r}); "
                "put it back",
                record=f"asset {record['id']}",
            )


def _check_slugs(session: Session, assignments: Sequence[Assignment]) -> None:
    """Unknown topics or playlists are refused once, not once per asset."""
    for assignment in assignments:
        slugs = assignment.value if isinstance(assignment.value, tuple) else ()
        if assignment.field == "topics":
            lookup.topics(session, slugs)
        elif assignment.field == "playlists":
            for slug in slugs:
                lookup.playlist(session, slug)


def _preload(session: Session, ids: list[int]) -> list[Asset]:
    return list(
        session.scalars(
            select(Asset)
            .where(Asset.id.in_(ids))
            .options(
                selectinload(Asset.texts),
                selectinload(Asset.topic_links).joinedload(AssetTopic.topic),
            )
        )
    )


def _problem(row: int | None, asset_id: int, exc: MediaHubError) -> Problem:
    message = str(exc)
    if not message.startswith(f"asset {asset_id}"):
        message = f"asset {asset_id}: {message}"
    return Problem(message, row, conflict=isinstance(exc, ConflictError))

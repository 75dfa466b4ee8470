"""Many edits at once (a spreadsheet, `catalog set`): every one checked, all applied or none.

Each asset's edit goes through `assets.edit_asset` (so every rule applies) with the version
the editor saw, and each new asset through `assets.add_asset` (as `catalog add`), all in one
transaction. When one is refused, they run again each in a savepoint of its own, so that
every problem is found in one pass, and then the whole transaction is rolled back; or, when
the caller asked for a partial run (`import --partial`), the good ones are kept and the
refused ones reported. A dry run is the same work in a transaction that is never committed,
so it finds exactly what the real run would.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from media_hub.catalog import assets, lookup
from media_hub.catalog.assets import AssetEdit, NewAsset
from media_hub.catalog.editable import (
    SLUG_LIST_FIELDS,
    FieldChange,
    FieldValue,
    edit_between,
    fields_of,
)
from media_hub.catalog.models import Asset, AssetTopic
from media_hub.catalog.query import AssetQuery, asset_records_by_id, find_asset_ids
from media_hub.catalog.querylang import Assignment
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
class PlannedCreate:
    """A new asset, from a sheet's row without an id."""

    new: NewAsset
    row: int
    asset_id: None = None


@dataclass(frozen=True)
class Created:
    """An asset a sheet created (in a dry run, its id is one that was then rolled back)."""

    row: int
    asset_id: int
    kind: str
    series: str | None
    title: str


@dataclass(frozen=True)
class Merged:
    """A row read at an older version, applied over the changes made since."""

    row: int
    asset_id: int
    read_version: int
    version: int
    kept: tuple[str, ...]  # fields changed since, left as they are now


@dataclass(frozen=True)
class Problem:
    """Why one row or asset was refused."""

    message: str
    row: int | None = None
    conflict: bool = False

    def __str__(self) -> str:
        return f"row {self.row}: {self.message}" if self.row is not None else self.message


class BulkEditError(MediaHubError):
    """Some edits were refused, so none was applied (or, with `others_applied`, only those);
    `problems` says which and why. Exit status 4 when any was a conflicting edit, else 1."""

    def __init__(self, problems: Sequence[Problem], *, others_applied: bool = False) -> None:
        self.problems = sorted(problems, key=lambda problem: problem.row or 0)
        conflicts = sum(problem.conflict for problem in problems)
        self.exit_status = ExitStatus.CONFLICT if conflicts else ExitStatus.ERROR
        count = len(problems)
        detail = f" ({conflicts} changed by someone else since read)" if conflicts else ""
        done = "the other rows were applied" if others_applied else "nothing was changed"
        super().__init__(f"{count} problem{'s' if count != 1 else ''}{detail}; {done}")


@dataclass(frozen=True)
class BulkOutcome:
    """What was (or, in a dry run, would be) changed."""

    changes: list[FieldChange]
    # Asset id -> the version its edit was checked against (what a confirmed run passes on).
    versions: dict[int, int] = field(default_factory=dict)
    unchanged: int = 0
    created: list[Created] = field(default_factory=list)
    merged: list[Merged] = field(default_factory=list)
    # In a partial run, what was refused while the rest was applied.
    refused: list[Problem] = field(default_factory=list)


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
            problems.append(problem_of(None, asset_id, exc))
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
    session: Session,
    planned: Sequence[PlannedEdit],
    problems: list[Problem],
    unchanged: int = 0,
    *,
    creations: Sequence[PlannedCreate] = (),
    merged: Sequence[Merged] = (),
    partial: bool = False,
) -> BulkOutcome:
    """Run every planned edit, then create the new assets; raise `BulkEditError` if any was
    refused (the caller's transaction then rolls back, so nothing at all is applied), or,
    with `partial`, keep the others and return the refused ones in `refused`.

    They first run together in one savepoint, the fast way when all is well; at the first
    refusal that savepoint is rolled back and they run again one savepoint each, so that
    every refused one is found, not only the first.
    """
    begin_writing(session)
    items: list[PlannedEdit | PlannedCreate] = [*planned, *creations]
    created: list[Created] = []
    if problems or not _applied_together(session, items, created):
        created = []
        applied = _apply_one_by_one(session, items, problems, created)
    else:
        applied = items
    if problems and not partial:
        raise BulkEditError(problems)
    edits = [item for item in applied if isinstance(item, PlannedEdit)]
    changes = [change for item in edits for change in item.changes]
    versions = {item.asset_id: item.expected_version for item in edits}
    done = {item.asset_id for item in edits}
    kept = [note for note in merged if note.asset_id in done]
    return BulkOutcome(
        changes, versions, unchanged, created, kept, sorted(problems, key=lambda p: p.row or 0)
    )


def _applied_together(
    session: Session, items: Sequence[PlannedEdit | PlannedCreate], created: list[Created]
) -> bool:
    savepoint = session.begin_nested()
    try:
        for chunk in _chunks(session, items):
            for item in chunk:
                _run(session, item, created)
    except MediaHubError:
        savepoint.rollback()
        return False
    savepoint.commit()
    return True


def _apply_one_by_one(
    session: Session,
    items: Sequence[PlannedEdit | PlannedCreate],
    problems: list[Problem],
    created: list[Created],
) -> list[PlannedEdit | PlannedCreate]:
    """Each item in a savepoint of its own; returns those applied. An item from a row refused
    already (a cell that means nothing) is run to find its other problems, then undone."""
    refused = {problem.row for problem in problems if problem.row is not None}
    applied: list[PlannedEdit | PlannedCreate] = []
    for chunk in _chunks(session, items):
        for item in chunk:
            savepoint = session.begin_nested()
            try:
                _run(session, item, created if item.row not in refused else [])
            except MediaHubError as exc:
                savepoint.rollback()
                problems.append(problem_of(item.row, item.asset_id, exc))
                continue
            if item.row in refused:
                savepoint.rollback()
            else:
                savepoint.commit()
                applied.append(item)
    return applied


def _run(session: Session, item: PlannedEdit | PlannedCreate, created: list[Created]) -> None:
    if isinstance(item, PlannedEdit):
        _edit(session, item)
        return
    asset = assets.add_asset(session, item.new)
    text = asset.text(asset.default_language)
    created.append(
        Created(item.row, asset.id, str(asset.kind), item.new.series, text.title if text else "")
    )


def _edit(session: Session, item: PlannedEdit) -> None:
    assets.edit_asset(session, item.asset_id, item.edit, expected_version=item.expected_version)


def _chunks(
    session: Session, planned: Sequence[PlannedEdit | PlannedCreate]
) -> Iterator[Sequence[PlannedEdit | PlannedCreate]]:
    """The edits by chunks, each chunk's assets loaded in a few queries first (not three
    per asset): `lookup.asset` then finds them in the session."""
    for start in range(0, len(planned), _PRELOAD_CHUNK):
        chunk = planned[start : start + _PRELOAD_CHUNK]
        loaded = _preload(session, [item.asset_id for item in chunk if item.asset_id is not None])
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


def problem_of(row: int | None, asset_id: int | None, exc: MediaHubError) -> Problem:
    message = str(exc)
    record = f"asset {asset_id}" if asset_id is not None else "new asset"
    if not message.startswith(record):
        message = f"{record}: {message}"
    return Problem(message, row, conflict=isinstance(exc, ConflictError))

"""`media-hub catalog export|import|set|lint|revert`: the librarians' workflows over many assets.

Bulk changes are shown before they are applied (the same work in a rolled-back
transaction) and confirmed; `--yes` applies them in one pass and shows what it did. A refusal
lists every problem on stderr, one per line, before the one-line error.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from media_hub.catalog.spreadsheet import SheetFormat, format_of, read_sheet
from media_hub.cli import output
from media_hub.cli.catalog import (
    AllOpt,
    KindFilter,
    LanguageFilter,
    LimitOpt,
    QueryArg,
    SeriesFilter,
    StatusFilter,
    TopicFilter,
    query_of,
)
from media_hub.cli.options import JsonOpt
from media_hub.cli.state import state
from media_hub.errors import ExitStatus, ValidationError

if TYPE_CHECKING:  # the catalog's modules import SQLAlchemy: imported when a command runs
    from media_hub.catalog.bulk import BulkOutcome
    from media_hub.catalog.editable import FieldChange
    from media_hub.catalog.librarian import LibrarianService

T = TypeVar("T")
_SHOWN_CHARS = 80

DryRunOpt = Annotated[
    bool, typer.Option("--dry-run", help="Show what would change and change nothing.")
]
YesOpt = Annotated[bool, typer.Option("--yes", "-y", help="Apply without asking.")]


def _service(ctx: typer.Context) -> LibrarianService:
    from media_hub.catalog.librarian import LibrarianService

    return LibrarianService(state(ctx).hub.db)


def export(
    ctx: typer.Context,
    output_path: Annotated[
        Path, typer.Option("--output", "-o", metavar="FILE", help="The .csv or .xlsx to write.")
    ],
    terms: QueryArg = None,
    sheet_format: Annotated[
        SheetFormat | None,
        typer.Option("--format", "-f", help="csv or xlsx (default: from the file's name)."),
    ] = None,
    series: SeriesFilter = None,
    topic: TopicFilter = None,
    status: StatusFilter = None,
    kind: KindFilter = None,
    language: LanguageFilter = None,
    include_archived: AllOpt = False,
    limit: LimitOpt = None,
) -> None:
    """Write assets to a spreadsheet to edit and import: one row per asset, one column per
    field and language, and the version each row was read at.

    Examples: media-hub catalog export series:advisory-clips status:draft -o drafts.xlsx

    media-hub catalog export --series advisory-clips -o advisory.xlsx
    """
    query = query_of(
        terms, series=series, topic=topic, status=status, kind=kind, language=language,
        include_archived=include_archived, limit=limit,
    )  # fmt: skip
    count = _service(ctx).export(query, output_path, format_of(output_path, sheet_format))
    typer.echo(f"exported {count} asset{'s' if count != 1 else ''} to {output_path}")


def import_sheet(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A .csv or .xlsx sheet.")],
    dry_run: DryRunOpt = False,
    yes: YesOpt = False,
    partial: Annotated[
        bool,
        typer.Option(
            "--partial",
            help="Apply the rows that pass and list the refused ones (exit status 1, or 4 "
            "when one was changed by someone else), instead of applying nothing.",
        ),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Apply a spreadsheet (one made by 'catalog export', or one's own with its columns):
    rows with an id edit that asset, rows without one add an asset; every row is checked,
    the changes are shown, then applied all together or not at all.

    Series, playlists and topics may be given by slug or by name, lists separated by ';'
    or ','; dates as YYYY-MM-DD or DD/MM/YYYY. A row read at an older version is merged
    over the changes made since, and refused when it changes a field someone else changed.

    Example: media-hub catalog import advisory.csv --dry-run
    """
    sheet = read_sheet(file, max_rows=state(ctx).settings.catalog.import_max_rows)
    if sheet.ignored_columns:
        names = ", ".join(repr(name) for name in sheet.ignored_columns)
        typer.echo(f"warning: {file}: columns ignored, not media-hub's: {names}", err=True)
    service = _service(ctx)
    _run(
        lambda: service.import_sheet(sheet, dry_run=True, partial=partial),
        lambda _preview: service.import_sheet(sheet, partial=partial),
        dry_run=dry_run,
        yes=yes,
        as_json=as_json,
    )


def set_fields(
    ctx: typer.Context,
    arguments: Annotated[
        list[str],
        typer.Argument(
            metavar="QUERY_AND_CHANGES",
            help="Query terms (see the README) and changes: status=ready, episode=4, "
            "title.fr=TEXT, topics+=cv, playlists-=events ...",
        ),
    ],
    dry_run: DryRunOpt = False,
    yes: YesOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Change the assets a query finds: shows the changes, asks, then applies them all
    together or not at all.

    Example: media-hub catalog set series:advisory-clips status:draft status=ready topics+=cv
    """
    from media_hub.catalog.querylang import parse_assignments, parse_query, split_arguments

    terms, assignment_texts = split_arguments(arguments)
    if not terms:
        raise ValidationError("query", "give a query of the assets to change (every asset: id:1..)")
    query, assignments = parse_query(terms), parse_assignments(assignment_texts)
    service = _service(ctx)
    _run(
        lambda: service.set_fields(query, assignments, dry_run=True),
        # Once confirmed, exactly the assets previewed, at the versions previewed.
        lambda preview: service.set_fields(
            query, assignments, versions=preview.versions if preview else None
        ),
        dry_run=dry_run,
        yes=yes,
        as_json=as_json,
    )


def lint(
    ctx: typer.Context,
    query: Annotated[
        list[str] | None,
        typer.Argument(metavar="QUERY", help="Only the assets this query finds."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Check assets against the platforms' limits and the channel's conventions: one line
    per problem, exit status 1 if there is any (warnings are shown but do not fail).

    Example: media-hub catalog lint series:advisory-clips
    """
    from media_hub.catalog.querylang import parse_query
    from media_hub.publishing.lint import convention_warnings, lint_assets

    checked, problems = lint_assets(state(ctx).hub, parse_query(query or []))
    for warning in convention_warnings(state(ctx).hub):
        typer.echo(f"warning: {warning}", err=True)
    if as_json:
        output.print_json(
            [
                {"asset": p.asset_id, "field": p.field, "problem": p.message, "warning": p.warning}
                for p in problems
            ]
        )
    else:
        for problem in problems:
            typer.echo(str(problem))
    errors = [problem for problem in problems if not problem.warning]
    warned = (
        f", {_count(len(problems) - len(errors), 'warning')}" if len(errors) < len(problems) else ""
    )
    assets = len({problem.asset_id for problem in errors})
    if errors:
        typer.echo(
            f"{_count(len(errors), 'problem')} in {assets} of {_count(checked, 'asset')}{warned}",
            err=True,
        )
        raise typer.Exit(int(ExitStatus.ERROR))
    typer.echo(f"{_count(checked, 'asset')} checked, no problems{warned}", err=True)


def revert(
    ctx: typer.Context,
    asset_id: Annotated[int, typer.Argument(metavar="ID", help="Asset id.")],
    version: Annotated[
        int, typer.Option("--to", metavar="VERSION", help="The version to go back to.")
    ],
    dry_run: DryRunOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Restore an asset's texts, numbers, status, language, date, topics and playlists as
    they were at an earlier version (see 'catalog history'), as a new version.

    Example: media-hub catalog revert 12 --to 3
    """
    record, changes = _service(ctx).revert(asset_id, version, dry_run=dry_run)
    if as_json:
        output.print_json({"asset": record, "changes": [_change_record(c) for c in changes]})
        return
    if not changes:
        typer.echo(f"asset {asset_id}: already as at version {version}; nothing to change")
        return
    if dry_run:
        typer.echo(f"asset {asset_id}: would be restored as at version {version}")
    else:
        typer.echo(f"asset {asset_id}: now version {record['version']}, as at version {version}")
    _print_changes(changes)


def _run(
    preview: Callable[[], BulkOutcome],
    apply: Callable[[BulkOutcome | None], BulkOutcome],
    *,
    dry_run: bool,
    yes: bool,
    as_json: bool,
) -> None:
    """Preview the changes, ask, apply them. With --yes there is no one to ask: the changes
    are applied in one pass (which checks everything as the preview would) and then shown.
    A partial run's refused rows are listed on stderr and make the exit status (after the
    others are applied)."""
    shown: BulkOutcome | None = None
    if dry_run or not yes:
        shown = _listing_problems(preview)
        if not as_json:
            _print_outcome(shown)
        if dry_run or not _anything(shown):
            if as_json:
                output.print_json(_outcome_record(shown, applied=False))
            elif _anything(shown):
                typer.echo(f"{_summary(shown)}; nothing was changed (dry run)")
            else:
                typer.echo(_nothing_to_change(shown))
            _list_refused(shown)
            _refuse_rows(shown, applied=False)
            return
        _list_refused(shown)
        refused = f" ({_count(len(shown.refused), 'row')} refused)" if shown.refused else ""
        if not typer.confirm(f"Apply {_summary(shown)}{refused}?", default=False, err=True):
            typer.echo("nothing was changed", err=True)
            raise typer.Exit(int(ExitStatus.ERROR))
    outcome = _listing_problems(lambda: apply(shown))
    if as_json:
        output.print_json(_outcome_record(outcome, applied=_anything(outcome)))
    else:
        if shown is None:
            _print_outcome(outcome)
        typer.echo(_done(outcome) if _anything(outcome) else _nothing_to_change(outcome))
    if shown is None:
        _list_refused(outcome)
    _refuse_rows(outcome, applied=_anything(outcome))


def _anything(outcome: BulkOutcome) -> bool:
    return bool(outcome.changes or outcome.created)


def _print_outcome(outcome: BulkOutcome) -> None:
    """Each change, each merged row and each new asset."""
    _print_changes(outcome.changes)
    for note in outcome.merged:
        kept = f": {', '.join(note.kept)} kept as changed since" if note.kept else ""
        typer.echo(
            f"asset {note.asset_id}: row {note.row} read at version {note.read_version}, "
            f"merged over version {note.version}{kept}"
        )
    for new in outcome.created:
        series = f" in {new.series}" if new.series else ""
        typer.echo(f"row {new.row}: new {new.kind}{series}: {_shown(new.title)}")


def _list_refused(outcome: BulkOutcome) -> None:
    """A partial run's refused rows, one a line on stderr (as a refusal lists them)."""
    for problem in outcome.refused:
        typer.echo(str(problem), err=True)


def _refuse_rows(outcome: BulkOutcome, *, applied: bool) -> None:
    """A partial run that refused rows ends as a refusal does (`BulkEditError`'s status)."""
    from media_hub.catalog.bulk import BulkEditError

    if outcome.refused:
        raise BulkEditError(outcome.refused, others_applied=applied)


def _listing_problems(call: Callable[[], T]) -> T:
    """Every refused row or asset on its own line of stderr before the error itself."""
    from media_hub.catalog.bulk import BulkEditError

    try:
        return call()
    except BulkEditError as exc:
        for problem in exc.problems:
            typer.echo(str(problem), err=True)
        raise


def _summary(outcome: BulkOutcome) -> str:
    """`3 fields of 2 assets and 2 new assets (1 asset as it was)`."""
    parts = []
    if outcome.changes:
        assets = len({change.asset_id for change in outcome.changes})
        parts.append(f"{_count(len(outcome.changes), 'field')} of {_count(assets, 'asset')}")
    if outcome.created:
        parts.append(f"{_count(len(outcome.created), 'new asset')}")
    return " and ".join(parts) + _unchanged(outcome)


def _done(outcome: BulkOutcome) -> str:
    """`changed 3 fields of 2 assets, created 2 assets: 41, 42 (1 asset ...)`."""
    parts = []
    if outcome.changes:
        assets = len({change.asset_id for change in outcome.changes})
        parts.append(
            f"changed {_count(len(outcome.changes), 'field')} of {_count(assets, 'asset')}"
        )
    if outcome.created:
        ids = ", ".join(str(new.asset_id) for new in outcome.created)
        parts.append(f"created {_count(len(outcome.created), 'asset')}: {ids}")
    return ", ".join(parts) + _unchanged(outcome)


def _unchanged(outcome: BulkOutcome) -> str:
    if not outcome.unchanged:
        return ""
    need = "needs" if outcome.unchanged == 1 else "need"
    return f" ({_count(outcome.unchanged, 'asset')} {need} no change)"


def _nothing_to_change(outcome: BulkOutcome) -> str:
    if outcome.refused and not outcome.unchanged:
        return "nothing to change in the rows that pass"
    if not outcome.unchanged:
        return "nothing to change: no asset found"
    return f"nothing to change: {_count(outcome.unchanged, 'asset')} already as asked"


def _print_changes(changes: Sequence[FieldChange]) -> None:
    for change in changes:
        typer.echo(
            f"asset {change.asset_id}: {change.field}: {_shown(change.old)} → {_shown(change.new)}"
        )


def _shown(value: str | None) -> str:
    """A value on one short line (the JSON output has it whole)."""
    if value is None:
        return "∅"
    line = value.replace("\n", "⏎")
    return line if len(line) <= _SHOWN_CHARS else line[: _SHOWN_CHARS - 1] + "…"


def _change_record(change: FieldChange) -> dict[str, object]:
    return {"asset": change.asset_id, "field": change.field, "old": change.old, "new": change.new}


def _outcome_record(outcome: BulkOutcome, *, applied: bool) -> dict[str, object]:
    return {
        "applied": applied,
        "changes": [_change_record(change) for change in outcome.changes],
        "unchanged": outcome.unchanged,
        "created": [
            {"row": new.row, "asset": new.asset_id, "kind": new.kind, "series": new.series}
            for new in outcome.created
        ],
        "merged": [
            {
                "row": note.row,
                "asset": note.asset_id,
                "read_version": note.read_version,
                "version": note.version,
                "kept": list(note.kept),
            }
            for note in outcome.merged
        ],
        "refused": [
            {"row": problem.row, "problem": problem.message} for problem in outcome.refused
        ],
    }


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' if number != 1 else ''}"

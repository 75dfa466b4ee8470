"""The librarians' workflows as the CLI uses them: export, import, set, lint, revert.

Like `CatalogService`, each method is one call in one transaction and returns plain data;
`dry_run` does the whole work in a transaction that is rolled back, so a preview finds
exactly what the real run would.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from media_hub.catalog import bulk, lint, revert, sheet_import
from media_hub.catalog.bulk import BulkOutcome
from media_hub.catalog.db import Catalog
from media_hub.catalog.definitions import read_definitions
from media_hub.catalog.editable import FieldChange
from media_hub.catalog.models import Playlist, Series, Topic
from media_hub.catalog.query import AssetQuery, asset_records_by_id, find_asset_ids
from media_hub.catalog.querylang import Assignment
from media_hub.catalog.records import AssetRecord
from media_hub.catalog.spreadsheet import Sheet, SheetFormat, write_sheet
from media_hub.catalog.xlsx_writer import Choice, SheetValues
from media_hub.errors import ValidationError
from media_hub.settings import Settings


class LibrarianService:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def export(self, query: AssetQuery, path: Path, sheet_format: SheetFormat) -> int:
        """Write the matching assets to `path`; returns how many."""
        with self.catalog.session() as session:
            ids = find_asset_ids(session, query)
            records = asset_records_by_id(session, ids)
            values = sheet_values(session) if sheet_format is SheetFormat.XLSX else None
        return write_sheet(path, (records[asset_id] for asset_id in ids), sheet_format, values)

    def import_sheet(
        self,
        sheet: Sheet,
        *,
        dry_run: bool = False,
        partial: bool = False,
        user: str | None = None,
    ) -> BulkOutcome:
        """Apply the sheet's edits and new assets, all or none (`bulk.BulkEditError` says why
        none); with `partial`, the good rows, the refused ones in the outcome's `refused`."""
        with self.catalog.session(dry_run=dry_run, user=user) as session:
            return sheet_import.import_sheet(session, sheet, partial=partial)

    def set_fields(
        self,
        query: AssetQuery,
        assignments: Sequence[Assignment],
        *,
        dry_run: bool = False,
        versions: Mapping[int, int] | None = None,
        user: str | None = None,
    ) -> BulkOutcome:
        """Apply `assignments` to the matching assets (or, given a preview's `versions`, to
        exactly the assets previewed, at the versions previewed)."""
        if not assignments:
            raise ValidationError("set", "nothing to set; give FIELD=VALUE, as in status=ready")
        with self.catalog.session(dry_run=dry_run, user=user) as session:
            return bulk.set_fields(session, query, assignments, versions=versions)

    def lint(
        self,
        query: AssetQuery,
        definitions_dir: Path,
        rules: Sequence[lint.Rule] = lint.RULES,
        settings: Settings | None = None,
    ) -> tuple[int, list[lint.LintProblem]]:
        """How many assets were checked, and their problems."""
        definitions = read_definitions(definitions_dir)
        with self.catalog.session() as session:
            ids = find_asset_ids(session, query)
            records = asset_records_by_id(session, ids)
            facts = lint.load_facts(session, ids, definitions, datetime.now(UTC), settings)
        return len(ids), lint.lint_records((records[i] for i in ids), facts, rules)

    def revert(
        self, asset_id: int, version: int, *, dry_run: bool = False, user: str | None = None
    ) -> tuple[AssetRecord, list[FieldChange]]:
        """The asset as restored to `version`, and the fields that changed."""
        with self.catalog.session(dry_run=dry_run, user=user) as session:
            changes = revert.revert_asset(session, asset_id, version)
            return asset_records_by_id(session, [asset_id])[asset_id], changes


def sheet_values(session: Session) -> SheetValues:
    """The series, playlists and topics an exported workbook offers in its dropdowns."""

    def choices(rows: Iterable[Series | Playlist | Topic]) -> list[Choice]:
        return [Choice(row.slug, row.names) for row in rows]

    return SheetValues(
        series=choices(session.scalars(select(Series).order_by(Series.slug))),
        playlists=choices(session.scalars(select(Playlist).order_by(Playlist.slug))),
        topics=choices(session.scalars(select(Topic).order_by(Topic.slug))),
    )

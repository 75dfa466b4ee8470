"""Assets as spreadsheet rows: writing CSV and xlsx, and reading them back as people save them.

Pure file work, no catalog: one row per asset, one column per field and language, every
cell read back as text (the meaning of a cell is `editable.parse_value`'s business). A CSV
cell that a spreadsheet would run as a formula is written behind an apostrophe, taken off
again on reading (`csv_cells`); an xlsx holds every text in a text cell.
Excel and LibreOffice save the same sheet in many ways, and each must load as it is: UTF-8
with or without a BOM (or UTF-16 "Unicode text"), CRLF line ends, commas, semicolons (French
locales) or tabs between cells, numbers turned into `3.0`, dates into date cells.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from media_hub.catalog.vocabulary import LANGUAGES
from media_hub.csv_cells import InertWriter, restored
from media_hub.errors import MediaHubError

# `kind` and `series` are shown for reading; an import refuses changes to them.
READ_ONLY_COLUMNS = ("kind", "series")
COLUMNS = (
    "id", "version", *READ_ONLY_COLUMNS, "status", "season", "episode", "default_language",
    "recorded_date", *(f"title.{lang}" for lang in LANGUAGES), "topics", "playlists",
    *(f"description.{lang}" for lang in LANGUAGES),
)  # fmt: skip
REQUIRED_COLUMNS = ("id", "version")
_SEPARATORS = (",", ";", "\t")
_XLSX_MAGIC = b"PK\x03\x04"
_XLS_MAGIC = b"\xd0\xcf\x11\xe0"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

Cell = str | int | None


class SheetFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


class SpreadsheetError(MediaHubError):
    """A spreadsheet file cannot be read as a sheet of assets; nothing was imported."""

    def __init__(self, path: str, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}")


@dataclass(frozen=True)
class SheetRow:
    number: int  # as the spreadsheet numbers it: the header is row 1
    cells: Mapping[str, str]


@dataclass(frozen=True)
class Sheet:
    path: str
    columns: tuple[str, ...]
    rows: tuple[SheetRow, ...]


def format_of(path: Path, requested: SheetFormat | None = None) -> SheetFormat:
    """The format asked for, else the one the file name says (csv unless `.xlsx`)."""
    if requested is not None:
        return requested
    return SheetFormat.XLSX if path.suffix.lower() == ".xlsx" else SheetFormat.CSV


def record_cells(record: Mapping[str, Any]) -> list[Cell]:
    """An asset record (with its playlists) as one row of `COLUMNS`."""
    values: dict[str, Cell] = {
        "id": record["id"],
        "version": record["version"],
        "kind": record["kind"],
        "series": record["series"],
        "status": record["status"],
        "season": record["season"],
        "episode": record["episode"],
        "default_language": record["default_language"],
        "recorded_date": record["recorded_date"],
        "topics": " ".join(record["topics"]),
        "playlists": " ".join(record.get("playlists", [])),
    }
    for lang in LANGUAGES:
        values[f"title.{lang}"] = record["titles"].get(lang)
        values[f"description.{lang}"] = record["descriptions"].get(lang)
    return [values[column] for column in COLUMNS]


def write_sheet(path: Path, records: Iterable[Mapping[str, Any]], sheet_format: SheetFormat) -> int:
    """Write the records to `path` (replaced whole, never left half-written); returns the count."""
    partial = path.with_name(f".{path.name}.partial")
    rows = (record_cells(record) for record in records)
    try:
        if sheet_format is SheetFormat.XLSX:
            count = _write_xlsx(partial, rows)
        else:
            count = _write_csv(partial, rows)
        partial.replace(path)
    except OSError as exc:
        raise SpreadsheetError(str(path), f"cannot write: {exc.strerror or exc}") from exc
    finally:
        partial.unlink(missing_ok=True)
    return count


def _write_csv(path: Path, rows: Iterable[Sequence[Cell]]) -> int:
    # A BOM, so that Excel reads the Arabic as UTF-8; CRLF, as RFC 4180 and Excel write.
    count = 0
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = InertWriter(stream)
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def _write_xlsx(path: Path, rows: Iterable[Sequence[Cell]]) -> int:
    from openpyxl import Workbook  # imported here: it costs 0.2 s that other commands spare
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("assets")
    sheet.freeze_panes = "C2"
    sheet.append(COLUMNS)
    count = 0
    for row in rows:
        cells: list[Any] = []
        for value in row:
            if isinstance(value, str) and value.startswith("="):
                # openpyxl would store it as a formula; a title is text.
                cell = WriteOnlyCell(sheet, value=value)
                cell.data_type = "s"
                cells.append(cell)
            else:
                cells.append(value)
        sheet.append(cells)
        count += 1
    workbook.save(path)
    return count


def read_sheet(path: Path) -> Sheet:
    """The sheet in `path` (CSV or xlsx, whatever its name says), its columns checked."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SpreadsheetError(str(path), f"cannot read: {exc.strerror or exc}") from exc
    if data.startswith(_XLS_MAGIC):
        raise SpreadsheetError(
            str(path), "an old .xls workbook; save it as .xlsx or as CSV UTF-8 and import that"
        )
    table = _xlsx_rows(path, data) if data.startswith(_XLSX_MAGIC) else _csv_rows(path, data)
    return _sheet(str(path), table)


def _csv_rows(path: Path, data: bytes) -> list[list[str]]:
    text = _decode(path, data)
    if not text.strip():
        return []
    separator = _separator(path, text)
    # Export put an apostrophe before texts a spreadsheet would run: it comes off here.
    return [
        [restored(cell) for cell in row]
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    ]


def _decode(path: Path, data: bytes) -> str:
    if data.startswith(_UTF16_BOMS):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SpreadsheetError(
            str(path),
            f"not UTF-8 text (byte {data[exc.start]:#04x} at offset {exc.start}); save it as "
            "'CSV UTF-8' in Excel, or choose the Unicode (UTF-8) character set in LibreOffice",
        ) from exc


def _separator(path: Path, text: str) -> str:
    """The separator with which the first line holds the `id` and `version` columns."""
    for separator in _SEPARATORS:
        header = next(csv.reader(io.StringIO(text, newline=""), delimiter=separator), [])
        names = {_column_name(name) for name in header}
        if set(REQUIRED_COLUMNS) <= names:
            return separator
    raise SpreadsheetError(
        str(path),
        "the first row has no 'id' and 'version' columns (with commas, semicolons or tabs "
        "between cells); start from a sheet made by 'media-hub catalog export'",
    )


def _xlsx_rows(path: Path, data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as exc:
        raise SpreadsheetError(str(path), f"not a readable xlsx workbook: {exc}") from exc
    try:
        sheet = workbook.worksheets[0]
        return [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    """A cell as the text a person sees in it (3 not 3.0, dates as YYYY-MM-DD)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _column_name(text: str) -> str:
    return text.strip().lower()


def _sheet(path: str, table: list[list[str]]) -> Sheet:
    if not table:
        raise SpreadsheetError(path, "empty; start from a sheet made by 'media-hub catalog export'")
    header = [_column_name(name) for name in table[0]]
    columns = _checked_columns(path, header, table)
    rows = []
    for index, values in enumerate(table[1:], start=2):
        if not any(value.strip() for value in values):
            continue  # spreadsheets keep blank rows at the end
        if any(value.strip() for value in values[len(header) :]):
            raise SpreadsheetError(
                path, f"row {index} has more cells than the header has columns; remove them"
            )
        cells = {
            name: values[position] if position < len(values) else ""
            for position, name in enumerate(header)
            if name
        }
        rows.append(SheetRow(index, cells))
    return Sheet(path, columns, tuple(rows))


def _checked_columns(path: str, header: list[str], table: list[list[str]]) -> tuple[str, ...]:
    seen: set[str] = set()
    for position, name in enumerate(header):
        if not name:
            if any(position < len(row) and row[position].strip() for row in table[1:]):
                raise SpreadsheetError(
                    path, f"column {position + 1} has no name; name or remove it"
                )
            continue
        if name not in COLUMNS:
            raise SpreadsheetError(
                path, f"unknown column {name!r}; the columns are {', '.join(COLUMNS)}"
            )
        if name in seen:
            raise SpreadsheetError(path, f"column {name!r} appears twice; keep one")
        seen.add(name)
    missing = [name for name in REQUIRED_COLUMNS if name not in seen]
    if missing:
        raise SpreadsheetError(
            path, f"no {' or '.join(repr(m) for m in missing)} column; the import needs both"
        )
    return tuple(name for name in header if name)

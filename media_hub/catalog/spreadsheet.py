"""Assets as spreadsheet rows: writing CSV and xlsx, and reading them back as people save them.

Pure file work, no catalog: one row per asset, one column per field and language, every
cell read back as text (the meaning of a cell is `editable.parse_value`'s business).
Columns media-hub does not know (a librarian's `notes`) are read past and named in
`Sheet.ignored_columns`; an xlsx is read from its first worksheet only. A CSV
cell that a spreadsheet would run as a formula is written behind an apostrophe, taken off
again on reading (`csv_cells`); an xlsx holds every text in a text cell.
Excel and LibreOffice save the same sheet in many ways, and each must load as it is: UTF-8
with or without a BOM (or UTF-16 "Unicode text"), CRLF line ends, commas, semicolons (French
locales) or tabs between cells, numbers turned into `3.0`, dates into date cells.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import itertools
import stat
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from media_hub.catalog.vocabulary import LANGUAGES
from media_hub.catalog.xlsx_writer import SheetValues, write_xlsx
from media_hub.csv_cells import InertWriter, restored
from media_hub.errors import MediaHubError

# `kind` and `series` are shown for reading; an import refuses changes to them.
READ_ONLY_COLUMNS = ("kind", "series")
COLUMNS = (
    "id", "version", *READ_ONLY_COLUMNS, "status", "season", "episode", "default_language",
    "recorded_date", *(f"title.{lang}" for lang in LANGUAGES), "topics", "playlists",
    *(f"description.{lang}" for lang in LANGUAGES),
)  # fmt: skip
_KNOWN = frozenset(COLUMNS)
_SEPARATORS = (",", ";", "\t")
_XLSX_MAGIC = b"PK\x03\x04"
_XLS_MAGIC = b"\xd0\xcf\x11\xe0"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# What a sheet may be: its bytes (unpacked, for an xlsx; 20,000 exported assets take 25 MiB),
# the rows below its header (`catalog.import_max_rows`), a CSV line, the xlsx cells read a row.
MAX_SHEET_BYTES = 256 * 2**20
DEFAULT_MAX_ROWS = 100_000
MAX_LINE_CHARS = 2**20
MAX_COLUMNS = 64

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
    # Columns of the librarians' own (`notes`...): left alone, named in one warning.
    ignored_columns: tuple[str, ...] = ()


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


def write_sheet(
    path: Path,
    records: Iterable[Mapping[str, Any]],
    sheet_format: SheetFormat,
    values: SheetValues | None = None,
) -> int:
    """Write the records to `path` (replaced whole, never left half-written); returns the count.
    An xlsx also lists `values` (series, playlists, topics) for its dropdowns."""
    partial = path.with_name(f".{path.name}.partial")
    rows = (record_cells(record) for record in records)
    try:
        if sheet_format is SheetFormat.XLSX:
            count = write_xlsx(partial, COLUMNS, rows, values)
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


def read_sheet(path: Path, max_rows: int = DEFAULT_MAX_ROWS) -> Sheet:
    """The sheet in `path` (CSV or xlsx, whatever its name says), its columns checked.

    A sheet is a regular file of at most `MAX_SHEET_BYTES` (unpacked, for an xlsx) and
    `max_rows` rows below its header: anything else is refused before it is read whole, and
    rows are read one at a time up to that count (a small xlsx can unpack to millions of
    rows; `/dev/zero` never ends).
    """
    where = str(path)
    _check_file(path)
    try:
        with path.open("rb") as stream:
            head = stream.read(len(_XLSX_MAGIC))
            stream.seek(0)
            if head.startswith(_XLS_MAGIC):
                raise SpreadsheetError(
                    where, "an old .xls workbook; save it as .xlsx or as CSV UTF-8 and import that"
                )
            if head.startswith(_XLSX_MAGIC):
                return _sheet(where, _xlsx_rows(where, stream), max_rows)
            return _sheet(where, _csv_rows(path, stream, head, max_rows), max_rows)
    except OSError as exc:
        raise SpreadsheetError(where, f"cannot read: {exc.strerror or exc}") from exc


def _check_file(path: Path) -> None:
    try:
        info = path.stat()
    except OSError as exc:
        raise SpreadsheetError(str(path), f"cannot read: {exc.strerror or exc}") from exc
    if stat.S_ISDIR(info.st_mode):
        raise SpreadsheetError(str(path), "a folder; give the .csv or .xlsx file to import")
    if not stat.S_ISREG(info.st_mode):
        raise SpreadsheetError(
            str(path), "not a regular file (a device or a pipe); give a .csv or .xlsx file"
        )
    if info.st_size > MAX_SHEET_BYTES:
        raise SpreadsheetError(str(path), _too_big(info.st_size))


def _too_big(size: int) -> str:
    return (
        f"{size / 2**20:,.0f} MiB; a sheet may hold {MAX_SHEET_BYTES // 2**20} MiB: "
        "export and import the assets in parts (catalog export takes the list filters)"
    )


def _csv_rows(path: Path, stream: BinaryIO, head: bytes, max_rows: int) -> Iterator[list[str]]:
    where = str(path)
    encoding = "utf-16" if head.startswith(_UTF16_BOMS) else "utf-8-sig"
    lines = _lines(path, io.TextIOWrapper(stream, encoding=encoding, newline=""), encoding)
    first = next(lines, "")
    if not first.strip():
        if any(line.strip() for line in lines):
            raise SpreadsheetError(where, _NO_HEADER)
        return  # empty
    reader = csv.reader(itertools.chain([first], lines), delimiter=_separator(where, first))
    try:
        for row in reader:
            # Export put an apostrophe before texts a spreadsheet would run: it comes off here.
            yield [restored(cell) for cell in row]
    except csv.Error as exc:
        raise SpreadsheetError(
            where, f"line {reader.line_num}: {exc}; save the sheet again as CSV UTF-8"
        ) from exc


def _lines(path: Path, text: TextIO, encoding: str) -> Iterator[str]:
    """The file's lines as csv reads them (ends kept), none longer than `MAX_LINE_CHARS`."""
    number = 0
    while True:
        try:
            line = text.readline(MAX_LINE_CHARS + 1)
        except UnicodeDecodeError as exc:
            raise SpreadsheetError(str(path), _not_text(path, encoding)) from exc
        if not line:
            return
        number += 1
        if len(line) > MAX_LINE_CHARS:
            raise SpreadsheetError(
                str(path),
                f"line {number} is longer than {MAX_LINE_CHARS:,} characters, which no "
                "exported sheet is; start from a sheet made by 'media-hub catalog export'",
            )
        yield line


def _not_text(path: Path, encoding: str) -> str:
    """Where the first byte that is not `encoding` text is, found by decoding again."""
    name = "UTF-16" if encoding == "utf-16" else "UTF-8"
    if encoding == "utf-8-sig":  # the BOM is skipped here so that offsets count from byte 0
        encoding = "utf-8"
    decoder = codecs.getincrementaldecoder(encoding)()
    offset = 0
    where = ""
    with path.open("rb") as stream:
        while True:
            chunk = stream.read(1 << 16)
            pending = len(decoder.getstate()[0])  # bytes of a character the last chunk cut
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                where = f" (byte {exc.object[exc.start]:#04x} at offset "
                where += f"{offset - pending + exc.start})"
                break
            if not chunk:
                break
            offset += len(chunk)
    return (
        f"not {name} text{where}; save it as 'CSV UTF-8' in Excel, or choose the Unicode "
        "(UTF-8) character set in LibreOffice"
    )


_NO_HEADER = (
    "the first row names none of media-hub's columns (id, version, kind, series, title.fr...) "
    "with commas, semicolons or tabs between cells; start from a sheet made by "
    "'media-hub catalog export'"
)


def _separator(path: str, first_line: str) -> str:
    """The separator with which the first line names the most of media-hub's columns (a
    title with a comma in a column of one's own must not make commas win)."""
    known = {
        separator: len({_column_name(name) for name in _header(first_line, separator)} & _KNOWN)
        for separator in _SEPARATORS
    }
    best = max(_SEPARATORS, key=lambda separator: known[separator])  # the first of equals
    if not known[best]:
        raise SpreadsheetError(path, _NO_HEADER)
    return best


def _header(first_line: str, separator: str) -> list[str]:
    return next(csv.reader([first_line], delimiter=separator), [])


def _xlsx_rows(where: str, stream: BinaryIO) -> Iterator[list[str]]:
    from media_hub.catalog.xlsx_rows import first_sheet_rows  # openpyxl: 0.2 s to import

    errors = _xlsx_errors()
    try:
        with zipfile.ZipFile(stream) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise SpreadsheetError(where, f"not a readable xlsx workbook: {exc}") from exc
    if unpacked > MAX_SHEET_BYTES:
        raise SpreadsheetError(where, f"unpacks to {_too_big(unpacked)}")
    stream.seek(0)
    try:
        # At most `MAX_COLUMNS` cells a row: a cell of the last column would make every row
        # 16,384 cells long.
        for values in first_sheet_rows(stream, MAX_COLUMNS):
            yield [_cell_text(value) for value in values]
    except errors as exc:
        raise SpreadsheetError(where, _xlsx_problem(exc)) from exc


@functools.cache
def _xlsx_errors() -> tuple[type[Exception], ...]:
    """What reading a file that is not a sound xlsx raises."""
    from xml.etree.ElementTree import ParseError

    from openpyxl.utils.exceptions import InvalidFileException

    return (
        zipfile.BadZipFile, InvalidFileException, ParseError, KeyError, IndexError, ValueError,
        TypeError, AttributeError, EOFError, zlib.error,
    )  # fmt: skip


def _xlsx_problem(exc: BaseException) -> str:
    from defusedxml import DefusedXmlException

    cause = exc
    while cause.__cause__ is not None:  # openpyxl wraps what its parts raise
        cause = cause.__cause__
    if isinstance(cause, DefusedXmlException):
        return (
            "its XML declares a DTD or entities, which media-hub does not read (they can "
            "expand without end); save it again as .xlsx from Excel or LibreOffice"
        )
    text = str(cause).strip().splitlines()
    return f"not a readable xlsx workbook: {text[0] if text else type(cause).__name__}"


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


def _sheet(path: str, table: Iterator[list[str]], max_rows: int) -> Sheet:
    header_cells = next(table, None)
    if header_cells is None:
        raise SpreadsheetError(path, "empty; start from a sheet made by 'media-hub catalog export'")
    header = [_column_name(name) for name in header_cells]
    columns, ignored = _checked_columns(path, header)
    unnamed = [position for position, name in enumerate(header) if not name]
    rows = []
    for index, values in enumerate(table, start=2):
        if index - 1 > max_rows:
            raise SpreadsheetError(
                path,
                f"more than {max_rows:,} rows; import it in parts, or raise the setting "
                "catalog.import_max_rows",
            )
        for position in unnamed:
            if position < len(values) and values[position].strip():
                raise SpreadsheetError(
                    path, f"column {position + 1} has no name; name or remove it"
                )
        if not any(value.strip() for value in values):
            continue  # spreadsheets keep blank rows at the end
        if any(value.strip() for value in values[len(header) :]):
            raise SpreadsheetError(
                path, f"row {index} has more cells than the header has columns; remove them"
            )
        cells = {
            name: values[position] if position < len(values) else ""
            for position, name in enumerate(header)
            if name in _KNOWN
        }
        rows.append(SheetRow(index, cells))
    return Sheet(path, columns, tuple(rows), ignored)


def _checked_columns(path: str, header: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The known columns and the ignored ones; a known column named twice is refused (which
    of the two cells would count?), and so is a header with none of media-hub's columns."""
    seen: set[str] = set()
    ignored: list[str] = []
    for name in header:
        if not name:
            continue  # allowed while its cells are empty (see `_sheet`)
        if name not in _KNOWN:
            if name not in ignored:
                ignored.append(name)
            continue
        if name in seen:
            raise SpreadsheetError(path, f"column {name!r} appears twice; keep one")
        seen.add(name)
    if not seen:
        raise SpreadsheetError(path, _NO_HEADER)
    return tuple(name for name in header if name in seen), tuple(ignored)

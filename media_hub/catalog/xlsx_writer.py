"""The assets as an xlsx workbook made to be edited in Excel and LibreOffice Calc.

The first sheet holds the assets, one row each, as `catalog import` reads it back (it reads
the first sheet only); every text is in a text cell, never a formula. Around the values, what
makes a librarian's work safe: columns as wide as their texts (within bounds), the header and
the id column frozen, Arabic (any right-to-left language) aligned right and read right to
left, the columns an import refuses to change shaded, and dropdowns for series, kind, status
and default language. The dropdowns are fed by a second sheet, "values", through defined
names (`list_series`...), which both Excel and Calc resolve across sheets; it also lists the
playlists and topics with their names, which cells that hold lists cannot be strict
dropdowns of: those columns show an input message instead.

Written with openpyxl's write-only mode (rows streamed to the file): styles are shared
templates copied into cells, so 20,000 assets take seconds, not minutes.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from copy import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from media_hub.catalog.rules import TITLE_MAX_CHARS
from media_hub.catalog.vocabulary import LANGUAGES, AssetKind, AssetStatus

if TYPE_CHECKING:
    from openpyxl.styles.cell_style import StyleArray
    from openpyxl.workbook import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

Cell = str | int | None
# openpyxl's write-only sheet borrows most of its attributes from the ordinary one (column
# dimensions, validations, protection), which its type stubs do not know.
WriteOnlySheet = Any

ASSETS_SHEET = "assets"
VALUES_SHEET = "values"
# Written by media-hub: an import refuses changes to them on an existing asset.
LOCKED_COLUMNS = ("id", "version", "kind", "series")
# Column widths, in Excel's unit (the width of a '0'), padding and the filter arrow included.
MIN_WIDTH = 6
MAX_WIDTH = 50
_PADDING = 3
_LAST_ROW = 1_048_576  # validations cover the rows a librarian adds, too

_HEADER_FILL = "1F4E78"
_LOCKED_HEADER_FILL = "595959"
_LOCKED_FILL = "E7E6E6"
_LOCKED_FONT = "595959"


@dataclass(frozen=True)
class Choice:
    """A valid value of a column (a slug) and its names by language ("": in its own
    language), shown beside it."""

    value: str
    names: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SheetValues:
    """The catalog's series, playlists and topics, for the "values" sheet."""

    series: Sequence[Choice] = ()
    playlists: Sequence[Choice] = ()
    topics: Sequence[Choice] = ()


@dataclass(frozen=True)
class _Group:
    """One list of the "values" sheet: its column header, defined name and choices."""

    title: str
    name: str
    choices: Sequence[Choice]


def is_right_to_left(lang: str) -> bool:
    """Whether the language is written right to left, as its own name says (Arabic: yes,
    Tifinagh: no)."""
    for char in LANGUAGES.get(lang, ""):
        direction = unicodedata.bidirectional(char)
        if direction in ("R", "AL"):
            return True
        if direction == "L":
            return False
    return False


def text_width(text: str) -> int:
    """How many '0's wide the longest line of `text` shows: marks (Arabic tashkeel, accents
    typed apart) and format characters take no room, wide East Asian characters two."""
    if text.isascii():
        return max(map(len, text.splitlines()), default=0)
    zero_width, wide = _measures()
    return max(
        (len(line.translate(zero_width)) + len(wide.findall(line)) for line in text.splitlines()),
        default=0,
    )


@functools.cache
def _measures() -> tuple[dict[int, None], re.Pattern[str]]:
    """A `str.translate` table deleting what takes no room (combining marks such as tashkeel,
    bidi and format controls), and the East Asian wide characters, which take two. Made on
    first use (0.1 s)."""
    zero_width = dict.fromkeys(
        code for code in range(0x10000) if unicodedata.category(chr(code)) in ("Mn", "Me", "Cf")
    )
    wide = re.compile(
        "[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff"
        "\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60"
        "\uffe0-\uffe6\U00020000-\U0003fffd\U0001f300-\U0001f64f\U0001f900-\U0001f9ff]"
    )
    return zero_width, wide


def column_widths(columns: Sequence[str], rows: Iterable[Sequence[Cell]]) -> list[int]:
    """Each column's width: its widest cell or header, padded, within `MIN_WIDTH`-`MAX_WIDTH`."""
    widths = [text_width(name) for name in columns]
    for row in rows:
        for position, value in enumerate(row):
            if value is None or widths[position] >= MAX_WIDTH:
                continue
            text = value if isinstance(value, str) else str(value)
            # A text shows at most as wide as its length (twice that, with wide characters).
            if len(text) * (1 if text.isascii() else 2) > widths[position]:
                widths[position] = max(widths[position], text_width(text))
    return [min(MAX_WIDTH, max(MIN_WIDTH, width + _PADDING)) for width in widths]


def write_xlsx(
    path: Path,
    columns: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    values: SheetValues | None = None,
) -> int:
    """Write the workbook to `path`; returns the number of asset rows."""
    from openpyxl import Workbook  # imported here: it costs 0.2 s that other commands spare

    table = list(rows)  # measured for the widths before the first row is written
    workbook = Workbook(write_only=True)
    groups = _groups(values or SheetValues())
    sheet = workbook.create_sheet(ASSETS_SHEET)
    styles = _ColumnStyles(sheet, columns, LOCKED_COLUMNS)
    _set_columns(sheet, column_widths(columns, table), styles)
    sheet.freeze_panes = "B2"  # the header and the id
    last = _letter(len(columns))
    sheet.auto_filter.ref = f"A1:{last}{len(table) + 1}"
    _add_validations(sheet, columns, groups)
    sheet.append([styles.header(position, name) for position, name in enumerate(columns)])
    for row in table:
        sheet.append([styles.cell(position, value) for position, value in enumerate(row)])
    _write_values(workbook, groups)
    workbook.save(path)
    return len(table)


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)


def _lang(column: str) -> str | None:
    return column.partition(".")[2] or None


class _ColumnStyles:
    """The style of each column's cells, made once and copied into each styled cell."""

    def __init__(
        self, sheet: WriteOnlySheet, columns: Sequence[str], locked: Sequence[str] = ()
    ) -> None:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        self.sheet = sheet
        self._cell_class: Any = WriteOnlyCell
        right_to_left = Alignment(horizontal="right", readingOrder=2)
        self.cells: list[StyleArray | None] = []
        self.headers: list[StyleArray] = []
        self.column_styles: list[dict[str, Any]] = []
        for name in columns:
            column_style: dict[str, Any] = {}
            if name in locked:
                column_style["fill"] = PatternFill("solid", fgColor=_LOCKED_FILL)
                column_style["font"] = Font(color=_LOCKED_FONT)
            lang = _lang(name)
            if lang is not None and is_right_to_left(lang):
                column_style["alignment"] = right_to_left
            self.column_styles.append(column_style)
            self.cells.append(self._style_of(column_style) if column_style else None)
            header_fill = _LOCKED_HEADER_FILL if name in locked else _HEADER_FILL
            header_style = {
                "font": Font(bold=True, color="FFFFFF"),
                "fill": PatternFill("solid", fgColor=header_fill),
                "border": Border(bottom=Side(style="thin", color="000000")),
                "alignment": column_style.get("alignment"),
            }
            self.headers.append(self._style_of(header_style))

    def _style_of(self, attributes: Mapping[str, Any]) -> StyleArray:
        template = self._cell_class(self.sheet)
        for attribute, value in attributes.items():
            if value is not None:
                setattr(template, attribute, value)
        style: StyleArray = template._style
        return style

    def header(self, position: int, name: str) -> Any:
        return self._cell(name, self.headers[position])

    def cell(self, position: int, value: Cell) -> Any:
        style = self.cells[position]
        if style is None:
            if isinstance(value, str) and value.startswith("="):
                return self._cell(value, None)
            return value
        if value is None:
            return None  # the column's style shows on the empty cell
        return self._cell(value, style)

    def _cell(self, value: str | int, style: StyleArray | None) -> Any:
        cell = self._cell_class(self.sheet, value=value)
        if style is not None:
            cell._style = copy(style)
        if isinstance(value, str):
            cell.data_type = "s"  # openpyxl would store '=...' as a formula; a title is text
        return cell


def _set_columns(sheet: WriteOnlySheet, widths: Sequence[int], styles: _ColumnStyles) -> None:
    for position, (width, column_style) in enumerate(
        zip(widths, styles.column_styles, strict=True), start=1
    ):
        dimension = sheet.column_dimensions[_letter(position)]
        dimension.width = width
        for attribute, value in column_style.items():
            setattr(dimension, attribute, value)


def _groups(values: SheetValues) -> list[_Group]:
    return [
        _Group("series", "list_series", values.series),
        _Group("kind", "list_kinds", [Choice(kind.value) for kind in AssetKind]),
        _Group("status", "list_statuses", [Choice(status.value) for status in AssetStatus]),
        _Group(
            "default_language", "list_languages",
            [Choice(lang, {"": name}) for lang, name in LANGUAGES.items()],
        ),
        _Group("playlists", "list_playlists", values.playlists),
        _Group("topics", "list_topics", values.topics),
    ]  # fmt: skip


_STRICT = ("series", "kind", "status", "default_language")


def _add_validations(
    sheet: WriteOnlySheet, columns: Sequence[str], groups: Sequence[_Group]
) -> None:
    """Each column's validation or input message, from row 2 to the sheet's last row."""
    listed = {group.title: group for group in groups}
    for position, name in enumerate(columns, start=1):
        validation = _validation(name, listed.get(name))
        if validation is not None:
            letter = _letter(position)
            validation.add(f"{letter}2:{letter}{_LAST_ROW}")
            sheet.data_validations.append(validation)


def _validation(name: str, group: _Group | None) -> DataValidation | None:
    from openpyxl.worksheet.datavalidation import DataValidation

    def message(text: str) -> DataValidation:
        return DataValidation(showInputMessage=True, promptTitle=name, prompt=text)

    def refusal(**rule: Any) -> DataValidation:
        return DataValidation(allow_blank=True, showErrorMessage=True, errorTitle=name, **rule)

    if name in _STRICT and group is not None and group.choices:
        where = f"in the list, or in the sheet '{VALUES_SHEET}'"
        validation = refusal(type="list", formula1=group.name, error=f"Choose a {name} {where}.")
        if name == "series":  # the import takes a series' name too: warn, do not refuse
            validation.errorStyle = "warning"
            validation.error = f"Not a series slug; choose one {where} (a name there will do)."
        validation.showInputMessage = True
        validation.promptTitle = name
        validation.prompt = (
            f"Fixed once the asset exists; for a new row (no id) choose one {where}."
            if name in LOCKED_COLUMNS
            else f"Choose a {name} {where}."
        )
        return validation
    if name in ("topics", "playlists"):  # lists: no dropdown can hold them
        return message(
            f"Slugs or names from the sheet '{VALUES_SHEET}', separated by ; or , as in: "
            "cv; Entretien d'embauche"
        )
    if name in ("id", "version"):
        return message("Written by media-hub: leave it as it is (empty on a new row).")
    if name == "recorded_date":
        return message("A day, as 2014-03-12.")
    if name in ("season", "episode"):
        return refusal(
            type="whole", operator="greaterThanOrEqual", formula1="1",
            error="A whole number, 1 or more.",
        )  # fmt: skip
    if name.startswith("title."):
        return refusal(
            type="textLength", operator="lessThanOrEqual", formula1=str(TITLE_MAX_CHARS),
            error=f"At most {TITLE_MAX_CHARS} characters (YouTube's limit).",
        )  # fmt: skip
    return None


def _write_values(workbook: Workbook, groups: Sequence[_Group]) -> None:
    """The "values" sheet: each group a slug column, its names beside it, a blank column
    between groups; each slug column a defined name the dropdowns refer to."""
    from openpyxl.utils import quote_sheetname
    from openpyxl.workbook.defined_name import DefinedName

    sheet = workbook.create_sheet(VALUES_SHEET)
    header: list[str] = []
    table: list[list[Cell]] = []
    for group in groups:
        langs = [lang for lang in ("", *LANGUAGES) if any(lang in c.names for c in group.choices)]
        first = len(header) + 1
        header += [group.title, *(f"name.{lang}".rstrip(".") for lang in langs), ""]
        for row, choice in enumerate(group.choices):
            if row == len(table):
                table.append([])
            cells = table[row]
            cells += [None] * (first - 1 - len(cells))
            cells += [choice.value, *(choice.names.get(lang) for lang in langs)]
        last_row = max(len(group.choices), 1) + 1
        letter = _letter(first)
        reference = f"{quote_sheetname(VALUES_SHEET)}!${letter}$2:${letter}${last_row}"
        workbook.defined_names[group.name] = DefinedName(group.name, attr_text=reference)
    styles = _ColumnStyles(sheet, header)
    _set_columns(sheet, column_widths(header, table), styles)
    sheet.freeze_panes = "A2"
    sheet.protection.sheet = True  # the values come from the catalog: 'conventions load'
    sheet.append([styles.header(i, name) if name else None for i, name in enumerate(header)])
    for cells in table:
        sheet.append([styles.cell(i, value) for i, value in enumerate(cells)])

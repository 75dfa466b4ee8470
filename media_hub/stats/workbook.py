"""A report as an Excel workbook: one sheet per table, headed in the report's language, numbers
stored as numbers (formatted by Excel, so they sum and sort), columns as wide as their text,
the header row frozen, and a native line chart of the views over time on its own sheet.

Text cells are always stored as text: a name beginning with "=" stays a name, never a formula
(the CSV export's guard, CWE-1236, for the workbook).
"""

from __future__ import annotations

import io
from typing import Any

from media_hub.stats import labels
from media_hub.stats.chart import MAX_LINES
from media_hub.stats.render import Table, heading, period_text, tables
from media_hub.stats.report import DayPoint, Point, Report

NUMBER_FORMATS = {"count": "#,##0", "signed": "+#,##0;-#,##0;0", "percent": "+0.0%;-0.0%;0.0%"}
MAX_WIDTH = 60
SHEET_NAME = 31  # Excel's limit on a sheet's name


def to_xlsx(report: Report) -> bytes:
    """The workbook's bytes; written row by row (openpyxl's write-only mode: 10,000 rows in
    well under a second, where the ordinary mode re-counts the rows at each one)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    taken: set[str] = set()
    for index, table in enumerate(tables(report)):
        sheet = workbook.create_sheet(_sheet_title(table.title, taken))
        taken.add(sheet.title)
        _fill(sheet, table, heading(report) if index == 0 else [], report.query.language)
    _chart_sheet(workbook, report, taken)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_title(title: str, taken: set[str]) -> str:
    """A sheet name Excel accepts: 31 characters at most, none of []:*?/\\, not taken."""
    cleaned = "".join(" " if char in "[]:*?/\\" else char for char in title).strip()
    name = cleaned[:SHEET_NAME] or "Sheet"
    number = 2
    while name in taken:
        suffix = f" ({number})"
        name = cleaned[: SHEET_NAME - len(suffix)] + suffix
        number += 1
    return name


def _fill(sheet: Any, table: Table, notes: list[str], language: str) -> None:
    """The notes, then the table (headers frozen, widths fitted, right to left in Arabic)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    sheet.sheet_view.rightToLeft = language in labels.RTL
    _fit(sheet, table)
    header_row = len(notes) + 1
    sheet.freeze_panes = f"A{header_row + 1}"
    for note in notes:
        sheet.append([_text(sheet, note)])
    bold = Font(bold=True)
    heads = []
    for column in table.columns:
        cell = WriteOnlyCell(sheet, column)
        cell.data_type = "s"
        cell.font = bold
        heads.append(cell)
    sheet.append(heads)
    formats = [NUMBER_FORMATS.get(kind) for kind in table.kinds]
    for row in table.rows:
        cells: list[Any] = []
        for value, number_format in zip(row, formats, strict=True):
            if value is None:
                cells.append(None)
            elif number_format is None:
                cells.append(_text(sheet, str(value)))
            else:
                cell = WriteOnlyCell(sheet, value)
                cell.number_format = number_format
                cells.append(cell)
        sheet.append(cells)


def _text(sheet: Any, value: str) -> Any:
    """A text cell, never a formula: openpyxl takes a text beginning with "=" for one, so
    such a text is marked as text (the others go plain: a cell object each costs time)."""
    from openpyxl.cell import WriteOnlyCell

    if not value.startswith("="):
        return value
    cell = WriteOnlyCell(sheet, value)
    cell.data_type = "s"
    return cell


def _fit(sheet: Any, table: Table) -> None:
    """Each column as wide as its widest cell (its header included), within MAX_WIDTH."""
    from openpyxl.utils import get_column_letter

    for index, column in enumerate(table.columns):
        widest = len(str(column))
        for row in table.rows:
            value = row[index]
            shown = f"{value:,}" if isinstance(value, int | float) else str(value or "")
            widest = max(widest, len(shown))
        sheet.column_dimensions[get_column_letter(index + 1)].width = min(widest + 3, MAX_WIDTH)


def _chart_sheet(workbook: Any, report: Report, taken: set[str]) -> None:
    """The views day by day (Analytics), else at each pull, as a data sheet and a native line
    chart over it; the groups with most views, as on the PNG chart."""
    from openpyxl.chart import LineChart, Reference

    lang = report.query.language
    by_day = bool(report.days)
    points = report.days if by_day else report.timeline
    keys = [group.key for group in report.groups][:MAX_LINES]
    names = {group.key: group.name or group.key for group in report.groups}
    keys = [key for key in keys if any(key in point.views for point in points)]
    if not points or not keys:
        return
    from openpyxl.cell import WriteOnlyCell

    sheet = workbook.create_sheet(_sheet_title(labels.text(lang, "chart.heading"), taken))
    sheet.freeze_panes = "B2"
    sheet.column_dimensions["A"].width = 18
    sheet.sheet_view.rightToLeft = lang in labels.RTL
    sheet.append([_text(sheet, labels.text(lang, "chart.axis_day")),
                  *(_text(sheet, names[key]) for key in keys)])  # fmt: skip
    moment_format = "yyyy-mm-dd" if by_day else "yyyy-mm-dd hh:mm"
    for point in points:
        moment = WriteOnlyCell(sheet, _moment(point))
        moment.number_format = moment_format
        sheet.append([moment, *(point.views.get(key) for key in keys)])
    chart = LineChart()
    measure = labels.text(lang, "chart.axis_views")
    chart.title = labels.text(
        lang,
        "chart.title",
        measure=measure.capitalize(),
        by=labels.text(lang, f"by.{report.query.by.value}"),
        period=period_text(report),
    )
    chart.y_axis.title = measure
    chart.x_axis.title = labels.text(lang, "chart.axis_day")
    chart.x_axis.number_format = "yyyy-mm-dd"
    chart.height, chart.width = 10, 24
    rows = len(points) + 1
    data = Reference(sheet, min_col=2, max_col=len(keys) + 1, min_row=1, max_row=rows)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=rows))
    sheet.add_chart(chart, f"{_column_after(len(keys) + 2)}2")


def _moment(point: DayPoint | Point) -> Any:
    """A day, or a pull's time without its zone (Excel keeps none; they are UTC)."""
    return point.day if isinstance(point, DayPoint) else point.taken_at.replace(tzinfo=None)


def _column_after(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)

"""A report as an Excel workbook: one sheet per table, headed in the report's language, numbers
stored as numbers (formatted by Excel, so they sum and sort), columns as wide as their text,
the header row frozen, and a native line chart of the views over time on its own sheet.

Text cells are always stored as text: a name beginning with "=" stays a name, never a formula
(the CSV export's guard, CWE-1236, for the workbook).
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from media_hub.stats import labels
from media_hub.stats.chart import MAX_LINES
from media_hub.stats.render import Table, heading, period_text, tables
from media_hub.stats.report import DayPoint, Point, Report

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

NUMBER_FORMATS = {"count": "#,##0", "signed": "+#,##0;-#,##0;0", "percent": "+0.0%;-0.0%;0.0%"}
MAX_WIDTH = 60
SHEET_NAME = 31  # Excel's limit on a sheet's name


def to_xlsx(report: Report) -> bytes:
    """The workbook's bytes."""
    from openpyxl import Workbook

    workbook = Workbook()
    lang = report.query.language
    for index, table in enumerate(tables(report)):
        sheet = workbook.create_sheet() if index else workbook.active
        assert sheet is not None  # a new workbook has its first sheet
        taken = {ws.title for ws in workbook.worksheets if ws is not sheet}
        _fill(sheet, table, heading(report) if index == 0 else [], taken)
        sheet.sheet_view.rightToLeft = lang in labels.RTL
    _chart_sheet(workbook, report)
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


def _fill(sheet: Worksheet, table: Table, notes: list[str], taken: set[str]) -> None:
    """The table from A1 (the notes above it, when given), headers frozen, widths fitted."""
    sheet.title = _sheet_title(table.title, taken)
    from openpyxl.styles import Font

    for note in notes:
        sheet.append([note])
        sheet.cell(sheet.max_row, 1).data_type = "s"
    header_row = sheet.max_row + 1 if notes else 1
    sheet.append(table.columns)
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.data_type = "s"
    for row in table.rows:
        sheet.append([_value(value, kind) for value, kind in zip(row, table.kinds, strict=True)])
        row_number = sheet.max_row
        for column, kind in enumerate(table.kinds, 1):
            cell = sheet.cell(row_number, column)
            if kind in NUMBER_FORMATS:
                cell.number_format = NUMBER_FORMATS[kind]
            elif cell.value is not None:
                cell.data_type = "s"  # text, never a formula
    sheet.freeze_panes = f"A{header_row + 1}"
    _fit(sheet, table)


def _value(value: Any, kind: str) -> Any:
    if value is None:
        return None
    return value if kind in NUMBER_FORMATS else str(value)


def _fit(sheet: Worksheet, table: Table) -> None:
    """Each column as wide as its widest cell (its header included), within MAX_WIDTH."""
    from openpyxl.utils import get_column_letter

    for index, column in enumerate(table.columns, 1):
        widest = max(
            [len(str(column))]
            + [len(f"{row[index - 1]:,}") if isinstance(row[index - 1], int | float)
               else len(str(row[index - 1] or "")) for row in table.rows]
        )  # fmt: skip
        sheet.column_dimensions[get_column_letter(index)].width = min(widest + 3, MAX_WIDTH)


def _chart_sheet(workbook: Any, report: Report) -> None:
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
    taken = {ws.title for ws in workbook.worksheets}
    sheet = workbook.create_sheet(_sheet_title(labels.text(lang, "chart.heading"), taken))
    sheet.sheet_view.rightToLeft = lang in labels.RTL
    sheet.append([labels.text(lang, "chart.axis_day"), *(names[key] for key in keys)])
    for point in points:
        moment = _moment(point)
        sheet.append([moment, *(point.views.get(key) for key in keys)])
        sheet.cell(sheet.max_row, 1).number_format = "yyyy-mm-dd" if by_day else "yyyy-mm-dd hh:mm"
        for column in range(2, len(keys) + 2):
            sheet.cell(sheet.max_row, column).number_format = "#,##0"
    sheet.freeze_panes = "B2"
    sheet.column_dimensions["A"].width = 18
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

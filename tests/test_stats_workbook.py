"""The workbook of a report, read back with openpyxl: text never becomes a formula, numbers
stay numbers, Arabic sheets run right to left."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import openpyxl

from media_hub.stats.counts import Counts
from media_hub.stats.report import Grouping, GroupLine, Point, Report, ReportQuery, SnapshotInfo
from media_hub.stats.workbook import to_xlsx

TAKEN = datetime(2026, 11, 30, 8, tzinfo=UTC)


def _report(name: str, language: str) -> Report:
    counts = Counts(views=1234)
    on_youtube = {"youtube": counts, "slideshare": None}
    group = GroupLine("reports", name, 3, on_youtube, on_youtube, (), period={"youtube": 1234})
    query = ReportQuery(Grouping.PLAYLIST, language=language)
    timeline = (Point(TAKEN, {"reports": 1234}),)
    return Report(query, SnapshotInfo(1, TAKEN), None, (group,), {"youtube": counts},
                  {"youtube": counts}, timeline)  # fmt: skip


def test_a_name_like_a_formula_stays_text_and_numbers_stay_numbers() -> None:
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(_report('=HYPERLINK("http://x","y")', "en"))))
    sheet = book.worksheets[0]
    row = next(r for r in sheet.iter_rows() if r[0].value == "reports")
    assert row[1].value == '=HYPERLINK("http://x","y")'
    assert row[1].data_type == "s"
    assert row[3].value == 1234
    assert row[3].number_format == "#,##0"
    assert sheet.sheet_view.rightToLeft in (None, False)


def test_an_arabic_workbook_runs_right_to_left() -> None:
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(_report("تقارير", "ar"))))
    assert all(sheet.sheet_view.rightToLeft for sheet in book.worksheets)
    assert book.worksheets[0].title == "المشاهدات في الفترة حسب قائمة التشغيل"[:31]

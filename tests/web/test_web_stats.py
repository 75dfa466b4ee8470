"""The statistics page: `stats report` for the period asked, its tables equal to the library's
report and to the sandbox's own daily counts, the chart and the downloads equal to what the
CLI writes, bad periods refused in one line (400), hostile titles escaped, roles."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pytest
from PIL import Image
from sqlalchemy import text
from starlette.testclient import TestClient
from typer.testing import CliRunner

from media_hub.cli import app as cli_app
from media_hub.hub import Hub
from media_hub.stats import labels, render
from media_hub.stats.period import Compare, PeriodKind
from media_hub.stats.report import Grouping, ReportQuery, build_report
from media_hub.web import stats_form
from media_hub.web.i18n import translator
from media_hub.web.pages import stats as stats_page
from tests.test_stats_periods import _deck_views, _playlist_views
from tests.web import stats_data
from tests.web.conftest import sign_in
from tests.web.stats_data import Pulled, tables

ASKED = "/stats?month=2026-11&compare=previous&lang=en"
SQLITE_ONLY = pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(2)>'


# The channel published on 30 September and pulled on 1 November and 1 December.
sandbox = stats_data.sandbox
pulled = stats_data.pulled


def _november(language: str = "en") -> ReportQuery:
    first, last = stats_data.NOVEMBER
    return ReportQuery(Grouping.PLAYLIST, first, last, language=language,
                       kind=PeriodKind.MONTH, compare=Compare.PREVIOUS)  # fmt: skip


@pytest.mark.slow  # publishes the 105-video channel and pulls twice
@SQLITE_ONLY
def test_the_page_shows_the_report_of_the_period_asked(client: TestClient, pulled: Pulled) -> None:
    sign_in(client, "viewer")
    answer = client.get(ASKED)
    assert answer.status_code == 200, answer.text
    page = tables(answer.text)
    report = build_report(pulled.hub.db, _november())
    expected = render.tables(report)
    assert len(page.tables) == len(expected) == 4  # groups, Analytics, totals, top items
    for shown, table in zip(page.tables, expected, strict=True):
        rows = [row for row in shown if row]  # the header row has no td
        assert [[cell for cell, _ in row] for row in rows] == render.formatted(table, "en")
        for row in rows:  # numbers left to right, texts by their own letters
            assert [direction for _, direction in row] == [
                "auto" if kind == "text" else "ltr" for kind in table.kinds
            ]
    # The numbers are the sandbox's own daily counts, summed over November and October.
    groups = {row[0][0]: [cell for cell, _ in row] for row in page.tables[0] if row}
    for slug in pulled.channel.youtube_playlists:
        now = _playlist_views(pulled.channel, slug, *stats_data.NOVEMBER)
        then = _playlist_views(pulled.channel, slug, *stats_data.OCTOBER)
        assert groups[slug][3:6] == [
            labels.number(now, "en"), labels.number(then, "en"), labels.signed(now - then, "en")
        ]  # fmt: skip
    flyers = _deck_views(pulled.channel, "cv-flyers", *stats_data.NOVEMBER)
    assert labels.number(flyers, "en") in groups["cv-flyers"]
    assert "Statistics by playlist, November 1, 2026 to November 30, 2026" in answer.text
    # The chart, for the same period, is the page's one picture.
    [chart] = [image for image in page.images if (image["src"] or "").startswith("/stats/")]
    assert chart["alt"] == "Views over time by playlist, November 1, 2026 to November 30, 2026"
    source = urlsplit(chart["src"] or "")
    assert source.path == "/stats/chart.png"
    assert parse_qs(source.query) == {
        "month": ["2026-11"], "compare": ["previous"], "by": ["playlist"], "lang": ["en"]
    }  # fmt: skip
    # In Arabic: the page mirrored, the playlists by their Arabic names, the numbers ltr.
    arabic = client.get("/stats?month=2026-11", headers={"Accept-Language": "ar"}).text
    assert '<html lang="ar" dir="rtl">' in arabic
    assert '<section class="report" lang="ar" dir="rtl">' in arabic
    cv = _playlist_views(pulled.channel, "advisory-cv", *stats_data.NOVEMBER)
    row = next(r for r in tables(arabic).tables[0] if r and r[0][0] == "advisory-cv")
    assert row[1] == ("نصائح: السيرة الذاتية", "auto")
    assert row[3] == (labels.number(cv, "ar"), "ltr")


@pytest.mark.slow
@SQLITE_ONLY
def test_chart_and_downloads_are_what_the_cli_writes(
    client: TestClient, pulled: Pulled, runner: CliRunner, tmp_path: Path, hub: Hub
) -> None:
    formula = '=HYPERLINK("http://x","y")'
    top = build_report(pulled.hub.db, _november()).groups[0].top[0]
    with hub.db.engine.begin() as connection:  # a title like a formula, as a spreadsheet may
        connection.execute(
            text("UPDATE asset_texts SET title = :t WHERE asset_id = :a"),
            {"t": formula, "a": top.asset_id},
        )
    sign_in(client, "viewer")
    query = "month=2026-11&compare=previous&lang=en"
    chart = client.get(f"/stats/chart.png?{query}")
    assert chart.status_code == 200
    assert chart.headers["content-type"] == "image/png"
    with Image.open(io.BytesIO(chart.content)) as image:
        image.verify()
        assert image.format == "PNG"
        assert image.size == (1210, 660)
    cli = ["stats", "report", "--month", "2026-11", "--compare", "previous", "-l", "en"]
    written: dict[str, bytes] = {}
    for suffix in ("csv", "xlsx", "html"):
        path = tmp_path / f"cli.{suffix}"
        result = runner.invoke(cli_app, [*cli, "--format", suffix, "--output", str(path)])
        assert result.exit_code == 0, result.stderr
        written[suffix] = path.read_bytes()
    downloads = {}
    for suffix, media_type in (
        ("csv", "text/csv; charset=utf-8"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("html", "text/html; charset=utf-8"),
    ):
        answer = client.get(f"/stats/report.{suffix}?{query}")
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"] == media_type
        disposition = answer.headers["content-disposition"]
        assert disposition == (
            f'attachment; filename="stats-playlist-2026-11-vs-previous-en.{suffix}"'
        )
        assert disposition.isascii()
        assert answer.headers["cache-control"] == "private, max-age=60"
        assert answer.headers["x-content-type-options"] == "nosniff"
        downloads[suffix] = answer.content
    # CSV: with the byte-order mark, byte for byte the CLI's; numbers the sandbox's.
    assert downloads["csv"].startswith(b"\xef\xbb\xbf")
    assert downloads["csv"] == written["csv"]
    rows = {row["key"]: row for row in csv.DictReader(io.StringIO(downloads["csv"].decode()[1:]))}
    for slug in pulled.channel.youtube_playlists:
        views = _playlist_views(pulled.channel, slug, *stats_data.NOVEMBER)
        assert int(rows[slug]["youtube_period_views"]) == views
    cells = csv.reader(io.StringIO(downloads["csv"].decode()[1:]))
    assert not [cell for row in cells for cell in row if cell.startswith("=")]
    # The workbook: the CLI's cells, numbers as numbers, no formula anywhere.
    book = openpyxl.load_workbook(io.BytesIO(downloads["xlsx"]))
    theirs = openpyxl.load_workbook(io.BytesIO(written["xlsx"]))
    assert book.sheetnames == theirs.sheetnames
    for sheet, other in zip(book.worksheets, theirs.worksheets, strict=True):
        assert [[c.value for c in r] for r in sheet.iter_rows()] == [
            [c.value for c in r] for r in other.iter_rows()
        ]
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    assert cell.value == formula  # the title, stored as text
    groups = book.worksheets[0]
    header = next(r for r in range(1, 10) if groups.cell(r, 1).value == "playlist")
    by_slug = {row[0]: row for row in groups.iter_rows(min_row=header + 1, values_only=True)}
    views = _playlist_views(pulled.channel, "reports", *stats_data.NOVEMBER)
    assert by_slug["reports"][3] == views
    assert isinstance(by_slug["reports"][3], int)
    # The HTML page stands alone: the CLI's own, its chart inline, nothing fetched.
    page = downloads["html"].decode()
    assert downloads["html"] == written["html"]
    assert page.startswith('<!DOCTYPE html>\n<html lang="en" dir="ltr">')
    assert '<img alt="Views over time" src="data:image/png;base64,' in page
    assert "<script" not in page
    assert "<link" not in page
    assert 'src="http' not in page
    policy = client.get(f"/stats/report.html?{query}").headers["content-security-policy"]
    assert policy == stats_page.DOWNLOAD_CSP  # if opened in place: its style, nothing to run
    assert "script-src" not in policy
    assert "default-src 'none'" in policy


@pytest.mark.slow
@SQLITE_ONLY
def test_hostile_titles_are_escaped_on_the_stats_page(
    client: TestClient, pulled: Pulled, hub: Hub
) -> None:
    report = build_report(pulled.hub.db, _november())
    top = report.groups[0].top[:2]
    # Texts from before the catalog refused angle brackets (or written by another tool).
    with hub.db.engine.begin() as connection:
        for line, hostile in zip(top, (SCRIPT, IMG), strict=True):
            connection.execute(
                text("UPDATE asset_texts SET title = :t WHERE asset_id = :a"),
                {"t": hostile, "a": line.asset_id},
            )
    sign_in(client, "viewer")
    page = client.get(ASKED).text
    assert SCRIPT not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&#34;&gt;&lt;img src=x onerror=alert(2)&gt;" in page
    shown = [cell for row in tables(page).tables[-1] for cell, _ in row]
    assert SCRIPT in shown  # the text itself, as a text
    assert IMG in shown


@SQLITE_ONLY
@pytest.mark.parametrize(
    ("query", "problem", "field"),
    [
        ("month=2026-13", stats_form.MONTH, "month"),
        ("month=0000-01", stats_form.MONTH, "month"),
        ("year=0001&compare=previous", stats_form.YEAR, "year"),  # no year 0 to compare
        ("quarter=2026-Q5", stats_form.QUARTER, "quarter"),
        ("year=26", stats_form.YEAR, "year"),
        ("since=2026-11-30&until=2026-11-01", stats_form.AFTER, "since"),
        ("since=30/11/2026", stats_form.DATES, "since"),
        ("month=2026-11&year=2026", stats_form.ONE_PERIOD, "year"),
        ("since=2026-11-01&compare=previous", stats_form.OPEN, "compare"),
        ("month=2026-11&compare=decade", stats_form.CHOICE, "compare"),
        ("month=2026-11&by=colour", stats_form.CHOICE, "by"),
        ("month=2026-11&lang=de", stats_form.CHOICE, "lang"),
    ],
)
def test_a_bad_period_is_one_line_that_says_what_to_do(
    client: TestClient, query: str, problem: str, field: str
) -> None:
    sign_in(client, "viewer")
    for path in ("/stats", "/stats/chart.png", "/stats/report.csv", "/stats/report.xlsx"):
        answer = client.get(f"{path}?{query}")
        assert answer.status_code == 400, (path, answer.text)
        assert f'<p class="problem" id="stats-problem" role="alert">{_escaped(problem)}</p>' in (
            answer.text
        )
        assert "Traceback" not in answer.text
        named = f'name="{field}"'
        assert any(  # the field at fault is marked, and points at the problem
            named in tag and 'aria-invalid="true" aria-describedby="stats-problem"' in tag
            for tag in answer.text.split("<")
            if tag.startswith(("input", "select"))
        )
    french = client.get(f"/stats?{query}", headers={"Accept-Language": "fr"})
    assert french.status_code == 400
    assert _escaped(translator("fr")(problem)) in french.text
    assert translator("fr")(problem) != problem


def _escaped(message: str) -> str:
    return message.replace("'", "&#39;").replace('"', "&#34;")


@SQLITE_ONLY
def test_before_the_first_pull_the_page_says_so(client: TestClient) -> None:
    sign_in(client, "viewer")
    answer = client.get("/stats?month=2026-11")
    assert answer.status_code == 200
    assert "No statistics yet: they come with the first pull (media-hub stats pull)." in (
        answer.text
    )
    assert 'value="2026-11"' in answer.text  # the form as asked
    assert client.get("/stats/chart.png?month=2026-11").status_code == 404
    assert client.get("/stats/report.csv").status_code == 404


@SQLITE_ONLY
def test_anyone_signed_in_may_read_and_nobody_else(client: TestClient) -> None:
    answer = client.get(f"{ASKED}&by=series")
    assert answer.status_code == 303
    assert answer.headers["location"] == (
        "/login?next=%2Fstats%3Fmonth%3D2026-11%26compare%3Dprevious%26lang%3Den%26by%3Dseries"
    )
    for path in ("/stats/chart.png", "/stats/report.csv", "/stats/report.html"):
        assert client.get(path).headers["location"].startswith("/login?next=")
    sign_in(client, "viewer")
    page = client.get("/").text
    assert '<a href="/stats">Statistics</a>' in page  # in the menu


def test_download_names_are_ascii_and_say_the_period() -> None:
    def stem(**fields: str) -> str:
        return stats_form.file_stem(stats_form.StatsForm(**fields).report_query())

    assert stem(month="2026-11", lang="ar") == "stats-playlist-2026-11-ar"
    assert stem(quarter="2026-q4", by="series", lang="fr") == "stats-series-2026-Q4-fr"
    assert stem(year="2026", compare="year", lang="en") == "stats-playlist-2026-vs-year-en"
    assert stem(since="2026-11-03", until="2026-11-09", lang="fr") == (
        "stats-playlist-2026-11-03_2026-11-09-fr"
    )
    assert stem(since="2026-11-03", lang="fr") == "stats-playlist-2026-11-03_last-fr"
    assert stem(by="asset", lang="en") == "stats-asset-all-en"


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_the_pages_own_messages_are_translated(lang: str) -> None:
    """The form's problems and choices are named in Python (N_), not the template: each
    reaches the page translated."""
    messages = {*stats_form.PROBLEMS, *(label for _, label in stats_page.COMPARISONS)}
    translate = translator(lang)
    assert not sorted(message for message in messages if translate(message) == message)

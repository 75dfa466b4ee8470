"""`stats report` over any period of 63 days of sandbox statistics (2026-09-30 to 2026-12-01):
a month, a month against the one before, a quarter. YouTube's numbers come from the stored
Analytics days and equal the sum of the sandbox's own daily counts (`growth.daily`); the
decks' from the pulls nearest the period's ends, which the report names."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from media_hub.cli import app
from media_hub.hub import Hub
from media_hub.platforms.youtube.clock import pacific_day
from media_hub.sandbox import growth
from media_hub.sandbox.server import Sandbox
from tests.test_stats_support import Channel, publish_decks, publish_videos, pull, slideshare_hub

START = date(2026, 9, 30)  # the sandbox's first day (a day in Los Angeles, as YouTube's)


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[Sandbox]:
    """A sandbox whose day is START, at the real time of day (SlideShare's signed calls carry
    the real clock); its days move by `advance_days`."""
    days_ago = (pacific_day(datetime.now(UTC)) - START).days
    with Sandbox(tmp_path / "sandbox" / "state.json", start_days_ago=days_ago) as running:
        assert running.state.today() == START
        yield running


@dataclass
class Months:
    hub: Hub
    channel: Channel
    sandbox: Sandbox


@pytest.fixture
def months(
    channel_hub: Hub, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[Months]:
    """Published on 2026-09-30; pulled on 1 October, 1 November, 1 and 2 December:
    the Analytics days from 30 September to 1 December are stored."""
    hub = slideshare_hub(channel_hub, sandbox, monkeypatch, tmp_path)
    channel = publish_decks(hub, sandbox, publish_videos(hub, sandbox))
    for days in (1, 31, 30, 1):
        sandbox.advance_days(days)
        pull(hub, sandbox)
    yield Months(hub, channel, sandbox)
    hub.close()


def _report(runner: CliRunner, *args: str) -> Any:
    result = runner.invoke(app, ["stats", "report", "--by", "playlist", *args, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _playlist_views(channel: Channel, slug: str, first: date, last: date) -> int:
    """The sandbox's own daily counts of the playlist's videos, summed over the days."""
    return sum(
        growth.daily(video, day).views
        for video in channel.videos[slug]
        for day in _days(first, last)
    )


def _in_playlist(channel: Channel, slug: str, first: date, last: date) -> int:
    """playlistViews as the sandbox counts them: each video's share of its views, a day."""
    playlist = channel.youtube_playlists[slug]
    return sum(
        growth.daily(video, day).views * growth.playlist_share(playlist, video) // 100
        for video in channel.videos[slug]
        for day in _days(first, last)
    )


def _deck_views(channel: Channel, slug: str, first: date, last: date) -> int:
    return sum(
        growth.deck_daily(deck, day).views
        for deck in channel.decks[slug]
        for day in _days(first, last)
    )


def _day(snapshot: dict[str, str]) -> date:
    """The sandbox's day (in Los Angeles) when a pull was taken."""
    return pacific_day(datetime.fromisoformat(snapshot["taken_at"]).replace(tzinfo=UTC))


def _group(report: Any, key: str) -> Any:
    return next(group for group in report["groups"] if group["key"] == key)


@pytest.mark.slow  # publishes the 105-video channel and pulls four times over 63 days
@pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)
def test_november_alone_against_october_and_a_quarter(months: Months, runner: CliRunner) -> None:
    channel = months.channel
    november = _report(runner, "--month", "2026-11")
    assert (november["since"], november["until"]) == ("2026-11-01", "2026-11-30")
    for slug in channel.youtube_playlists:
        group = _group(november, slug)
        assert group["period"]["youtube"] == _playlist_views(
            channel, slug, date(2026, 11, 1), date(2026, 11, 30)
        )
        assert group["analytics"]["days"] == 30
        assert group["analytics"]["playlist_views"] == _in_playlist(
            channel, slug, date(2026, 11, 1), date(2026, 11, 30)
        )
    # The decks: the pulls of 1 November and 1 December, each holding the days ended before it.
    decks = _group(november, "cv-flyers")
    assert decks["period"]["slideshare"] == _deck_views(
        channel, "cv-flyers", date(2026, 11, 1), date(2026, 11, 30)
    )
    assert _day(november["baseline"]) == date(2026, 11, 1)
    assert _day(november["snapshot"]) == date(2026, 12, 1)

    compared = _report(runner, "--month", "2026-11", "--compare", "previous")
    assert (compared["compared"]["since"], compared["compared"]["until"]) == (
        "2026-10-01", "2026-10-31",
    )  # fmt: skip
    for slug in channel.youtube_playlists:
        now = _playlist_views(channel, slug, date(2026, 11, 1), date(2026, 11, 30))
        then = _playlist_views(channel, slug, date(2026, 10, 1), date(2026, 10, 31))
        group = _group(compared, slug)
        assert group["compared"]["youtube"] == then
        assert group["change"]["youtube"] == now - then

    quarter = _report(runner, "--quarter", "2026-Q4")
    for slug in channel.youtube_playlists:  # the days stored: 1 October to 1 December
        assert _group(quarter, slug)["period"]["youtube"] == _playlist_views(
            channel, slug, date(2026, 10, 1), date(2026, 12, 1)
        )
        assert _group(quarter, slug)["analytics"]["last_day"] == "2026-12-01"


@pytest.mark.slow
@pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)
def test_a_period_needs_no_pull_at_its_ends(
    channel_hub: Hub, sandbox: Sandbox, runner: CliRunner
) -> None:
    """One pull on 2 December stores every day since publication: November is there whole,
    although no pull was made by the 30th (the README's own example)."""
    channel = publish_videos(channel_hub, sandbox)
    sandbox.advance_days(63)
    pull(channel_hub, sandbox)
    report = _report(runner, "--since", "2026-11-01", "--until", "2026-11-30")
    for slug in channel.youtube_playlists:
        assert _group(report, slug)["period"]["youtube"] == _playlist_views(
            channel, slug, date(2026, 11, 1), date(2026, 11, 30)
        )


@pytest.mark.slow
@pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)
def test_november_for_the_report_in_xlsx_csv_and_arabic_html(
    months: Months, runner: CliRunner, tmp_path: Path
) -> None:
    channel = months.channel
    november = {
        slug: _playlist_views(channel, slug, date(2026, 11, 1), date(2026, 11, 30))
        for slug in channel.youtube_playlists
    }
    october = {
        slug: _playlist_views(channel, slug, date(2026, 10, 1), date(2026, 10, 31))
        for slug in channel.youtube_playlists
    }
    book = tmp_path / "november.xlsx"
    result = runner.invoke(app, ["stats", "report", "--month", "2026-11", "--compare",
                                 "previous", "--format", "xlsx", "--output", str(book),
                                 "-l", "en"])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    workbook = openpyxl.load_workbook(book)
    groups = workbook.worksheets[0]
    assert groups.title == "Views in the period by playlist"
    header = next(r for r in range(1, 10) if groups.cell(r, 1).value == "playlist")
    assert groups.freeze_panes == f"A{header + 1}"
    columns = [cell.value for cell in groups[header]]
    assert columns[:4] == ["playlist", "name", "items", "YouTube views in the period"]
    rows = {row[0]: row for row in groups.iter_rows(min_row=header + 1, values_only=True)}
    for slug, views in november.items():
        row = rows[slug]
        assert row[3] == views  # a number, not text
        assert row[4] == october[slug]
        assert row[5] == views - october[slug]
        assert row[6] == pytest.approx((views - october[slug]) / october[slug])
    assert groups.column_dimensions["D"].width >= len("YouTube views in the period")
    analytics_sheet = workbook["YouTube Analytics, the playlist"]
    heads = [cell.value for cell in analytics_sheet[1]]
    assert "views of the playlist's videos (anywhere)" in heads
    assert "views inside the playlist (playlistViews)" in heads
    sheets: list[Any] = list(workbook.worksheets)
    charts = [sheet for sheet in sheets if sheet._charts]
    assert [sheet.title for sheet in charts] == ["Views over time"]
    [line_chart] = charts[0]._charts
    assert line_chart.tagname == "lineChart"
    first_day: Any = charts[0].cell(2, 1).value
    assert first_day.date() == date(2026, 11, 1)
    assert charts[0].max_row == 31  # the header and 30 days

    table = tmp_path / "november.csv"
    result = runner.invoke(app, ["stats", "report", "--month", "2026-11", "--format", "csv",
                                 "--output", str(table), "-l", "ar"])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "byte-order mark" in result.stderr
    assert table.read_bytes().startswith(b"\xef\xbb\xbf")
    with table.open(encoding="utf-8-sig", newline="") as stream:
        records = {row["key"]: row for row in csv.DictReader(stream)}
    assert records["reports"]["name"] == "تقارير مصورة للوكالة"
    for slug, views in november.items():
        assert int(records[slug]["youtube_period_views"]) == views

    page = tmp_path / "november.html"
    result = runner.invoke(app, ["stats", "report", "--month", "2026-11", "--format", "html",
                                 "--output", str(page), "-l", "ar"])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    html = page.read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in html
    assert "<h1>الإحصاءات حسب قائمة التشغيل، من 1 نوفمبر 2026 إلى 30 نوفمبر 2026</h1>" in html
    assert "<h2>المشاهدات في الفترة حسب قائمة التشغيل</h2>" in html
    assert "@media print" in html
    assert "@page{size:A4" in html
    # Whole tokens, since an 11-character video id can hold "Top" by chance.
    tokens = set(re.split(r"[^A-Za-z0-9_-]+", html))
    for english in ("Statistics", "Views", "views", "Lifetime", "change", "Top"):
        assert english not in tokens  # no English left behind

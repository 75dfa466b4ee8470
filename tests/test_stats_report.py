"""`stats report` over snapshots pulled from the sandbox: each group's totals equal the sum of
the platforms' per-item counts read independently; the change, top assets and every format."""

from __future__ import annotations

import base64
import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from typer.testing import CliRunner

from media_hub.cli import app
from media_hub.hub import Hub
from media_hub.platforms.youtube.clock import pacific_day
from media_hub.sandbox.server import Sandbox
from tests.test_stats_support import (
    Channel,
    deck_counts,
    playlist_members,
    publish_decks,
    publish_videos,
    pull,
    slideshare_hub,
    video_counts,
)

SQLITE_ONLY = pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)


@dataclass
class Pulled:
    hub: Hub
    channel: Channel
    first: date  # the days of the two pulls (UTC)
    second: date
    videos_then: dict[str, dict[str, int]]  # the API's counts at the first pull
    decks_then: dict[str, dict[str, int]]
    analytics_days: list[date]  # the days the two pulls read from Analytics (Pacific days)


@pytest.fixture
def pulled(
    channel_hub: Hub, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[Pulled]:
    """Videos and decks published, a pull two days later and another three days after."""
    hub = slideshare_hub(channel_hub, sandbox, monkeypatch, tmp_path)
    channel = publish_decks(hub, sandbox, publish_videos(hub, sandbox))
    sandbox.advance_days(2)
    first = pull(hub, sandbox)
    videos_then = video_counts(sandbox, channel.all_videos)
    decks_then = deck_counts(sandbox)
    sandbox.advance_days(3)
    second = pull(hub, sandbox)
    ended = pacific_day(second.taken_at)  # days end in Los Angeles for YouTube
    days = [ended - timedelta(days=n) for n in range(1, 6)]
    yield Pulled(
        hub,
        channel,
        first.taken_at.date(),
        second.taken_at.date(),
        videos_then,
        decks_then,
        days,
    )
    hub.close()


def _json(runner: CliRunner, *args: str) -> Any:
    result = runner.invoke(app, ["stats", "report", *args, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def _sum(counts: dict[str, dict[str, int]], ids: list[str], field: str) -> int:
    return sum(counts[item][field] for item in ids)


@pytest.mark.slow  # publishes the 105-video channel and pulls twice
def test_each_playlists_totals_are_the_sum_of_its_items_counts(
    pulled: Pulled, sandbox: Sandbox, runner: CliRunner
) -> None:
    channel = pulled.channel
    report = _json(
        runner, "--by", "playlist", "--since", pulled.first.isoformat(),
        "--until", pulled.second.isoformat(),
    )  # fmt: skip
    groups = {group["key"]: group for group in report["groups"]}
    assert set(groups) == {"reports", "events", "advisory-cv", "cv-flyers"}
    now = video_counts(sandbox, channel.all_videos)
    for slug, youtube_id in channel.youtube_playlists.items():
        members = playlist_members(sandbox, youtube_id)  # read through the API, not the catalog
        group = groups[slug]
        assert group["youtube"]["views"] == _sum(now, members, "viewCount") > 0
        assert group["youtube"]["likes"] == _sum(now, members, "likeCount")
        assert group["youtube"]["comments"] == _sum(now, members, "commentCount")
        assert group["youtube_change"]["views"] == (
            _sum(now, members, "viewCount") - _sum(pulled.videos_then, members, "viewCount")
        )
        assert group["slideshare"] is None
        assert group["assets"] == len(members)
        # YouTube Analytics: the days read (two by the first pull, three by the second)
        # that fall in the period.
        in_period = [d for d in pulled.analytics_days if pulled.first <= d <= pulled.second]
        assert group["analytics"]["days"] == len(in_period) >= 2
        assert group["analytics"]["last_day"] == max(in_period).isoformat()
        assert group["analytics"]["views"] > 0
    decks = deck_counts(sandbox)
    flyers = groups["cv-flyers"]
    flyer_ids = channel.decks["cv-flyers"]
    assert flyers["youtube"] is None
    assert flyers["analytics"] is None
    for field in ("views", "downloads", "favorites", "comments"):
        assert flyers["slideshare"][field] == _sum(decks, flyer_ids, field)
    assert flyers["slideshare_change"]["views"] == (
        _sum(decks, flyer_ids, "views") - _sum(pulled.decks_then, flyer_ids, "views")
    )
    # The whole catalog, each platform on its own.
    assert report["totals"]["youtube"]["views"] == _sum(now, channel.all_videos, "viewCount")
    assert report["totals"]["slideshare"]["views"] == _sum(decks, channel.all_decks, "views")
    assert report["baseline"]["taken_at"][:10] == pulled.first.isoformat()
    assert [point["taken_at"][:10] for point in report["timeline"]] == [
        pulled.first.isoformat(), pulled.second.isoformat(),
    ]  # fmt: skip
    # Top assets: the members with most views, most first.
    reports = playlist_members(sandbox, channel.youtube_playlists["reports"])
    best = sorted(reports, key=lambda video: -now[video]["viewCount"])[:5]
    assert [line["asset_id"] for line in groups["reports"]["top"]] == [
        channel.assets[video] for video in best
    ]
    assert [line["change"] for line in groups["reports"]["top"]] == [
        now[video]["viewCount"] - pulled.videos_then[video]["viewCount"] for video in best
    ]


@pytest.mark.slow  # publishes the 105-video channel and pulls twice
@SQLITE_ONLY
def test_by_series_topic_and_asset_in_csv(
    pulled: Pulled, sandbox: Sandbox, runner: CliRunner
) -> None:
    channel = pulled.channel
    now = video_counts(sandbox, channel.all_videos)
    decks = deck_counts(sandbox)

    def rows(by: str) -> dict[str, dict[str, str]]:
        result = runner.invoke(app, ["stats", "report", "--by", by, "--format", "csv"])
        assert result.exit_code == 0, result.stderr
        return {row["key"]: row for row in csv.DictReader(io.StringIO(result.stdout))}

    series = rows("series")
    reports = channel.videos["reports"]
    assert int(series["reports"]["youtube_views"]) == _sum(now, reports, "viewCount")
    assert series["reports"]["slideshare_views"] == ""
    assert int(series["cv-flyers"]["slideshare_views"]) == _sum(
        decks, channel.decks["cv-flyers"], "views"
    )
    loose_videos = channel.all_videos[-10:]
    loose_decks = channel.all_decks[-2:]
    no_series = series["-"]  # videos and decks in no series: both platforms side by side
    assert no_series["name"] == "(sans série)"
    assert int(no_series["youtube_views"]) == _sum(now, loose_videos, "viewCount")
    assert int(no_series["slideshare_views"]) == _sum(decks, loose_decks, "views")

    topics = rows("topic")
    events_only = [v for v in channel.videos["events"] if v not in reports]
    assert int(topics["job-fair"]["youtube_views"]) == _sum(now, events_only, "viewCount")
    cv = topics["cv"]  # the CV clips on YouTube and the CV flyers on SlideShare
    assert int(cv["youtube_views"]) == _sum(now, channel.videos["advisory-cv"], "viewCount")
    assert int(cv["slideshare_views"]) == _sum(decks, channel.decks["cv-flyers"], "views")

    assets = rows("asset")
    assert len(assets) == len(channel.all_videos) + len(channel.all_decks)
    some = channel.all_videos[7]
    assert int(assets[str(channel.assets[some])]["youtube_views"]) == now[some]["viewCount"]


@pytest.mark.slow  # publishes the 105-video channel and pulls twice
@SQLITE_ONLY
def test_the_html_page_is_self_contained_with_its_chart(
    pulled: Pulled, runner: CliRunner, tmp_path: Path
) -> None:
    page = tmp_path / "report.html"
    chart = tmp_path / "views.png"
    result = runner.invoke(
        app, ["stats", "report", "--format", "html", "--language", "ar", "--output", str(page),
              "--chart", str(chart)],
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    html = page.read_text(encoding="utf-8")
    parsed = _Page()
    parsed.feed(html)
    assert parsed.external == []  # nothing fetched from anywhere
    [image] = parsed.images
    assert image.startswith("data:image/png;base64,")
    embedded = base64.b64decode(image.removeprefix("data:image/png;base64,"))
    assert embedded == chart.read_bytes()
    with Image.open(io.BytesIO(embedded)) as png:
        assert png.format == "PNG"
        assert png.size[0] > 800
    assert "تقارير مصورة للوكالة" in parsed.auto_cells  # the reports playlist, in Arabic
    assert parsed.tables >= 4  # totals, playlists, top assets, Analytics
    assert html.count("<style>") == 1
    assert "<script" not in html


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.images: list[str] = []
        self.external: list[str] = []
        self.auto_cells: list[str] = []
        self.tables = 0
        self._auto = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "img":
            self.images.append(values.get("src") or "")
        for name in ("src", "href"):
            if (values.get(name) or "").startswith(("http:", "https:", "//")):
                self.external.append(values[name] or "")
        self.tables += tag == "table"
        self._auto = tag == "td" and values.get("dir") == "auto"

    def handle_data(self, data: str) -> None:
        if self._auto:
            self.auto_cells.append(data)
            self._auto = False


@SQLITE_ONLY
def test_the_table_shows_both_platforms(pulled: Pulled, runner: CliRunner) -> None:
    result = runner.invoke(app, ["stats", "report", "--by", "series", "--top", "1"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Statistiques par série, tous les relevés\n")
    assert "compté depuis zéro (aucun relevé antérieur)" in result.stdout
    for text in ("Reportages", "Flyers CV", "(sans série)", "vues SlideShare de la période",
                 "vues YouTube de la période"):  # fmt: skip
        assert text in result.stdout, result.stdout
    # Not on a terminal: plain lines as wide as they need, no number split over two.
    assert max(len(line) for line in result.stdout.splitlines()) > 80
    assert "│" not in result.stdout


@SQLITE_ONLY
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "2026-13-01"], "error: --since: '2026-13-01' is not a date; use YYYY-MM-DD"),
        (["--until", "yesterday"], "error: --until: 'yesterday' is not a date; use YYYY-MM-DD"),
        (["--since", "2026-05-02", "--until", "2026-05-01"],
         "error: --since: 2026-05-02 is after --until 2026-05-01"),
        (["--chart", "views.svg"], "error: --chart: views.svg: give a file name ending in .png"),
        (["--until", "2000-01-01"], "error: statistics snapshot not found; run 'media-hub "
         "stats pull' first"),
        (["--month", "2026-13"], "error: --month: '2026-13' is not a month; use YYYY-MM, e.g. "
         "2026-11"),
        (["--quarter", "2026-Q5"], "error: --quarter: '2026-Q5' is not a quarter; use YYYY-QN, "
         "e.g. 2026-Q4"),
        (["--month", "0000-01"], "error: --month: '0000-01' is not a month; use YYYY-MM, e.g. "
         "2026-11"),
        (["--quarter", "0000-Q1"], "error: --quarter: '0000-Q1' is not a quarter; use YYYY-QN, "
         "e.g. 2026-Q4"),
        (["--month", "2026-11", "--since", "2026-11-02"],
         "error: --since: give one of --month / --since, not both"),
        (["--compare", "previous"], "error: --compare: needs a period with both ends (--month, "
         "--quarter, --year, or --since and --until)"),
    ],
)  # fmt: skip
def test_bad_options_are_one_line(
    hub: Hub, runner: CliRunner, args: list[str], message: str
) -> None:
    result = runner.invoke(app, ["stats", "report", *args])
    assert result.exit_code != 0
    assert result.stdout == ""
    assert result.stderr.splitlines() == [message]


@SQLITE_ONLY
def test_no_snapshot_yet_is_one_line(hub: Hub, runner: CliRunner) -> None:
    result = runner.invoke(app, ["stats", "report"])
    assert result.exit_code == 3, result.stderr
    assert (
        result.stderr == "error: statistics snapshot not found; run 'media-hub stats pull' first\n"
    )

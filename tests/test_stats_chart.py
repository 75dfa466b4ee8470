"""The report's chart: a real PNG of the data, with Arabic names joined and right to left."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from typing import Any

import pytest
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from PIL import Image, ImageChops, ImageDraw, ImageFont

from media_hub.hub import Hub
from media_hub.media.fonts import find_font
from media_hub.platforms.youtube.clock import pacific_day
from media_hub.sandbox.server import Sandbox
from media_hub.stats import chart, labels
from media_hub.stats.counts import Counts
from media_hub.stats.report import (
    DayPoint,
    Grouping,
    GroupLine,
    Point,
    Report,
    ReportQuery,
    SnapshotInfo,
    build_report,
)
from tests.sandbox_client import analytics
from tests.test_stats_support import publish_videos, pull

START = datetime(2026, 11, 2, 9, tzinfo=UTC)
NAMES = {"reports": "تقارير مصورة للوكالة", "events": "تظاهرات وفعاليات", "cv-flyers": "Flyers CV"}


def on_youtube(counts: Counts) -> dict[str, Counts | None]:
    return {"youtube": counts, "slideshare": None}


def on_slideshare(counts: Counts) -> dict[str, Counts | None]:
    return {"youtube": None, "slideshare": counts}


def _report(days: int = 6) -> Report:
    """Three groups whose views grow at different rates, one point a day."""
    timeline = tuple(
        Point(START + timedelta(days=d), {key: (n + 1) * 300 * d for n, key in enumerate(NAMES)})
        for d in range(days)
    )
    last = timeline[-1].views
    groups = tuple(
        GroupLine(
            key,
            name,
            3,
            on_youtube(Counts(views=last[key])),
            on_youtube(Counts(views=last[key])),
            (),
        )
        for key, name in sorted(NAMES.items(), key=lambda item: -last[item[0]])
    )
    snapshot = SnapshotInfo(days, timeline[-1].taken_at)
    query = ReportQuery(Grouping.PLAYLIST, language="ar")
    return Report(query, snapshot, None, groups, {}, {}, timeline)


def test_the_png_shows_each_groups_line_where_its_data_is() -> None:
    report = _report()
    figure = chart.views_figure(report)
    axes = figure.axes[0]
    plotted: dict[Any, list[float]] = {}
    for line in axes.lines:
        values: Any = line.get_ydata()
        plotted[line.get_label()] = [float(value) for value in values]
    assert plotted == {
        NAMES[group.key]: [point.views[group.key] for point in report.timeline]
        for group in report.groups
    }
    legend = axes.get_legend()
    assert legend is not None
    assert [t.get_text() for t in legend.get_texts()] == [g.name for g in report.groups]

    assert axes.get_ylabel() == "المشاهدات (الإجمالي، عند كل سحب)"  # at each pull
    assert "حسب قائمة التشغيل" in figure.get_suptitle()  # by playlist
    _assert_drawn(figure, chart.views_chart(report))


def _assert_drawn(figure: Figure, png: bytes) -> None:
    """The PNG is the figure: its size, not blank, and the last point of each line drawn in
    the line's colour where the data puts it."""
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    with Image.open(io.BytesIO(png)) as image:
        rgb = image.convert("RGB")
    width, height = (round(inches * chart.DPI) for inches in chart.SIZE_INCHES)
    assert rgb.size == (width, height)
    assert len(rgb.getcolors(maxcolors=1 << 20) or []) > 50  # not a blank canvas
    axes = figure.axes[0]
    figure.canvas.draw()
    assert axes.lines
    for line in axes.lines:
        xs: Any = line.get_xdata(orig=False)
        ys: Any = line.get_ydata()
        x, y = axes.transData.transform((xs[-1], ys[-1]))
        expected = tuple(round(255 * c) for c in to_rgb(line.get_color()))
        pixel = rgb.getpixel((round(x), round(height - y)))
        assert isinstance(pixel, tuple)
        assert max(abs(a - b) for a, b in zip(pixel, expected, strict=True)) < 40


def _width_of(bar: Any) -> float:
    return float(bar.get_width())


def _lines(figure: Figure) -> dict[str, tuple[list[Any], list[float]]]:
    """Each drawn line's label -> its x values and y values (NaN where nothing is drawn)."""
    drawn: dict[str, tuple[list[Any], list[float]]] = {}
    for line in figure.axes[0].lines:
        xs: Any = line.get_xdata()
        ys: Any = line.get_ydata()
        drawn[str(line.get_label())] = (list(xs), [float(y) for y in ys])
    return drawn


def _daily_report() -> Report:
    """Two YouTube playlists with Analytics days ("events" from the fourth day on, and a day
    missing), one deck playlist without any, and a single pull: the pulls tell nothing."""
    first = date(2026, 11, 2)
    days = tuple(
        DayPoint(
            first + timedelta(days=d),
            {"reports": 100 + 37 * (d % 3), **({"events": 20 + 9 * d} if 3 <= d != 6 else {})},
        )
        for d in range(10)
    )
    views = {key: Counts(views=v) for key, v in (("reports", 9000), ("events", 4000))}
    groups = (
        *(
            GroupLine(key, NAMES[key], 3, on_youtube(n), on_youtube(n), ())
            for key, n in views.items()
        ),
        GroupLine("cv-flyers", NAMES["cv-flyers"], 4, on_slideshare(Counts(views=2500)),
                  on_slideshare(Counts(views=700)), (), period={"slideshare": 700}),
    )  # fmt: skip
    snapshot = SnapshotInfo(1, START + timedelta(days=12))
    timeline = (Point(snapshot.taken_at, {"reports": 9000, "events": 4000, "cv-flyers": 2500}),)
    query = ReportQuery(Grouping.PLAYLIST, language="ar")
    return Report(query, snapshot, None, groups, {}, {}, timeline, days)


def test_by_playlist_the_lines_are_the_analytics_views_summed_day_by_day() -> None:
    report = _daily_report()
    figure = chart.views_figure(report)
    drawn = _lines(figure)
    days = [point.day for point in report.days]
    assert set(drawn) == {NAMES["reports"], NAMES["events"]}  # the decks have no days
    xs, ys = drawn[NAMES["reports"]]
    assert xs == days
    assert ys == list(accumulate(float(point.views["reports"]) for point in report.days))
    xs, ys = drawn[NAMES["events"]]
    assert xs == days
    assert ys[:3] == [pytest.approx(float("nan"), nan_ok=True)] * 3  # before its first day
    # Days 3, 4, 5 (47, 56, 65 views), none on day 6 (it adds nothing), then 83, 92, 101.
    assert ys[3:] == [47.0, 103.0, 168.0, 168.0, 251.0, 343.0, 444.0]
    axes = figure.axes[0]
    assert axes.get_ylabel() == labels.text("ar", "chart.cumulative")
    # The deck playlist has no days: its views in the period, from the pulls, on a panel.
    decks = figure.axes[1]
    assert [tick.get_text() for tick in decks.get_yticklabels()] == ["Flyers CV"]
    assert [_width_of(bar) for bar in decks.patches] == [700]
    _assert_drawn(figure, chart.views_chart(report))


@pytest.mark.slow  # publishes the 105-video channel
@pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)
def test_the_chart_of_a_pull_follows_the_analytics_api_day_by_day(
    channel_hub: Hub, sandbox: Sandbox
) -> None:
    """Pulled from the sandbox after six days: each playlist's line is the running sum of the
    daily views the Analytics API gives for it, read here with its own client."""
    channel = publish_videos(channel_hub, sandbox)
    first = sandbox.state.today()
    sandbox.advance_days(6)
    pull(channel_hub, sandbox)
    report = build_report(channel_hub.db, ReportQuery(Grouping.PLAYLIST))
    assert len(report.timeline) == 1  # one pull: a line over the pulls would be one point
    figure = chart.views_figure(report)
    drawn = _lines(figure)
    yesterday = pacific_day(sandbox.state.now()) - timedelta(days=1)
    names = {group.key: group.name for group in report.groups}
    assert set(drawn) == {names[slug] for slug in channel.youtube_playlists}
    for slug, playlist_id in channel.youtube_playlists.items():
        table = analytics(sandbox).reports().query(
            ids="channel==MINE", startDate=first.isoformat(), endDate=yesterday.isoformat(),
            metrics="views", dimensions="day", filters=f"playlist=={playlist_id}",
        ).execute()  # fmt: skip
        xs, ys = drawn[names[slug]]
        assert [day.isoformat() for day in xs] == [row[0] for row in table["rows"]]
        assert len(xs) == 6
        assert ys == list(accumulate(float(row[1]) for row in table["rows"]))
    _assert_drawn(figure, chart.views_chart(report))


def test_arabic_names_are_shaped_not_drawn_letter_by_letter() -> None:
    """The name as the chart draws it is as wide as Pillow's shaped layout (the thumbnails'),
    not its letter-by-letter one, and its letters run in the same order: right to left."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    name = NAMES["reports"]
    families = chart._font_families(matplotlib.font_manager, arabic=True)
    figure = Figure(figsize=(9, 1), dpi=72)  # 72 dpi: 40 points are 40 pixels, as in Pillow
    FigureCanvasAgg(figure)
    figure.text(0.02, 0.3, name, family=families, fontsize=40)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", facecolor="white")
    buffer.seek(0)
    drawn = Image.open(buffer).convert("L")
    path = find_font("Noto Sans Arabic", "regular", covering=":lang=ar")
    shaped = _pillow(name, path, ImageFont.Layout.RAQM)
    unshaped = _pillow(name, path, ImageFont.Layout.BASIC)
    assert abs(_width(drawn) - _width(shaped)) <= 0.02 * _width(shaped)
    assert _width(unshaped) > 1.2 * _width(shaped)  # isolated letters take more room
    profile, reference = _profile(drawn), _profile(shaped)
    assert _correlation(profile, reference) > 0.8
    assert _correlation(profile, reference[::-1]) < 0.5


def _pillow(text: str, path: object, layout: ImageFont.Layout) -> Image.Image:
    font = ImageFont.truetype(str(path), 40, layout_engine=layout)
    image = Image.new("L", (648, 72), 255)
    draw = ImageDraw.Draw(image)
    if layout == ImageFont.Layout.RAQM:
        draw.text((10, 10), text, font=font, fill=0, direction="rtl", language="ar")
    else:
        draw.text((10, 10), text, font=font, fill=0)
    return image


def _width(image: Image.Image) -> int:
    box = ImageChops.invert(image).getbbox()
    assert box is not None, "nothing drawn"
    return box[2] - box[0]


def _profile(image: Image.Image) -> list[float]:
    """Ink per column, over the inked width scaled to 100 columns."""
    box = ImageChops.invert(image).getbbox()
    assert box is not None
    scaled = ImageChops.invert(image.crop(box)).resize((100, 20))
    pixels = scaled.load()
    assert pixels is not None
    columns: list[float] = []
    for x in range(100):
        ink: Any = [pixels[x, y] for y in range(20)]
        columns.append(float(sum(ink)))
    return columns


def _correlation(a: list[float], b: list[float]) -> float:
    mean_a, mean_b = sum(a) / len(a), sum(b) / len(b)
    covariance = sum((x - mean_a) * (y - mean_b) for x, y in zip(a, b, strict=True))
    spread = (sum((x - mean_a) ** 2 for x in a) * sum((y - mean_b) ** 2 for y in b)) ** 0.5
    return float(covariance / spread)


def test_a_matplotlib_without_text_layout_is_refused_for_arabic(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(chart, "_shapes_text", lambda: False)
    with pytest.raises(Exception, match=r"install matplotlib 3\.11 or later"):
        chart.views_chart(_report())
    latin = _report()
    only_latin = Report(
        replace(latin.query, language="fr"), latin.snapshot, None,
        tuple(g for g in latin.groups if g.key == "cv-flyers"), {}, {}, latin.timeline,
    )  # fmt: skip
    assert chart.views_chart(only_latin).startswith(b"\x89PNG")

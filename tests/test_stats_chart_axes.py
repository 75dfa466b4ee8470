"""The chart reads whatever the data: one pull, four pulls on one day, 10 and 90 days of
Analytics. Each is checked for its x axis (range, tick spacing, never hours for days), its
title (period and measure) and labels that do not overlap."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from typing import Any

from matplotlib import dates
from matplotlib.figure import Figure

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
)

num2date: Any = dates.num2date  # untyped in matplotlib
KEYS = ("reports", "events", "advisory-cv")
NAMES = {"reports": "Reportages", "events": "Événements", "advisory-cv": "Conseils CV"}
DAY = datetime(2026, 11, 20, tzinfo=UTC)


def _groups(last: dict[str, int]) -> tuple[GroupLine, ...]:
    return tuple(
        GroupLine(key, NAMES[key], 3, {"youtube": Counts(views=last[key]), "slideshare": None},
                  {"youtube": Counts(views=last[key]), "slideshare": None}, ())
        for key in sorted(last, key=lambda k: -last[k])
    )  # fmt: skip


def _pulls(times: list[datetime], language: str = "en") -> Report:
    """Lifetime views at each pull, by series."""
    timeline = tuple(
        Point(moment, {key: 1000 * (n + 1) + 10 * i for n, key in enumerate(KEYS)})
        for i, moment in enumerate(times)
    )
    query = ReportQuery(Grouping.SERIES, language=language)
    snapshot = SnapshotInfo(len(times), times[-1])
    return Report(query, snapshot, None, _groups(timeline[-1].views), {}, {}, timeline)


def _days(count: int, close: bool = False) -> Report:
    """`count` days of Analytics from 2026-09-01; with `close`, three playlists whose totals
    end a few views apart."""
    first = date(2026, 9, 1)
    days = tuple(
        DayPoint(first + timedelta(days=d),
                 {key: (100 if close else 100 * (n + 1)) + n for n, key in enumerate(KEYS)})
        for d in range(count)
    )  # fmt: skip
    totals = {key: sum(point.views[key] for point in days) for key in KEYS}
    query = ReportQuery(
        Grouping.PLAYLIST, since=first, until=first + timedelta(days=count - 1), language="fr"
    )
    snapshot = SnapshotInfo(1, DAY)
    timeline = (Point(DAY, totals),)
    return Report(query, snapshot, None, _groups(totals), {}, {}, timeline, days)


def _ticks(figure: Figure) -> list[datetime]:
    axes = figure.axes[0]
    low, high = axes.get_xlim()
    return [num2date(tick) for tick in axes.get_xticks() if low <= tick <= high]


def _height(bar: Any) -> float:
    return float(bar.get_height())


def _no_overlap(boxes: list[Any]) -> None:
    for i, box in enumerate(boxes):
        for other in boxes[i + 1 :]:
            assert not box.overlaps(other), (box, other)


def test_one_pull_is_drawn_as_bars() -> None:
    figure = chart.views_figure(_pulls([DAY]))
    axes = figure.axes[0]
    assert len(axes.lines) == 0
    assert [round(_height(bar)) for bar in axes.patches] == [3000, 2000, 1000]
    assert [t.get_text() for t in axes.get_xticklabels()] == [
        "Conseils CV", "Événements", "Reportages",
    ]  # fmt: skip
    assert [t.get_text() for t in axes.texts] == ["3,000", "2,000", "1,000"]  # written on them
    assert figure.get_suptitle().startswith("Views (lifetime, at each pull) by series")


def test_four_pulls_on_one_day_are_bars_of_the_last_not_an_axis_over_years() -> None:
    times = [DAY + timedelta(hours=h) for h in (1, 6, 12, 23)]
    figure = chart.views_figure(_pulls(times))
    axes = figure.axes[0]
    assert len(axes.lines) == 0
    assert [round(_height(bar)) for bar in axes.patches] == [3030, 2030, 1030]
    low, high = axes.get_xlim()
    assert low > -1  # three bars, not dates
    assert high < 3
    figure.canvas.draw()
    _no_overlap([text.get_window_extent() for text in axes.texts])


def test_ten_days_have_day_ticks_and_the_axis_ends_with_the_data() -> None:
    report = _days(10)
    figure = chart.views_figure(report)
    ticks = _ticks(figure)
    assert all((t.hour, t.minute) == (0, 0) for t in ticks)  # never hours
    steps = {(b - a).days for a, b in pairwise(ticks)}
    assert steps == {1}
    assert ticks[0].date() == date(2026, 9, 1)
    assert ticks[-1].date() <= date(2026, 9, 11)  # the room for the values at the ends
    low, high = (num2date(x).date() for x in figure.axes[0].get_xlim())
    assert low == date(2026, 8, 31)
    assert high <= date(2026, 9, 12)
    title = figure.get_suptitle()
    assert "du 1 septembre 2026 au 10 septembre 2026" in title
    assert labels.text("fr", "chart.cumulative") in title


def test_ninety_days_have_week_ticks_mondays_at_most_ten() -> None:
    figure = chart.views_figure(_days(90))
    ticks = _ticks(figure)
    assert 4 <= len(ticks) <= 10
    assert all(t.weekday() == 0 and (t.hour, t.minute) == (0, 0) for t in ticks)
    steps = {(b - a).days for a, b in pairwise(ticks)}
    assert steps == {14}
    low, high = (num2date(x).date() for x in figure.axes[0].get_xlim())
    assert low >= date(2026, 8, 30)
    assert high <= date(2026, 12, 10)
    figure.canvas.draw()
    _no_overlap([label.get_window_extent() for label in figure.axes[0].get_xticklabels()
                 if label.get_text()])  # fmt: skip


def test_values_close_together_are_written_apart() -> None:
    figure = chart.views_figure(_days(30, close=True))
    axes = figure.axes[0]
    ends = [text for text in axes.texts if text.get_text()]
    assert len(ends) == 3  # each line's total at its end: 3 000, 3 030, 3 060
    figure.canvas.draw()
    _no_overlap([text.get_window_extent() for text in ends])

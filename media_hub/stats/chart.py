"""The report's chart: views over time, one labelled line per group, as a PNG.

By playlist, when daily playlist numbers (Analytics) are stored for the period, the lines are the
playlists' views summed day by day (cumulative: lines that only rise, ending on the period's
total, are easier to compare than noisy daily counts); pulls may all fall on one day, days do
not. Otherwise they are the lifetime views at each pull.

Drawn with matplotlib's Agg canvas (no GUI, no pyplot state). Names are set in Noto Sans with
Noto Sans Arabic as the fallback, found as the thumbnails find them (`media.fonts`); Arabic is
joined and laid right to left by matplotlib's libraqm layout (matplotlib 3.11 and later), so a
matplotlib without it is refused for Arabic names rather than drawing them unjoined.
"""

from __future__ import annotations

import io
import math
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from media_hub.errors import MediaHubError
from media_hub.media.fonts import find_font
from media_hub.media.textshaping import script_of
from media_hub.platforms import registry
from media_hub.stats.report import DayPoint, GroupLine, Report, daily_labels

if TYPE_CHECKING:
    from matplotlib.figure import Figure

MAX_LINES = 12  # more lines than this are not readable; the groups with most views are drawn
SIZE_INCHES = (11.0, 6.0)
DPI = 110


def views_chart(report: Report, *, max_lines: int = MAX_LINES) -> bytes:
    """PNG bytes of views over time (by day, else at each pull) for the groups with most
    views."""
    figure = views_figure(report, max_lines=max_lines)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, facecolor="white")
    return buffer.getvalue()


def views_figure(report: Report, *, max_lines: int = MAX_LINES) -> Figure:
    """The chart as a matplotlib figure on an Agg canvas: one line per group."""
    from matplotlib import font_manager
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    keys = _day_keys(report.days) if report.days else _keys(report)
    plotted = [group for group in report.groups if group.key in keys]
    groups = plotted[:max_lines]
    labels = [group.name or group.key for group in groups]  # one script a label: clean bidi
    families = _font_families(font_manager, any(_has_arabic(label) for label in labels))
    figure = Figure(figsize=SIZE_INCHES, dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    times, series, ylabel = _series(report, [group.key for group in groups])
    marker = 4 if len(times) > 20 else 5
    for group, label in zip(groups, labels, strict=True):
        values = series[group.key]
        (line,) = axes.plot(times, values, marker="o", markersize=marker, linewidth=2, label=label)
        _label_end(axes, times, values, line.get_color(), families)
    by = report.query.by.value
    axes.set_title(f"Views over time by {by}", fontsize=14, family=families)
    axes.set_ylabel(ylabel, family=families)
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.0f}"))
    locator = AutoDateLocator()  # type: ignore[no-untyped-call]
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    axes.grid(True, alpha=0.3)
    axes.margins(x=0.07)  # room for the value written at the end of each line
    axes.set_ylim(bottom=0)
    if groups:
        axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), prop={"family": families},
                    frameon=False, title=by)  # fmt: skip
    else:
        axes.text(0.5, 0.5, "no data in the period", ha="center", transform=axes.transAxes)
    notes = _notes(report, plotted, groups)
    if notes:
        figure.text(0.01, 0.01, "; ".join(notes), fontsize=9, family=families)
    return figure


def _notes(report: Report, plotted: list[GroupLine], drawn: list[GroupLine]) -> list[str]:
    """What the chart leaves out, so that a missing line is not read as no views."""
    notes = []
    if len(plotted) > len(drawn):
        notes.append(f"{len(drawn)} of {len(plotted)} shown (most views)")
    if report.days:
        left_out = [group for group in report.groups if group not in plotted]
        daily = {p.name for p in registry.every() if p.daily_stats}
        undated = [g for g in left_out if not any(g.counts.get(name) for name in daily)]
        decks = len(undated)
        if decks:
            labels = sorted(
                {registry.get(name).label for g in undated for name, c in g.counts.items() if c}
            )
            notes.append(
                f"not drawn: {decks} deck playlist(s), {' and '.join(labels)} has no daily views"
            )
        if len(left_out) > decks:
            notes.append(f"not drawn: {len(left_out) - decks} playlist(s) without Analytics days")
    return notes


def _series(report: Report, keys: list[str]) -> tuple[Any, dict[str, list[float]], str]:
    """The x values (matplotlib takes dates and datetimes), each key's y values, the y label."""
    if report.days:
        first = report.days[0].day.isoformat()
        return (
            [point.day for point in report.days],
            {key: _cumulative(report.days, key) for key in keys},
            f"views since {first}, cumulative ({daily_labels()} Analytics, by day)",
        )
    return (
        [point.taken_at for point in report.timeline],
        {key: [point.views.get(key, math.nan) for point in report.timeline] for key in keys},
        "views (lifetime, at each pull)",
    )


def _keys(report: Report) -> set[str]:
    return {key for point in report.timeline for key in point.views}


def _day_keys(days: tuple[DayPoint, ...]) -> set[str]:
    return {key for point in days for key in point.views}


def _cumulative(days: tuple[DayPoint, ...], key: str) -> list[float]:
    """Views summed from the playlist's first day; nothing (NaN) before it, and a day missing
    after it adds nothing."""
    values: list[float] = []
    total: float = math.nan
    for point in days:
        if key in point.views:
            total = (0 if math.isnan(total) else total) + point.views[key]
        values.append(total)
    return values


def _label_end(
    axes: Any,
    times: list[date] | list[datetime],
    values: list[float],
    colour: Any,
    families: list[str],
) -> None:
    """The last value written at the end of its line."""
    last = next(
        ((t, v) for t, v in zip(reversed(times), reversed(values), strict=True) if v == v), None
    )
    if last is not None:
        axes.annotate(
            f"{last[1]:,.0f}", last, textcoords="offset points", xytext=(6, 0), va="center",
            color=colour, fontsize=9, family=families,
        )  # fmt: skip


def _has_arabic(text: str) -> bool:
    """Whether a label has Arabic letters (the thumbnails' script detection)."""
    return any(char.isalpha() for char in text) and script_of(text, "ar") == "arabic"


def _font_families(font_manager: Any, arabic: bool) -> list[str]:
    """Noto Sans, then Noto Sans Arabic for the letters it lacks (registered with matplotlib)."""
    names: list[str] = []
    wanted = [("Noto Sans", None)] + ([("Noto Sans Arabic", ":lang=ar")] if arabic else [])
    for family, covering in wanted:
        path = find_font(family, "regular", covering=covering)
        font_manager.fontManager.addfont(str(path))
        names.append(font_manager.FontProperties(fname=str(path)).get_name())
    if arabic and not _shapes_text():
        raise MediaHubError(
            "chart: this matplotlib cannot join Arabic letters or set them right to left; "
            "install matplotlib 3.11 or later (pip install 'matplotlib>=3.11,<4')"
        )
    return names


def _shapes_text() -> bool:
    """Whether matplotlib lays text out with libraqm (bidi and Arabic joining)."""
    from matplotlib import ft2font

    return bool(getattr(ft2font, "__libraqm_version__", ""))

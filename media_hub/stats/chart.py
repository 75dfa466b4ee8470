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
import textwrap
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from media_hub.errors import MediaHubError
from media_hub.media.fonts import find_font
from media_hub.media.textshaping import script_of
from media_hub.platforms import registry
from media_hub.stats import labels
from media_hub.stats.render import period_text
from media_hub.stats.report import DRAWN, DayPoint, GroupLine, Report

if TYPE_CHECKING:
    from matplotlib.figure import Figure

MAX_LINES = DRAWN  # more lines are not readable; the groups with most views are drawn
MAX_TICKS = 10  # date ticks on the x axis, at most
LABEL_GAP = 14  # points between two values written at the lines' ends
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
    """The chart as a matplotlib figure on an Agg canvas: one line per group over days (or
    pulls); a single date as bars; deck playlists, which have no days, on a panel of their
    own. Every text in the report's language."""
    from matplotlib import font_manager
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    lang = report.query.language
    keys = _day_keys(report.days) if report.days else _keys(report)
    plotted = [group for group in report.groups if group.key in keys]
    groups = plotted[:max_lines]
    undated = _undated(report, plotted)
    shown = [group.name or group.key for group in groups + undated]  # one script a label
    arabic = lang in labels.RTL or any(_has_arabic(label) for label in shown)
    families = _font_families(font_manager, arabic)
    figure = Figure(figsize=SIZE_INCHES, dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    if undated:
        axes, decks = figure.subplots(1, 2, width_ratios=[3, 1])
    else:
        axes, decks = figure.add_subplot(), None
    times, series, measure = _series(report, [group.key for group in groups])
    single = len({_date_of(moment) for moment in times}) <= 1
    by = labels.text(lang, f"by.{report.query.by.value}")
    if not groups:
        axes.text(0.5, 0.5, labels.text(lang, "chart.empty"), ha="center",
                  transform=axes.transAxes, family=families)  # fmt: skip
    elif single:
        _bars(axes, groups, series, families, lang)
    else:
        _lines(axes, times, groups, series, families, lang)
        _date_axis(axes, [_date_of(moment) for moment in times])
    axes.set_ylabel(measure, family=families)
    axes.grid(True, axis="y", alpha=0.3)
    axes.yaxis.set_major_formatter(_count_formatter(lang))
    if decks is not None:
        _deck_panel(decks, undated, families, lang)
    figure.suptitle(
        labels.text(lang, "chart.title", measure=measure, by=by, period=period_text(report)),
        fontsize=13, family=families,
    )  # fmt: skip
    if groups and not single:
        axes.legend(loc="upper left", prop={"family": families}, frameon=False, title=by,
                    title_fontproperties={"family": families})  # fmt: skip
    notes = _notes(report, plotted, groups)
    if notes:
        figure.text(0.01, 0.005, "; ".join(notes), fontsize=9, family=families)
    if groups and not single:
        _end_labels(axes, times, groups, series, families, lang)
    return figure


def _date_of(moment: date | datetime) -> date:
    return moment.date() if isinstance(moment, datetime) else moment


def _lines(
    axes: Any,
    times: list[Any],
    groups: list[GroupLine],
    series: dict[str, list[float]],
    families: list[str],
    lang: str,
) -> None:
    """One line per group."""
    marker = 3 if len(times) > 40 else 5
    for group in groups:
        axes.plot(times, series[group.key], marker="o", markersize=marker, linewidth=2,
                  label=group.name or group.key)  # fmt: skip
    top = max((v for g in groups for v in series[g.key] if v == v), default=0.0) or 1.0
    axes.set_ylim(0, top * 1.08)


def _end_labels(
    axes: Any,
    times: list[Any],
    groups: list[GroupLine],
    series: dict[str, list[float]],
    families: list[str],
    lang: str,
) -> None:
    """Each line's last value beside its end, pushed up to keep LABEL_GAP points between two
    labels (values close together would print on top of each other). Placed once the figure is
    laid out, when a point's height in data units is known."""
    figure = axes.figure
    figure.canvas.draw()
    low, high = axes.get_ylim()
    per_point = (high - low) / max(axes.get_window_extent().height * 72 / figure.dpi, 1.0)
    ends = []
    for line, group in zip(axes.lines, groups, strict=True):
        values = series[group.key]
        last = next(
            ((t, v) for t, v in zip(reversed(times), reversed(values), strict=True) if v == v),
            None,
        )
        if last is not None:
            ends.append((last[1], last[0], line.get_color()))
    placed: list[float] = []
    for value, moment, colour in sorted(ends, key=lambda end: end[0]):
        y = value if not placed else max(value, placed[-1] + LABEL_GAP * per_point)
        placed.append(y)
        axes.annotate(
            labels.number(value, lang), (moment, y), xytext=(6, 0), textcoords="offset points",
            va="center", ha="left", color=colour, fontsize=9, family=families,
            annotation_clip=False,
        )  # fmt: skip


def _bars(
    axes: Any,
    groups: list[GroupLine],
    series: dict[str, list[float]],
    families: list[str],
    lang: str,
) -> None:
    """One date only (a pull, or pulls all on one day): a bar per group, not a line with
    nowhere to go; its value written on it."""
    values = [next((v for v in reversed(series[g.key]) if v == v), 0.0) for g in groups]
    names = [group.name or group.key for group in groups]
    bars = axes.bar(range(len(groups)), values, color=[f"C{n % 10}" for n in range(len(groups))])
    tilted = len(groups) > 4
    axes.set_xticks(range(len(groups)), names, family=families, rotation=20 if tilted else 0,
                    ha="right" if tilted else "center")  # fmt: skip
    axes.bar_label(bars, [labels.number(v, lang) for v in values], fontsize=9, family=families)
    axes.set_ylim(0, (max(values, default=0.0) or 1.0) * 1.12)


def _date_axis(axes: Any, days: list[date]) -> None:
    """Ticks on days, weeks (Mondays) or months as the span asks, at most MAX_TICKS of them,
    never hours; the axis from the first date to the last, half a day either side (and room
    after the last for the values written there)."""
    from matplotlib import dates as typed_dates

    dates: Any = typed_dates  # its locators are untyped

    first, last = min(days), max(days)
    span = (last - first).days
    locator: Any
    if span <= 2 * MAX_TICKS:
        locator = dates.DayLocator(interval=max(1, math.ceil((span + 1) / MAX_TICKS)))
        formatter = dates.DateFormatter("%d/%m")
    elif span <= 14 * MAX_TICKS:
        locator = dates.WeekdayLocator(
            byweekday=0, interval=max(1, math.ceil(span / 7 / MAX_TICKS))
        )
        formatter = dates.DateFormatter("%d/%m")
    else:
        locator = dates.MonthLocator(interval=max(1, math.ceil(span / 30.5 / MAX_TICKS)))
        formatter = dates.DateFormatter("%m/%Y")
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(formatter)
    axes.set_xlim(dates.date2num(first) - 0.5, dates.date2num(last) + 0.5 + span * 0.1)


def _count_formatter(lang: str) -> Any:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda value, _: labels.number(value, lang))


def _undated(report: Report, plotted: list[GroupLine]) -> list[GroupLine]:
    """The groups with no daily numbers while others have them (deck playlists): drawn from
    the pulls, as their views in the period, on a panel of their own."""
    if not report.days:
        return []
    daily = {p.name for p in registry.every() if p.daily_stats}
    return [
        group for group in report.groups
        if group not in plotted and not any(group.counts.get(name) for name in daily)
        and any(views for views in group.period.values())
    ][:MAX_LINES]  # fmt: skip


def _deck_panel(axes: Any, groups: list[GroupLine], families: list[str], lang: str) -> None:
    names = [group.name or group.key for group in groups]
    values = [sum(v or 0 for v in group.period.values()) for group in groups]
    bars = axes.barh(range(len(names)), values, color="#8c6bb1")
    axes.set_yticks(range(len(names)), names, family=families)
    axes.invert_yaxis()
    title = "\n".join(textwrap.wrap(labels.text(lang, "chart.decks"), 28))
    axes.set_title(title, fontsize=10, family=families)
    axes.xaxis.set_major_formatter(_count_formatter(lang))
    axes.bar_label(bars, [labels.number(v, lang) for v in values], fontsize=8, padding=2)
    axes.margins(x=0.3)


def _notes(report: Report, plotted: list[GroupLine], drawn: list[GroupLine]) -> list[str]:
    """What the chart leaves out, so that a missing line is not read as no views."""
    lang = report.query.language
    notes = []
    if len(plotted) > len(drawn):
        notes.append(labels.text(lang, "chart.shown", shown=len(drawn), total=len(plotted)))
    if report.days:
        panel = _undated(report, plotted)
        left_out = [g for g in report.groups if g not in plotted and g not in panel]
        if left_out:
            notes.append(labels.text(lang, "chart.not_drawn", count=len(left_out)))
    return notes


def _series(report: Report, keys: list[str]) -> tuple[Any, dict[str, list[float]], str]:
    """The x values (days, else the pulls' times), each key's y values, what they count."""
    lang = report.query.language
    if report.days:
        return (
            [point.day for point in report.days],
            {key: _cumulative(report.days, key) for key in keys},
            labels.text(lang, "chart.cumulative"),
        )
    return (
        [point.taken_at for point in report.timeline],
        {key: [point.views.get(key, math.nan) for point in report.timeline] for key in keys},
        labels.text(lang, "chart.lifetime"),
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

"""The report's chart: views over time, one labelled line per group, as a PNG.

Drawn with matplotlib's Agg canvas (no GUI, no pyplot state). Names are set in Noto Sans with
Noto Sans Arabic as the fallback, found as the thumbnails find them (`media.fonts`); Arabic is
joined and laid right to left by matplotlib's libraqm layout (matplotlib 3.11 and later), so a
matplotlib without it is refused for Arabic names rather than drawing them unjoined.
"""

from __future__ import annotations

import io
import math
from datetime import datetime
from typing import TYPE_CHECKING, Any

from media_hub.errors import MediaHubError
from media_hub.media.fonts import find_font
from media_hub.media.textshaping import script_of
from media_hub.stats.report import Report

if TYPE_CHECKING:
    from matplotlib.figure import Figure

MAX_LINES = 12  # more lines than this are not readable; the groups with most views are drawn
SIZE_INCHES = (11.0, 6.0)
DPI = 110


def views_chart(report: Report, *, max_lines: int = MAX_LINES) -> bytes:
    """PNG bytes of views over time (at each pull) for the report's groups with most views."""
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

    groups = [group for group in report.groups if group.key in _keys(report)][:max_lines]
    labels = [group.name or group.key for group in groups]  # one script a label: clean bidi
    families = _font_families(font_manager, any(_has_arabic(label) for label in labels))
    figure = Figure(figsize=SIZE_INCHES, dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    times: Any = [point.taken_at for point in report.timeline]  # matplotlib takes datetimes
    for group, label in zip(groups, labels, strict=True):
        values = [point.views.get(group.key, math.nan) for point in report.timeline]
        (line,) = axes.plot(times, values, marker="o", linewidth=2, label=label)
        _label_end(axes, times, values, line.get_color(), families)
    by = report.query.by.value
    axes.set_title(f"Views over time by {by}", fontsize=14, family=families)
    axes.set_ylabel("views (lifetime, at each pull)", family=families)
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.0f}"))
    locator = AutoDateLocator()  # type: ignore[no-untyped-call]
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    axes.grid(True, alpha=0.3)
    axes.set_ylim(bottom=0)
    if groups:
        axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), prop={"family": families},
                    frameon=False, title=by)  # fmt: skip
    else:
        axes.text(0.5, 0.5, "no data in the period", ha="center", transform=axes.transAxes)
    if len(report.groups) > len(groups):
        figure.text(0.01, 0.01, f"{len(groups)} of {len(report.groups)} shown (most views)")
    return figure


def _keys(report: Report) -> set[str]:
    return {key for point in report.timeline for key in point.views}


def _label_end(
    axes: Any, times: list[datetime], values: list[float], colour: Any, families: list[str]
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

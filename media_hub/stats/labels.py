"""Every word a report shows, in the reader's language (fr, ar, en), and its numbers and dates
formatted for that locale by Babel: the tables, the HTML page, the workbook and the chart all
take their text from here, so none keeps English behind.

The words are written in English below, each under the key the report code asks for, and
translated through gettext catalogs of their own domain, `locale/LANG/LC_MESSAGES/stats.po`
(English has none), which translators edit and `make messages` fills with new ones; they are
compiled in memory as the web interface's are.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.numbers import NumberPattern, format_percent, parse_pattern

from media_hub.errors import UsageError
from media_hub.i18n_catalogs import N_, translations

LANGUAGES = ("fr", "ar", "en")
RTL = frozenset({"ar"})
LOCALE = Path(__file__).parent / "locale"
DOMAIN = "stats"

# The English of each key; keys are built by the code too (`by.{grouping}`, `none.{grouping}`,
# `counter.{field}` for each field of Platform.stats_fields).
MESSAGES: dict[str, str] = {
    "title": N_("Statistics by {by}, {period}"),
    "by.playlist": N_("playlist"),
    "by.series": N_("series"),
    "by.topic": N_("topic"),
    "by.asset": N_("item"),
    "none.series": N_("(no series)"),
    "none.topic": N_("(no topic)"),
    "none.playlist": N_("(deleted)"),
    "period.range": N_("{start} to {end}"),
    "period.since": N_("since {start}"),
    "period.until": N_("until {end}"),
    "period.all": N_("all pulls"),
    "pulls": N_(
        "Lifetime totals and SlideShare: the pulls of {start} and {end}, nearest the period's ends"
    ),
    "pulls.from_zero": N_(
        "Lifetime totals and SlideShare: the pull of {end}, counted from zero (no earlier pull)"
    ),
    "pulls.outside": N_("No pull falls near this period: SlideShare's views in it are not known"),
    "daily": N_("YouTube: the Analytics days of the period summed ({days} days stored)"),
    "compared": N_("Compared with {period}"),
    "table.totals": N_("All published items"),
    "table.groups": N_("Views in the period by {by}"),
    "table.top": N_("Top items"),
    "table.analytics": N_("YouTube Analytics, the playlists' days summed"),
    "col.platform": N_("platform"),
    "col.name": N_("name"),
    "col.assets": N_("items"),
    "col.views_lifetime": N_("views (lifetime)"),
    "col.period_views": N_("{platform} views in the period"),
    "col.videos_views": N_("views of the playlist's videos (anywhere)"),
    "col.playlist_views": N_("views inside the playlist (playlistViews)"),
    "col.playlist_starts": N_("playlist starts (playlistStarts)"),
    "col.previous": N_("{platform}, {period}"),
    "col.change": N_("change"),
    "col.change_percent": N_("change %"),
    "col.days": N_("days"),
    "col.watch_hours": N_("watch hours"),
    "col.average_view": N_("average view (s)"),
    "col.likes": N_("likes"),
    "col.comments": N_("comments"),
    "col.downloads": N_("downloads"),
    "col.favorites": N_("favourites"),
    "col.rank": N_("#"),
    "col.title": N_("title"),
    "col.views": N_("views"),
    "col.period_change": N_("views in the period"),
    "table.counters": N_("{platform}, lifetime totals by {by}"),
    "counter.views": N_("{platform} views"),
    "counter.unique_viewers": N_("{platform} unique viewers"),
    "counter.average_watch_seconds": N_("{platform} average watch (s)"),
    "counter.reactions": N_("{platform} reactions"),
    "counter.comments": N_("{platform} comments"),
    "counter.shares": N_("{platform} shares"),
    "chart.title": N_("{measure} by {by}, {period}"),
    "chart.cumulative": N_("Views of the playlists' videos, cumulative (YouTube Analytics)"),
    "chart.lifetime": N_("Views (lifetime, at each pull)"),
    "chart.decks": N_("SlideShare views in the period (pulls)"),
    "chart.axis_day": N_("day"),
    "chart.axis_views": N_("views"),
    "chart.empty": N_("no data in the period"),
    "chart.heading": N_("Views over time"),
    "chart.not_drawn": N_(
        "not drawn: {count} playlist(s) without daily views nor a pull near the period"
    ),
    "chart.shown": N_("{shown} of {total} shown (most views)"),
}


def check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise UsageError("--language", f"{language!r}: give one of {', '.join(LANGUAGES)}")
    return language


def text(language: str, key: str, **values: object) -> str:
    """The text `key` in `language` (English when a language lacks it), filled in."""
    return translations(LOCALE, DOMAIN, language).gettext(MESSAGES[key]).format(**values)


def number(value: float | None, language: str) -> str:
    """A count as the locale writes it ("1 234" in French); nothing for None."""
    if value is None:
        return ""
    pattern, locale = _decimal(language)
    return str(pattern.apply(value, locale))


@cache
def _decimal(language: str) -> tuple[NumberPattern, Locale]:
    """The pattern parsed once (format_decimal parses it at each call: 0.2 ms)."""
    return parse_pattern("#,##0.#"), Locale.parse(language)


def signed(value: float | None, language: str) -> str:
    """A change with its sign, "+1 234" or "-56"."""
    if value is None:
        return ""
    shown = number(abs(value), language)
    return f"+{shown}" if value > 0 else (f"-{shown}" if value < 0 else shown)


def percent(value: float | None, language: str) -> str:
    if value is None:
        return ""
    return format_percent(value, format="+#,##0.0%;-#,##0.0%", locale=language)


def day(value: date | None, language: str) -> str:
    """A date as the locale writes it in full ("1 novembre 2026")."""
    return "" if value is None else format_date(value, "long", locale=language)

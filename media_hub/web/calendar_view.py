"""The calendar page's days: the library's window and entries laid out by local day, with
dates and times written the way the page's language writes them (Babel), and the links to
the windows around it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from babel.dates import format_date, format_skeleton, format_time

from media_hub.publishing.calendar.views import Entry, Window
from media_hub.web.i18n import N_

# What the library answers (`status_of`); the page shows each in its language.
STATUSES = (
    N_("planned"), N_("missed"), N_("uploading"), N_("scheduled"), N_("due"), N_("live"),
    N_("private"), N_("unlisted"), N_("failed"), N_("published"), N_("pending"),
)  # fmt: skip
FIXED = frozenset({"live", "due"})  # the library refuses to move or unschedule these


@dataclass(frozen=True)
class Shown:
    """One publication as the page shows it."""

    entry: Entry
    title: str  # in the page's language when the asset has it, else the library's choice
    title_lang: str
    time: str  # in the page's language, in the calendar's zone
    series: str  # the series' name in the page's language
    platform: str  # the platform's label
    key: str  # unique on the page: asset and platform (form ids)

    @property
    def movable(self) -> bool:
        return self.entry.status not in FIXED


@dataclass
class Day:
    day: date
    label: str
    shown: list[Shown] = field(default_factory=list)


@dataclass(frozen=True)
class Around:
    """The window's own query and its neighbours' (`week=2026-W50`, `month=2026-12`)."""

    kind: str  # "week" or "month"
    label: str
    previous: str
    following: str
    week: str  # the week of the window's first day
    month: str  # the month of the window's first day


def iso_week(day: date) -> str:
    year, number, _ = day.isocalendar()
    return f"{year}-W{number:02d}"


def month_of(day: date) -> str:
    return f"{day:%Y-%m}"


def around(shown: Window) -> Around:
    """The links around `shown`; at the calendar's ends (year 1, year 9999) to itself."""
    try:
        return _around(shown)
    except OverflowError:
        kind = "week" if shown.days == 7 else "month"
        return Around(kind, shown.label, shown.label, shown.label, shown.label, shown.label)


def _around(shown: Window) -> Around:
    if shown.days == 7:
        return Around(
            "week", shown.label, iso_week(shown.first - timedelta(days=7)),
            iso_week(shown.first + timedelta(days=7)), shown.label, month_of(shown.first),
        )  # fmt: skip
    before = (shown.first - timedelta(days=1)).replace(day=1)
    after = shown.first + timedelta(days=shown.days)
    return Around(
        "month", shown.label, month_of(before), month_of(after), iso_week(shown.first),
        shown.label,
    )  # fmt: skip


def heading(shown: Window, lang: str) -> str:
    """`January 2027`, or the week's first and last days."""
    if shown.days != 7:
        return format_skeleton("yMMMM", shown.first, locale=lang)
    start = format_date(shown.first, "long", locale=lang)
    last = shown.first + timedelta(days=6)
    return f"{start} – {format_date(last, 'long', locale=lang)}"


def days(
    shown: Window,
    found: list[Entry],
    lang: str,
    series_names: dict[str, dict[str, str]],
    platform_labels: dict[str, str],
    titles: dict[int, tuple[dict[str, str], str]],
) -> list[Day]:
    """A week: its seven days, empty ones too. A month: the days with a publication.
    `titles`: each asset's titles and default language (the title shown is the page's
    language's, else the default one)."""
    laid = {
        first: Day(first, format_date(first, "full", locale=lang))
        for first in (shown.first + timedelta(days=n) for n in range(shown.days))
    }
    for entry in found:
        names = series_names.get(entry.series or "", {})
        series = names.get(lang) or names.get("fr") or (entry.series or "")
        own, default = titles.get(entry.asset_id, ({}, ""))
        title_lang = next((code for code in (lang, default, *own) if own.get(code)), "")
        title = own[title_lang] if title_lang else entry.title
        laid[entry.local.date()].shown.append(
            Shown(
                entry, title, title_lang,
                format_time(entry.local.time(), "short", locale=lang), series,
                platform_labels.get(entry.platform, entry.platform),
                f"{entry.asset_id}-{entry.platform}",
            )
        )  # fmt: skip
    every = list(laid.values())
    return every if shown.days == 7 else [day for day in every if day.shown]

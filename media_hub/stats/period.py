"""The period a report covers: days from `start` to `end`, both included, named as the
manager asked for it (a month, a quarter, a year, or two dates), and the period it is compared
with (the one before, or the same one a year earlier)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from media_hub.errors import UsageError


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    DAYS = "days"  # --since/--until, or nothing given


class Compare(StrEnum):
    PREVIOUS = "previous"
    YEAR = "year"


@dataclass(frozen=True)
class Period:
    """Days from `start` to `end` (None: open on that side, from the first or to the last
    day stored)."""

    start: date | None
    end: date | None
    kind: PeriodKind = PeriodKind.DAYS

    @property
    def days(self) -> int | None:
        if self.start is None or self.end is None:
            return None
        return (self.end - self.start).days + 1

    def compared(self, how: Compare) -> Period:
        """The period before this one (as long, or the month/quarter/year before), or the same
        days a year earlier."""
        if self.start is None or self.end is None:
            raise UsageError("--compare", "needs a period with both ends (--month, --quarter, "
                             "--year, or --since and --until)")  # fmt: skip
        if how is Compare.YEAR:
            return Period(_years_back(self.start), _years_back(self.end), self.kind)
        if self.kind is PeriodKind.MONTH:
            return month(_months_back(self.start, 1))
        if self.kind is PeriodKind.QUARTER:
            return quarter(_months_back(self.start, 3))
        if self.kind is PeriodKind.YEAR:
            return year(self.start.year - 1)
        length = (self.end - self.start).days + 1
        return Period(self.start - timedelta(days=length), self.start - timedelta(days=1))


def month(first: date) -> Period:
    last = calendar.monthrange(first.year, first.month)[1]
    return Period(first.replace(day=1), first.replace(day=last), PeriodKind.MONTH)


def quarter(first: date) -> Period:
    start_month = 3 * ((first.month - 1) // 3) + 1
    start = date(first.year, start_month, 1)
    end_month = start_month + 2
    end = date(first.year, end_month, calendar.monthrange(first.year, end_month)[1])
    return Period(start, end, PeriodKind.QUARTER)


def year(number: int) -> Period:
    return Period(date(number, 1, 1), date(number, 12, 31), PeriodKind.YEAR)


def _months_back(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def _years_back(day: date) -> date:
    """The same day a year earlier; 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def parse_period(
    *,
    since: str | None = None,
    until: str | None = None,
    month_text: str | None = None,
    quarter_text: str | None = None,
    year_text: str | None = None,
) -> Period:
    """The period the options name; only one way of naming it at a time."""
    named = [
        (option, text)
        for option, text in (("--month", month_text), ("--quarter", quarter_text),
                             ("--year", year_text))
        if text is not None
    ]  # fmt: skip
    if len(named) > 1 or (named and (since or until)):
        given = [option for option, _ in named] + [
            option for option, text in (("--since", since), ("--until", until)) if text
        ]
        raise UsageError(given[1], f"give one of {' / '.join(given)}, not both")
    if named:
        option, text = named[0]
        return _named(option, text.strip())
    start, end = _day("--since", since), _day("--until", until)
    if start and end and start > end:
        raise UsageError("--since", f"{start} is after --until {end}")
    return Period(start, end)


def _named(option: str, text: str) -> Period:
    if option == "--month":
        found = re.fullmatch(r"(\d{4})-(\d{2})", text)
        if found and int(found[1]) >= 1 and 1 <= int(found[2]) <= 12:  # no year 0
            return month(date(int(found[1]), int(found[2]), 1))
        raise UsageError(option, f"{text!r} is not a month; use YYYY-MM, e.g. 2026-11")
    if option == "--quarter":
        found = re.fullmatch(r"(\d{4})-?[Qq]([1-4])", text)
        if found and int(found[1]) >= 1:
            return quarter(date(int(found[1]), 3 * int(found[2]) - 2, 1))
        raise UsageError(option, f"{text!r} is not a quarter; use YYYY-QN, e.g. 2026-Q4")
    if re.fullmatch(r"\d{4}", text) and int(text) >= 1:
        return year(int(text))
    raise UsageError(option, f"{text!r} is not a year; use YYYY, e.g. 2026")


def _day(option: str, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(option, f"{value!r} is not a date; use YYYY-MM-DD") from None

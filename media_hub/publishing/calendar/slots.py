"""The calendar's slots laid out on real days: local wall-clock times made UTC instants.

A slot at Tuesday 10:00 is 10:00 in the hub's zone every week; when the zone's offset
changes (Morocco's Ramadan hour), the local time stays and the UTC instant moves.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from media_hub.catalog.calendar_file import CalendarConventions, Slot


@dataclass(frozen=True)
class Occurrence:
    """One slot on one day, for one platform."""

    slot: Slot
    platform: str
    day: date  # local
    at: datetime  # UTC

    @property
    def series(self) -> str:
        return self.slot.series


def occurrences(
    calendar: CalendarConventions,
    platforms: Mapping[str, tuple[str, ...]],
    start: date,
    days: int,
    after: datetime,
) -> list[Occurrence]:
    """The slots of `days` local days from `start` (skipped dates left out), later than
    `after`, in time order (then platform)."""
    found = [
        Occurrence(slot, platform, day, local_to_utc(day, slot, calendar))
        for day in _days(start, days)
        if day not in calendar.skip
        for slot in calendar.slots
        if slot.falls_on(day)
        for platform in platforms[slot.key]
    ]
    return sorted((one for one in found if one.at > after), key=lambda one: (one.at, one.platform))


def local_to_utc(day: date, slot: Slot, calendar: CalendarConventions) -> datetime:
    """The slot's wall-clock time on `day` in the hub's zone, as a UTC instant; a time the
    clocks skip that day is taken at the offset before the change (fold 0)."""
    return datetime.combine(day, slot.at, tzinfo=calendar.zone).astimezone(UTC)


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _days(start: date, count: int) -> Iterator[date]:
    for offset in range(count):
        yield start + timedelta(days=offset)

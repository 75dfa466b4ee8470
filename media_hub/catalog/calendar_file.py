"""`catalog/calendar.toml`: the hub's time zone, the weekly slots of each series, and the
dates nothing is published on.

Slot times are wall-clock times in the hub's zone: a Tuesday 10:00 slot stays 10:00 in
Casablanca when Morocco moves from +01:00 to +00:00 for Ramadan; only its UTC instant moves.
Every mistake is one `ConventionsError` naming the file and the key.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from media_hub.errors import ConventionsError, ValidationError

CALENDAR_FILE = "calendar.toml"
DEFAULT_TIMEZONE = "Africa/Casablanca"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_KEYS = frozenset({"timezone", "skip", "slots"})
_SLOT_KEYS = frozenset({"series", "weekday", "time", "platforms", "monthly"})


@dataclass(frozen=True)
class Slot:
    """Every `weekday` at `at` (local time) for `series`, on `platforms` (empty: the
    series' own); `monthly`: only the month's first such weekday."""

    key: str  # "slots[2]", as errors name it
    series: str
    weekday: int  # 0 = Monday, as date.weekday()
    at: time
    platforms: tuple[str, ...] = ()
    monthly: bool = False

    def falls_on(self, day: date) -> bool:
        return day.weekday() == self.weekday and (not self.monthly or day.day <= 7)


@dataclass(frozen=True)
class CalendarConventions:
    path: Path
    zone: ZoneInfo
    slots: tuple[Slot, ...]
    skip: frozenset[date]


def read_calendar(folder: Path) -> CalendarConventions:
    """The hub's calendar; a hub without the file has no slots, in the default zone."""
    path = folder / CALENDAR_FILE
    if not path.is_file():
        return CalendarConventions(path, ZoneInfo(DEFAULT_TIMEZONE), (), frozenset())
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConventionsError(str(path), f"not valid TOML: {exc}") from exc
    _no_unknown(path, "", document, _KEYS)
    zone = read_zone(path, document.get("timezone", DEFAULT_TIMEZONE))
    skip = frozenset(_skip_dates(path, document.get("skip", [])))
    raw_slots = document.get("slots", [])
    if not isinstance(raw_slots, list):
        raise ConventionsError(str(path), "slots: write each slot as a [[slots]] table")
    slots = tuple(_slot(path, f"slots[{index}]", raw) for index, raw in enumerate(raw_slots))
    return CalendarConventions(path, zone, slots, skip)


def read_zone(path: Path, name: object) -> ZoneInfo:
    if not isinstance(name, str) or not name:
        raise ConventionsError(
            str(path), "timezone: give an IANA zone name, e.g. Africa/Casablanca"
        )
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConventionsError(
            str(path), f"timezone: {name!r} is not an IANA time zone; e.g. {DEFAULT_TIMEZONE}"
        ) from exc


def check_slots(
    calendar: CalendarConventions, platforms_of: Mapping[str, Sequence[str]]
) -> dict[str, tuple[str, ...]]:
    """Each slot's platforms (its own, else its series'), checked against series.toml
    (`platforms_of`: series slug -> its platforms); two slots at the same weekday and time
    for one platform are refused. Returns slot key -> platforms."""
    path = str(calendar.path)
    taken: dict[tuple[str, int, time], str] = {}
    chosen: dict[str, tuple[str, ...]] = {}
    for slot in calendar.slots:
        if slot.series not in platforms_of:
            raise ConventionsError(
                path, f"{slot.key}.series: no series {slot.series!r} in series.toml"
            )
        own = tuple(platforms_of[slot.series])
        for name in slot.platforms:
            if name not in own:
                raise ConventionsError(
                    path, f"{slot.key}.platforms: series {slot.series!r} does not publish to "
                    f"{name!r} (its platforms: {', '.join(own)})",
                )  # fmt: skip
        chosen[slot.key] = slot.platforms or own
        for name in chosen[slot.key]:  # a monthly slot meets a weekly one in week one
            other = taken.get((name, slot.weekday, slot.at))
            if other is not None:
                raise ConventionsError(
                    path, f"{slot.key}: {WEEKDAYS[slot.weekday]} {slot.at:%H:%M} on {name} is "
                    f"already {other}'s; give one of them another time",
                )  # fmt: skip
            taken[(name, slot.weekday, slot.at)] = slot.key
    return chosen


def _slot(path: Path, key: str, raw: Any) -> Slot:
    if not isinstance(raw, dict):
        raise ConventionsError(str(path), f"{key}: write the slot as a [[slots]] table")
    _no_unknown(path, f"{key}.", raw, _SLOT_KEYS)
    for required in ("series", "weekday", "time"):
        if required not in raw:
            raise ConventionsError(str(path), f"{key}.{required}: missing")
    series = raw["series"]
    if not isinstance(series, str) or not series:
        raise ConventionsError(str(path), f"{key}.series: give a series slug")
    weekday = raw["weekday"]
    if not isinstance(weekday, str) or weekday.lower() not in WEEKDAYS:
        raise ConventionsError(
            str(path), f"{key}.weekday: {weekday!r} is not a weekday; use one of "
            f"{', '.join(WEEKDAYS)}",
        )  # fmt: skip
    platforms = raw.get("platforms", [])
    if not isinstance(platforms, list) or not all(isinstance(p, str) for p in platforms):
        raise ConventionsError(str(path), f"{key}.platforms: give a list of platform names")
    monthly = raw.get("monthly", False)
    if not isinstance(monthly, bool):
        raise ConventionsError(str(path), f"{key}.monthly: true or false")
    return Slot(
        key, series, WEEKDAYS.index(weekday.lower()), _time(path, key, raw["time"]),
        tuple(platforms), monthly,
    )  # fmt: skip


def _time(path: Path, key: str, value: object) -> time:
    if isinstance(value, time):  # TOML's own local time: time = 10:00:00
        return value.replace(tzinfo=None)
    if isinstance(value, str):
        try:
            parsed = time.fromisoformat(value)
        except ValueError:
            parsed = None
        if parsed is not None and parsed.tzinfo is None:
            return parsed
    raise ConventionsError(
        str(path), f"{key}.time: {value!r} is not a local time; write it as \"10:00\" (the "
        "hub's zone applies)",
    )  # fmt: skip


def _skip_dates(path: Path, values: object) -> list[date]:
    if not isinstance(values, list):
        raise ConventionsError(str(path), 'skip: give a list of dates, e.g. ["2026-12-25"]')
    found = []
    for index, value in enumerate(values):
        if isinstance(value, date):
            found.append(value)
            continue
        try:
            found.append(date.fromisoformat(str(value)))
        except ValueError as exc:
            raise ConventionsError(
                str(path), f"skip[{index}]: {value!r} is not a date; write YYYY-MM-DD"
            ) from exc
    return found


def _no_unknown(path: Path, prefix: str, table: dict[str, Any], known: frozenset[str]) -> None:
    for name in table:
        if name not in known:
            raise ConventionsError(
                str(path), f"{prefix}{name}: unknown key; known: {', '.join(sorted(known))}"
            )


def local_instant(text: str, zone: ZoneInfo, field: str) -> datetime:
    """`2026-12-15 10:00` as a wall-clock time in the hub's `zone` (an explicit offset,
    `2026-12-15T10:00+01:00`, is taken as given), as an aware UTC datetime. A time the
    zone's clocks skip is refused rather than moved."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise ValidationError(
            field, f"{text!r} is not a date and time; write it as \"2026-12-15 10:00\" (the "
            f"hub's zone, {zone.key}) or with an offset",
        ) from exc  # fmt: skip
    if moment.tzinfo is not None:
        return moment.astimezone(UTC)
    placed = moment.replace(tzinfo=zone)
    if placed.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != moment:
        raise ValidationError(
            field, f"{text} does not exist in {zone.key} (its clocks skip it); give another time"
        )
    return placed.astimezone(UTC)

"""`calendar show`: the publications of a week or a month, as entries every format starts
from (the terminal's grid, JSON, the iCalendar file, the HTML page)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select

from media_hub.catalog.calendar_file import read_calendar
from media_hub.catalog.pipeline_models import Publication
from media_hub.catalog.publications import status_of
from media_hub.errors import UsageError
from media_hub.hub import Hub
from media_hub.publishing.calendar.slots import week_start

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Window:
    """Local days [first, first + days) in the hub's zone; `label` as asked (2026-W50)."""

    first: date
    days: int
    label: str
    zone: ZoneInfo

    def bounds(self) -> tuple[datetime, datetime]:
        start = datetime.combine(self.first, datetime.min.time(), tzinfo=self.zone)
        end = datetime.combine(
            self.first + timedelta(days=self.days), datetime.min.time(), tzinfo=self.zone
        )
        return start, end


@dataclass(frozen=True)
class Entry:
    asset_id: int
    series: str | None
    title: str
    platform: str
    at: datetime  # UTC
    local: datetime  # in the hub's zone
    status: str
    privacy: str | None
    url: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "asset_id": self.asset_id, "series": self.series, "title": self.title,
            "platform": self.platform, "at": self.at.isoformat(),
            "local": self.local.isoformat(), "status": self.status, "privacy": self.privacy,
            "url": self.url,
        }  # fmt: skip


def window(hub: Hub, now: datetime, week: str | None = None, month: str | None = None) -> Window:
    """The week (`2026-W50`) or month (`2026-12`) asked for, else the current week."""
    zone = read_calendar(hub.settings.definitions_dir).zone
    if week is not None and month is not None:
        raise UsageError("--week", "give --week or --month, not both")
    if week is not None:
        found = _WEEK.match(week)
        try:
            assert found is not None
            first = date.fromisocalendar(int(found[1]), int(found[2]), 1)
        except (AssertionError, ValueError) as exc:
            raise UsageError("--week", f"{week!r} is not an ISO week; e.g. 2026-W50") from exc
        return Window(first, 7, week, zone)
    if month is not None:
        found = _MONTH.match(month)
        try:
            assert found is not None
            first = date(int(found[1]), int(found[2]), 1)
        except (AssertionError, ValueError) as exc:
            raise UsageError("--month", f"{month!r} is not a month; e.g. 2026-12") from exc
        following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
        return Window(first, (following - first).days, month, zone)
    first = week_start(now.astimezone(zone).date())
    year, number, _ = first.isocalendar()
    return Window(first, 7, f"{year}-W{number:02d}", zone)


def entries(hub: Hub, shown: Window, now: datetime) -> list[Entry]:
    """The publications scheduled (or gone live) in the window, in time order."""
    start, end = shown.bounds()
    with hub.db.session() as session:
        rows = session.scalars(
            select(Publication).where(
                or_(
                    Publication.scheduled_at.between(start, end),
                    Publication.live_at.between(start, end),
                )
            )
        ).all()
        found = []
        for row in rows:
            at = row.scheduled_at or row.live_at
            assert at is not None
            if not start <= at < end:
                continue
            record = hub.catalog.show(row.asset_id)
            title = record["titles"].get(record["default_language"]) or next(
                iter(record["titles"].values()), ""
            )
            found.append(
                Entry(row.asset_id, record["series"], title, row.platform, at,
                      at.astimezone(shown.zone), status_of(row, now), row.privacy, row.url)
            )  # fmt: skip
    return sorted(found, key=lambda entry: (entry.at, entry.platform, entry.asset_id))


def grid(shown: Window, found: list[Entry]) -> tuple[list[str], list[list[str]]]:
    """A week as columns of days and rows of local times; a month as one row a day."""
    if shown.days != 7:
        rows = [
            [f"{e.local:%a %d}", f"{e.local:%H:%M}", e.platform, str(e.asset_id), e.title,
             e.status]
            for e in found
        ]  # fmt: skip
        return ["day", "time", "platform", "asset", "title", "status"], rows
    days = [shown.first + timedelta(days=n) for n in range(7)]
    times = sorted({e.local.strftime("%H:%M") for e in found})
    header = ["time", *(f"{day:%a %d}" for day in days)]
    table = []
    for clock in times:
        row = [clock]
        for day in days:
            cell = [
                f"{e.asset_id} {e.title} ({e.platform}, {e.status})"
                for e in found
                if e.local.date() == day and f"{e.local:%H:%M}" == clock
            ]
            row.append("\n".join(cell))
        table.append(row)
    return header, table


def html_page(shown: Window, found: list[Entry]) -> str:
    """A page a browser shows as is: the window's publications, texts escaped, each in
    its own direction (Arabic titles right to left)."""
    rows = "\n".join(
        "<tr>"
        f"<td>{e.local:%a %Y-%m-%d}</td><td>{e.local:%H:%M}</td><td>{escape(e.platform)}</td>"
        f'<td>{e.asset_id}</td><td dir="auto">{escape(e.title)}</td>'
        f"<td>{escape(e.status)}</td>"
        f"<td>{_link(e.url)}</td></tr>"
        for e in found
    )
    title = f"Publications {escape(shown.label)} ({escape(shown.zone.key)})"
    return (
        '<!doctype html>\n<html><head><meta charset="utf-8">'
        f"<title>{title}</title></head>\n<body><h1>{title}</h1>\n<table>\n"
        "<tr><th>day</th><th>time</th><th>platform</th><th>asset</th><th>title</th>"
        "<th>status</th><th>link</th></tr>\n"
        f"{rows}\n</table></body></html>\n"
    )


def _link(url: str | None) -> str:
    if not url or not url.startswith("https://"):
        return ""
    return f'<a href="{escape(url)}">{escape(url)}</a>'

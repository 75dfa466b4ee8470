"""`calendar show --format ics`: one event per publication, for Outlook, Thunderbird or
Google Calendar (an iCalendar file made by the `icalendar` package)."""

from __future__ import annotations

from datetime import datetime, timedelta

from icalendar import Calendar, Event

from media_hub import __version__
from media_hub.publishing.calendar.views import Entry, Window

EVENT_LENGTH = timedelta(minutes=15)


def ics_document(shown: Window, found: list[Entry], now: datetime) -> bytes:
    """The window's publications; each event's UID stays the same across exports (asset and
    platform), so a calendar that imports the file again updates instead of duplicating."""
    calendar = Calendar()
    calendar.add("prodid", f"-//media-hub//calendar {__version__}//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"media-hub {shown.label}")
    calendar.add("x-wr-timezone", shown.zone.key)
    for entry in found:
        event = Event()
        event.add("uid", f"media-hub-asset-{entry.asset_id}-{entry.platform}")
        event.add("dtstamp", now)
        event.add("dtstart", entry.at)
        event.add("dtend", entry.at + EVENT_LENGTH)
        event.add("summary", f"{entry.title} ({entry.platform})")
        lines = [f"asset {entry.asset_id}, {entry.series or ''}, {entry.status}"]
        if entry.url:
            event.add("url", entry.url)
            lines.append(entry.url)
        event.add("description", "\n".join(lines))
        event.add("categories", [entry.platform])
        calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data

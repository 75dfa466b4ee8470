"""Statistics for the web tests (no tests here): the sandbox channel of
tests/test_stats_periods.py, published on 30 September and pulled on 1 November and
1 December, and a reader of the report tables a page shows."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

from media_hub.hub import Hub
from media_hub.platforms.youtube.clock import pacific_day
from media_hub.sandbox.server import Sandbox
from tests.test_stats_support import Channel, publish_decks, publish_videos, pull, slideshare_hub

START = date(2026, 9, 30)  # the sandbox's first day, as in tests/test_stats_periods.py
NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))
OCTOBER = (date(2026, 10, 1), date(2026, 10, 31))


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[Sandbox]:
    """A sandbox whose first day is START (its days move by `advance_days`)."""
    days_ago = (pacific_day(datetime.now(UTC)) - START).days
    with Sandbox(tmp_path / "sandbox" / "state.json", start_days_ago=days_ago) as running:
        yield running


@dataclass
class Pulled:
    hub: Hub
    channel: Channel


@pytest.fixture
def pulled(
    channel_hub: Hub, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[Pulled]:
    """Videos and decks published on 30 September, pulled on 1 November and 1 December: the
    Analytics days of October and November are stored, and the decks' pulls frame November."""
    hub = slideshare_hub(channel_hub, sandbox, monkeypatch, tmp_path)
    channel = publish_decks(hub, sandbox, publish_videos(hub, sandbox))
    for days in (32, 30):
        sandbox.advance_days(days)
        pull(hub, sandbox)
    yield Pulled(hub, channel)
    hub.close()


class Tables(HTMLParser):
    """The page's report tables: each one's cells as shown, and the `dir` of each cell."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[tuple[str, str | None]]]] = []
        self._cell: list[str] | None = None
        self._dir: str | None = None
        self.images: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table" and ("class", "stats") in attrs:
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag == "td" and self.tables:
            self._cell, self._dir = [], dict(attrs).get("dir")
        elif tag == "img":
            self.images.append(dict(attrs))

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._cell is not None:
            self.tables[-1][-1].append(("".join(self._cell), self._dir))
            self._cell = None


def tables(page: str) -> Tables:
    parsed = Tables()
    parsed.feed(page)
    return parsed

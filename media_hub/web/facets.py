"""The catalog page's facet values (series with their counts, playlists, topics), read at
most every few seconds: counting a series' assets reads every asset (70 ms at 30,000 on
SQLite), and every page of every person would otherwise pay it."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from media_hub.catalog.service import CatalogService
from media_hub.web.fresh import Fresh

FRESH_S = 10.0  # a new asset shows in its series' count within this many seconds


@dataclass(frozen=True)
class FacetValues:
    series: list[dict[str, Any]]
    playlists: list[dict[str, Any]]
    topics: list[dict[str, Any]]

    def names(self, kind: str, slugs: list[str], lang: str) -> list[tuple[str, str]]:
        """(slug, name in `lang`) of the series, playlists or topics named by these slugs."""
        known = {record["slug"]: record for record in getattr(self, kind)}
        return [(slug, named(known[slug], lang) if slug in known else slug) for slug in slugs]


def named(record: dict[str, Any], lang: str) -> str:
    """A record's name in `lang`, else in French, else its slug."""
    names: dict[str, str] = record.get("names") or {}
    return names.get(lang) or names.get("fr") or record["slug"]


class FacetCache:
    def __init__(
        self, catalog: CatalogService, fresh_s: float = FRESH_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:  # fmt: skip
        def read() -> FacetValues:
            return FacetValues(catalog.series(), catalog.playlists(), catalog.topics())

        self._values = Fresh(read, fresh_s, clock)

    def values(self) -> FacetValues:
        return self._values.value()

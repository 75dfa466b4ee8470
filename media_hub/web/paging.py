"""Keyset pages of a catalog query, and facet links that add a term to the query.

A page starts after the last id of the one before (`id > after`), which the catalog finds
through its primary key as fast on the 2,000th page as on the first; an offset would read
and skip every row before it.
"""

from __future__ import annotations

import dataclasses

from media_hub.catalog.query import AssetQuery, Range


def page_query(query: AssetQuery, after: int | None, size: int) -> AssetQuery:
    """`query` limited to `size + 1` assets after id `after` (one more: is there a next?)."""
    ranges = [bounds for bounds in query.ranges if bounds.field != "id"]
    given = next((bounds for bounds in query.ranges if bounds.field == "id"), None)
    low = given.low if given else None
    high = given.high if given else None
    if after is not None:
        low = after + 1 if not isinstance(low, int) else max(low, after + 1)
    if low is not None or high is not None:
        ranges.append(Range("id", low, high))
    return dataclasses.replace(query, ranges=tuple(ranges), limit=size + 1, offset=0)


def with_term(text: str, key: str, value: str | None) -> str:
    """The query text with `key:` set to `value` (or taken out when None)."""
    kept = [part for part in text.split() if not part.startswith(f"{key}:")]
    if value is not None:
        kept.append(f"{key}:{value}")
    return " ".join(kept)


def term_value(text: str, key: str) -> str | None:
    for part in text.split():
        if part.startswith(f"{key}:"):
            return part[len(key) + 1 :]
    return None

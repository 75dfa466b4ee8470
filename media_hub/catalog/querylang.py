"""The librarians' query language, in the spirit of beets', and `FIELD=VALUE` assignments.

    series:advisory-clips topic:cv status:draft kind:video lang:fr
    playlist:advisory-cv platform:youtube      (in the playlist; on the platform)
    episode:3..7 season:2 recorded:2014 recorded:2014-01-01..2014-06-30 id:100..
    id:12,15,40                               (those assets: a selection made by hand)
    entretien "lettre de motivation"          (words: every one must be found)

Terms combine with AND. A range may leave either end open; `recorded:` also takes a year
(`2014`) or a month (`2014-03`). Everything is checked here, before the catalog is opened,
so a typo is one line naming the term, not a query that quietly matches nothing.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from media_hub.catalog import rules
from media_hub.catalog.dates import DATE_FORMATS, parse_day
from media_hub.catalog.editable import FIELDS, SLUG_LIST_FIELDS, FieldValue, parse_value
from media_hub.catalog.query import AssetQuery, Range, RangeField
from media_hub.catalog.vocabulary import AssetKind, AssetStatus
from media_hub.errors import ValidationError

SINGLE_TERMS = ("series", "topic", "status", "kind", "lang", "playlist", "platform")
RANGE_TERMS: dict[str, RangeField] = {
    "id": "id",
    "season": "season",
    "episode": "episode",
    "recorded": "recorded_date",
}
# What people may type for a field, beside the field's own name.
FIELD_ALIASES = {"language": "default_language", "recorded": "recorded_date"}
Operator = Literal["=", "+=", "-="]

_TERM = re.compile(r"^(?P<key>[a-z_]+):(?P<value>.*)$", re.DOTALL)
_ASSIGNMENT = re.compile(
    r"^(?P<field>[a-z_]+(?:\.[a-z]+)?)(?P<op>\+=|-=|=)(?P<value>.*)$", re.DOTALL
)
_YEAR = re.compile(r"^\d{4}$")
_LARGEST = 2**63 - 1  # what SQLite and PostgreSQL compare an integer column with
MAX_LISTED_IDS = 5000  # one IN (...) list: well within SQLite's and PostgreSQL's limits
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Assignment:
    """`field op value`: `=` sets the field; `+=` and `-=` add or remove topics or playlists."""

    field: str
    op: Operator
    value: FieldValue


def split_arguments(arguments: Sequence[str]) -> tuple[list[str], list[str]]:
    """Query terms and `FIELD=VALUE` assignments, as `catalog set` receives them mixed."""
    terms: list[str] = []
    assignments: list[str] = []
    for argument in arguments:
        (assignments if _ASSIGNMENT.match(argument) else terms).append(argument)
    return terms, assignments


def parse_query(terms: Sequence[str]) -> AssetQuery:
    """An `AssetQuery` from query terms (each argument may hold several, space-separated)."""
    single: dict[str, str] = {}
    ranges: dict[str, Range] = {}
    words: list[str] = []
    for term in (part for argument in terms for part in argument.split()):
        match = _TERM.match(term)
        if match is None:
            words.append(term)
            continue
        key, value = match["key"], match["value"]
        if key not in SINGLE_TERMS and key not in RANGE_TERMS:
            known = ", ".join(f"{name}:" for name in (*SINGLE_TERMS, *RANGE_TERMS))
            raise ValidationError("query", f"unknown term {term!r}; use {known} or plain words")
        if not value:
            raise ValidationError("query", f"{term!r} needs a value, as in {key}:{_EXAMPLES[key]}")
        if key in single or key in ranges:
            raise ValidationError("query", f"{key}: is given twice; give it once")
        if key == "id" and "," in value:
            single[key] = _id_list(value)
        elif key in RANGE_TERMS:
            ranges[key] = _range(key, value)
        else:
            single[key] = _single(key, value)
    status = single.get("status")
    return AssetQuery(
        series=single.get("series"),
        topic=single.get("topic"),
        status=AssetStatus(status) if status else None,
        kind=AssetKind(single["kind"]) if "kind" in single else None,
        language=single.get("lang"),
        ids=tuple(int(part) for part in single["id"].split(",")) if "id" in single else None,
        playlist=single.get("playlist"),
        platform=single.get("platform"),
        text=" ".join(words) or None,
        ranges=tuple(ranges[key] for key in RANGE_TERMS if key in ranges),
    )


_EXAMPLES = {
    "series": "advisory-clips",
    "topic": "cv",
    "status": "draft",
    "kind": "video",
    "lang": "fr",
    "playlist": "advisory-cv",
    "platform": "youtube",
    "id": "10..20",
    "season": "2",
    "episode": "3..7",
    "recorded": "2014-01-01..2014-12-31",
}


def _single(key: str, value: str) -> str:
    if key == "status":
        return _choice(key, value, [status.value for status in AssetStatus])
    if key == "kind":
        return _choice(key, value, [kind.value for kind in AssetKind])
    if key == "lang":
        return rules.language(value, "query lang")
    return rules.slug(value, f"query {key}")


def _choice(key: str, value: str, allowed: list[str]) -> str:
    if value not in allowed:
        raise ValidationError(
            "query", f"{key}:{value} is not a {key}; use one of {', '.join(allowed)}"
        )
    return value


def _range(key: str, value: str) -> Range:
    field = RANGE_TERMS[key]
    low_text, dots, high_text = value.partition("..")
    if dots and not low_text and not high_text:
        raise ValidationError("query", f"{key}:.. needs at least one end, as in {key}:3..")
    if field == "recorded_date":
        if not dots:
            return Range(field, *_date_bounds(key, value))
        first = _date_bounds(key, low_text)[0] if low_text else None
        last = _date_bounds(key, high_text)[1] if high_text else None
        _check_order(key, value, first, last)
        return Range(field, first, last)
    low = _whole(key, low_text) if low_text else None
    high = (_whole(key, high_text) if high_text else None) if dots else low
    _check_order(key, value, low, high)
    return Range(field, low, high)


def _id_list(value: str) -> str:
    """`12,15,40` checked, in order, each once (kept as text like the other terms)."""
    ids = sorted({_whole("id", part.strip()) for part in value.split(",") if part.strip()})
    if not ids:
        raise ValidationError("query", "id: needs numbers, as in id:12,15,40")
    if len(ids) > MAX_LISTED_IDS:
        raise ValidationError(
            "query", f"id: lists {len(ids)} assets; list at most {MAX_LISTED_IDS} or use a range"
        )
    return ",".join(map(str, ids))


def _check_order(key: str, value: str, low: date | int | None, high: date | int | None) -> None:
    dates = isinstance(low, date) and isinstance(high, date) and low > high
    numbers = isinstance(low, int) and isinstance(high, int) and low > high
    if dates or numbers:
        raise ValidationError("query", f"{key}:{value} is empty: {low} comes after {high}")


def _whole(key: str, text: str) -> int:
    if not text.isdecimal() or not text.isascii():
        raise ValidationError("query", f"{key}: {text!r} is not a whole number")
    if len(text) > len(str(_LARGEST)) or int(text) > _LARGEST:  # int() refuses 4,300 digits
        raise ValidationError("query", f"{key}: too large a number; give at most {_LARGEST}")
    return int(text)


def _date_bounds(key: str, text: str) -> tuple[date, date]:
    """First and last day of `2014`, `2014-03` or a day (`dates.parse_day`: `2014-03-12`,
    `12/03/2014`)."""
    try:
        if _YEAR.match(text):
            return date(int(text), 1, 1), date(int(text), 12, 31)
        month = _MONTH.match(text)
        if month:
            year, number = int(month[1]), int(month[2])
            return date(year, number, 1), date(year, number, calendar.monthrange(year, number)[1])
        day = parse_day(text)
    except ValueError as exc:
        raise ValidationError(
            "query", f"{key}: {text!r} is not a date; use YYYY, YYYY-MM, {DATE_FORMATS}"
        ) from exc
    return day, day


def parse_assignments(arguments: Sequence[str]) -> list[Assignment]:
    """`FIELD=VALUE`, `topics+=SLUG`, ... checked and parsed; each plain field set once."""
    assignments: list[Assignment] = []
    seen: set[str] = set()
    for argument in arguments:
        match = _ASSIGNMENT.match(argument)
        if match is None:
            raise ValidationError(argument, "not FIELD=VALUE, as in status=ready or topics+=cv")
        field = FIELD_ALIASES.get(match["field"], match["field"])
        op: Operator = match["op"]  # type: ignore[assignment]
        _check_field(match["field"], field, op)
        if op == "=" and field in seen:
            raise ValidationError(field, "set twice; set it once")
        if op == "=":
            seen.add(field)
        assignments.append(Assignment(field, op, parse_value(field, match["value"])))
    return assignments


def _check_field(typed: str, field: str, op: Operator) -> None:
    if typed == "series":
        raise ValidationError("series", "an asset's series cannot be changed with set")
    if typed == "tags":
        raise ValidationError(
            "tags", "tags come from an asset's topics and its series' template; use topics+=SLUG"
        )
    if field not in FIELDS:
        settable = ", ".join(
            name for name in ("status", "season", "episode", "language", "recorded")
        )
        raise ValidationError(
            typed,
            f"not a field set can change; use {settable}, title.LANG, description.LANG, "
            "topics or playlists",
        )
    if op != "=" and field not in SLUG_LIST_FIELDS:
        raise ValidationError(typed, f"{op} works on topics and playlists; use {typed}=VALUE")

"""Turning option text into values: `LANG=TEXT` pairs and dates. A value in the wrong form
is a usage error (exit 2), as click's own are."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from media_hub.errors import UsageError


def language_texts(option: str, pairs: Sequence[str]) -> dict[str, str]:
    """`["ar=...", "fr=..."]` -> {"ar": "...", "fr": "..."}; each language once."""
    texts: dict[str, str] = {}
    for pair in pairs:
        lang, sep, text = pair.partition("=")
        lang = lang.strip()
        if not sep or not lang:
            raise UsageError(option, f"{pair!r} is not LANG=TEXT, e.g. {option} fr=Le CV")
        if lang in texts:
            raise UsageError(f"{option} {lang}", "given twice; give each language once")
        texts[lang] = text
    return texts


def iso_date(option: str, value: str | None) -> date | None:
    """A date as `catalog import` reads one too (`dates.parse_day`): the same text is taken
    or refused on the command line and in a sheet."""
    from media_hub.catalog.dates import parse_day

    if value is None:
        return None
    try:
        return parse_day(value)
    except ValueError as exc:
        raise UsageError(option, str(exc)) from exc

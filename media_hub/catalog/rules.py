"""What the catalog accepts, checked before anything is written.

The limits are the platforms' own (YouTube: title at most 100 characters, description at most
5000 bytes, neither with `<` or `>`), so a record that passes here will not be refused later.
"""

from __future__ import annotations

import re

from media_hub.catalog.vocabulary import LANGUAGES
from media_hub.errors import ValidationError

TITLE_MAX_CHARS = 100
DESCRIPTION_MAX_BYTES = 5000
NAME_MAX_CHARS = 150
SLUG_MAX_CHARS = 64
NUMBER_MAX = 2**31 - 1  # seasons and episodes are PostgreSQL integers
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_ANGLE_BRACKETS = re.compile(r"[<>]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def language(code: str, field: str = "language", *, record: str | None = None) -> str:
    if code not in LANGUAGES:
        known = ", ".join(LANGUAGES)
        raise ValidationError(
            field, f"unknown language code {code!r}; use one of {known}", record=record
        )
    return code


def slug(value: str, field: str = "slug", *, record: str | None = None) -> str:
    if len(value) > SLUG_MAX_CHARS or not _SLUG.match(value):
        raise ValidationError(
            field,
            f"{value!r} is not a slug; use lowercase letters, digits and single hyphens "
            f"(at most {SLUG_MAX_CHARS} characters)",
            record=record,
        )
    return value


def title(lang: str, text: str, *, record: str | None = None) -> str:
    field = f"title.{lang}"
    language(lang, field, record=record)
    cleaned = text.strip()
    if not cleaned:
        raise ValidationError(field, "the title is empty; give a title", record=record)
    _no_markup(field, cleaned, record)
    if len(cleaned) > TITLE_MAX_CHARS:
        raise ValidationError(
            field,
            f"{len(cleaned)} characters, YouTube allows {TITLE_MAX_CHARS}; shorten it",
            record=record,
        )
    return cleaned


def description(lang: str, text: str, *, record: str | None = None) -> str:
    field = f"description.{lang}"
    language(lang, field, record=record)
    cleaned = text.strip()
    _no_markup(field, cleaned, record)
    size = len(cleaned.encode("utf-8"))
    if size > DESCRIPTION_MAX_BYTES:
        raise ValidationError(
            field,
            f"{size} bytes in UTF-8, YouTube allows {DESCRIPTION_MAX_BYTES}; shorten it "
            "(an Arabic letter takes 2 bytes)",
            record=record,
        )
    return cleaned


def name(field: str, text: str, *, record: str | None = None) -> str:
    """Names of series, playlists and topics (YouTube playlist titles allow 150 characters)."""
    cleaned = text.strip()
    if not cleaned:
        raise ValidationError(field, "empty; give a name", record=record)
    _no_markup(field, cleaned, record)
    if len(cleaned) > NAME_MAX_CHARS:
        raise ValidationError(
            field, f"{len(cleaned)} characters, at most {NAME_MAX_CHARS}", record=record
        )
    return cleaned


def positive(field: str, value: int | None, *, record: str | None = None) -> int | None:
    if value is not None and value < 1:
        raise ValidationError(field, f"{value} is not a positive number", record=record)
    if value is not None and value > NUMBER_MAX:
        raise ValidationError(
            field, f"{value} is too large; give at most {NUMBER_MAX}", record=record
        )
    return value


def _no_markup(field: str, text: str, record: str | None) -> None:
    if _ANGLE_BRACKETS.search(text):
        raise ValidationError(
            field, "contains '<' or '>', which YouTube refuses; remove them", record=record
        )
    if _CONTROL.search(text):
        raise ValidationError(field, "contains control characters; remove them", record=record)

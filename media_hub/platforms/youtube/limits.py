"""YouTube's limits on a video's metadata, checked before any call to the API.

A refused videos.insert still costs quota (and an upload), so every limit YouTube documents
is checked here first. Each failure is a `ValidationError` naming the field as the API
names it (`snippet.title`, `localizations.fr.title`, `status.publishAt`), the asset, and
what to change.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import datetime

from media_hub.catalog.rules import DESCRIPTION_MAX_BYTES, TITLE_MAX_CHARS
from media_hub.catalog.vocabulary import Privacy
from media_hub.errors import ValidationError

TAGS_MAX_CHARS = 500
LICENSES = ("youtube", "creativeCommon")
# The categories a video can be put in (videoCategories.list, assignable=true, region MA/FR/US).
ASSIGNABLE_CATEGORIES = frozenset(
    {"1", "2", "10", "15", "17", "19", "20", "22", "23", "24", "25", "26", "27", "28", "29"}
)
_ANGLE_BRACKETS = re.compile(r"[<>]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def tags_length(tags: Iterable[str]) -> int:
    """The length YouTube counts for `snippet.tags`: the tags joined by commas, each tag
    holding a space wrapped in quote marks (so `job search` counts 12, not 10)."""
    total = 0
    for index, tag in enumerate(tags):
        total += len(tag) + (2 if " " in tag else 0) + (1 if index else 0)
    return total


def title(text: str, field: str, *, record: str | None = None) -> str:
    if not text.strip():
        raise ValidationError(
            field, "the title is empty; give the asset a title in this language", record=record
        )
    _plain_text(text, field, record)
    if len(text) > TITLE_MAX_CHARS:
        raise ValidationError(
            field,
            f"{len(text)} characters after templating, YouTube allows {TITLE_MAX_CHARS}; "
            f"shorten the asset's title by {len(text) - TITLE_MAX_CHARS} or the template's",
            record=record,
        )
    return text


def description(text: str, field: str, *, record: str | None = None) -> str:
    _plain_text(text, field, record)
    size = len(text.encode("utf-8"))
    if size > DESCRIPTION_MAX_BYTES:
        raise ValidationError(
            field,
            f"{size} bytes in UTF-8 after templating (footer included), YouTube allows "
            f"{DESCRIPTION_MAX_BYTES}; shorten the asset's description by "
            f"{size - DESCRIPTION_MAX_BYTES} bytes (an Arabic letter takes 2) or the footer",
            record=record,
        )
    return text


def tags(values: Sequence[str], field: str, *, record: str | None = None) -> Sequence[str]:
    for tag in values:
        if not tag.strip():
            raise ValidationError(field, "an empty tag; remove it from the template", record=record)
        _plain_text(tag, f"{field} ({tag!r})", record)
    length = tags_length(values)
    if length > TAGS_MAX_CHARS:
        raise ValidationError(
            field,
            f"{length} characters as YouTube counts them (commas between tags, quote marks "
            f"around tags with spaces), at most {TAGS_MAX_CHARS}; drop tags from the template "
            "or topics from the asset",
            record=record,
        )
    return values


def category(category_id: str | None, field: str, *, record: str | None = None) -> str:
    if category_id is None:
        raise ValidationError(
            field,
            'the template sets no category, YouTube needs one; add category = "27" '
            "(Education) or another to the template",
            record=record,
        )
    if category_id not in ASSIGNABLE_CATEGORIES:
        known = ", ".join(sorted(ASSIGNABLE_CATEGORIES, key=int))
        raise ValidationError(
            field,
            f"{category_id!r} is not a category a video can be put in; use one of {known}",
            record=record,
        )
    return category_id


def privacy(value: str, field: str, *, record: str | None = None) -> str:
    allowed = [member.value for member in Privacy]
    if value not in allowed:
        raise ValidationError(
            field, f"{value!r} is not a privacy; use one of {', '.join(allowed)}", record=record
        )
    return value


def publish_at(
    when: datetime | None, privacy_status: str, now: datetime, *, record: str | None = None
) -> datetime | None:
    """A scheduled publication needs a private video (YouTube makes it public at that time)
    and a time still to come."""
    field = "status.publishAt"
    if when is None:
        return None
    if now.tzinfo is None:
        raise ValueError("now must carry a time zone, as datetime.now(UTC) does")
    if when.tzinfo is None:
        raise ValidationError(
            field, "the time has no time zone; give one (for example +00:00)", record=record
        )
    if privacy_status != Privacy.PRIVATE:
        raise ValidationError(
            field,
            f"a scheduled video must be private until it is published, not {privacy_status}; "
            "leave the privacy out (scheduling implies private) or choose private",
            record=record,
        )
    if when <= now:
        raise ValidationError(
            field,
            f"{when.isoformat()} is not in the future (now {now.isoformat()}); "
            "give a later time or publish without a schedule",
            record=record,
        )
    return when


def _plain_text(text: str, field: str, record: str | None) -> None:
    if _ANGLE_BRACKETS.search(text):
        raise ValidationError(
            field,
            "contains '<' or '>', which YouTube refuses; remove them from the asset's text "
            "or the template",
            record=record,
        )
    if _CONTROL.search(text):
        raise ValidationError(field, "contains control characters; remove them", record=record)

"""The metadata rules YouTube enforces on videos.insert and videos.update, with its reasons.

Where Google leaves a choice open the sandbox is the stricter one (a missing title is refused
on insert too), so that code passing here passes there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from media_hub.sandbox.errors import ApiError
from media_hub.sandbox.languages import check_language
from media_hub.sandbox.state import parse_rfc3339

ASSIGNABLE_CATEGORIES = frozenset(
    {"1", "2", "10", "15", "17", "19", "20", "22", "23", "24", "25", "26", "27", "28", "29"}
)
DEFAULT_CATEGORY = "22"
PRIVACY = frozenset({"public", "unlisted", "private"})
TITLE_MAX_CHARS = 100
DESCRIPTION_MAX_BYTES = 5000
TAGS_MAX_CHARS = 500


def tags_length(tags: Sequence[str]) -> int:
    """Tags length as YouTube counts it: commas between tags, quotes around a tag with a space."""
    return sum(len(tag) + (2 if " " in tag else 0) for tag in tags) + max(0, len(tags) - 1)


def _has_angle_brackets(text: str) -> bool:
    return "<" in text or ">" in text


def check_title(title: Any) -> None:
    if not isinstance(title, str) or not title.strip():
        raise ApiError("invalidTitle", "The video title is required.")
    if len(title) > TITLE_MAX_CHARS or _has_angle_brackets(title):
        raise ApiError("invalidTitle")


def check_description(description: Any) -> None:
    if not isinstance(description, str):
        raise ApiError("invalidDescription")
    if len(description.encode()) > DESCRIPTION_MAX_BYTES or _has_angle_brackets(description):
        raise ApiError("invalidDescription")


def check_tags(tags: Any) -> None:
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        raise ApiError("invalidTags")
    if tags_length(tags) > TAGS_MAX_CHARS or any(_has_angle_brackets(tag) for tag in tags):
        raise ApiError("invalidTags")


def check_snippet(snippet: dict[str, Any], *, updating: bool) -> None:
    """Title, description, tags and category; on update title and categoryId are required."""
    if updating and (not snippet.get("title") or not snippet.get("categoryId")):
        raise ApiError(
            "invalidVideoMetadata",
            "The request metadata is invalid: snippet.title and snippet.categoryId are required "
            "when the snippet part is updated.",
        )
    check_title(snippet.get("title"))
    if "description" in snippet:
        check_description(snippet["description"])
    if "tags" in snippet:
        check_tags(snippet["tags"])
    if snippet.get("defaultLanguage") is not None:
        check_language(snippet["defaultLanguage"], "unknown defaultLanguage")
    category = str(snippet.get("categoryId", DEFAULT_CATEGORY))
    if category not in ASSIGNABLE_CATEGORIES:
        raise ApiError("invalidCategoryId")


def check_status(status: dict[str, Any], now: dt.datetime) -> None:
    """Privacy is one of three; publishAt only on private videos and only in the future."""
    privacy = status.get("privacyStatus", "public")
    if privacy not in PRIVACY:
        raise ApiError("invalidVideoMetadata", f"Unknown privacyStatus {privacy!r}.")
    publish_at = status.get("publishAt")
    if publish_at is None:
        return
    if privacy != "private":
        raise ApiError(
            "invalidPublishAt", "A scheduled publishing time needs privacyStatus private."
        )
    try:
        moment = parse_rfc3339(str(publish_at))
    except ValueError as exc:
        raise ApiError("invalidPublishAt") from exc
    if moment <= now:
        raise ApiError("invalidPublishAt", "The scheduled publishing time is in the past.")


def check_localizations(localizations: Any, default_language: str | None) -> None:
    if not isinstance(localizations, dict):
        raise ApiError("invalidVideoMetadata", "localizations must be an object.")
    if localizations and not default_language:
        raise ApiError("defaultLanguageNotSet")
    for key, localized in localizations.items():
        check_language(key, "unknown localization language")
        if not isinstance(localized, dict):
            raise ApiError("invalidVideoMetadata", "Each localization must be an object.")
        check_title(localized.get("title"))
        if "description" in localized:
            check_description(localized["description"])


def check_video(
    resource: dict[str, Any],
    parts: set[str],
    now: dt.datetime,
    *,
    updating: bool,
    stored_language: str | None = None,
) -> None:
    """Check every part being written; `stored_language` is the video's current default."""
    snippet = resource.get("snippet") if "snippet" in parts else None
    if "snippet" in parts:
        if not isinstance(snippet, dict):
            raise ApiError("invalidVideoMetadata", "The snippet part is missing.")
        check_snippet(snippet, updating=updating)
    if "status" in parts and isinstance(resource.get("status"), dict):
        check_status(resource["status"], now)
    if "localizations" in parts and resource.get("localizations") is not None:
        language = snippet.get("defaultLanguage") if snippet is not None else stored_language
        check_localizations(resource["localizations"], language)


def released(status: dict[str, Any], now: dt.datetime) -> dict[str, Any]:
    """A video's status as of `now`: a private video whose publishAt has passed is public
    (YouTube publishes it at that time and drops the publishAt)."""
    publish_at = status.get("publishAt")
    if not publish_at or parse_rfc3339(str(publish_at)) > now:
        return dict(status)
    shown = {key: value for key, value in status.items() if key != "publishAt"}
    shown["privacyStatus"] = "public"
    return shown

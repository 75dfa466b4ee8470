"""Closed sets of values the catalog accepts: languages, kinds, statuses, numbering schemes."""

from __future__ import annotations

from enum import StrEnum

# The languages the channel publishes in, with their own names (shown in tables and errors).
LANGUAGES: dict[str, str] = {
    "ar": "العربية",
    "fr": "Français",
    "en": "English",
    "zgh": "ⵜⴰⵎⴰⵣⵉⵖⵜ",
}


class AssetKind(StrEnum):
    VIDEO = "video"
    DECK = "deck"


class AssetStatus(StrEnum):
    DRAFT = "draft"
    READY = "ready"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class Numbering(StrEnum):
    """How a series numbers its assets."""

    NONE = "none"
    EPISODE = "episode"
    SEASON_EPISODE = "season-episode"


class Privacy(StrEnum):
    PUBLIC = "public"
    UNLISTED = "unlisted"
    PRIVATE = "private"


class PlaylistOrder(StrEnum):
    EPISODE = "episode"
    RECORDED = "recorded"
    MANUAL = "manual"


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    PARKED = "parked"
    CANCELLED = "cancelled"


class PublicationState(StrEnum):
    """How far an asset's publication on a platform got; each platform goes through the
    steps it has, and records each as it completes (what a rerun resumes from)."""

    PENDING = "pending"  # nothing sent yet
    SENDING = "sending"  # the call that creates it is out; its answer may be lost
    UPLOADING = "uploading"  # a resumable upload session is open
    UPLOADED = "uploaded"  # the platform has the file
    THUMBNAIL = "thumbnail"  # its thumbnail is set
    CONVERTING = "converting"  # the platform is still processing the file
    FAILED = "failed"  # the platform could not process it: it is sent again
    DONE = "done"

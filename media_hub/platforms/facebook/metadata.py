"""A video's Facebook texts, built from its series' template like YouTube's, and checked
against Facebook's limits before any call: title, description, and a scheduled time within
Meta's window.

Facebook takes one language per video: the asset's default one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from media_hub.catalog.definitions import TemplateDefinition
from media_hub.errors import ValidationError
from media_hub.platforms.facebook.settings import FacebookSettings
from media_hub.platforms.templating import render_texts

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class VideoTexts:
    title: str
    description: str
    publish_at: datetime | None = None  # scheduled: unpublished until then
    unpublished: bool = False  # asked private: unpublished, with no time, until made public

    def to_params(self) -> dict[str, str]:
        """The form fields of `POST /{page-id}/videos` (and of a video's update)."""
        params = {"title": self.title, "description": self.description}
        if self.publish_at is not None or self.unpublished:
            params["published"] = "false"
        if self.publish_at is not None:
            params["scheduled_publish_time"] = str(int(self.publish_at.timestamp()))
        return params

    @property
    def privacy(self) -> str:
        """As the catalog records it: private until a scheduled or unpublished video goes
        public on the Page."""
        return "private" if self.publish_at is not None or self.unpublished else "public"


def render_video_texts(
    asset: Mapping[str, Any],
    series: Mapping[str, Any] | None,
    template: TemplateDefinition,
    template_name: str,
    limits: FacebookSettings,
    *,
    publish_at: datetime | None = None,
    private: bool = False,
    now: datetime | None = None,
    topics: Mapping[str, Mapping[str, str]] | None = None,
    as_published: bool = False,
) -> VideoTexts:
    """The texts of a video (an `asset_record`), checked; `as_published` takes the catalog's
    texts as they are (adopted texts that did not fit the template)."""
    record = f"asset {asset['id']}"
    lang: str = asset["default_language"]
    if not (asset.get("titles") or {}).get(lang, "").strip():
        raise ValidationError(
            "title", f"the video has no title in its default language {lang}; add one",
            record=record,
        )  # fmt: skip
    if as_published:
        title, description = asset["titles"][lang], (asset.get("descriptions") or {}).get(lang, "")
    else:
        texts = render_texts(template, template_name, asset, series, lang, topics=topics)
        title, description = texts.title, texts.description
    texts_out = VideoTexts(title.strip(), description.strip(), publish_at, unpublished=private)
    return check_texts(texts_out, limits, now or datetime.now(UTC), record=record)


def check_texts(
    texts: VideoTexts, limits: FacebookSettings, now: datetime, *, record: str | None = None
) -> VideoTexts:
    """Refuse what Facebook would refuse or what media-hub's limits keep out."""
    if not texts.title:
        raise ValidationError("title", "the title is empty; give one", record=record)
    for name, text, most in (
        ("title", texts.title, limits.title_max_chars),
        ("description", texts.description, limits.description_max_chars),
    ):
        if _CONTROL.search(text):
            raise ValidationError(name, "contains control characters; remove them", record=record)
        if len(text) > most:
            raise ValidationError(
                name,
                f"{len(text)} characters after templating, at most {most} on Facebook "
                f"(facebook.{name}_max_chars); shorten the text or the template",
                record=record,
            )
    if texts.publish_at is not None:
        check_schedule(texts.publish_at, limits, now, record=record)
    return texts


def check_schedule(
    when: datetime, limits: FacebookSettings, now: datetime, *, record: str | None = None
) -> None:
    """Meta publishes a scheduled video only inside its window: refused here, before a call."""
    if when.tzinfo is None:
        raise ValidationError("publish_at", "give a time zone (e.g. +01:00 or Z)", record=record)
    earliest = now + timedelta(minutes=limits.schedule_min_minutes)
    latest = now + timedelta(days=limits.schedule_max_days)
    if not earliest <= when <= latest:
        raise ValidationError(
            "publish_at",
            f"{when.astimezone(UTC):%Y-%m-%d %H:%M} UTC is outside Facebook's scheduling window "
            f"({limits.schedule_min_minutes} minutes to {limits.schedule_max_days} days from "
            "now); choose a time inside it",
            record=record,
        )

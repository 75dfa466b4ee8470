"""A deck's SlideShare metadata, built from its series' template like a video's.

SlideShare's API v2 (upload_slideshow, edit_slideshow) takes `slideshow_title`,
`slideshow_description` and `slideshow_tags` (comma separated) but documents no length
limits. The limits below are ours, chosen so that a text accepted here also fits YouTube
(title) and stays readable on SlideShare's page (description): title at most 100
characters, description at most 3000 characters. Raise them once SlideShare is seen to
accept more.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from media_hub.catalog.definitions import TemplateDefinition
from media_hub.errors import ValidationError
from media_hub.platforms.templating import render_tags, render_texts

DECK_TITLE_MAX_CHARS = 100  # not documented by SlideShare: see the module's docstring
DECK_DESCRIPTION_MAX_CHARS = 3000  # not documented by SlideShare: see the module's docstring
_ANGLE_BRACKETS = re.compile(r"[<>]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class DeckMetadata:
    """A deck's title, description and tags, in its default language."""

    title: str
    description: str
    tags: tuple[str, ...] | None  # None: left as the slideshow has them (texts as published)

    def to_params(self) -> dict[str, str]:
        """The form parameters of upload_slideshow and edit_slideshow."""
        params = {"slideshow_title": self.title, "slideshow_description": self.description}
        if self.tags is not None:
            params["slideshow_tags"] = ",".join(self.tags)
        return params


def render_deck_metadata(
    asset: Mapping[str, Any],
    series: Mapping[str, Any] | None,
    template: TemplateDefinition,
    template_name: str,
    *,
    topics: Mapping[str, Mapping[str, str]] | None = None,
    as_published: bool = False,
) -> DeckMetadata:
    """Build and check the metadata of a deck (an `asset_record`) from its series'
    template, in the deck's default language (SlideShare holds one language per deck).
    `as_published` takes the catalog's texts as they are and leaves the tags alone (adopted
    texts that did not fit the template)."""
    record = f"asset {asset['id']}"
    lang: str = asset["default_language"]
    if not (asset.get("titles") or {}).get(lang, "").strip():
        raise ValidationError(
            "slideshow_title",
            f"the deck has no title in its default language {lang}; add one",
            record=record,
        )
    if as_published:
        metadata = DeckMetadata(
            asset["titles"][lang], (asset.get("descriptions") or {}).get(lang, ""), None
        )
        return validate_deck_metadata(metadata, record=record)
    texts = render_texts(template, template_name, asset, series, lang, topics=topics)
    metadata = DeckMetadata(
        title=texts.title,
        description=texts.description,
        tags=tuple(render_tags(template, template_name, asset, series, topics=topics)),
    )
    return validate_deck_metadata(metadata, record=record)


def validate_deck_metadata(metadata: DeckMetadata, *, record: str | None = None) -> DeckMetadata:
    """Refuse a deck's metadata that SlideShare would refuse or mangle."""
    if not metadata.title.strip():
        raise ValidationError("slideshow_title", "the title is empty; give one", record=record)
    _plain_text(metadata.title, "slideshow_title", record)
    if len(metadata.title) > DECK_TITLE_MAX_CHARS:
        raise ValidationError(
            "slideshow_title",
            f"{len(metadata.title)} characters after templating, at most "
            f"{DECK_TITLE_MAX_CHARS}; shorten the deck's title or the template's",
            record=record,
        )
    _plain_text(metadata.description, "slideshow_description", record)
    if len(metadata.description) > DECK_DESCRIPTION_MAX_CHARS:
        raise ValidationError(
            "slideshow_description",
            f"{len(metadata.description)} characters after templating (footer included), at "
            f"most {DECK_DESCRIPTION_MAX_CHARS}; shorten the deck's description or the footer",
            record=record,
        )
    for tag in metadata.tags or ():
        field = f"slideshow_tags ({tag!r})"
        if not tag.strip():
            raise ValidationError(field, "an empty tag; remove it from the template", record=record)
        if "," in tag:
            raise ValidationError(
                field, "tags are sent comma separated; remove the comma", record=record
            )
        _plain_text(tag, field, record)
    return metadata


def _plain_text(text: str, field: str, record: str | None) -> None:
    if _ANGLE_BRACKETS.search(text):
        raise ValidationError(
            field,
            "contains '<' or '>'; remove them from the deck's text or the template",
            record=record,
        )
    if _CONTROL.search(text):
        raise ValidationError(field, "contains control characters; remove them", record=record)

"""A video's YouTube metadata, built from its series' template and checked against YouTube.

The result is plain, frozen data: the publisher sends `to_resource()` as the body of
videos.insert or videos.update with `parts()`, and keeps `checksum()` to notice later when
the catalog, the template or YouTube itself has drifted from what was sent.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from types import MappingProxyType
from typing import Any

from media_hub.catalog import rules
from media_hub.catalog.definitions import TemplateDefinition
from media_hub.catalog.vocabulary import Privacy
from media_hub.errors import ValidationError
from media_hub.platforms.templating import (
    RenderedTexts,
    other_languages,
    render_tags,
    render_texts,
)
from media_hub.platforms.youtube import limits as youtube_limits
from media_hub.platforms.youtube.languages import SNAPSHOT, LanguageKeys


@dataclass(frozen=True)
class Localization:
    """Title and description in one language other than the default one."""

    title: str
    description: str


@dataclass(frozen=True)
class VideoMetadata:
    """Everything YouTube holds about a video that comes from the catalog."""

    asset_id: int | None
    title: str
    description: str
    tags: tuple[str, ...] | None  # None: left as the video has them (texts as published)
    category_id: str | None
    default_language: str
    default_audio_language: str
    privacy_status: str
    made_for_kids: bool
    license: str
    embeddable: bool
    localizations: Mapping[str, Localization] = field(default_factory=lambda: MappingProxyType({}))
    publish_at: datetime | None = None
    recording_date: str | None = None

    @property
    def record(self) -> str | None:
        """How errors name the asset."""
        return None if self.asset_id is None else f"asset {self.asset_id}"

    def parts(self) -> list[str]:
        """The `part` parameter matching `to_resource()`."""
        return list(self.to_resource())

    def to_resource(self) -> dict[str, Any]:
        """The JSON body of videos.insert or videos.update (parts with nothing to say are
        left out, so an update does not clear what the catalog does not know)."""
        snippet: dict[str, Any] = {
            "title": self.title,
            "description": self.description,
            "defaultLanguage": self.default_language,
            "defaultAudioLanguage": self.default_audio_language,
        }
        if self.tags is not None:
            snippet["tags"] = list(self.tags)
        if self.category_id is not None:
            snippet["categoryId"] = self.category_id
        status: dict[str, Any] = {
            "privacyStatus": self.privacy_status,
            "selfDeclaredMadeForKids": self.made_for_kids,
            "license": self.license,
            "embeddable": self.embeddable,
        }
        if self.publish_at is not None:
            status["publishAt"] = rfc3339(self.publish_at)
        resource: dict[str, Any] = {"snippet": snippet, "status": status}
        if self.localizations:
            resource["localizations"] = {
                lang: {"title": text.title, "description": text.description}
                for lang, text in self.localizations.items()
            }
        if self.recording_date is not None:
            resource["recordingDetails"] = {"recordingDate": self.recording_date}
        return resource

    def checksum(self) -> str:
        """SHA-256 of the resource as canonical JSON (keys sorted, UTF-8, no spaces)."""
        canonical = json.dumps(
            self.to_resource(), sort_keys=True, ensure_ascii=False, separators=(",", ":")
        )
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def render_video_metadata(
    asset: Mapping[str, Any],
    series: Mapping[str, Any] | None,
    template: TemplateDefinition,
    template_name: str,
    *,
    privacy: str | None = None,
    publish_at: datetime | None = None,
    now: datetime,
    topics: Mapping[str, Mapping[str, str]] | None = None,
    as_published: bool = False,
    language_keys: LanguageKeys | None = None,
) -> VideoMetadata:
    """Build and check the metadata of `asset` (an `asset_record`) from its series'
    template. `privacy` overrides the template's; `publish_at` schedules the publication
    (and makes the video private, unless a privacy other than private was asked for, which
    is refused). `topics` (slug: names by language) adds the topics' names to the tags.
    `as_published` sends the catalog's texts as they are, for adopted texts that did not
    fit the template, and leaves the tags as the video has them. `language_keys` turns the
    catalog's languages into YouTube's keys: a localization YouTube has no key for is left
    out, a default language without one is refused (see `languages`).
    Raises `ValidationError` for what YouTube would refuse, `ConventionsError` for a
    template that cannot be rendered."""
    record = f"asset {asset['id']}"
    default_language: str = asset["default_language"]
    rules.language(default_language, "snippet.defaultLanguage", record=record)
    titles: Mapping[str, str] = asset.get("titles") or {}
    if not titles.get(default_language, "").strip():
        raise ValidationError(
            "snippet.title",
            f"the asset has no title in its default language {default_language}; add one",
            record=record,
        )

    def texts(lang: str) -> RenderedTexts:
        if as_published:
            return RenderedTexts(titles[lang], (asset.get("descriptions") or {}).get(lang, ""))
        return render_texts(template, template_name, asset, series, lang, topics=topics)

    default_key = default_language
    if language_keys is not None:
        found = language_keys.key(default_language)
        if found is None:
            raise ValidationError(
                "snippet.defaultLanguage",
                f"YouTube has no language key for {default_language!r}; map it in "
                "[youtube] language_keys to a key YouTube lists",
                record=record,
            )
        default_key = found
    main = texts(default_language)
    localizations: dict[str, Localization] = {}
    for lang in other_languages(titles, default_language):
        rules.language(lang, f"localizations.{lang}", record=record)
        key = lang if language_keys is None else language_keys.key(lang)
        if key is None or key == default_key or key in localizations:
            continue  # YouTube would refuse it; `catalog lint` says so
        localized = texts(lang)
        localizations[key] = Localization(title=localized.title, description=localized.description)
    metadata = VideoMetadata(
        asset_id=asset["id"],
        title=main.title,
        description=main.description,
        tags=(
            None
            if as_published
            else tuple(render_tags(template, template_name, asset, series, topics=topics))
        ),
        category_id=template.category,
        default_language=default_key,
        default_audio_language=default_key,
        privacy_status=_privacy(template.privacy, privacy, publish_at),
        made_for_kids=template.made_for_kids,
        license=template.license,
        embeddable=template.embeddable,
        localizations=MappingProxyType(localizations),
        publish_at=_utc(publish_at),
        recording_date=recording_date(asset.get("recorded_date"), record=record),
    )
    return validate_video_metadata(metadata, now=now)


def _language(key: str, field: str, record: str | None) -> None:
    """A catalog language, or a key of YouTube's list that one is mapped to."""
    if key not in SNAPSHOT:
        rules.language(key, field, record=record)


def _privacy(template_privacy: Privacy, asked: str | None, publish_at: datetime | None) -> str:
    """The privacy asked for, else private for a scheduled video, else the template's.
    A conflict (scheduled yet asked public) is kept for the limits to refuse by name."""
    if asked is not None:
        return asked
    if publish_at is not None:
        return Privacy.PRIVATE.value
    return template_privacy.value


def _utc(when: datetime | None) -> datetime | None:
    """In UTC, whole seconds; a time without a time zone is left for the limits to refuse."""
    if when is None or when.tzinfo is None:
        return when
    return when.astimezone(UTC).replace(microsecond=0)


def rfc3339(when: datetime) -> str:
    """`2026-12-01T09:00:00Z`: the form YouTube documents and returns."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def recording_date(value: str | date | None, *, record: str | None = None) -> str | None:
    """The asset's recording date as YouTube stores it (midnight UTC of that day)."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        day = value if not isinstance(value, datetime) else value.date()
    else:
        try:
            day = datetime.fromisoformat(value).date()
        except ValueError as exc:
            raise ValidationError(
                "recordingDetails.recordingDate",
                f"{value!r} is not a date; give it as YYYY-MM-DD",
                record=record,
            ) from exc
    return f"{day.isoformat()}T00:00:00Z"


def validate_video_metadata(metadata: VideoMetadata, *, now: datetime) -> VideoMetadata:
    """Refuse what YouTube would refuse; return `metadata` unchanged when all is well."""
    record = metadata.record
    _language(metadata.default_language, "snippet.defaultLanguage", record)
    _language(metadata.default_audio_language, "snippet.defaultAudioLanguage", record)
    youtube_limits.title(metadata.title, "snippet.title", record=record)
    youtube_limits.description(metadata.description, "snippet.description", record=record)
    if metadata.tags is not None:
        youtube_limits.tags(metadata.tags, "snippet.tags", record=record)
    youtube_limits.category(metadata.category_id, "snippet.categoryId", record=record)
    for lang, localization in metadata.localizations.items():
        field = f"localizations.{lang}"
        _language(lang, field, record)
        youtube_limits.title(localization.title, f"{field}.title", record=record)
        youtube_limits.description(localization.description, f"{field}.description", record=record)
    if metadata.localizations and not metadata.default_language:
        raise ValidationError(
            "snippet.defaultLanguage",
            "localizations need the default language of the title and description; set it",
            record=record,
        )
    youtube_limits.privacy(metadata.privacy_status, "status.privacyStatus", record=record)
    youtube_limits.publish_at(metadata.publish_at, metadata.privacy_status, now, record=record)
    if metadata.license not in youtube_limits.LICENSES:
        raise ValidationError(
            "status.license",
            f"{metadata.license!r} is not a licence; use one of "
            f"{', '.join(youtube_limits.LICENSES)}",
            record=record,
        )
    return metadata

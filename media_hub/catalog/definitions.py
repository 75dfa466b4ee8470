"""The channel's conventions as librarians write them: TOML files under catalog/.

`series.toml`, `playlists.toml`, `topics.toml` and `templates/NAME.toml` are read, checked
against each other and against the platforms' limits, and returned as plain, frozen data.
Every problem names the file and the key.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

import jinja2
import pydantic
from jinja2.sandbox import SandboxedEnvironment
from pydantic import BaseModel, ConfigDict, Field, field_validator

from media_hub.catalog import rules
from media_hub.catalog.vocabulary import LANGUAGES, AssetKind, Numbering, PlaylistOrder, Privacy
from media_hub.errors import ConventionsError, ValidationError

REQUIRED_NAME_LANGUAGES = ("ar", "fr")
# Languages that stand in when a series name, a footer, a template text or a topic name is
# missing in the asset's language: the two every series has, French first since readers of
# an English or Tamazight localization are likelier to read French than Arabic.
# `catalog lint` warns whenever one stands in.
LANGUAGE_FALLBACK = ("fr", "ar")
TEXT_KEYS = ("title", "description")


def in_language(values: Mapping[str, str], lang: str) -> tuple[str, str] | None:
    """The value in `lang`, else in the fallback languages: (language used, value)."""
    for candidate in (lang, *LANGUAGE_FALLBACK):
        if candidate in values:
            return candidate, values[candidate]
    return None


class _Definition(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


T = TypeVar("T", bound=_Definition)


def _check_names(value: dict[str, str], *, required: bool) -> dict[str, str]:
    for lang, text in value.items():
        rules.language(lang, f"names.{lang}")
        rules.name(f"names.{lang}", text)
    missing = [lang for lang in REQUIRED_NAME_LANGUAGES if required and lang not in value]
    if missing:
        raise ValueError(f"a name in {' and '.join(missing)} is required")
    return {lang: text.strip() for lang, text in value.items()}


def _check_descriptions(value: dict[str, str]) -> dict[str, str]:
    return {lang: rules.description(lang, text) for lang, text in value.items()}


class TopicDefinition(_Definition):
    names: dict[str, str]

    _names = field_validator("names")(lambda v: _check_names(v, required=True))


class PlaylistDefinition(_Definition):
    kind: AssetKind
    names: dict[str, str]
    descriptions: dict[str, str] = Field(default_factory=dict)
    privacy: Privacy = Privacy.PUBLIC
    order: PlaylistOrder = PlaylistOrder.MANUAL

    _names = field_validator("names")(lambda v: _check_names(v, required=True))
    _descriptions = field_validator("descriptions")(_check_descriptions)


class SeriesDefinition(_Definition):
    kind: AssetKind
    names: dict[str, str]
    descriptions: dict[str, str] = Field(default_factory=dict)
    default_language: str
    numbering: Numbering = Numbering.NONE
    playlists: list[str] = Field(default_factory=list)
    topics: list[str] = Field(default_factory=list)
    template: str
    # Where the series' assets are published, by platform name; empty: the default platforms
    # of the series' kind (checked against the installed platforms when publishing).
    platforms: list[str] = Field(default_factory=list)
    # Languages every published video of the series has captions in (`catalog lint` checks).
    captions: list[str] = Field(default_factory=list)

    _names = field_validator("names")(lambda v: _check_names(v, required=True))
    _descriptions = field_validator("descriptions")(_check_descriptions)
    _language = field_validator("default_language")(lambda v: rules.language(v))
    _captions = field_validator("captions")(
        lambda v: [rules.language(lang, f"captions.{lang}") for lang in v]
    )


class BrandingDefinition(_Definition):
    """Files that make every video of a series open, close and look the same; paths are
    relative to the conventions folder."""

    intro: str | None = None
    outro: str | None = None
    logo: str | None = None


class TemplateDefinition(_Definition):
    """Jinja2 texts that build a platform's metadata from an asset (rendered when publishing),
    with the series' branding and thumbnail style."""

    # One text for every language, or one a language ({ ar = "...", fr = "...", zgh = "..." }).
    title: str | dict[str, str]
    description: str | dict[str, str]
    tags: list[str] = Field(default_factory=list)
    category: str | None = None
    privacy: Privacy = Privacy.PUBLIC
    made_for_kids: bool = False
    license: str = "youtube"
    embeddable: bool = True
    footer: dict[str, str] = Field(default_factory=dict)
    branding: BrandingDefinition = Field(default_factory=BrandingDefinition)
    thumbnail: dict[str, Any] = Field(default_factory=dict)

    @field_validator("title", "description", "footer")
    @classmethod
    def _per_language(cls, value: str | dict[str, str]) -> str | dict[str, str]:
        unknown = (
            [lang for lang in value if lang not in LANGUAGES] if isinstance(value, dict) else []
        )
        if unknown:
            raise ValueError(f"unknown language {unknown[0]!r}; use one of {', '.join(LANGUAGES)}")
        if isinstance(value, dict) and value and not any(k in value for k in LANGUAGE_FALLBACK):
            raise ValueError(f"give it in {' or '.join(LANGUAGE_FALLBACK)} too, to fall back on")
        return value

    def text(self, key: str, lang: str) -> str:
        """The template text `key` (title or description) for `lang`, or its fallback."""
        value: str | dict[str, str] = getattr(self, key)
        if isinstance(value, str):
            return value
        found = in_language(value, lang)
        return "" if found is None else found[1]

    def sources(self, key: str) -> dict[str, str]:
        """Every text of `key` by language ("" for a text shared by all languages)."""
        value: str | dict[str, str] = getattr(self, key)
        return {"": value} if isinstance(value, str) else dict(value)

    @field_validator("tags")
    @classmethod
    def _tags(cls, tags: list[str]) -> list[str]:
        for tag in tags:
            if not tag.strip() or "<" in tag or ">" in tag or len(tag) >= 100:
                raise ValueError(f"tag {tag!r} must be non-empty, under 100 characters, no < >")
        return tags

    @field_validator("license")
    @classmethod
    def _license(cls, value: str) -> str:
        if value not in ("youtube", "creativeCommon"):
            raise ValueError("license is 'youtube' or 'creativeCommon'")
        return value


class Definitions(_Definition):
    topics: dict[str, TopicDefinition]
    playlists: dict[str, PlaylistDefinition]
    series: dict[str, SeriesDefinition]
    templates: dict[str, TemplateDefinition]


def read_definitions(folder: Path) -> Definitions:
    """Read and cross-check every definition file under `folder`."""
    if not folder.is_dir():
        raise ConventionsError(
            str(folder),
            "no conventions folder here; run 'media-hub init' or set catalog.definitions",
        )
    topics = _read_tables(folder / "topics.toml", "topics", TopicDefinition)
    playlists = _read_tables(folder / "playlists.toml", "playlists", PlaylistDefinition)
    series = _read_tables(folder / "series.toml", "series", SeriesDefinition)
    templates = {
        path.stem: _read_template(path) for path in sorted((folder / "templates").glob("*.toml"))
    }
    _cross_check(folder / "series.toml", series, playlists, topics, templates)
    return Definitions(topics=topics, playlists=playlists, series=series, templates=templates)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConventionsError(str(path), "file missing; create it (it may be empty)") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConventionsError(str(path), f"not valid TOML: {exc}") from exc
    except OSError as exc:  # a folder in its place, no permission...
        raise ConventionsError(str(path), f"cannot read it: {exc.strerror or exc}") from exc


def _read_tables(path: Path, table: str, model: type[T]) -> dict[str, T]:
    document = _read_toml(path)
    unknown = set(document) - {table}
    if unknown:
        raise ConventionsError(
            str(path),
            f"unknown table {sorted(unknown)[0]!r}; only [{table}.SLUG] tables belong here",
        )
    entries = document.get(table, {})
    if not isinstance(entries, Mapping):
        raise ConventionsError(
            str(path), f"{table} is not a table; write each entry as [{table}.SLUG]"
        )
    parsed: dict[str, T] = {}
    for slug, body in entries.items():
        key = f"{table}.{slug}"
        try:
            rules.slug(slug, key)
            parsed[slug] = model.model_validate(body)
        except ValidationError as exc:
            raise ConventionsError(str(path), str(exc)) from exc
        except pydantic.ValidationError as exc:
            raise ConventionsError(str(path), _pydantic_problem(key, exc)) from exc
    return parsed


def _read_template(path: Path) -> TemplateDefinition:
    try:
        template = TemplateDefinition.model_validate(_read_toml(path))
    except pydantic.ValidationError as exc:
        raise ConventionsError(str(path), _pydantic_problem("", exc)) from exc
    for key in ("intro", "outro", "logo"):
        relative = getattr(template.branding, key)
        if relative is not None:
            _branding_file(path, f"branding.{key}", relative)
    _thumbnail_logo(path, template)
    environment = SandboxedEnvironment(undefined=jinja2.StrictUndefined)
    for key in TEXT_KEYS:
        for lang, source in template.sources(key).items():
            where = f"{key}.{lang}" if lang else key
            try:
                environment.parse(source)
            except jinja2.TemplateSyntaxError as exc:
                raise ConventionsError(
                    str(path), f"{where}: template error line {exc.lineno}: {exc.message}"
                ) from exc
    return template


def _branding_file(template_path: Path, key: str, relative: str) -> Path:
    """A branding file inside the conventions folder (never outside it)."""
    folder = template_path.parent.parent
    candidate = Path(relative)
    resolved = (folder / candidate).resolve()
    if (
        candidate.is_absolute()
        or ".." in candidate.parts
        or not resolved.is_relative_to(folder.resolve())
    ):
        raise ConventionsError(
            str(template_path), f"{key}: {relative!r} must be a path inside {folder}"
        )
    if not resolved.is_file():
        raise ConventionsError(str(template_path), f"{key}: no file {folder / candidate}")
    return resolved


def branding_paths(folder: Path, template: TemplateDefinition) -> dict[str, Path]:
    """The series' branding files that are set, as absolute paths."""
    template_path = folder / "templates" / "_.toml"
    return {
        key: _branding_file(template_path, f"branding.{key}", relative)
        for key in ("intro", "outro", "logo")
        if (relative := getattr(template.branding, key)) is not None
    }


def thumbnail_logo(folder: Path, template: TemplateDefinition) -> Path | None:
    """The `[thumbnail] logo` of a template as an absolute path inside `folder`, if set."""
    return _thumbnail_logo(folder / "templates" / "_.toml", template)


def _thumbnail_logo(template_path: Path, template: TemplateDefinition) -> Path | None:
    """Kept inside the conventions folder as branding files are: the thumbnail is public."""
    if "logo" not in template.thumbnail:
        return None
    relative = template.thumbnail["logo"]
    if not isinstance(relative, str):
        raise ConventionsError(
            str(template_path),
            f"thumbnail.logo: a path inside {template_path.parent.parent}, not {relative!r}",
        )
    return _branding_file(template_path, "thumbnail.logo", relative)


def _cross_check(
    path: Path,
    series: Mapping[str, SeriesDefinition],
    playlists: Mapping[str, PlaylistDefinition],
    topics: Mapping[str, TopicDefinition],
    templates: Mapping[str, TemplateDefinition],
) -> None:
    for slug, definition in series.items():
        key = f"series.{slug}"
        for playlist_slug in definition.playlists:
            playlist = playlists.get(playlist_slug)
            if playlist is None:
                raise ConventionsError(
                    str(path), f"{key}.playlists: no playlist {playlist_slug!r} in playlists.toml"
                )
            if playlist.kind != definition.kind:
                raise ConventionsError(
                    str(path),
                    f"{key}.playlists: {playlist_slug!r} holds {playlist.kind}s, "
                    f"the series holds {definition.kind}s",
                )
        for topic_slug in definition.topics:
            if topic_slug not in topics:
                raise ConventionsError(
                    str(path), f"{key}.topics: no topic {topic_slug!r} in topics.toml"
                )
        if definition.template not in templates:
            raise ConventionsError(
                str(path), f"{key}.template: no file templates/{definition.template}.toml"
            )


def _pydantic_problem(prefix: str, exc: pydantic.ValidationError) -> str:
    error = exc.errors()[0]
    location = ".".join(str(part) for part in error["loc"])
    key = ".".join(part for part in (prefix, location) if part)
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"{key}: {message}" if key else message

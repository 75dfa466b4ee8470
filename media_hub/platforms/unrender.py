"""Published texts back to the catalog's: what the series' template added (the series name,
the episode number, the footer) taken off, in every language, so `publish` renders the same
texts again instead of adding those parts a second time.

The template is rendered with markers in place of the asset's values; what surrounds the
markers is what the template adds, and a published text must have exactly that around its
values. The values found are then rendered through the template again and must give back
every published text character for character. A text that does not is not guessed at: the
caller keeps it as published.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from media_hub.catalog.definitions import TemplateDefinition
from media_hub.errors import MediaHubError
from media_hub.platforms.templating import build_context, footer, render_text, render_texts

# A marker per value: NUL cannot occur in a rendered title, so a marker found in the output
# can only have come from the value. The value's pattern is what the catalog would accept.
_MARKERS: dict[str, tuple[str, str]] = {
    "title": ("\x00title\x00", r".+?"),
    "description": ("\x00description\x00", r".*?"),
    "episode": ("\x00episode\x00", r"[1-9][0-9]{0,5}"),
    "season": ("\x00season\x00", r"[1-9][0-9]{0,3}"),
    "recorded_date": ("\x00recorded_date\x00", r"[0-9]{4}-[0-9]{2}-[0-9]{2}"),
}
_BY_MARKER = {marker: name for name, (marker, _) in _MARKERS.items()}
_SPLIT = re.compile("(\x00[a-z_]+\x00)")
_OPTIONAL = ("episode", "season", "recorded_date")


@dataclass(frozen=True)
class PublishedTexts:
    """A published item's texts by catalog language (the default language's among them)."""

    default_language: str
    titles: Mapping[str, str]
    descriptions: Mapping[str, str]


@dataclass(frozen=True)
class CatalogTexts:
    """What the catalog keeps so that the template gives back the published texts."""

    titles: dict[str, str]
    descriptions: dict[str, str]
    episode: int | None = None
    season: int | None = None
    recorded_date: str | None = None


def unrender(
    published: PublishedTexts,
    template: TemplateDefinition,
    template_name: str,
    series: Mapping[str, Any] | None,
) -> CatalogTexts | None:
    """The catalog texts and numbers that render to `published`, or None when there are
    none (the texts were written another way, or edited since)."""
    found: dict[str, dict[str, str]] = {}
    for lang in published.titles:
        values = _match_language(published, lang, template, template_name, series)
        if values is None:
            return None
        found[lang] = values
    numbers: dict[str, str] = {}
    for values in found.values():
        for name in _OPTIONAL:
            if name in values and numbers.setdefault(name, values[name]) != values[name]:
                return None  # two languages disagree on the episode: not ours to pick
    default = found.get(published.default_language, {}).get("description", "")
    try:
        texts = CatalogTexts(
            titles={lang: values["title"].strip() for lang, values in found.items()},
            descriptions={  # a localization given the default's description leaves it out
                lang: values.get("description", "")
                for lang, values in found.items()
                if lang == published.default_language or values.get("description") != default
            },
            episode=int(numbers["episode"]) if "episode" in numbers else None,
            season=int(numbers["season"]) if "season" in numbers else None,
            recorded_date=(
                date.fromisoformat(numbers["recorded_date"]).isoformat()
                if "recorded_date" in numbers
                else None
            ),
        )
    except ValueError:
        return None
    return texts if _renders_back(texts, published, template, template_name, series) else None


def _match_language(
    published: PublishedTexts,
    lang: str,
    template: TemplateDefinition,
    template_name: str,
    series: Mapping[str, Any] | None,
) -> dict[str, str] | None:
    """The values of the first way of rendering (with or without each optional value) whose
    title and description both fit the published ones in `lang`."""
    title = published.titles[lang]
    description = published.descriptions.get(lang, "")

    def marked(source: str, present: frozenset[str], empty: bool = False) -> re.Pattern[str] | None:
        return _marked_pattern(
            source, template, template_name, series, published.default_language, lang, present,
            empty_description=empty,
        )  # fmt: skip

    for present in _optional_sets():
        title_values = _fit(marked(template.text("title", lang), present), title)
        if title_values is None:
            continue
        source = template.text("description", lang)
        description_values = _fit(marked(source, present), description)
        if description_values is None:  # an empty description renders the template's rest
            description_values = _fit(marked(source, present, True), description)
            if description_values is None:
                continue
            description_values["description"] = ""
        merged = {**title_values}
        for name, value in description_values.items():
            if merged.setdefault(name, value) != value:
                break
        else:
            return merged
    return None


def _optional_sets() -> Iterator[frozenset[str]]:
    """Every subset of the optional values, the fullest first."""
    for size in range(len(_OPTIONAL), -1, -1):
        for names in itertools.combinations(_OPTIONAL, size):
            yield frozenset(names)


# Marked renderings depend on the template's text, the series and the languages, not on the
# video: an adoption of thousands of videos renders each once.
_PATTERNS: dict[tuple[Any, ...], re.Pattern[str] | None] = {}
_PATTERNS_KEPT = 4096


def _marked_pattern(
    source: str,
    template: TemplateDefinition,
    template_name: str,
    series: Mapping[str, Any] | None,
    default_language: str,
    lang: str,
    present: frozenset[str],
    *,
    empty_description: bool,
) -> re.Pattern[str] | None:
    """`source` rendered with markers as a pattern (None if this way does not render)."""
    key = (source, footer(template, lang), _series_key(series), default_language, lang, present,
           empty_description)  # fmt: skip
    if key in _PATTERNS:
        return _PATTERNS[key]
    asset: dict[str, Any] = {
        "id": None,
        "default_language": default_language,
        "titles": {lang: _MARKERS["title"][0]},
        "descriptions": {lang: "" if empty_description else _MARKERS["description"][0]},
        "topics": [],
    }
    for name in _OPTIONAL:
        asset[name] = _MARKERS[name][0] if name in present else None
    context = build_context(asset, series, template, lang)
    try:
        pattern = _pattern(
            render_text(source, context, template_path=template_name, key="unrender")
        )
    except MediaHubError:  # the template needs a value this way leaves out
        pattern = None
    if len(_PATTERNS) >= _PATTERNS_KEPT:
        _PATTERNS.clear()
    _PATTERNS[key] = pattern
    return pattern


def _series_key(series: Mapping[str, Any] | None) -> tuple[Any, ...]:
    if series is None:
        return ()
    return (
        series.get("slug"),
        tuple(sorted((series.get("names") or {}).items())),
        tuple(sorted((series.get("descriptions") or {}).items())),
    )


def _fit(pattern: re.Pattern[str] | None, text: str) -> dict[str, str] | None:
    """The values in `text` where the pattern has markers."""
    if pattern is None:
        return None
    match = pattern.fullmatch(text)
    return None if match is None else {k: v for k, v in match.groupdict().items() if v is not None}


def _pattern(marked: str) -> re.Pattern[str] | None:
    """The rendered text as a pattern: its own characters literal, each marker a group (the
    same value again where it is printed twice). None when a filter changed a marker."""
    parts: list[str] = []
    seen: set[str] = set()
    for piece in _SPLIT.split(marked):
        name = _BY_MARKER.get(piece)
        if name is None:
            if "\x00" in piece:
                return None
            parts.append(re.escape(piece))
        elif name in seen:
            parts.append(f"(?P={name})")
        else:
            seen.add(name)
            parts.append(f"(?P<{name}>{_MARKERS[name][1]})")
    return re.compile("".join(parts), re.DOTALL)


def _renders_back(
    texts: CatalogTexts,
    published: PublishedTexts,
    template: TemplateDefinition,
    template_name: str,
    series: Mapping[str, Any] | None,
) -> bool:
    asset: dict[str, Any] = {
        "id": None,
        "default_language": published.default_language,
        "titles": texts.titles,
        "descriptions": {lang: text for lang, text in texts.descriptions.items() if text},
        "topics": [],
        "episode": texts.episode,
        "season": texts.season,
        "recorded_date": texts.recorded_date,
    }
    for lang, title in published.titles.items():
        try:
            rendered = render_texts(template, template_name, asset, series, lang)
        except MediaHubError:
            return False
        if (rendered.title, rendered.description) != (
            title,
            published.descriptions.get(lang, ""),
        ):
            return False
    return True

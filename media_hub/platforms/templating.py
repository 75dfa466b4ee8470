"""Render a metadata template's Jinja2 texts for one asset in one language.

Templates are written by librarians, not developers, so they run in Jinja2's sandbox: no
attribute starting with `_`, no mutation of the values passed in; and each render within a
budget of size, work and time (`template_sandbox`, `template_budget`), so that no template
exhausts the memory or hangs a batch rendering thousands. Whatever goes wrong (an unknown
variable, a syntax error, a refused operation, a budget exceeded) becomes a
`ConventionsError` naming the template file, the key and the template's line, so the person
who edits the TOML file knows where to look.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2

from media_hub.catalog.definitions import TEXT_KEYS, TemplateDefinition, in_language
from media_hub.catalog.vocabulary import LANGUAGES
from media_hub.errors import ConventionsError, ValidationError
from media_hub.platforms.template_budget import refuse_over, render_budget
from media_hub.platforms.template_sandbox import BoundedSandbox

# Jinja2 names the source of a template built from a string "<template>".
_TEMPLATE_FILENAME = "<template>"

# Asset values a template may use that an asset need not have; `catalog edit` sets each.
OPTIONAL_VALUES = {
    "episode": "--episode N",
    "season": "--season N",
    "recorded_date": "--recorded YYYY-MM-DD",
}


class MissingValueError(jinja2.UndefinedError):
    """A template printed (or computed with) a value the asset does not have."""


class MissingValue(jinja2.StrictUndefined):
    """A value the asset does not have: false in `{% if episode %}`, an error when printed,
    so a title never says "episode None"."""

    __slots__ = ()

    def __bool__(self) -> bool:  # type: ignore[override]  # StrictUndefined's raises
        return False


@dataclass(frozen=True)
class SeriesView:
    """What a template sees of a series: its slug, names and descriptions by language, and
    its name in the language being rendered (`series.name`, else French, else Arabic)."""

    slug: str
    names: Mapping[str, str] = field(default_factory=dict)
    descriptions: Mapping[str, str] = field(default_factory=dict)
    lang: str = ""

    @property
    def name(self) -> str:
        found = in_language(self.names, self.lang)
        return "" if found is None else found[1]


def _make_environment() -> BoundedSandbox:
    # Plain text out, so no HTML escaping. trim_blocks stays off: the starter templates put
    # blank lines right after `{% endif %}` (show, event, report) and mean them as paragraph
    # breaks; trim_blocks would eat one newline and glue the paragraphs together.
    return BoundedSandbox(
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=False,
        keep_trailing_newline=False,
    )


_ENVIRONMENT = _make_environment()


@lru_cache(maxsize=256)
def _compile(source: str) -> jinja2.Template:
    """Compile once per distinct text: a batch renders the same few templates many times."""
    return _ENVIRONMENT.compile_metered(source)


def render_text(
    source: str,
    context: Mapping[str, Any],
    *,
    template_path: str,
    key: str,
    record: str | None = None,
) -> str:
    """Render one template text; a value the asset lacks is a `ValidationError` on the asset
    (`record`), any other failure a `ConventionsError` on `template_path`."""
    try:
        with render_budget():
            text = _compile(source).render(dict(context)).strip()
        refuse_over(len(text), "the text")
    except MissingValueError as exc:
        name = str(exc)
        how = f" (catalog edit {record.split()[-1]} {OPTIONAL_VALUES[name]})" if record else ""
        raise ValidationError(
            name, f"{template_path} uses it and the asset has none; set it{how}", record=record
        ) from exc
    except jinja2.TemplateSyntaxError as exc:
        raise ConventionsError(template_path, f"{key}: line {exc.lineno}: {exc.message}") from exc
    except (jinja2.TemplateError, TypeError, ValueError, ArithmeticError, RecursionError) as exc:
        line = _template_line(exc.__traceback__)
        where = f"line {line}" if line is not None else "rendering"
        raise ConventionsError(template_path, f"{key}: {where}: {exc}") from exc
    return text


def check_templates(templates: Mapping[str, TemplateDefinition], folder: Path) -> None:
    """Compile every text of every template, so that a syntax error or an unknown filter is
    found when the conventions (in `folder`) are loaded, not when an asset is published."""
    for name, template in sorted(templates.items()):
        texts = {
            f"{key}.{lang}" if lang else key: source
            for key in TEXT_KEYS
            for lang, source in template.sources(key).items()
        }
        texts.update({f"tags[{index}]": tag for index, tag in enumerate(template.tags)})
        for key, source in texts.items():
            try:
                _compile(source)
                _check_names(_ENVIRONMENT.parse(source))
            except jinja2.TemplateSyntaxError as exc:
                raise ConventionsError(
                    str(folder / template_path(name)), f"{key}: line {exc.lineno}: {exc.message}"
                ) from exc


def _check_names(tree: jinja2.nodes.Template) -> None:
    """Jinja2 checks the filters and tests of a branch only when the branch runs (a French
    title's filter, when a French title is first rendered): every one is checked here."""
    for node in tree.find_all((jinja2.nodes.Filter, jinja2.nodes.Test)):
        is_filter = isinstance(node, jinja2.nodes.Filter)
        if node.name not in (_ENVIRONMENT.filters if is_filter else _ENVIRONMENT.tests):
            what = "filter" if is_filter else "test"
            raise jinja2.TemplateSyntaxError(f"no {what} named {node.name!r}", node.lineno)


def _template_line(traceback: TracebackType | None) -> int | None:
    """The template line of the innermost frame Jinja2 attributes to the template itself."""
    line = None
    while traceback is not None:
        if traceback.tb_frame.f_code.co_filename == _TEMPLATE_FILENAME:
            line = traceback.tb_lineno
        traceback = traceback.tb_next
    return line


def template_path(template_name: str) -> str:
    """Where a template named `template_name` lives, relative to the conventions folder."""
    return f"templates/{template_name}.toml"


def footer(template: TemplateDefinition, lang: str) -> str:
    """The template's footer in `lang`, else in French, else in Arabic, else nothing."""
    found = in_language(template.footer, lang)
    return "" if found is None else found[1]


def series_view(series: Mapping[str, Any] | None, lang: str = "") -> SeriesView | None:
    """The template's view of a `series_record` (None for an asset outside any series)."""
    if series is None:
        return None
    return SeriesView(
        slug=str(series["slug"]),
        names=dict(series.get("names") or {}),
        descriptions=dict(series.get("descriptions") or {}),
        lang=lang,
    )


def topic_names(
    slugs: Sequence[str], lang: str, topics: Mapping[str, Mapping[str, str]] | None
) -> list[str]:
    """Names of the asset's topics in `lang` (else French, else Arabic), for those known."""
    if not topics:
        return []
    names = []
    for slug in slugs:
        by_language = topics.get(slug, {})
        found = in_language(by_language, lang)
        if found is not None:
            names.append(found[1])
    return names


def build_context(
    asset: Mapping[str, Any],
    series: Mapping[str, Any] | None,
    template: TemplateDefinition,
    lang: str,
    *,
    topics: Mapping[str, Mapping[str, str]] | None = None,
) -> dict[str, Any]:
    """The variables a template sees for `asset` in `lang` (see the templates' header)."""
    titles: Mapping[str, str] = asset.get("titles") or {}
    descriptions: Mapping[str, str] = asset.get("descriptions") or {}
    default_language = asset["default_language"]
    slugs = list(asset.get("topics") or [])
    context = {
        "title": titles.get(lang, ""),
        "description": descriptions.get(lang) or descriptions.get(default_language) or "",
        "series": series_view(series, lang),
        "lang": lang,
        "default_language": default_language,
        "topics": slugs,
        "topic_names": topic_names(slugs, lang, topics),
        "footer": footer(template, lang),
    }
    for name in OPTIONAL_VALUES:
        value = asset.get(name)
        context[name] = MissingValue(hint=name, exc=MissingValueError) if value is None else value
    return context


@dataclass(frozen=True)
class RenderedTexts:
    """A template's title and description rendered in one language."""

    title: str
    description: str


def render_texts(
    template: TemplateDefinition,
    template_name: str,
    asset: Mapping[str, Any],
    series: Mapping[str, Any] | None,
    lang: str,
    *,
    topics: Mapping[str, Mapping[str, str]] | None = None,
) -> RenderedTexts:
    """Title and description of `asset` in `lang`, built from the template."""
    context = build_context(asset, series, template, lang, topics=topics)
    render = _renderer(template_name, asset, lang, context)
    return RenderedTexts(
        title=render("title", template.text("title", lang)),
        description=render("description", template.text("description", lang)),
    )


def render_tags(
    template: TemplateDefinition,
    template_name: str,
    asset: Mapping[str, Any],
    series: Mapping[str, Any] | None,
    *,
    topics: Mapping[str, Mapping[str, str]] | None = None,
) -> list[str]:
    """The template's tags (each a small template too), then the topics' names in every
    language the asset has a title in, duplicates dropped (ignoring case), order kept."""
    lang = asset["default_language"]
    context = build_context(asset, series, template, lang, topics=topics)
    render = _renderer(template_name, asset, lang, context)
    candidates = [render(f"tags[{index}]", tag) for index, tag in enumerate(template.tags)]
    slugs = list(asset.get("topics") or [])
    for language in _title_languages(asset):
        candidates.extend(topic_names(slugs, language, topics))
    return unique(candidates)


def unique(tags: Sequence[str]) -> list[str]:
    """Non-empty tags, stripped, the first of each spelling kept (ignoring case)."""
    seen: set[str] = set()
    kept = []
    for tag in (tag.strip() for tag in tags):
        if tag and tag.casefold() not in seen:
            seen.add(tag.casefold())
            kept.append(tag)
    return kept


def _title_languages(asset: Mapping[str, Any]) -> list[str]:
    """The default language first, then the other languages the asset has a title in."""
    default_language: str = asset["default_language"]
    titles: Mapping[str, str] = asset.get("titles") or {}
    return [default_language, *other_languages(titles, default_language)]


def other_languages(titles: Mapping[str, str], default_language: str) -> list[str]:
    """Languages with a title besides the default one, in the catalog's order of languages."""
    order = list(LANGUAGES)
    others = [lang for lang in titles if lang != default_language]
    return sorted(
        others, key=lambda lang: (order.index(lang) if lang in order else len(order), lang)
    )


def _renderer(
    template_name: str, asset: Mapping[str, Any], lang: str, context: Mapping[str, Any]
) -> Callable[[str, str], str]:
    path = template_path(template_name)
    record = f"asset {asset.get('id')}"

    def render(key: str, source: str) -> str:
        return render_text(
            source, context, template_path=path, key=f"{key} ({record} in {lang})", record=record
        )

    return render

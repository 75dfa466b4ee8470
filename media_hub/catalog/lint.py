"""`catalog lint`: what the platforms would refuse and what breaks the channel's conventions.

Each rule is a small function from an asset record (and the facts loaded once for all
records) to its problems, one line each naming the asset, the field and the fix, so a team
can run the lint in its own CI and read the failures as a to-do list.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from media_hub.catalog import records, rules
from media_hub.catalog.definitions import (
    LANGUAGE_FALLBACK,
    TEXT_KEYS,
    Definitions,
    TemplateDefinition,
)
from media_hub.catalog.models import Asset, Series
from media_hub.catalog.pipeline_models import Caption, PlatformFact, Thumbnail
from media_hub.catalog.vocabulary import AssetKind, AssetStatus, Numbering
from media_hub.errors import ConventionsError, ValidationError
from media_hub.settings import Settings

# Every video has a title in these languages (the channel's audience reads one or the other).
REQUIRED_TITLE_LANGUAGES = ("ar", "fr")
_LANGUAGE_NAMES = {"ar": "Arabic", "fr": "French", "en": "English", "zgh": "Tamazight"}
_CHUNK = 5000
_SERIES_NAME = re.compile(r"series\.name\b")

Record = Mapping[str, Any]


@dataclass(frozen=True)
class LintProblem:
    """One line of the lint; a warning (a text that falls back to another language, a key
    a platform does not know) is shown but does not fail the lint."""

    asset_id: int
    field: str
    message: str
    warning: bool = False

    def __str__(self) -> str:
        mark = "warning: " if self.warning else ""
        return f"asset {self.asset_id}: {self.field}: {mark}{self.message}"


@dataclass(frozen=True)
class LintFacts:
    """What the rules need beyond the record, loaded once for every record linted."""

    series: Mapping[str, Record]  # slug -> series record
    definitions: Definitions
    now: datetime
    ingested: frozenset[int] = frozenset()  # assets with a master file in the store
    chosen_thumbnails: frozenset[int] = frozenset()
    captions: Mapping[int, frozenset[str]] | None = None  # asset id -> caption languages
    # (platform, name) -> what the platform last published (YouTube's language keys)
    platform_facts: Mapping[tuple[str, str], list[str]] = field(default_factory=dict)
    settings: Settings | None = None  # the hub's, for the platforms' own settings

    @cached_property
    def topic_names(self) -> dict[str, Mapping[str, str]]:
        """Topic slug -> names by language, which the templates add to the tags."""
        return {slug: topic.names for slug, topic in self.definitions.topics.items()}


Rule = Callable[[Record, LintFacts], list[LintProblem]]


def stored_texts(asset: Record, facts: LintFacts) -> list[LintProblem]:
    """Titles and descriptions within the catalog's limits (the strictest platform's), as stored."""
    problems = []
    for lang, title in asset["titles"].items():
        problems += _checked(asset, rules.title, lang, title)
    for lang, description in asset["descriptions"].items():
        problems += _checked(asset, rules.description, lang, description)
    return problems


def rendered_problems(
    asset: Record,
    facts: LintFacts,
    kind: AssetKind,
    render: Callable[[Record, TemplateDefinition, str], object],
) -> list[LintProblem]:
    """What a platform would refuse in an asset of `kind` as its series' template renders it
    (`render(series, template, template_name)` raises the refusal); platforms call this."""
    found = _template(asset, facts, kind)
    if not isinstance(found, tuple):
        return found
    series, name = found
    return _checked(asset, render, series, facts.definitions.templates[name], name)


def required_titles(asset: Record, facts: LintFacts) -> list[LintProblem]:
    """Every video has a French and an Arabic title."""
    if asset["kind"] != AssetKind.VIDEO:
        return []
    return [
        LintProblem(
            asset["id"],
            f"title.{lang}",
            f"no {_LANGUAGE_NAMES[lang]} title, which every video has; add it with "
            f"'media-hub catalog edit {asset['id']} --title {lang}=TEXT'",
        )
        for lang in REQUIRED_TITLE_LANGUAGES
        if not asset["titles"].get(lang)
    ]


def episode_numbers(asset: Record, facts: LintFacts) -> list[LintProblem]:
    """An episode number when the series numbers its episodes, and a season when by season."""
    series = facts.series.get(asset["series"] or "")
    if series is None or series["numbering"] == Numbering.NONE:
        return []
    asset_id, slug = asset["id"], series["slug"]
    problems = []
    if series["numbering"] == Numbering.SEASON_EPISODE and asset["season"] is None:
        problems.append(
            LintProblem(
                asset_id,
                "season",
                f"series {slug!r} numbers its episodes within seasons; give this one its "
                f"season with 'media-hub catalog edit {asset_id} --season N --episode N'",
            )
        )
    if asset["episode"] is None:
        problems.append(
            LintProblem(
                asset_id,
                "episode",
                f"series {slug!r} numbers its episodes; give this one its number with "
                f"'media-hub catalog edit {asset_id} --episode N'",
            )
        )
    return problems


def chosen_thumbnail(asset: Record, facts: LintFacts) -> list[LintProblem]:
    """A thumbnail chosen once the asset has its file."""
    asset_id = asset["id"]
    if asset_id not in facts.ingested or asset_id in facts.chosen_thumbnails:
        return []
    return [
        LintProblem(
            asset_id,
            "thumbnail",
            f"none chosen; run 'media-hub thumbs make {asset_id}' "
            "(or 'thumbs pick' or 'thumbs set')",
        )
    ]


def required_captions(asset: Record, facts: LintFacts) -> list[LintProblem]:
    """Captions in each language the series asks for, on its published videos."""
    if asset["kind"] != AssetKind.VIDEO or asset["status"] != AssetStatus.PUBLISHED:
        return []
    definition = facts.definitions.series.get(asset["series"] or "")
    if definition is None:
        return []
    have = (facts.captions or {}).get(asset["id"], frozenset())
    return [
        LintProblem(
            asset["id"],
            f"captions.{lang}",
            f"series {asset['series']!r} asks for {_LANGUAGE_NAMES.get(lang, lang)} captions "
            f"and none are recorded; put VIDEO.{lang}.srt beside the video and upload it",
        )
        for lang in definition.captions
        if lang not in have
    ]


def language_fallbacks(asset: Record, facts: LintFacts) -> list[LintProblem]:
    """A language the asset is published in whose template texts, footer or series name
    are borrowed from another language (French, else Arabic): a warning naming what to add."""
    series = facts.series.get(asset["series"] or "")
    template = facts.definitions.templates.get(series["template"]) if series else None
    if series is None or template is None:
        return []
    default = asset["default_language"]
    languages = [default, *(lang for lang in asset["titles"] if lang != default)]
    if asset["kind"] != AssetKind.VIDEO:  # only videos carry localizations
        languages = languages[:1]
    name = f"templates/{series['template']}.toml"
    problems = []
    for lang in languages:
        missing = [
            f"{name} {key}"
            for key in TEXT_KEYS
            if "" not in template.sources(key) and lang not in template.sources(key)
        ]
        if template.footer and lang not in template.footer:
            missing.append(f"{name} footer")
        uses_name = any(_SERIES_NAME.search(template.text(key, lang)) for key in TEXT_KEYS)
        if uses_name and lang not in series["names"]:
            missing.append(f"series.toml names of {series['slug']!r}")
        standing_in = next(other for other in LANGUAGE_FALLBACK if other != lang)
        if missing:
            problems.append(
                LintProblem(
                    asset["id"],
                    f"texts.{lang}",
                    f"the {_LANGUAGE_NAMES.get(lang, lang)} texts borrow the "
                    f"{_LANGUAGE_NAMES[standing_in]} of: {', '.join(missing)}; "
                    f"add {lang} there",
                    warning=True,
                )
            )
    return problems


RULES: tuple[Rule, ...] = (
    stored_texts,
    required_titles,
    episode_numbers,
    chosen_thumbnail,
    required_captions,
    language_fallbacks,
)


def with_platform_rules(platform_rules: Sequence[Rule]) -> tuple[Rule, ...]:
    """The catalog's rules with the platforms' own checks after the stored texts."""
    rest = tuple(rule for rule in RULES if rule is not stored_texts)
    return (stored_texts, *platform_rules, *rest)


def lint_records(
    assets: Iterable[Record], facts: LintFacts, rules_: Sequence[Rule] = RULES
) -> list[LintProblem]:
    """Every problem of every asset, asset by asset in the rules' order."""
    return [problem for asset in assets for rule in rules_ for problem in rule(asset, facts)]


def load_facts(
    session: Session,
    asset_ids: Sequence[int],
    definitions: Definitions,
    now: datetime,
    settings: Settings | None = None,
) -> LintFacts:
    """The facts the rules need about these assets, in a few queries."""
    series = {s.slug: records.series_record(s) for s in session.scalars(select(Series))}
    ingested: set[int] = set()
    chosen: set[int] = set()
    captions: dict[int, set[str]] = {}
    for start in range(0, len(asset_ids), _CHUNK):
        chunk = asset_ids[start : start + _CHUNK]
        ingested.update(
            session.scalars(
                select(Asset.id).where(Asset.id.in_(chunk), Asset.source_key.is_not(None))
            )
        )
        chosen.update(
            session.scalars(
                select(Thumbnail.asset_id).where(
                    Thumbnail.asset_id.in_(chunk), Thumbnail.chosen.is_(True)
                )
            )
        )
        for asset_id, lang in session.execute(
            select(Caption.asset_id, Caption.lang).where(Caption.asset_id.in_(chunk))
        ):
            captions.setdefault(asset_id, set()).add(lang)
    return LintFacts(
        series=series,
        definitions=definitions,
        now=now,
        ingested=frozenset(ingested),
        chosen_thumbnails=frozenset(chosen),
        captions={asset_id: frozenset(langs) for asset_id, langs in captions.items()},
        platform_facts={
            (fact.platform, fact.name): list(fact.value)
            for fact in session.scalars(select(PlatformFact))
        },
        settings=settings,
    )


def _template(
    asset: Record, facts: LintFacts, kind: AssetKind
) -> tuple[Record, str] | list[LintProblem]:
    """The asset's series record and template name when it is of `kind` and has a series;
    else no problem, or the problem that the template is missing."""
    series = facts.series.get(asset["series"] or "")
    if asset["kind"] != kind or series is None:
        return []
    name = series["template"]
    if name not in facts.definitions.templates:
        return [
            LintProblem(
                asset["id"],
                "template",
                f"series {series['slug']!r} uses template {name!r}, which is not in "
                f"catalog/templates/; add templates/{name}.toml or change the series",
            )
        ]
    return series, name


def _checked(
    asset: Record, check: Callable[..., object], *args: Any, **kwargs: Any
) -> list[LintProblem]:
    """The problem `check(*args, **kwargs)` raises, if any, as a lint problem of `asset`."""
    try:
        check(*args, **kwargs)
    except ValidationError as exc:
        return [LintProblem(asset["id"], exc.field, exc.problem)]
    except ConventionsError as exc:
        return [LintProblem(asset["id"], "template", str(exc))]
    return []

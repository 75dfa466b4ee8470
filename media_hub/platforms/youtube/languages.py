"""The language keys YouTube takes in a video's metadata, and what to do with the others.

YouTube documents one list of language codes: `i18nLanguages.list` (quota cost 1), the
application languages of the YouTube website, whose codes are the API's `hl` values
(developers.google.com/youtube/v3/docs/i18nLanguages and .../i18nLanguages/list, read
2026-12). YouTube answers a language code it does not know in video metadata with 400
invalidVideoMetadata, "The request metadata is invalid." (reported for defaultLanguage "nb",
gist.github.com/alexdean/70af1b9e8687c7435ea7ee8a2cfa7b03). Standard Moroccan Tamazight,
`zgh`, is not in that list: no Tamazight or Berber code is among the 83 languages the API
answered in 2022 (`SNAPSHOT`, from gist.github.com/zmwangx/d63c71a5570c2a7807ad56b504a2a4c0),
and nothing in YouTube's documentation names one.

So a catalog language is sent under its own code only when YouTube's list has it; else under
the key `[youtube] language_keys` maps it to (when YouTube's list has that key), and otherwise
it is left out of the localizations, never sent for YouTube to refuse. `catalog lint` warns
for each one left out unless the configuration leaves it out on purpose (`zgh = ""`).
YouTube's list is read at most once a day, before a publication, and kept in the catalog
(`platform_facts`); lint and plans read the kept copy, or `SNAPSHOT` before the first read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from media_hub.catalog.db import Catalog
from media_hub.catalog.pipeline_models import PlatformFact
from media_hub.catalog.types import utcnow
from media_hub.platforms.youtube import YOUTUBE, quota
from media_hub.platforms.youtube.settings import youtube_settings
from media_hub.settings import Settings

FACT = "i18nLanguages"
MAX_AGE = timedelta(days=1)
# i18nLanguages.list as the API answered it in 2022 (ids), until the hub reads it itself.
_SNAPSHOT_IDS = (
    "af am ar as az be bg bn bs ca cs da de el en en-GB en-IN es es-419 es-US et eu fa fi fil "
    "fr fr-CA gl gu hi hr hu hy id is it iw ja ka kk km kn ko ky lo lt lv mk ml mn mr ms my "
    "ne nl no or pa pl pt pt-PT ro ru si sk sl sq sr sr-Latn sv sw ta te th tr uk ur uz vi "
    "zh-CN zh-HK zh-TW zu"
)
SNAPSHOT = frozenset(_SNAPSHOT_IDS.split())


@dataclass(frozen=True)
class LanguageKeys:
    """YouTube's known keys and the hub's `language_keys` table (catalog language: key, or
    "" to leave that language out)."""

    known: frozenset[str]
    configured: Mapping[str, str]

    def key(self, lang: str) -> str | None:
        """The key `lang` is sent under, or None when it is left out."""
        wanted = self.configured.get(lang, lang)
        return wanted if wanted and wanted in self.known else None

    def problem(self, lang: str) -> str | None:
        """Why `lang` is left out, for the lint; None when it is sent or left out on purpose."""
        if self.key(lang) is not None or self.configured.get(lang) == "":
            return None
        wanted = self.configured.get(lang, lang)
        if wanted != lang:
            why = f"{lang} is mapped to {wanted!r}, which is not in YouTube's i18nLanguages list"
        else:
            why = f"YouTube has no language key {lang!r} (not in its i18nLanguages list)"
        return (
            f"{why}; this localization is left out: map it in [youtube] language_keys to a "
            f'key YouTube lists, or set {lang} = "" there to leave it out without this warning'
        )


def language_keys(catalog: Catalog, configured: Mapping[str, str]) -> LanguageKeys:
    """The keys as last read (or `SNAPSHOT`), with no call to YouTube."""
    with catalog.session() as session:
        fact = session.get(PlatformFact, (YOUTUBE, FACT))
        known = frozenset(fact.value) if fact is not None else SNAPSHOT
    return LanguageKeys(known, dict(configured))


def keys_for_lint(
    platform_facts: Mapping[tuple[str, str], list[str]], settings: Settings | None
) -> LanguageKeys:
    """The keys from facts the lint loaded once for every asset (no call, no session)."""
    known = platform_facts.get((YOUTUBE, FACT))
    configured = youtube_settings(settings).language_keys if settings is not None else {}
    return LanguageKeys(frozenset(known) if known else SNAPSHOT, dict(configured))


def is_fresh(catalog: Catalog, now: datetime | None = None) -> bool:
    """Whether the kept copy of YouTube's list was read less than a day ago."""
    with catalog.session() as session:
        fetched = session.scalars(
            select(PlatformFact.fetched_at).where(
                PlatformFact.platform == YOUTUBE, PlatformFact.name == FACT
            )
        ).first()
    return fetched is not None and (now or utcnow()) - fetched < MAX_AGE


def refresh(
    catalog: Catalog, youtube: Any, configured: Mapping[str, str], now: datetime | None = None
) -> LanguageKeys:
    """The keys, read from YouTube first (1 unit) when the kept copy is a day old or missing."""
    now = now or utcnow()
    if not is_fresh(catalog, now):
        with quota.spending(catalog, "i18nLanguages.list"):
            answer = youtube.i18nLanguages().list(part="snippet").execute()
        ids = sorted({str(item["id"]) for item in answer.get("items", [])})
        with catalog.session() as session:
            kept = session.get(PlatformFact, (YOUTUBE, FACT))
            if kept is None:
                session.add(PlatformFact(platform=YOUTUBE, name=FACT, value=ids, fetched_at=now))
            else:
                kept.value, kept.fetched_at = ids, now
    return language_keys(catalog, configured)

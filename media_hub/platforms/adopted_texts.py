"""A published item's texts as the catalog keeps them, for every platform's adoption: the
default language from the platform when it says, else from the title's script."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from media_hub.catalog import rules
from media_hub.catalog.vocabulary import LANGUAGES

_ARABIC = re.compile(r"[\u0600-\u06ff]")


@dataclass(frozen=True)
class AdoptedTexts:
    default_language: str
    titles: dict[str, str]
    descriptions: dict[str, str]


def adopted_texts(
    record: str,
    title: str,
    description: str,
    language: object = None,
    localizations: Mapping[str, Mapping[str, Any]] | None = None,
) -> AdoptedTexts:
    """Titles and descriptions by catalog language, checked by the catalog's rules.

    The default language is `language` (its first subtag), else guessed from the script of
    the title; localizations in languages the catalog does not have are left out.
    """
    default = _language(language) or ("ar" if _ARABIC.search(title) else "fr")
    titles = {default: rules.title(default, title, record=record)}
    descriptions = {default: rules.description(default, description, record=record)}
    for code, localized in sorted((localizations or {}).items()):
        lang = _language(code)
        if lang is None or lang in titles or not str(localized.get("title", "")).strip():
            continue
        titles[lang] = rules.title(lang, str(localized["title"]), record=record)
        descriptions[lang] = rules.description(
            lang, str(localized.get("description", "")), record=record
        )
    return AdoptedTexts(default, titles, descriptions)


def _language(code: object) -> str | None:
    if not isinstance(code, str) or not code:
        return None
    primary = code.split("-")[0].lower()
    return primary if primary in LANGUAGES else None

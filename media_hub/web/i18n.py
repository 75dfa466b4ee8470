"""The interface's languages: French, Arabic (the layout mirrored) and English.

Messages are written in English in the templates and translated through gettext catalogs,
`locale/LANG/LC_MESSAGES/messages.po`, which translators edit (Poedit, Weblate) and `make
messages` fills with the new ones; they are compiled in memory when first asked for, so no
build step and no compiled file can fall out of step. A message missing from a catalog shows
in English. The user's choice is kept in the session; without one, the browser's
Accept-Language decides.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable
from pathlib import Path

from media_hub import i18n_catalogs
from media_hub.i18n_catalogs import N_ as N_  # re-exported: the pages mark their messages

DEFAULT = "fr"
RTL = frozenset({"ar"})
LOCALE = Path(__file__).parent / "locale"
DOMAIN = "messages"


def translations(lang: str) -> gettext.NullTranslations:
    """The compiled catalog of `lang` (English, the templates' own, has none)."""
    return i18n_catalogs.translations(LOCALE, DOMAIN, lang)


# Vocabulary the pages show through _(): values, not literals, so named here for extraction.
VOCABULARY = (
    N_("viewer"), N_("librarian"), N_("editor"), N_("admin"),
    N_("draft"), N_("ready"), N_("published"), N_("archived"),
    N_("video"), N_("deck"),
)  # fmt: skip


def translator(lang: str) -> Callable[[str], str]:
    return translations(lang).gettext


def direction(lang: str) -> str:
    return "rtl" if lang in RTL else "ltr"


def text_direction(lang: str) -> str:
    """The `dir` of a text field in a catalog language: Arabic right to left, others auto."""
    return "rtl" if lang in RTL else "auto"


def negotiate(accept_language: str, offered: tuple[str, ...]) -> str:
    """The first of `offered` that the header asks for, by its q-values; else the default."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(accept_language.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in offered and quality > 0:
            ranked.append((-quality, position, primary))
    return min(ranked)[2] if ranked else (DEFAULT if DEFAULT in offered else offered[0])

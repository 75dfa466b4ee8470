"""The interface's languages: French, Arabic (the layout mirrored) and English.

Messages are written in English in the templates and looked up in `messages_fr`/`messages_ar`;
a message missing there shows in English. The user's choice is kept in the session; without
one, the browser's Accept-Language decides.
"""

from __future__ import annotations

from collections.abc import Callable

from media_hub.web.messages import CATALOGS

DEFAULT = "fr"
RTL = frozenset({"ar"})


def translator(lang: str) -> Callable[[str], str]:
    catalog = CATALOGS.get(lang, {})

    def translate(message: str) -> str:
        return catalog.get(message, message)

    return translate


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

"""Gettext catalogs read from their `.po` files and compiled in memory, for the web interface
(domain `messages`) and the statistics reports (domain `stats`) alike.

Translators edit the `.po` files (Poedit, Weblate) and `make messages` fills them with new
messages; nothing is compiled ahead, so no `.mo` file can fall out of step with its source. A
language without a catalog (English, the messages' own) or a message missing from one shows
the English. Each catalog is compiled once per process, when first asked for.
"""

from __future__ import annotations

import gettext
import io
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po


@cache
def translations(locale: Path, domain: str, lang: str) -> gettext.NullTranslations:
    """The compiled catalog `locale/lang/LC_MESSAGES/domain.po`; none when it is absent."""
    source = locale / lang / "LC_MESSAGES" / f"{domain}.po"
    if not source.is_file():
        return gettext.NullTranslations()
    with source.open("rb") as stream:
        catalog = read_po(stream, locale=lang, domain=domain)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def N_(message: str) -> str:  # noqa: N802 (gettext's name for "translated later")
    """Marks a message for `make messages` where it is written; it is translated where shown."""
    return message

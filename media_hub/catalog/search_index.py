"""Words found inside the texts through the trigram index, where the catalog has one.

On SQLite, migration 0012 keeps an FTS5 table (`asset_search`: rowid = asset id, a column
per language) with the trigram tokenizer, whose MATCH finds a quoted string anywhere in a
column, as LIKE '%word%' does on the texts, without reading them all. A trigram needs three
characters: shorter words, and catalogs without the table, search the texts themselves. On
PostgreSQL the same LIKE is served by pg_trgm's index, and nothing here is needed.
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

from sqlalchemy import Engine, Select, column, inspect, literal_column, select, table
from sqlalchemy.orm import Session

from media_hub.catalog.vocabulary import LANGUAGES

TRIGRAM = 3
# What migration 0012 makes beside the models (FTS5's own tables start with the first name).
OUTSIDE_MODELS = ("asset_search", "asset_texts_search_trgm")
_asset_search = table("asset_search", column("rowid"))
_known: WeakKeyDictionary[Engine, bool] = WeakKeyDictionary()


def has_index(session: Session) -> bool:
    """Whether this catalog keeps the SQLite trigram table (asked once per engine)."""
    engine = session.get_bind()
    if not isinstance(engine, Engine) or engine.dialect.name != "sqlite":
        return False
    if engine not in _known:
        _known[engine] = inspect(session.connection()).has_table("asset_search")
    return _known[engine]


def indexed_matches(
    word: str, stemmed: str | None, language: str | None
) -> Select[tuple[int]] | None:
    """The ids of assets whose texts (in `language`, if given) hold `word`, or `stemmed` as a
    whole token; None when the word is too short for the index."""
    if len(word) < TRIGRAM:
        return None
    phrases = [_phrase(word)]
    if stemmed is not None:
        phrases.append(_phrase(f" {stemmed} "))
    expression = " OR ".join(phrases)
    if language is not None:
        if language not in LANGUAGES:  # a column name, so only the catalog's languages
            raise ValueError(f"no search column for language {language!r}")
        expression = f"{language} : ({expression})"
    return (
        select(literal_column("asset_search.rowid"))
        .select_from(_asset_search)
        .where(literal_column("asset_search").op("MATCH")(expression))
    )


def _phrase(text: str) -> str:
    """An FTS5 string: every character taken as it is (a doubled quote is a quote)."""
    return '"' + text.replace('"', '""') + '"'

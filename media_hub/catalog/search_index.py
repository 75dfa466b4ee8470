"""Words found inside the texts through the trigram index, where the catalog has one.

On SQLite, migration 0012 keeps an FTS5 table (`asset_search`: a row per text, its rowid
`asset_id * SLOTS + the language's place`) with the trigram tokenizer, whose MATCH finds a
quoted string anywhere in a text, as LIKE '%word%' does, without reading them all. A trigram
needs three characters: shorter words, and catalogs without the table, search the texts
themselves. On PostgreSQL the same LIKE is served by pg_trgm's index, and nothing here is needed.
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

from sqlalchemy import Engine, Select, column, inspect, literal_column, select, table
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import ColumnClause

TRIGRAM = 3
# What migration 0012 makes beside the models (FTS5's own tables start with the first name).
OUTSIDE_MODELS = ("asset_search", "asset_texts_search_trgm")
# As migration 0012 numbers the rows (a test holds the two equal).
PLACES = {"ar": 0, "fr": 1, "en": 2, "zgh": 3}
SLOTS = 8
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
    if len(word) < TRIGRAM or (language is not None and language not in PLACES):
        return None
    phrases = [_phrase(word)]
    if stemmed is not None:
        phrases.append(_phrase(f" {stemmed} "))
    rowid: ColumnClause[int] = literal_column("asset_search.rowid")
    found = (
        select(rowid.op("/")(SLOTS))
        .select_from(_asset_search)
        .where(literal_column("asset_search").op("MATCH")(" OR ".join(phrases)))
    )
    if language is not None:
        found = found.where(rowid.op("%")(SLOTS) == PLACES[language])
    return found


def _phrase(text: str) -> str:
    """An FTS5 string: every character taken as it is (a doubled quote is a quote)."""
    return '"' + text.replace('"', '""') + '"'

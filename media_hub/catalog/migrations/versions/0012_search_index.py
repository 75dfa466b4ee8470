"""An index for searching words inside the texts: a trigram index, so a word found anywhere
in a title or description (what `catalog search` and the web app's search box do) no longer
reads every text (350 ms at 100,000 assets on SQLite).

SQLite: an FTS5 table with the trigram tokenizer and a row per text, whose rowid is
`asset_id * 8 + the language's place` (so VACUUM, which may renumber asset_texts' own rowids,
cannot break it), kept by triggers on asset_texts so that every writer (the ORM, bulk inserts,
imports) keeps it current. PostgreSQL: pg_trgm's GIN index on asset_texts.search_text, which
serves the same LIKE the code already sends. Where the engine cannot (an SQLite without FTS5's
trigram tokenizer, a PostgreSQL role that may not create the extension), the migration says
so and search reads the texts as before.

A later migration that rebuilds asset_texts on SQLite (batch_alter_table) must create the
triggers again: SQLite drops a table's triggers with it.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

from __future__ import annotations

import logging
import sqlite3

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

log = logging.getLogger(__name__)

# The catalog's languages (vocabulary.LANGUAGES), each with its place in a row id; a new
# language takes the next place (at most 7) in the migration that adds it.
PLACES = {"ar": 0, "fr": 1, "en": 2, "zgh": 3}
SLOTS = 8
TRIGGERS = ("asset_texts_search_insert", "asset_texts_search_update", "asset_texts_search_delete")

# The statements below are built from this module's constants only (no outside value).
# ruff: noqa: S608


def _rowid(row: str) -> str:
    """The search row id of the text `row` (new, old or asset_texts)."""
    places = " ".join(f"WHEN '{lang}' THEN {place}" for lang, place in PLACES.items())
    return f"{row}.asset_id * {SLOTS} + CASE {row}.lang {places} ELSE {SLOTS - 1} END"


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        _sqlite_upgrade(bind)
    elif bind.dialect.name == "postgresql":
        _postgresql_upgrade(bind)


def _sqlite_upgrade(bind: sa.Connection) -> None:
    try:
        op.execute("CREATE VIRTUAL TABLE asset_search USING fts5(search_text, tokenize='trigram')")
    except sa.exc.OperationalError as exc:
        log.warning("search index not made (SQLite %s has no FTS5 trigram tokenizer): %s",
                    sqlite3.sqlite_version, exc.orig)  # fmt: skip
        return
    op.execute(
        "CREATE TRIGGER asset_texts_search_insert AFTER INSERT ON asset_texts BEGIN "
        f"INSERT INTO asset_search (rowid, search_text) VALUES ({_rowid('new')}, "
        "new.search_text); END"
    )
    op.execute(
        "CREATE TRIGGER asset_texts_search_update "
        "AFTER UPDATE OF asset_id, lang, search_text ON asset_texts BEGIN "
        f"DELETE FROM asset_search WHERE rowid = {_rowid('old')}; "
        f"INSERT INTO asset_search (rowid, search_text) VALUES ({_rowid('new')}, "
        "new.search_text); END"
    )
    op.execute(
        "CREATE TRIGGER asset_texts_search_delete AFTER DELETE ON asset_texts BEGIN "
        f"DELETE FROM asset_search WHERE rowid = {_rowid('old')}; END"
    )
    op.execute(
        f"INSERT INTO asset_search (rowid, search_text) "
        f"SELECT {_rowid('asset_texts')}, search_text FROM asset_texts"
    )


def _postgresql_upgrade(bind: sa.Connection) -> None:
    savepoint = bind.begin_nested()
    try:
        bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except sa.exc.DBAPIError as exc:
        savepoint.rollback()
        log.warning("search index not made: this role may not create the pg_trgm extension "
                    "(a superuser can: CREATE EXTENSION pg_trgm): %s", exc.orig)  # fmt: skip
        return
    savepoint.commit()
    op.execute(
        "CREATE INDEX asset_texts_search_trgm ON asset_texts USING gin (search_text gin_trgm_ops)"
    )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for trigger in TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS asset_search")
    elif bind.dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS asset_texts_search_trgm")

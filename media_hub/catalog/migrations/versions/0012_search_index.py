"""An index for searching words inside the texts: a trigram index, so a word found anywhere
in a title or description (what `catalog search` and the web app's search box do) no longer
reads every text (350 ms at 100,000 assets on SQLite).

SQLite: an FTS5 table with the trigram tokenizer, one row per asset (its rowid is the asset's
id, which VACUUM keeps) and a column per language, kept by triggers on asset_texts, so every
writer (the ORM, bulk inserts, imports) keeps it current. PostgreSQL: pg_trgm's GIN index on
asset_texts.search_text, which serves the same LIKE the code already sends. Where the engine
cannot (an SQLite without FTS5's trigram tokenizer, a PostgreSQL role that may not create the
extension), the migration says so and search reads the texts as before.

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

LANGUAGES = ("ar", "fr", "en", "zgh")  # the catalog's languages (vocabulary.LANGUAGES)
TRIGGERS = ("asset_texts_search_insert", "asset_texts_search_update", "asset_texts_search_delete")


# The statements below are built from this module's constants only (no outside value).
# ruff: noqa: S608


def _row_of(asset: str) -> str:
    """Statements that write the search row of asset `asset` (an SQL expression) afresh."""
    columns = ", ".join(LANGUAGES)
    texts = ", ".join(
        f"(SELECT search_text FROM asset_texts WHERE asset_id = {asset} AND lang = '{lang}')"
        for lang in LANGUAGES
    )
    return (
        f"DELETE FROM asset_search WHERE rowid = {asset}; "
        f"INSERT INTO asset_search (rowid, {columns}) "
        f"SELECT {asset}, {texts} WHERE EXISTS "
        f"(SELECT 1 FROM asset_texts WHERE asset_id = {asset});"
    )


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        _sqlite_upgrade(bind)
    elif bind.dialect.name == "postgresql":
        _postgresql_upgrade(bind)


def _sqlite_upgrade(bind: sa.Connection) -> None:
    columns = ", ".join(LANGUAGES)
    try:
        op.execute(f"CREATE VIRTUAL TABLE asset_search USING fts5({columns}, tokenize='trigram')")
    except sa.exc.OperationalError as exc:
        log.warning("search index not made (SQLite %s has no FTS5 trigram tokenizer): %s",
                    sqlite3.sqlite_version, exc.orig)  # fmt: skip
        return
    op.execute(
        "CREATE TRIGGER asset_texts_search_insert AFTER INSERT ON asset_texts "
        f"BEGIN {_row_of('new.asset_id')} END"
    )
    op.execute(
        "CREATE TRIGGER asset_texts_search_update AFTER UPDATE ON asset_texts "
        f"BEGIN {_row_of('old.asset_id')} {_row_of('new.asset_id')} END"
    )
    op.execute(
        "CREATE TRIGGER asset_texts_search_delete AFTER DELETE ON asset_texts "
        f"BEGIN {_row_of('old.asset_id')} END"
    )
    texts = ", ".join(f"MAX(CASE lang WHEN '{lang}' THEN search_text END)" for lang in LANGUAGES)
    op.execute(
        f"INSERT INTO asset_search (rowid, {columns}) "
        f"SELECT asset_id, {texts} FROM asset_texts GROUP BY asset_id"
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

"""asset_texts.search_text: the words' light stems stored beside them (search finds "سيرتك"
from "سيرة", "entretien" from "entretiens"); existing rows are indexed again

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from media_hub.catalog.text import search_document

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_TEXTS = sa.table(
    "asset_texts",
    sa.column("asset_id", sa.Integer()),
    sa.column("lang", sa.String()),
    sa.column("title", sa.String()),
    sa.column("description", sa.Text()),
    sa.column("search_text", sa.Text()),
)


def upgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(_TEXTS.c.asset_id, _TEXTS.c.lang, _TEXTS.c.title, _TEXTS.c.description)
    ).all()
    if not rows:
        return
    statement = (
        _TEXTS.update()
        .where(
            _TEXTS.c.asset_id == sa.bindparam("b_asset"), _TEXTS.c.lang == sa.bindparam("b_lang")
        )
        .values(search_text=sa.bindparam("b_search"))
    )
    connection.execute(  # one executemany, not a round trip a row
        statement,
        [
            {"b_asset": asset_id, "b_lang": lang,
             "b_search": search_document(title, description or "")}
            for asset_id, lang, title, description in rows
        ],
    )  # fmt: skip


def downgrade() -> None:
    """The stems stay: an older release matches substrings of the words, which are still
    there, and ignores the extra tokens."""

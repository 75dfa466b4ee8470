"""stats_rows.playlist_views: a playlist's Analytics `playlistViews` for a day (views inside
the playlist), beside `views` (its videos' views anywhere, since Google's January 2024 change)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("stats_rows", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("playlist_views", sa.BigInteger(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("stats_rows", schema=None) as batch_op:
        batch_op.drop_column("playlist_views")

"""stats_rows.unique_viewers, reactions and shares: the counters Facebook's video insights keep
beside views and comments (issue 22). A video's time watched goes in the existing
watch_minutes, so a group's average watch time is its minutes over its views.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

COLUMNS = ("unique_viewers", "reactions", "shares")


def upgrade() -> None:
    with op.batch_alter_table("stats_rows", schema=None) as batch_op:
        for name in COLUMNS:
            column = sa.Column(name, sa.BigInteger(), nullable=False, server_default="0")
            batch_op.add_column(column)


def downgrade() -> None:
    with op.batch_alter_table("stats_rows", schema=None) as batch_op:
        for name in reversed(COLUMNS):
            batch_op.drop_column(name)

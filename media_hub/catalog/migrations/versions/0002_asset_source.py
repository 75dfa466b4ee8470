"""asset source: store key, original name, size and probe results of the ingested master

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("assets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source_key", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("source_name", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("source_size", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("media_info", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("assets", schema=None) as batch_op:
        batch_op.drop_column("media_info")
        batch_op.drop_column("source_size")
        batch_op.drop_column("source_name")
        batch_op.drop_column("source_key")

"""publications.privacy, scheduled_at, live_at: what the calendar asked of a platform and
what happened there

Existing rows keep their upload state, remote id, URL and dates; their privacy was never
recorded and stays NULL (shown as "published"), and none of them has a schedule.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("publications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("privacy", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("scheduled_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("live_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("publications", schema=None) as batch_op:
        batch_op.drop_column("live_at")
        batch_op.drop_column("scheduled_at")
        batch_op.drop_column("privacy")

"""renditions.decision and renditions.reasons: whether a rendition was remuxed, had only its
audio encoded or was transcoded, and why (issue 18). Existing renditions were all
transcoded; their reasons were not recorded (NULL).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("renditions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("decision", sa.String(length=16), nullable=False, server_default="transcode")
        )
        batch_op.add_column(sa.Column("reasons", sa.JSON(), nullable=True))


def downgrade() -> None:
    """Going back drops the pass-through renditions' rows (an older release would take a
    remux for its transcode); their files stay in the store, unreferenced."""
    op.execute(sa.text("DELETE FROM renditions WHERE decision <> 'transcode'"))
    with op.batch_alter_table("renditions", schema=None) as batch_op:
        batch_op.drop_column("reasons")
        batch_op.drop_column("decision")

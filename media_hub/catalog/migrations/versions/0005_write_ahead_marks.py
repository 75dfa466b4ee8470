"""write-ahead marks: quota spent before a call, playlist inserts sent, texts kept as published

- `quota_ledger.confirmed`: a call's cost is written before the call is sent (unconfirmed) and
  confirmed once it answers, so a crash in between errs on the side of spending. Existing rows
  were written after their calls, so they are confirmed.
- `playlist_items.insert_sent_at`: set before `playlistItems.insert` is sent and cleared when
  its item id is recorded, so only an insert that may have landed unrecorded costs a listing.
- `publications.texts_as_published`: adopted texts that did not match the series' template,
  kept verbatim and sent as they are instead of through the template.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("quota_ledger", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("confirmed", sa.Boolean(), nullable=False, server_default=sa.true())
        )
    with op.batch_alter_table("playlist_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("insert_sent_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("publications", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("texts_as_published", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("publications", schema=None) as batch_op:
        batch_op.drop_column("texts_as_published")
    with op.batch_alter_table("playlist_items", schema=None) as batch_op:
        batch_op.drop_column("insert_sent_at")
    with op.batch_alter_table("quota_ledger", schema=None) as batch_op:
        batch_op.drop_column("confirmed")

"""platform_facts: lists a platform publishes, read at most once a day (YouTube's language
keys from i18nLanguages.list)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "platform_facts",
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("platform", "name", name=op.f("pk_platform_facts")),
    )


def downgrade() -> None:
    op.drop_table("platform_facts")

"""platforms by name: playlist ids per platform in their own table, platform columns plain text

Playlists keep their id on each platform in `playlist_remote_ids` (today's `youtube_id` values
move there under 'youtube'), and the platform columns of publications, the quota ledger and
statistics lose their CHECK constraints: a new platform needs no schema change, the platform
registry checks the names.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-14
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op
from alembic.operations import BatchOperations

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# The platforms release 0003 knows, and its (table, CHECK constraint) per platform column.
OLD_PLATFORMS = ("youtube", "slideshare")
PLATFORM_COLUMNS = (
    ("publications", "ck_publications_publication_platform"),
    ("quota_ledger", "ck_quota_ledger_quota_platform"),
    ("stats_rows", "ck_stats_rows_stats_platform"),
)


@contextmanager
def _batch(table: str) -> Iterator[BatchOperations]:
    """`op.batch_alter_table`, quiet about the expression index SQLite cannot reflect: the
    copy of a table reflects the tables it refers to, `assets` among them, whose
    uq_assets_series_season_episode it does not copy anyway."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based")
        with op.batch_alter_table(table, schema=None) as batch_op:
            yield batch_op


def upgrade() -> None:
    op.create_table(
        "playlist_remote_ids",
        sa.Column("playlist_id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("remote_id", sa.String(length=128), nullable=False),
        sa.ForeignKeyConstraint(
            ["playlist_id"],
            ["playlists.id"],
            name=op.f("fk_playlist_remote_ids_playlist_id_playlists"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("playlist_id", "platform", name=op.f("pk_playlist_remote_ids")),
        sa.UniqueConstraint("platform", "remote_id", name=op.f("uq_playlist_remote_ids_platform")),
    )
    op.execute(
        "INSERT INTO playlist_remote_ids (playlist_id, platform, remote_id) "
        "SELECT id, 'youtube', youtube_id FROM playlists WHERE youtube_id IS NOT NULL"
    )
    with _batch("playlists") as batch_op:
        batch_op.drop_constraint(op.f("uq_playlists_youtube_id"), type_="unique")
        batch_op.drop_column("youtube_id")

    for table, check in PLATFORM_COLUMNS:
        with _batch(table) as batch_op:
            batch_op.drop_constraint(op.f(check), type_="check")
            batch_op.alter_column(
                "platform",
                existing_type=sa.String(length=20),
                type_=sa.String(length=32),
                existing_nullable=False,
            )


def downgrade() -> None:
    _refuse_unknown_platforms()
    for table, check in PLATFORM_COLUMNS:
        with _batch(table) as batch_op:
            batch_op.alter_column(
                "platform",
                existing_type=sa.String(length=32),
                type_=sa.String(length=20),
                existing_nullable=False,
            )
            batch_op.create_check_constraint(op.f(check), sa.column("platform").in_(OLD_PLATFORMS))

    with _batch("playlists") as batch_op:
        batch_op.add_column(sa.Column("youtube_id", sa.String(length=64), nullable=True))
    op.execute(
        "UPDATE playlists SET youtube_id = (SELECT r.remote_id FROM playlist_remote_ids r "
        "WHERE r.playlist_id = playlists.id AND r.platform = 'youtube')"
    )
    with _batch("playlists") as batch_op:
        batch_op.create_unique_constraint(op.f("uq_playlists_youtube_id"), ["youtube_id"])
    op.drop_table("playlist_remote_ids")


def _refuse_unknown_platforms() -> None:
    """Revision 0003 holds a playlist's YouTube id only, and YouTube and SlideShare rows only:
    other rows would be lost or break its CHECK constraints. Stop before changing anything."""
    allowed = {"playlist_remote_ids": ("youtube",)} | {
        table: OLD_PLATFORMS for table, _ in PLATFORM_COLUMNS
    }
    platform = sa.column("platform", sa.String())
    found = [
        f"{count} {table} row(s) of {name!r}"
        for table, names in allowed.items()
        for name, count in op.get_bind().execute(
            sa.select(platform, sa.func.count())
            .select_from(sa.table(table))
            .where(platform.not_in(names))
            .group_by(platform)
            .order_by(platform)
        )
    ]
    if found:
        raise RuntimeError(
            f"cannot downgrade below 0004: revision 0003 has no room for {', '.join(found)}; "
            "delete those rows first"
        )

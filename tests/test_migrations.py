"""The schema: migrations reach the models exactly, on both engines; SQLite is set up right."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, MetaData, insert, inspect, text
from sqlalchemy.exc import IntegrityError

from media_hub.catalog import migrations, search_index
from media_hub.catalog.base import Base
from media_hub.catalog.db import create_catalog_engine, open_catalog


def test_head_constant_is_alembics_head() -> None:
    script = ScriptDirectory.from_config(migrations.alembic_config())
    assert script.get_current_head() == migrations.HEAD


@pytest.mark.empty_catalog
@pytest.mark.filterwarnings("ignore:.*expression-based index")
def test_first_use_migrates_to_a_schema_equal_to_the_models(catalog_url: str) -> None:
    catalog = open_catalog(catalog_url, "tester")
    try:
        with catalog.engine.connect() as connection:
            assert migrations.current_revision(connection) == migrations.HEAD
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = [
                diff
                for diff in compare_metadata(context, Base.metadata)
                # SQLite cannot reflect expression indexes; the episode tests exercise it.
                if "uq_assets_series_season_episode" not in str(diff)
                # The search index is the migration's, outside the models (test_search_index).
                and not any(name in str(diff) for name in search_index.OUTSIDE_MODELS)
            ]
        assert differences == []
    finally:
        catalog.close()


@pytest.mark.empty_catalog
def test_upgrade_is_idempotent(catalog_url: str) -> None:
    engine = create_catalog_engine(catalog_url)
    try:
        migrations.upgrade(engine)
        migrations.upgrade(engine)
        with engine.connect() as connection:
            assert migrations.current_revision(connection) == migrations.HEAD
    finally:
        engine.dispose()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: object) -> None:
    engine = create_catalog_engine(f"sqlite:///{tmp_path}/c.db")
    try:
        with engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    finally:
        engine.dispose()


# The last revision released before platforms became plain names (see migration 0004).
BEFORE_REMOTE_IDS = "0003"


@pytest.mark.empty_catalog
@pytest.mark.filterwarnings("ignore:.*expression-based index")
def test_0004_moves_playlist_ids_and_accepts_new_platform_names(catalog_url: str) -> None:
    engine = create_catalog_engine(catalog_url)
    try:
        migrations.upgrade(engine, BEFORE_REMOTE_IDS)
        _fill_release_0003(engine)

        migrations.upgrade(engine)

        with engine.connect() as connection:
            assert migrations.current_revision(connection) == migrations.HEAD
            columns = {c["name"] for c in inspect(connection).get_columns("playlists")}
            assert "youtube_id" not in columns
            assert _rows(connection, "playlist_remote_ids") == [
                (1, "youtube", "PLaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
                (3, "youtube", "PLcccccccccccccccccccccccccccccccc"),
            ]
            # Rebuilding `playlists` on SQLite must not cascade to what points at it.
            assert _rows(
                connection, "playlist_items", "playlist_id, asset_id, position, remote_item_id"
            ) == [(1, 1, 0, "item-1"), (3, 2, 0, None)]
            assert _rows(connection, "stats_rows", "id, platform, playlist_id") == [
                (1, "youtube", None),
                (2, "youtube", 1),
                (3, "slideshare", None),
            ]
            assert _rows(connection, "publications", "asset_id, platform, remote_id") == [
                (1, "youtube", "video-1"),
                (2, "slideshare", "deck-2"),
            ]
            assert _rows(connection, "quota_ledger", "platform, units") == [("youtube", 50)]
            if connection.dialect.name == "postgresql":  # never native enums; nothing left over
                enums = text("SELECT typname FROM pg_type WHERE typtype = 'e'")
                assert connection.execute(enums).all() == []

        # A platform 0003 did not know is now just a name, in every platform column...
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO publications (asset_id, platform, state, remote_id, "
                    "confirmed_bytes, updated_at) "
                    "VALUES (1, 'peertube', 'done', 'video-1', 0, :at)"
                ),
                {"at": NOW},
            )
            connection.execute(
                text(
                    "INSERT INTO quota_ledger (platform, bucket, day, method, units, at) "
                    "VALUES ('peertube', 'default', :day, 'videos.list', 1, :at)"
                ),
                {"day": NOW.date(), "at": NOW},
            )
            connection.execute(
                text(
                    "INSERT INTO stats_rows (snapshot_id, platform, views, likes, comments, "
                    "downloads, favorites, watch_minutes, average_view_seconds, "
                    "playlist_starts) VALUES (1, 'peertube', 5, 0, 0, 0, 0, 0, 0, 0)"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO playlist_remote_ids (playlist_id, platform, remote_id) "
                    "VALUES (1, 'peertube', 'pt-1')"
                )
            )
        # ...and the unique constraints still hold, the other CHECK constraints too (each
        # refusal is matched by the constraint's name on PostgreSQL, its columns on SQLite).
        for statement, refused_by in (
            (
                "INSERT INTO publications (asset_id, platform, state, confirmed_bytes, "
                "updated_at) VALUES (1, 'youtube', 'pending', 0, :at)",
                r"uq_publications_asset_id|publications\.asset_id, publications\.platform",
            ),
            (
                "INSERT INTO publications (asset_id, platform, state, remote_id, "
                "confirmed_bytes, updated_at) VALUES (3, 'youtube', 'done', 'video-1', 0, :at)",
                r"uq_publications_platform|publications\.platform, publications\.remote_id",
            ),
            (
                "INSERT INTO playlist_remote_ids (playlist_id, platform, remote_id) "
                "VALUES (2, 'youtube', 'PLaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa')",
                r"uq_playlist_remote_ids_platform|playlist_remote_ids\.platform, "
                r"playlist_remote_ids\.remote_id",
            ),
            (
                "INSERT INTO playlist_remote_ids (playlist_id, platform, remote_id) "
                "VALUES (1, 'youtube', 'PLother')",
                r"pk_playlist_remote_ids|playlist_remote_ids\.playlist_id, "
                r"playlist_remote_ids\.platform",
            ),
            (
                'INSERT INTO playlists (slug, kind, names, descriptions, privacy, "order", '
                "version) VALUES ('bad', 'podcast', '{}', '{}', 'public', 'manual', 1)",
                "ck_playlists_playlist_kind",
            ),
        ):
            with pytest.raises(IntegrityError, match=refused_by), engine.begin() as connection:
                connection.execute(text(statement), {"at": NOW})

        # Going back refuses while rows name platforms 0003 cannot hold...
        with pytest.raises(RuntimeError, match="peertube"):
            migrations.downgrade(engine, BEFORE_REMOTE_IDS)
        with engine.connect() as connection:  # all of it refused, on SQLite too
            assert migrations.current_revision(connection) == migrations.HEAD
            columns = {c["name"] for c in inspect(connection).get_columns("quota_ledger")}
            assert "confirmed" in columns
        with engine.begin() as connection:
            for table in ("publications", "quota_ledger", "stats_rows", "playlist_remote_ids"):
                connection.execute(text(f"DELETE FROM {table} WHERE platform = 'peertube'"))  # noqa: S608

        # ...then restores the YouTube ids on the playlists and the CHECK constraints.
        migrations.downgrade(engine, BEFORE_REMOTE_IDS)
        with engine.connect() as connection:
            assert migrations.current_revision(connection) == BEFORE_REMOTE_IDS
            assert not inspect(connection).has_table("playlist_remote_ids")
            assert _rows(connection, "playlists", "id, youtube_id") == [
                (1, "PLaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
                (2, None),
                (3, "PLcccccccccccccccccccccccccccccccc"),
            ]
            assert _rows(
                connection, "playlist_items", "playlist_id, asset_id, position, remote_item_id"
            ) == [(1, 1, 0, "item-1"), (3, 2, 0, None)]
            assert len(_rows(connection, "stats_rows")) == 3
        for statement, refused_by in (
            (
                "INSERT INTO publications (asset_id, platform, state, confirmed_bytes, "
                "updated_at) VALUES (3, 'peertube', 'pending', 0, :at)",
                "ck_publications_publication_platform",
            ),
            (
                "UPDATE playlists SET youtube_id = 'PLaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' "
                "WHERE id = 2",
                r"uq_playlists_youtube_id|playlists\.youtube_id",
            ),
        ):
            with pytest.raises(IntegrityError, match=refused_by), engine.begin() as connection:
                connection.execute(text(statement), {"at": NOW})

        # And forward again, as a release upgrade after going back would.
        migrations.upgrade(engine)
        with engine.connect() as connection:
            assert len(_rows(connection, "playlist_remote_ids")) == 2
    finally:
        engine.dispose()


@pytest.mark.empty_catalog
@pytest.mark.filterwarnings("ignore:.*expression-based index")
def test_0005_counts_old_ledger_rows_as_confirmed_and_marks_nothing(catalog_url: str) -> None:
    engine = create_catalog_engine(catalog_url)
    try:
        migrations.upgrade(engine, BEFORE_REMOTE_IDS)
        _fill_release_0003(engine)

        migrations.upgrade(engine)

        with engine.connect() as connection:
            assert _rows(connection, "quota_ledger", "units, confirmed") == [(50, True)]
            assert _rows(
                connection, "playlist_items", "asset_id, remote_item_id, insert_sent_at"
            ) == [(1, "item-1", None), (2, None, None)]
            assert sorted(_rows(connection, "publications", "remote_id, texts_as_published")) == [
                ("deck-2", False),
                ("video-1", False),
            ]
        migrations.downgrade(engine, "0004")
        with engine.connect() as connection:
            columns = {c["name"] for c in inspect(connection).get_columns("quota_ledger")}
            assert "confirmed" not in columns
    finally:
        engine.dispose()


@pytest.mark.empty_catalog
@pytest.mark.filterwarnings("ignore:.*expression-based index")
def test_0006_indexes_existing_texts_with_their_stems(catalog_url: str) -> None:
    engine = create_catalog_engine(catalog_url)
    try:
        migrations.upgrade(engine, "0005")
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO assets (id, kind, default_language, status, created_at, "
                    "created_by, updated_at, updated_by, version) "
                    "VALUES (1, 'video', 'ar', 'draft', :at, 'old', :at, 'old', 1)"
                ),
                {"at": NOW},
            )
            connection.execute(
                text(
                    "INSERT INTO asset_texts (asset_id, lang, title, description, search_text) "
                    "VALUES (1, 'ar', 'كيف تكتب سيرتك', '', ' كيف تكتب سيرتك ')"
                )
            )
        migrations.upgrade(engine)
        with engine.connect() as connection:
            [indexed] = connection.execute(text("SELECT search_text FROM asset_texts")).scalars()
        assert indexed == " كيف تكتب سيرتك سير "
    finally:
        engine.dispose()


@pytest.mark.empty_catalog
@pytest.mark.filterwarnings("ignore:.*expression-based index")
def test_0011_counts_old_renditions_as_transcodes_and_going_back_drops_the_others(
    catalog_url: str,
) -> None:
    engine = create_catalog_engine(catalog_url)
    rendition = (
        "INSERT INTO renditions (asset_id, profile, profile_checksum, source_checksum, "
        "store_key, size, created_at{columns}) VALUES (1, 'youtube', :key, 'src', :key, 10, "
        ":at{values})"
    )
    try:
        migrations.upgrade(engine, "0010")
        _fill_release_0003(engine)
        with engine.begin() as connection:
            connection.execute(
                text(rendition.format(columns="", values="")), {"at": NOW, "key": "old"}
            )
        migrations.upgrade(engine)
        with engine.begin() as connection:
            assert _rows(connection, "renditions", "store_key, decision, reasons") == [
                ("old", "transcode", None)
            ]
            connection.execute(
                text(rendition.format(columns=", decision, reasons", values=", 'remux', :why")),
                {"at": NOW, "key": "new", "why": '["remuxed: H.264 High"]'},
            )
        migrations.downgrade(engine, "0010")
        with engine.connect() as connection:
            assert _rows(connection, "renditions", "store_key, size") == [("old", 10)]
            columns = {c["name"] for c in inspect(connection).get_columns("renditions")}
            assert not {"decision", "reasons"} & columns
    finally:
        engine.dispose()


@pytest.mark.empty_catalog
@pytest.mark.filterwarnings("ignore:.*expression-based index")
def test_0013_gives_old_stats_rows_zero_facebook_counters_and_going_back_drops_them(
    catalog_url: str,
) -> None:
    engine = create_catalog_engine(catalog_url)
    try:
        migrations.upgrade(engine, "0012")
        with engine.begin() as connection:
            connection.execute(
                text("INSERT INTO stats_snapshots (id, taken_at, units_spent) VALUES (1, :at, 0)"),
                {"at": NOW},
            )
            connection.execute(
                text("INSERT INTO stats_rows (snapshot_id, platform, views, likes, comments, "
                     "downloads, favorites, watch_minutes, average_view_seconds, "
                     "playlist_starts) VALUES (1, 'youtube', 7, 1, 0, 0, 0, 0, 0, 0)")
            )  # fmt: skip
        migrations.upgrade(engine)
        with engine.connect() as connection:
            assert _rows(connection, "stats_rows", "views, unique_viewers, reactions, shares") == [
                (7, 0, 0, 0)
            ]
        migrations.downgrade(engine, "0012")
        with engine.connect() as connection:
            columns = {c["name"] for c in inspect(connection).get_columns("stats_rows")}
            assert not {"unique_viewers", "reactions", "shares"} & columns
            assert _rows(connection, "stats_rows", "views, likes") == [(7, 1)]
    finally:
        engine.dispose()


@pytest.mark.empty_catalog
@pytest.mark.filterwarnings("ignore:.*expression-based index")
def test_0016_adds_the_sign_in_failures_and_going_back_drops_them(catalog_url: str) -> None:
    engine = create_catalog_engine(catalog_url)
    try:
        migrations.upgrade(engine, "0015")
        migrations.upgrade(engine)
        with engine.begin() as connection:
            indexes = inspect(connection).get_indexes("sign_in_failures")
            assert sorted((i["name"], i["column_names"]) for i in indexes) == [
                ("ix_sign_in_failures_failed_at", ["failed_at"]),
                ("ix_sign_in_failures_key", ["key", "failed_at"]),
            ]
            connection.execute(
                text("INSERT INTO sign_in_failures (key, failed_at) VALUES ('name:a', :at)"),
                {"at": NOW},
            )
        migrations.downgrade(engine, "0015")
        with engine.connect() as connection:
            assert not inspect(connection).has_table("sign_in_failures")
    finally:
        engine.dispose()


NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


def _fill_release_0003(engine: Engine) -> None:
    """A small catalog as release 0003 wrote it, through its own (reflected) tables."""
    with engine.begin() as connection:
        tables = MetaData()
        tables.reflect(connection)
        t = tables.tables
        connection.execute(
            insert(t["assets"]),
            [
                {"id": n, "kind": kind, "default_language": "fr", "status": "published",
                 "created_at": NOW, "created_by": "old", "updated_at": NOW, "updated_by": "old",
                 "version": 1}
                for n, kind in ((1, "video"), (2, "deck"), (3, "video"))
            ],
        )  # fmt: skip
        connection.execute(
            insert(t["playlists"]),
            [
                {"id": n, "slug": f"list-{n}", "kind": kind, "names": {"fr": f"Liste {n}"},
                 "descriptions": {}, "privacy": "public", "order": "manual",
                 "youtube_id": youtube_id, "version": 2}
                for n, kind, youtube_id in (
                    (1, "video", "PLaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
                    (2, "video", None),
                    (3, "deck", "PLcccccccccccccccccccccccccccccccc"),
                )
            ],
        )  # fmt: skip
        connection.execute(
            insert(t["playlist_items"]),
            [
                {"playlist_id": 1, "asset_id": 1, "position": 0, "remote_item_id": "item-1"},
                {"playlist_id": 3, "asset_id": 2, "position": 0, "remote_item_id": None},
            ],
        )
        connection.execute(
            insert(t["publications"]),
            [
                {"asset_id": 1, "platform": "youtube", "state": "done", "remote_id": "video-1",
                 "confirmed_bytes": 10, "updated_at": NOW},
                {"asset_id": 2, "platform": "slideshare", "state": "done", "remote_id": "deck-2",
                 "confirmed_bytes": 0, "updated_at": NOW},
            ],
        )  # fmt: skip
        connection.execute(
            insert(t["quota_ledger"]),
            [{"platform": "youtube", "bucket": "default", "day": NOW.date(),
              "method": "playlists.insert", "units": 50, "at": NOW}],
        )  # fmt: skip
        connection.execute(
            insert(t["stats_snapshots"]), [{"id": 1, "taken_at": NOW, "units_spent": 3}]
        )
        counts = dict.fromkeys(
            ("views", "likes", "comments", "downloads", "favorites", "watch_minutes",
             "average_view_seconds", "playlist_starts"), 0,
        )  # fmt: skip
        connection.execute(
            insert(t["stats_rows"]),
            [
                {"id": 1, "snapshot_id": 1, "platform": "youtube", "asset_id": 1,
                 "playlist_id": None, "day": None, **counts},
                {"id": 2, "snapshot_id": 1, "platform": "youtube", "asset_id": None,
                 "playlist_id": 1, "day": NOW.date(), **counts},
                {"id": 3, "snapshot_id": 1, "platform": "slideshare", "asset_id": 2,
                 "playlist_id": None, "day": None, **counts},
            ],
        )  # fmt: skip
        if connection.dialect.name == "postgresql":  # ids given above: move the sequences on
            for table in ("assets", "playlists", "stats_snapshots", "stats_rows"):
                connection.execute(
                    text("SELECT setval(pg_get_serial_sequence(:t, 'id'), 10)"), {"t": table}
                )


def _rows(connection: Connection, table: str, columns: str = "*") -> list[tuple[Any, ...]]:
    return [
        tuple(row)
        for row in connection.execute(text(f"SELECT {columns} FROM {table} ORDER BY 1, 2"))  # noqa: S608
    ]

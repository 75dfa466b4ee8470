"""The schema: migrations reach the models exactly, on both engines; SQLite is set up right."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from media_hub.catalog import migrations
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

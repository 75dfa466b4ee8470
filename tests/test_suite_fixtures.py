"""The suite's own shortcuts keep their promises: a copied catalog is migrated, holds no rows
and is the test's alone; `empty_catalog` gives an empty one."""

from __future__ import annotations

import pytest
from sqlalchemy import func, inspect, select, text

from media_hub.catalog import migrations
from media_hub.catalog.base import Base
from media_hub.catalog.db import create_catalog_engine
from media_hub.hub import Hub


def _row_counts(catalog_url: str) -> dict[str, int]:
    engine = create_catalog_engine(catalog_url)
    try:
        with engine.connect() as connection:
            assert migrations.current_revision(connection) == migrations.HEAD
            return {
                table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
                for table in Base.metadata.sorted_tables
            }
    finally:
        engine.dispose()


def test_a_copied_catalog_is_migrated_and_holds_no_rows(catalog_url: str) -> None:
    assert set(_row_counts(catalog_url).values()) == {0}


def test_a_copied_catalog_is_the_tests_own(hub: Hub, catalog_url: str) -> None:
    """The conventions the hub fixture loaded are in this copy..."""
    assert any(_row_counts(catalog_url).values())


def test_the_next_copy_is_empty_again(catalog_url: str) -> None:
    """...and not in the template the next test copies."""
    assert set(_row_counts(catalog_url).values()) == {0}


@pytest.mark.empty_catalog
def test_empty_catalog_is_not_migrated(catalog_url: str) -> None:
    engine = create_catalog_engine(catalog_url)
    try:
        with engine.connect() as connection:
            assert inspect(connection).get_table_names() == []
            assert migrations.current_revision(connection) is None
            if engine.dialect.name == "sqlite":
                assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    finally:
        engine.dispose()

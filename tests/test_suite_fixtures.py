"""The suite's own shortcuts keep their promises: a copied catalog is migrated, holds no rows
and is the test's alone; `empty_catalog` gives an empty one; the fast profile is only the
built-in one made faster, and `real_profile` keeps the built-in one."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select, text

from media_hub.catalog import migrations
from media_hub.catalog.base import Base
from media_hub.catalog.db import create_catalog_engine
from media_hub.hub import Hub
from media_hub.media.profiles import load_profile


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


def test_the_hubs_youtube_profile_is_the_built_in_one_made_fast(hub: Hub) -> None:
    profiles = hub.settings.definitions_dir / "profiles"
    fast = load_profile("youtube", profiles)
    builtin = load_profile("youtube")
    assert fast.video.preset == "ultrafast"
    assert not fast.loudness.two_pass
    assert fast.with_video(preset=builtin.video.preset).model_copy(
        update={"loudness": builtin.loudness}
    ) == builtin.model_copy(update={"description": fast.description})


@pytest.mark.real_profile
def test_real_profile_keeps_the_built_in_one(hub_dir: Path) -> None:
    profiles = hub_dir / "catalog" / "profiles"
    assert not profiles.exists()
    assert load_profile("youtube", profiles) == load_profile("youtube")

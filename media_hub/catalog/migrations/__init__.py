"""Schema migrations (Alembic), applied on first use and by `media-hub db upgrade`."""

from __future__ import annotations

import fcntl
import sqlite3
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

# The revision this code expects; a test checks it is Alembic's head, so first use costs one
# query instead of reading every migration script.
HEAD = "0016"

_PG_LOCK_KEY = 0x6D656469  # any constant, shared by every media-hub process


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config  # imported on demand: alembic takes 0.4 s to import

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent))
    config.attributes["connection"] = connection
    return config


def current_revision(connection: Connection) -> str | None:
    """The schema's revision, read without importing Alembic (every command asks)."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def ensure_current(engine: Engine) -> None:
    """Upgrade the schema to HEAD if it is behind; cheap when it is not."""
    with engine.connect() as connection:
        if current_revision(connection) == HEAD:
            return
    upgrade(engine)


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the pending migrations, one process at a time."""
    _migrate(engine, "upgrade", revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Take the schema back to `revision` (for tests and for going back to an older release)."""
    _migrate(engine, "downgrade", revision)


def _migrate(engine: Engine, direction: str, revision: str) -> None:
    from alembic import command

    run = command.upgrade if direction == "upgrade" else command.downgrade
    with (
        _migration_lock(engine),
        engine.connect() as connection,
        _sqlite_foreign_keys_off(connection),
        connection.begin(),
        _sqlite_transactional_ddl(connection),
    ):
        if engine.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
        with warnings.catch_warnings():
            # SQLite's table copies reflect `assets`, whose expression index
            # (uq_assets_series_season_episode) SQLAlchemy cannot reflect and need not copy.
            warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based")
            run(alembic_config(connection), revision)
        _check_foreign_keys(connection)


@contextmanager
def _sqlite_foreign_keys_off(connection: Connection) -> Iterator[None]:
    """SQLite changes a table by copying it, dropping it and renaming the copy; with foreign keys
    on, dropping `playlists` would delete its items (ON DELETE CASCADE). The pragma only takes
    effect outside a transaction, so it is set before the migration's and restored after."""
    if connection.dialect.name != "sqlite":
        yield
        return
    connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    connection.commit()
    try:
        yield
    finally:
        connection.rollback()
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        connection.commit()


@contextmanager
def _sqlite_transactional_ddl(connection: Connection) -> Iterator[None]:
    """Python's sqlite3 opens a transaction only before INSERT, UPDATE or DELETE, so the
    CREATE, DROP and RENAME of a table copy commit one by one, and a migration that fails
    halfway leaves half a schema. Here the migration's own BEGIN holds all of it, as on
    PostgreSQL (SQLAlchemy's recipe for pysqlite: driver autocommit, then an explicit BEGIN)."""
    if connection.dialect.name != "sqlite":
        yield
        return
    driver = connection.connection.driver_connection
    assert isinstance(driver, sqlite3.Connection)
    level = driver.isolation_level
    driver.isolation_level = None
    try:
        connection.exec_driver_sql("BEGIN")
        yield
    finally:
        driver.isolation_level = level


def _check_foreign_keys(connection: Connection) -> None:
    """On SQLite, refuse to commit a migration that left a row pointing at nothing."""
    if connection.dialect.name != "sqlite":
        return
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    if broken:
        raise RuntimeError(f"migration left rows with broken foreign keys: {broken[:5]}")


@contextmanager
def _migration_lock(engine: Engine) -> Iterator[None]:
    """SQLite runs DDL outside transactions: serialise upgrades with a lock file beside it."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        yield
        return
    with Path(database + ".migrate-lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)

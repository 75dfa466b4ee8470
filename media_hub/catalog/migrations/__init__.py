"""Schema migrations (Alembic), applied on first use and by `media-hub db upgrade`."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

# The revision this code expects; a test checks it is Alembic's head, so first use costs one
# query instead of reading every migration script.
HEAD = "0003"

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
    with _migration_lock(engine), engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
        from alembic import command

        command.upgrade(alembic_config(connection), revision)


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

"""Opening the catalog: the engine (SQLite in WAL mode, or PostgreSQL), upgrades, sessions."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

from media_hub import fence
from media_hub.catalog import audit, migrations
from media_hub.errors import ConfigError, MediaHubError

log = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_S = 30


def create_catalog_engine(url: str) -> Engine:
    """An engine for the catalog URL, with SQLite tuned for several writers on one machine."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ConfigError(
            f"catalog.url {_shown(url)!r} is not a database URL; {_URL_HINT}"
        ) from exc
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise ConfigError(f"catalog.url {_shown(url)!r}: {backend} is not a database media-hub "
                          f"runs on; {_URL_HINT}")  # fmt: skip
    try:
        if backend == "sqlite":
            if parsed.database and parsed.database != ":memory:":
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(parsed, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S})
            event.listen(engine, "connect", _sqlite_pragmas)
            return engine
        return create_engine(parsed, pool_pre_ping=True)
    except (ImportError, NoSuchModuleError) as exc:  # postgresql+psycopg2 without psycopg2...
        raise ConfigError(
            f"catalog.url {_shown(url)!r}: its driver is not installed ({exc}); {_URL_HINT}"
        ) from exc
    except OSError as exc:
        raise ConfigError(
            f"catalog.url {_shown(url)!r}: cannot make its folder ({exc.strerror or exc})"
        ) from exc


_URL_HINT = "use sqlite:///path or postgresql+psycopg://user@host/db"


def _shown(url: str) -> str:
    from media_hub.settings import mask_url_password  # pydantic-settings: errors only

    return mask_url_password(url)


def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class CatalogSession(Session):
    """A session whose flushes write the audit log, and whose commits a worker's job fences
    (see `media_hub.fence`): a job whose lease another worker took writes nothing."""


audit.install(CatalogSession)

_WROTE = "media_hub.wrote"


@event.listens_for(CatalogSession, "do_orm_execute")
def _note_statement(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[_WROTE] = True


@event.listens_for(CatalogSession, "after_flush")
def _note_flush(session: Session, _context: Any) -> None:
    session.info[_WROTE] = True


@event.listens_for(CatalogSession, "before_commit")
def _fence_commit(session: Session) -> None:
    wrote = session.info.pop(_WROTE, False) or session.new or session.dirty or session.deleted
    if wrote:
        fence.guard_commit(session)


class Catalog:
    """An open catalog: hands out sessions that record who changed what."""

    def __init__(self, engine: Engine, user: str) -> None:
        self.engine = engine
        self.user = user
        self._sessions = sessionmaker(engine, class_=CatalogSession, expire_on_commit=False)

    @contextmanager
    def session(self, *, dry_run: bool = False, user: str | None = None) -> Iterator[Session]:
        """One unit of work: committed when the block ends (rolled back if it raises, or if
        `dry_run`, which lets a command show what it would change). Its changes are recorded
        as `user`'s (a web app's signed-in person), else as the catalog's own user's."""
        with self._sessions() as session:
            session.info[audit.USER_KEY] = user or self.user
            transaction = session.begin()
            try:
                yield session
            except BaseException:
                transaction.rollback()
                raise
            if dry_run:
                transaction.rollback()
            else:
                transaction.commit()

    def close(self) -> None:
        self.engine.dispose()


def open_catalog(url: str, user: str, *, upgrade: bool = True) -> Catalog:
    """Open the catalog at `url`, bringing its schema up to date on first use."""
    engine = create_catalog_engine(url)
    with reaching(url, engine):
        if upgrade:
            migrations.ensure_current(engine)
    return Catalog(engine=engine, user=user)


class CatalogUnreachableError(MediaHubError):
    """The catalog's server did not answer (down, restarting, refusing connections): worth
    waiting for, unlike a catalog.url that names no catalog."""


@contextmanager
def reaching(url: str, engine: Engine) -> Iterator[None]:
    """A database that cannot be reached or read, as one line (the engine disposed)."""
    try:
        yield
    except OperationalError as exc:
        engine.dispose()
        raise CatalogUnreachableError(
            f"cannot open the catalog at {_shown(url)}: {_first_line(exc)}; "
            "check catalog.url and that the database server is running"
        ) from exc
    except DatabaseError as exc:  # SQLite's "file is not a database"
        engine.dispose()
        raise ConfigError(
            f"cannot open the catalog at {_shown(url)}: {_first_line(exc)}; catalog.url must "
            "name a media-hub catalog (or a new file)"
        ) from exc


def _first_line(exc: DatabaseError) -> str:
    return str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc).splitlines()[0]

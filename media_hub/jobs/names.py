"""A worker's stable name, held for as long as it runs, and the checks made before it starts.

The name is held by a lock that dies with the process (a PostgreSQL session-level advisory
lock on a connection of its own; on SQLite an flock beside the database file), so a second
worker given the same name is refused while the first runs, and a crashed worker's name is
free again at once, with no table to clean up.
"""

from __future__ import annotations

import fcntl
import hashlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from media_hub.catalog.db import Catalog
from media_hub.errors import ConfigError, ExitStatus, MediaHubError, ValidationError
from media_hub.settings import Settings

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,62}")
_LOCK_SPACE = 0x6D68  # "mh": keeps these advisory locks apart from the migrations' one


def check_name(name: str) -> str:
    """A worker name as given to `--name`: letters, digits, `.`, `_` and `-`."""
    if not _NAME.fullmatch(name):
        raise ValidationError(
            "--name", f"{name!r} is not a worker name; use letters, digits, '.', '_' and '-'"
        )
    return name


@contextmanager
def holding_name(catalog: Catalog, name: str) -> Iterator[None]:
    """Hold `name` for this worker while the block runs; refused if another worker does."""
    engine = catalog.engine
    if engine.dialect.name == "postgresql":
        key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:4], "big", signed=True)
        with engine.connect() as connection:
            taken = connection.execute(
                text("SELECT pg_try_advisory_lock(:space, :key)"),
                {"space": _LOCK_SPACE, "key": key},
            ).scalar()
            connection.commit()
            if not taken:
                raise _in_use(name)
            try:
                yield
            finally:
                connection.execute(
                    text("SELECT pg_advisory_unlock(:space, :key)"),
                    {"space": _LOCK_SPACE, "key": key},
                )
                connection.commit()
        return
    database = engine.url.database
    if not database or database == ":memory:":
        yield
        return
    with Path(f"{database}.worker-{name}.lock").open("a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise _in_use(name) from None
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


class NameInUseError(MediaHubError):
    exit_status = ExitStatus.CONFLICT


def _in_use(name: str) -> NameInUseError:
    return NameInUseError(
        f"worker name {name!r} is held by another running worker; give each worker its own --name"
    )


def check_store(settings: Settings, *, local_store: bool) -> None:
    """Refuse a local store under a shared catalog: workers on other machines would claim
    jobs whose files they cannot read, and fail each one."""
    shared = make_url(settings.catalog.url).get_backend_name() != "sqlite"
    if shared and not settings.store.url.startswith("s3://") and not local_store:
        raise ConfigError(
            f"the catalog is shared ({make_url(settings.catalog.url).get_backend_name()}) but "
            f"the store is the local folder {settings.store.url!r}, which workers on other "
            "machines cannot read; set store.url to s3://bucket/prefix, or pass --local-store "
            "if every worker runs on this machine"
        )

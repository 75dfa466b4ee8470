"""The asset store as a folder on this machine (the default, `assets/` in the hub).

Writes are crash-safe: bytes go to a temporary file under `.incoming/`, are flushed to disk,
then renamed into place, so an object either exists whole or not at all. A run killed
outright leaves its temporary file; `sweep_partials` removes those a day old.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import tempfile
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import BinaryIO

from media_hub.errors import StoreError
from media_hub.storage.base import STALE_PARTIAL_AGE, ProgressCallback, StoredObject
from media_hub.storage.keys import content_key, validate_key, validate_prefix, validate_suffix

log = logging.getLogger(__name__)

CHUNK_SIZE = 1024 * 1024
INCOMING = ".incoming"
PARTIAL_PREFIX = "put-"
OBJECT_MODE = 0o644  # mkstemp makes 0600; assets are meant to be read by other tools


class LocalStore:
    """Content-addressed objects as files under `root`."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def __repr__(self) -> str:
        return f"LocalStore({str(self.root)!r})"

    def _path(self, key: str) -> Path:
        """The file of `key`, refused if it would resolve outside the root (symlinks included)."""
        validate_key(key)
        root = self.root.resolve()
        path = (root / key).resolve()
        if not path.is_relative_to(root) or path == root:
            raise StoreError(key, f"resolves outside the store folder {root}")
        return path

    def put_stream(
        self, source: BinaryIO, suffix: str, progress: ProgressCallback | None = None
    ) -> StoredObject:
        validate_suffix(suffix)
        incoming = self.root / INCOMING
        try:
            incoming.mkdir(parents=True, exist_ok=True)
            fd, temp_name = tempfile.mkstemp(dir=incoming, prefix=PARTIAL_PREFIX)
        except OSError as exc:
            raise StoreError(str(incoming), f"cannot create a temporary file: {exc}") from exc
        temp = Path(temp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                digest, size = _copy_hashing(source, out, progress, where=temp)
                try:
                    os.fchmod(out.fileno(), OBJECT_MODE)
                    out.flush()
                    os.fsync(out.fileno())
                except OSError as exc:
                    raise StoreError(str(temp), f"cannot write: {exc}") from exc
            key = content_key(digest, suffix)
            target = self._path(key)
            if target.exists():
                temp.unlink()
                log.debug("object %s already stored", key)
            else:
                _move_into_place(temp, target, key)
                log.debug("stored %s (%d bytes)", key, size)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        return StoredObject(key=key, sha256=digest, size=size)

    def put_file(self, path: Path, suffix: str) -> StoredObject:
        with path.open("rb") as source:
            return self.put_stream(source, suffix)

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def size(self, key: str) -> int:
        path = self._path(key)
        if not path.is_file():
            raise StoreError(key, "no such object")
        try:
            return path.stat().st_size
        except OSError as exc:
            raise StoreError(key, f"cannot read: {exc}") from exc

    @contextlib.contextmanager
    def open(self, key: str) -> Iterator[BinaryIO]:
        path = self._path(key)
        if not path.is_file():
            raise StoreError(key, "no such object")
        try:
            reader = path.open("rb")
        except OSError as exc:
            raise StoreError(key, f"cannot read: {exc}") from exc
        with reader:
            yield reader

    @contextlib.contextmanager
    def local_path(self, key: str) -> Iterator[Path]:
        path = self._path(key)
        if not path.is_file():
            raise StoreError(key, "no such object")
        yield path

    def delete(self, key: str) -> None:
        """Remove the object (absent is fine) and the fan-out folders it leaves empty."""
        path = self._path(key)
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:
            raise StoreError(key, f"cannot delete: {exc}") from exc
        root = self.root.resolve()
        parent = path.parent
        while parent != root and parent.is_relative_to(root):
            try:
                parent.rmdir()
            except OSError:
                break  # not empty, or gone: either way stop pruning
            parent = parent.parent

    def keys(self, prefix: str = "") -> Iterator[str]:
        """Keys starting with `prefix`, sorted; `.incoming/` and unusable names are skipped."""
        validate_prefix(prefix)
        folder = prefix.rpartition("/")[0]
        start = self._path(folder) if folder else self.root.resolve()
        return self._walk(start, prefix)

    def _walk(self, start: Path, prefix: str) -> Iterator[str]:
        if not start.is_dir():
            return
        root = self.root.resolve()
        found: list[str] = []
        for folder, dirnames, filenames in os.walk(start):
            dirnames[:] = [name for name in dirnames if not name.startswith(".")]
            base = Path(folder).relative_to(root)
            for name in filenames:
                key = (base / name).as_posix()
                if key.startswith(prefix) and _usable(key):
                    found.append(key)
        yield from sorted(found)

    def presigned_url(self, key: str, expires_s: int = 3600) -> str | None:
        validate_key(key)
        return None

    def sweep_partials(self, older_than: timedelta = STALE_PARTIAL_AGE) -> int:
        """Remove `.incoming/put-*` files last written before `older_than` ago."""
        cutoff = time.time() - older_than.total_seconds()
        removed = 0
        for partial in sorted((self.root / INCOMING).glob(f"{PARTIAL_PREFIX}*")):
            try:
                if partial.is_file() and partial.stat().st_mtime < cutoff:
                    partial.unlink()
                    removed += 1
            except FileNotFoundError:
                continue  # another run swept it first
            except OSError as exc:
                log.warning("could not remove the partial copy %s: %s", partial, exc)
        if removed:
            log.info("removed %d partial copies left in %s", removed, self.root / INCOMING)
        return removed


def _usable(key: str) -> bool:
    """A file someone dropped in by hand with an unsafe name is not a key of this store."""
    try:
        validate_key(key)
    except StoreError:
        log.warning("skipping %r in the asset store: not a valid key", key)
        return False
    return True


def _copy_hashing(
    source: BinaryIO, out: BinaryIO, progress: ProgressCallback | None, where: Path
) -> tuple[str, int]:
    """Copy in fixed chunks so memory stays flat; errors from the source pass through as is."""
    sha = hashlib.sha256()
    size = 0
    while chunk := source.read(CHUNK_SIZE):
        sha.update(chunk)
        try:
            out.write(chunk)
        except OSError as exc:
            raise StoreError(str(where), f"cannot write: {exc}") from exc
        size += len(chunk)
        if progress is not None:
            progress(len(chunk))
    return sha.hexdigest(), size


def _move_into_place(temp: Path, target: Path, key: str) -> None:
    """Rename into the content-addressed path and fsync the folder so the rename is durable."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temp.replace(target)  # os.replace: atomic on one filesystem
        _fsync_dir(target.parent)
    except OSError as exc:
        raise StoreError(key, f"cannot move the new object into place: {exc}") from exc


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

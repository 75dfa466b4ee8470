"""The asset store interface: where masters, renditions and thumbnails are kept.

Keys are content-addressed (`sha256/ab/cd/<hex><suffix>`), so the same bytes are stored once
and a key never changes meaning. Two implementations: a local folder and S3.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import BinaryIO, Protocol

ProgressCallback = Callable[[int], None]  # called with the number of bytes just handled
# A partial copy untouched this long was left by a run that died (SIGKILL, a power cut):
# a copy in progress is written to every second.
STALE_PARTIAL_AGE = timedelta(days=1)


@dataclass(frozen=True)
class StoredObject:
    key: str
    sha256: str  # hex
    size: int


class AssetStore(Protocol):
    """What the pipeline needs of a store; every key passed in is validated."""

    def put_stream(
        self, source: BinaryIO, suffix: str, progress: ProgressCallback | None = None
    ) -> StoredObject:
        """Copy `source` into the store in one pass, hashing as it goes; content-addressed.

        Storing bytes already present returns the existing object and writes nothing new.
        Nothing is left behind when it fails (no partial object, no temporary file).
        """
        ...

    def put_file(self, path: Path, suffix: str) -> StoredObject:
        """`put_stream` for a file on disk (renditions and thumbnails the pipeline made)."""
        ...

    def exists(self, key: str) -> bool: ...

    def size(self, key: str) -> int: ...

    def open(self, key: str) -> AbstractContextManager[BinaryIO]:
        """A streaming reader of the object."""
        ...

    def local_path(self, key: str) -> AbstractContextManager[Path]:
        """A path on this machine holding the object, for ffmpeg: the file itself for a local
        store, a temporary download (removed on exit) for S3."""
        ...

    def delete(self, key: str) -> None: ...

    def keys(self, prefix: str = "") -> Iterator[str]: ...

    def presigned_url(self, key: str, expires_s: int = 3600) -> str | None:
        """A URL a remote service can fetch the object from, or None when the store has none."""
        ...

    def sweep_partials(self, older_than: timedelta = STALE_PARTIAL_AGE) -> int:
        """Remove the partial copies (staging files, unfinished uploads) older than
        `older_than` that runs killed outright left behind; returns how many. Never fails:
        what cannot be removed is logged and left for the next sweep."""
        ...

"""Files sent from the browser in pieces (the tus protocol), kept as part files in the hub
until the last byte is in, then attached to their asset by `ingest` as `ingest --asset` does.

An upload is two files of the upload store's `tus` kind: `ID.part` (the bytes so far: its
size is the offset) and `ID.json` (length, asset, file name, who sent it). The store makes
the ids, checks one from a request before any path is built and drops the week-old ones.
Appends take an exclusive lock on the part file, so two requests (or two web workers) never
write one upload at once.
"""

from __future__ import annotations

import fcntl
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import BinaryIO

from media_hub.errors import MediaHubError, ValidationError
from media_hub.web.upload_store import TUS, BadTokenError, UploadStore

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class UploadGoneError(MediaHubError):
    """No such upload (never made, finished, or another person's)."""


class BusyError(MediaHubError):
    """Another request is writing this upload right now."""


@dataclass(frozen=True)
class Upload:
    id: str
    length: int
    asset_id: int
    filename: str
    user: str


def checked_name(name: str) -> str:
    """The file's own name as the browser sent it, if a tool can take it safely."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not base or base in {".", ".."} or base.startswith(("-", ".")):
        raise ValidationError("filename", f"{name!r} is not a usable file name; rename the file")
    if _CONTROL.search(base) or len(base.encode()) > 200:
        raise ValidationError("filename", "the file name is too long or holds control characters")
    return base


class UploadParts:
    """The uploads folder: creates uploads, appends to them, hands over the finished file."""

    def __init__(self, home: Path, folder: Path | None = None) -> None:
        self.store = UploadStore(home, TUS, folder)

    def create(self, length: int, asset_id: int, filename: str, user: str) -> Upload:
        name = checked_name(filename)  # refused before a file is made
        upload = Upload(self.store.new(), length, asset_id, name, user)
        self.store.create(upload.id, ".part")
        self.store.create(upload.id, ".json", json.dumps(asdict(upload)).encode())
        return upload

    def get(self, upload_id: str, user: str) -> Upload:
        """The upload, if it exists and is `user`'s; else `UploadGoneError`."""
        try:
            raw = json.loads(self.store.path(upload_id, ".json").read_text(encoding="utf-8"))
        except (BadTokenError, OSError, ValueError) as exc:
            raise UploadGoneError(f"upload {upload_id[:40]!r}") from exc
        upload = Upload(**raw)
        if upload.user != user:
            raise UploadGoneError(f"upload {upload_id}")
        return upload

    def offset(self, upload: Upload) -> int:
        try:
            return self.store.path(upload.id, ".part").stat().st_size
        except FileNotFoundError as exc:
            raise UploadGoneError(f"upload {upload.id}") from exc

    @contextmanager
    def appending(self, upload: Upload) -> Iterator[BinaryIO]:
        """The part file open for appending, under an exclusive lock (else `BusyError`)."""
        try:
            stream = self.store.path(upload.id, ".part").open("ab")
        except FileNotFoundError as exc:
            raise UploadGoneError(f"upload {upload.id}") from exc
        with stream:
            try:
                fcntl.flock(stream, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                raise BusyError(f"upload {upload.id} is being written by another request") from exc
            yield stream

    @contextmanager
    def finished(self, upload: Upload) -> Iterator[Path]:
        """The complete file under its own name (ingest goes by the name's extension), in a
        folder of its own; the upload is gone once the block ends, whatever happened in it."""
        folder = self.store.path(upload.id, "")
        folder.mkdir(mode=0o700, exist_ok=True)
        path = folder / upload.filename
        self.store.path(upload.id, ".part").rename(path)
        try:
            yield path
        finally:
            self.store.discard(upload.id)

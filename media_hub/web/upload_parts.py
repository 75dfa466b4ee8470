"""Files sent from the browser in pieces (the tus protocol), kept as part files in the hub
until the last byte is in, then attached to their asset by `ingest` as `ingest --asset` does.

An upload is two files in the uploads folder: `ID.part` (the bytes so far: its size is the
offset) and `ID.json` (length, asset, file name, who sent it). Ids are random and checked
against their pattern before any path is built, so a request cannot name another file.
Appends take an exclusive lock on the part file, so two requests (or two web workers) never
write one upload at once.
"""

from __future__ import annotations

import fcntl
import json
import re
import secrets
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import BinaryIO

from media_hub.errors import MediaHubError, ValidationError

_ID = re.compile(r"[0-9a-f]{32}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
STALE_S = 7 * 24 * 3600  # an upload untouched this long is dropped: the page says restart


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

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def create(self, length: int, asset_id: int, filename: str, user: str) -> Upload:
        self.folder.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.folder.mkdir(mode=0o700, exist_ok=True)
        self.sweep()
        upload = Upload(secrets.token_hex(16), length, asset_id, checked_name(filename), user)
        self._part(upload.id).touch(mode=0o600)
        self._meta(upload.id).write_text(json.dumps(asdict(upload)), encoding="utf-8")
        return upload

    def get(self, upload_id: str, user: str) -> Upload:
        """The upload, if it exists and is `user`'s; else `UploadGoneError`."""
        if not _ID.fullmatch(upload_id):
            raise UploadGoneError(f"upload {upload_id[:40]!r}")
        try:
            raw = json.loads(self._meta(upload_id).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise UploadGoneError(f"upload {upload_id}") from exc
        upload = Upload(**raw)
        if upload.user != user:
            raise UploadGoneError(f"upload {upload_id}")
        return upload

    def offset(self, upload: Upload) -> int:
        try:
            return self._part(upload.id).stat().st_size
        except FileNotFoundError as exc:
            raise UploadGoneError(f"upload {upload.id}") from exc

    @contextmanager
    def appending(self, upload: Upload) -> Iterator[BinaryIO]:
        """The part file open for appending, under an exclusive lock (else `BusyError`)."""
        try:
            stream = self._part(upload.id).open("ab")
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
        folder = self.folder / upload.id
        folder.mkdir(exist_ok=True)
        path = folder / upload.filename
        self._part(upload.id).rename(path)
        try:
            yield path
        finally:
            self.discard(upload.id)

    def sweep(self, older_than_s: float = STALE_S) -> list[str]:
        """Drop the uploads nobody has added to for `older_than_s`; their ids."""
        cutoff = time.time() - older_than_s
        dropped = []
        for meta in self.folder.glob("*.json"):
            upload_id = meta.stem
            if not _ID.fullmatch(upload_id):
                continue
            try:
                touched = max(
                    p.stat().st_mtime for p in (meta, self._part(upload_id)) if p.exists()
                )
            except (OSError, ValueError):  # gone meanwhile
                continue
            if touched < cutoff:
                self.discard(upload_id)
                dropped.append(upload_id)
        return dropped

    def discard(self, upload_id: str) -> None:
        self._part(upload_id).unlink(missing_ok=True)
        self._meta(upload_id).unlink(missing_ok=True)
        shutil.rmtree(self.folder / upload_id, ignore_errors=True)

    def _part(self, upload_id: str) -> Path:
        return self.folder / f"{upload_id}.part"

    def _meta(self, upload_id: str) -> Path:
        return self.folder / f"{upload_id}.json"

"""Spreadsheets uploaded to the import page, kept in the hub until the plan is confirmed.

Each file is kept under a random token (`.web-imports/TOKEN.sheet`, owner-only, like the
hub's other private files), found again only by a token of that exact shape, and checked
against the SHA-256 shown with its plan, so the file confirmed is the file previewed. Files
left unconfirmed go after a day.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from media_hub.errors import ValidationError

FOLDER = ".web-imports"
MAX_UPLOAD_BYTES = 32 * 2**20  # an export of ~20,000 assets; `catalog import` takes larger
KEEP_S = 24 * 3600
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")


@dataclass(frozen=True)
class Upload:
    token: str
    path: Path
    sha256: str


def keep(home: Path, data: bytes) -> Upload:
    """Write the uploaded bytes under a new token (and forget the day-old ones)."""
    folder = home / FOLDER
    folder.mkdir(mode=0o700, exist_ok=True)
    _forget_old(folder)
    token = secrets.token_urlsafe(24)
    path = folder / f"{token}.sheet"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(data)
    return Upload(token, path, hashlib.sha256(data).hexdigest())


def find(home: Path, token: str, sha256: str) -> Upload:
    """The upload `token` names, if it is still the file whose hash the plan showed."""
    if not _TOKEN.fullmatch(token):
        raise ValidationError(
            "sheet", "the upload's token is not one of ours; upload the file again"
        )
    path = home / FOLDER / f"{token}.sheet"
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise ValidationError(
            "sheet", "the uploaded file is gone (applied, or older than a day); upload it again"
        ) from exc
    if not secrets.compare_digest(hashlib.sha256(data).hexdigest(), sha256):
        raise ValidationError(
            "sheet", "the file is not the one whose plan was shown; upload it again"
        )
    return Upload(token, path, sha256)


def forget(upload: Upload) -> None:
    upload.path.unlink(missing_ok=True)


def _forget_old(folder: Path) -> None:
    cutoff = time.time() - KEEP_S
    for path in folder.glob("*.sheet"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            continue  # another worker took it first

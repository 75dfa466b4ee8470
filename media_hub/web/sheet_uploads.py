"""Spreadsheets uploaded to the import page, kept in the hub until the plan is confirmed.

Each file is kept by the upload store (`.web-uploads/sheets/TOKEN.sheet`, owner only, found
again only by a token of the store's exact shape) and checked against the SHA-256 shown with
its plan, so the file confirmed is the file previewed. Files left unconfirmed go after a day.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path

from media_hub.errors import ValidationError
from media_hub.web.upload_store import SHEETS, BadTokenError, UploadStore

MAX_UPLOAD_BYTES = 32 * 2**20  # an export of ~20,000 assets; `catalog import` takes larger
SUFFIX = ".sheet"


@dataclass(frozen=True)
class Upload:
    token: str
    path: Path
    sha256: str


def keep(home: Path, data: bytes) -> Upload:
    """Write the uploaded bytes under a new token (and forget the day-old ones)."""
    store = UploadStore(home, SHEETS)
    token = store.new()
    return Upload(token, store.create(token, SUFFIX, data), hashlib.sha256(data).hexdigest())


def find(home: Path, token: str, sha256: str) -> Upload:
    """The upload `token` names, if it is still the file whose hash the plan showed."""
    try:
        path = UploadStore(home, SHEETS).path(token, SUFFIX)
    except BadTokenError as exc:
        raise ValidationError(
            "sheet", "the upload's token is not one of ours; upload the file again"
        ) from exc
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise ValidationError(
            "sheet", "the uploaded file is gone (applied, or older than a day); upload it again"
        ) from exc
    if not secrets.compare_digest(hashlib.sha256(data).hexdigest().encode(), sha256.encode()):
        raise ValidationError(
            "sheet", "the file is not the one whose plan was shown; upload it again"
        )
    return Upload(token, path, sha256)


def forget(upload: Upload) -> None:
    upload.path.unlink(missing_ok=True)

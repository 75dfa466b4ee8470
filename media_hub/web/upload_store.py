"""Files the browser sent, kept in the hub until their page is done with them: one folder,
`.web-uploads/`, owner only (folders 0700, files 0600), a sub-folder for each kind of file.

A kept file is named by a random token and a suffix (`TOKEN.part`, `TOKEN.json`, a folder
`TOKEN/`). Tokens come back in URLs and form fields, so one from a request is checked
against the tokens' one pattern (no dot, no slash) before any path is built from it: a
request can name no other file. Each kind has its time: a token none of whose files was
touched for that long is stale, and swept when the next one of its kind is made.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from media_hub.errors import MediaHubError

FOLDER = ".web-uploads"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")  # what `secrets.token_urlsafe(24)` gives


class BadTokenError(MediaHubError):
    """A token not of the store's making; no path was built from it."""


@dataclass(frozen=True)
class Kind:
    folder: str  # its sub-folder of `.web-uploads/`
    keep_s: float  # a token untouched this long is stale


TUS = Kind("tus", 7 * 24 * 3600)  # resumable uploads: the page says to start again
SHEETS = Kind("sheets", 24 * 3600)  # the import page's sheets, waiting for "confirm"


def checked(token: str) -> str:
    """`token`, if it has the shape of the store's tokens (else `BadTokenError`)."""
    if not _TOKEN.fullmatch(token):
        raise BadTokenError(f"upload {token[:40]!r} is not one of ours")
    return token


class UploadStore:
    """The files of one kind: made, found by token, discarded, swept when stale."""

    def __init__(self, home: Path, kind: Kind, folder: Path | None = None) -> None:
        """`folder` puts this kind elsewhere than `home/.web-uploads/KIND` (WebConfig's
        `uploads_dir` does so for the tus parts)."""
        self.kind = kind
        self.folder = folder or home / FOLDER / kind.folder

    def new(self) -> str:
        """A fresh token, its folder made if missing and the stale tokens swept."""
        _private_folder(self.folder)
        self.sweep()
        return secrets.token_urlsafe(24)

    def path(self, token: str, suffix: str) -> Path:
        """Where `token`'s file with `suffix` (".part", "" for its folder) is or would be."""
        return self.folder / f"{checked(token)}{suffix}"

    def create(self, token: str, suffix: str, data: bytes = b"") -> Path:
        """A new file (never one already there), mode 0600, holding `data`."""
        return _write_new(self.path(token, suffix), data)

    def discard(self, token: str) -> None:
        """`token`'s files and folder, gone (those already gone are no matter)."""
        _remove(self._by_token().get(checked(token), []))

    def sweep(self, now: float | None = None) -> list[str]:
        """Discard the tokens none of whose files was touched for the kind's time; their
        tokens. Names that are not a token's are left alone."""
        cutoff = (time.time() if now is None else now) - self.kind.keep_s
        stale = []
        for token, paths in sorted(self._by_token().items()):
            try:
                touched = max(path.lstat().st_mtime for path in paths)
            except OSError:  # gone meanwhile: taken by another worker
                continue
            if touched < cutoff:
                _remove(paths)
                stale.append(token)
        return stale

    def _by_token(self) -> dict[str, list[Path]]:
        """The kind's files and folders by token; other names are not the store's."""
        found: dict[str, list[Path]] = {}
        try:
            entries = list(self.folder.iterdir())
        except FileNotFoundError:
            return found
        for path in entries:
            token = path.name.split(".", 1)[0]
            if _TOKEN.fullmatch(token):
                found.setdefault(token, []).append(path)
        return found


@contextmanager
def scratch(home: Path, name: str, data: bytes) -> Iterator[Path]:
    """`data` as a file `name` (0600) in a private folder of its own in `.web-uploads/`, for
    a file on its way through (the own-thumbnail form's picture); gone once the block ends."""
    root = home / FOLDER
    root.mkdir(mode=0o700, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=root) as folder:  # made 0700
        yield _write_new(Path(folder) / name, data)


def _write_new(path: Path, data: bytes) -> Path:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(data)
    return path


def _remove(paths: list[Path]) -> None:
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def _private_folder(folder: Path) -> None:
    """`folder` and the one above it (`.web-uploads/`), made owner only when missing."""
    folder.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.mkdir(mode=0o700, exist_ok=True)

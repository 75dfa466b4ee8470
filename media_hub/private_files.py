"""Files that hold secrets (tokens, API keys, passwords): written 0600, refused when readable
by others.

Written atomically (a temporary file created private, synced, renamed), so a crash leaves the
old file or the new one and never a moment where the secret is readable by others.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path

from media_hub.errors import ConfigError


def write_private(path: Path, text: str, *, keep_existing: bool = False) -> None:
    """Write `text` to `path` with mode 0600; the folder is created 0700 when missing.
    `keep_existing`: a file already there wins (processes racing to make one key agree)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        Path(temporary).chmod(0o600)
        if keep_existing:
            with contextlib.suppress(FileExistsError):
                os.link(temporary, path)
            Path(temporary).unlink()
        else:
            Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read_private(path: Path, hint: str) -> str:
    """The text of a secrets file that only its owner can read; `hint` says how to make one."""
    if not path.exists():
        raise ConfigError(f"no credentials at {path}; {hint}")
    refuse_if_shared(path)
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path} cannot be read ({exc}); {hint}") from exc


def read_private_fields(
    path: Path, fields: tuple[str, ...], what: str, hint: str
) -> dict[str, str]:
    """The text `fields` of a private JSON file (`what` names it: "a SlideShare credentials
    file"); a file readable by others, not JSON or lacking one of them is refused."""
    text = read_private(path, hint)
    try:
        info = json.loads(text)
    except ValueError as exc:
        raise ConfigError(f"{path} is not {what}; {hint}") from exc
    if not isinstance(info, dict) or not all(isinstance(info.get(k), str) for k in fields):
        raise ConfigError(f"{path} lacks one of {', '.join(fields)}; {hint}")
    return {name: info[name] for name in fields}


def refuse_if_shared(path: Path, holding: str = "") -> None:
    """Refuse a file of secrets that its group or others may read or write, with the command
    that makes it private; `holding` names the secrets when the file is not only secrets."""
    if path.stat().st_mode & 0o077:
        what = f" holds {holding} and" if holding else ""
        raise ConfigError(f"{path}{what} is readable by others; run 'chmod 600 {path}'")

"""The web app's settings, fixed when it starts: one frozen object, a fresh one per test."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from pathlib import Path

from argon2 import PasswordHasher

from media_hub.private_files import read_private, write_private

SECRET_FILE = ".web-secret"  # noqa: S105 (a file name) - in the hub: signs session cookies; every worker shares it


@dataclass(frozen=True)
class WebConfig:
    secret_key: str
    thumbnails_dir: Path
    session_hours: int = 12
    login_attempts: int = 5  # failed sign-ins allowed per name and per address ...
    login_window_s: int = 15 * 60  # ... within this many seconds
    page_size: int = 48
    # Serve cookies with Secure always (True), never (False), or when the request came over
    # HTTPS as the trusted proxy reports it (None).
    secure_cookies: bool | None = None
    # The TLS proxy's addresses or networks: only their X-Forwarded-* headers are believed ...
    trusted_proxies: tuple[str, ...] = ("127.0.0.1",)
    # ... and, when set, this header of theirs names the signed-in user (the proxy's own
    # single sign-on); the user must exist in media-hub, which keeps their role.
    proxy_user_header: str | None = None
    languages: tuple[str, ...] = field(default=("fr", "ar", "en"))
    # Files sent from the browser (tus uploads): the largest taken, and where the parts are
    # kept until complete (default: `.web-uploads/tus/` in the hub, owner only).
    upload_max_bytes: int = 8 * 1024**3
    uploads_dir: Path | None = None
    # Pages call the catalog in worker threads: a few per process serve as many requests as
    # forty would, without the threads queueing on the GIL (three times the latency here).
    threads: int = 4
    password_hasher: PasswordHasher = field(default_factory=PasswordHasher)


def hub_secret(home: Path) -> str:
    """The hub's cookie-signing key, made on first use (mode 0600); when several workers
    start at once, the first one's key is everyone's."""
    path = home / SECRET_FILE
    if not path.exists():
        write_private(path, secrets.token_urlsafe(48) + "\n", keep_existing=True)
    return read_private(path, "delete it; a new one is made").strip()

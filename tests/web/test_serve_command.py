"""`media-hub serve` as people start it: the installed command, a real uvicorn on loopback,
and the forwarded headers trusted only from the configured proxy."""

from __future__ import annotations

import http.cookiejar
import re
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from media_hub.catalog.user_models import Role
from media_hub.catalog.users import UserService
from media_hub.hub import Hub
from tests.served import served

pytestmark = pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)


def _cookie(url: str, proto: str) -> str:
    request = urllib.request.Request(f"{url}/login", headers={"X-Forwarded-Proto": proto})  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 (loopback)
        assert answer.status == 200
        assert '<form method="post" action="/login">' in answer.read().decode()
        return str(answer.headers["set-cookie"])


def test_serve_trusts_the_proxy_it_is_told_of(hub_dir: Path) -> None:
    with served() as server:
        assert "Secure" in _cookie(server.url, "https")  # from 127.0.0.1, the default proxy
        assert "Secure" not in _cookie(server.url, "http")
    stderr = server.process.stderr.read() if server.process.stderr else ""
    assert "media-hub users add NAME --role admin" in stderr
    assert "Traceback" not in stderr
    with served("--proxy", "192.0.2.1") as server:  # another proxy: the header is ignored
        assert "Secure" not in _cookie(server.url, "https")
    assert (hub_dir / ".web-secret").stat().st_mode & 0o777 == 0o600


def test_several_workers_serve_one_session(hub: Hub) -> None:
    """A session signed in on one worker is good on the others: they share the hub's key."""
    UserService(hub.db, PasswordHasher()).add("amina", Role.VIEWER, "a long passphrase")
    options = ("--workers", "2", "--threads", "2", "--proxy-user-header", "X-Remote-User")
    with served(*options) as server:
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        page = opener.open(f"{server.url}/login", timeout=30).read().decode()
        token = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert token
        form = {"name": "amina", "password": "a long passphrase", "csrf_token": token[1]}
        opener.open(f"{server.url}/login", urllib.parse.urlencode(form).encode(), timeout=30)
        # urllib opens a new connection per request: the kernel spreads them over the workers.
        for _ in range(12):
            with opener.open(f"{server.url}/", timeout=30) as answer:
                assert answer.url == f"{server.url}/"  # not sent back to sign in
                assert "amina" in answer.read().decode()
        # The options reach every worker: the proxy's user header is believed from loopback.
        for _ in range(6):
            headers = {"X-Remote-User": "amina"}
            request = urllib.request.Request(f"{server.url}/", headers=headers)  # noqa: S310
            with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 (loopback)
                assert answer.url == f"{server.url}/"
                assert "amina" in answer.read().decode()
    logged = server.process.stderr.read() if server.process.stderr else ""
    assert len(set(re.findall(r"Started server process \[(\d+)\]", logged))) == 2
    assert "Traceback" not in logged

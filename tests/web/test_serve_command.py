"""`media-hub serve` as people start it: the installed command, a real uvicorn on loopback,
and the forwarded headers trusted only from the configured proxy."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

pytestmark = pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def served(*options: str) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    port = _free_port()
    command = [sys.executable, "-m", "media_hub", "serve", "--port", str(port), *options]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(process.stderr.read() if process.stderr else "") from None
                time.sleep(0.1)
        yield url, process
    finally:
        process.terminate()
        process.wait(timeout=10)


def _cookie(url: str, proto: str) -> str:
    request = urllib.request.Request(f"{url}/login", headers={"X-Forwarded-Proto": proto})  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 (loopback)
        assert answer.status == 200
        assert '<form method="post" action="/login">' in answer.read().decode()
        return str(answer.headers["set-cookie"])


def test_serve_trusts_the_proxy_it_is_told_of(hub_dir: Path) -> None:
    with served() as (url, process):
        assert "Secure" in _cookie(url, "https")  # from 127.0.0.1, the default proxy
        assert "Secure" not in _cookie(url, "http")
    stderr = process.stderr.read() if process.stderr else ""
    assert "media-hub users add NAME --role admin" in stderr
    assert "Traceback" not in stderr
    with served("--proxy", "192.0.2.1") as (url, _):  # another proxy: the header is ignored
        assert "Secure" not in _cookie(url, "https")
    assert (hub_dir / ".web-secret").stat().st_mode & 0o777 == 0o600

"""The one-shot HTTP server on 127.0.0.1 that receives Facebook Login's redirect.

It answers one request to `/` carrying `code` or `error` and keeps its query for the caller;
anything else (a browser's favicon request) gets a 404 and the wait goes on. It logs nothing:
the query holds the authorization code.
"""

from __future__ import annotations

import ssl
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from media_hub.errors import ConfigError

HOST = "127.0.0.1"
POLL_S = 0.2
PAGE = (
    b"<!doctype html><meta charset=utf-8><title>media-hub</title>"
    b"<p>media-hub received Facebook's answer; you can close this tab.</p>"
)


class _Handler(BaseHTTPRequestHandler):
    server: LoopbackServer

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        if parts.path != "/" or not ({"code", "error"} & query.keys()):
            self.send_error(404)
            return
        if self.server.answer is None:
            self.server.answer = query
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server's name
        """Silent: the request line holds the code."""


class LoopbackServer(HTTPServer):
    """`redirect_uri` to give the dialog; `wait` for its answer."""

    def __init__(self, port: int = 0) -> None:
        try:
            super().__init__((HOST, port), _Handler)
        except OSError as exc:
            raise ConfigError(
                f"Facebook Login: cannot listen on {HOST}:{port} ({exc.strerror}); free that port "
                "or give another --port (listed in the app's Valid OAuth Redirect URIs)"
            ) from exc
        self.answer: dict[str, str] | None = None
        self.failure: str | None = None  # set by a consent visit that went wrong
        self.port = int(self.server_address[1])
        self.redirect_uri = f"http://{HOST}:{self.port}/"

    def wait(self, timeout: float) -> dict[str, str] | None:
        """The redirect's query, or None when `timeout` seconds pass first."""
        deadline = time.monotonic() + timeout
        while self.answer is None and self.failure is None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            self.timeout = min(POLL_S, remaining)
            self.handle_request()
        if self.failure is not None:
            raise ConfigError(self.failure)
        return self.answer


def visit_in_background(server: LoopbackServer, url: str, ca_bundle: str | None) -> None:
    """Fetch the dialog URL as a browser would and follow its redirect to `server` (the
    sandbox's dialog consents at once); a failure ends the wait with its reason."""
    context = ssl.create_default_context(cafile=ca_bundle)
    opener = urllib.request.build_opener(
        urllib.request.ProxyHandler({}), urllib.request.HTTPSHandler(context=context)
    )

    def visit() -> None:
        try:
            with opener.open(url, timeout=30) as answer:
                answer.read()
        except OSError as exc:  # URLError, HTTPError: the dialog refused or was unreachable
            server.failure = f"Facebook Login: the sandbox's dialog failed ({exc})"

    threading.Thread(target=visit, name="facebook-consent", daemon=True).start()

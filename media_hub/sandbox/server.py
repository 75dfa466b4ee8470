"""The sandbox server: HTTPS on loopback, routing to the API modules, run in a background thread.

`Sandbox` is what tests and the demo use:

    with Sandbox(tmp_path / "channel.json") as sandbox:
        build("youtube", "v3", client_options={"api_endpoint": sandbox.url}, ...)
        SlideShareClient(sandbox.slideshare_api_base, ...)  # SlideShare API v2 at /api/2/

TLS is done in each connection's thread (a slow handshake never blocks the others); bodies are
streamed; request lines are logged without queries or headers, so no token reaches a log.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import ssl
import struct
import threading
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from media_hub.sandbox import faults, oauth
from media_hub.sandbox.analytics_api import AnalyticsApi
from media_hub.sandbox.errors import ApiError, server_error
from media_hub.sandbox.facebook_api import PREFIX as FACEBOOK_PREFIX
from media_hub.sandbox.facebook_api import FacebookApi
from media_hub.sandbox.facebook_login import DIALOG_PREFIX as FACEBOOK_DIALOG_PREFIX
from media_hub.sandbox.facebook_login import FacebookLogin
from media_hub.sandbox.facebook_page import GraphFailureError
from media_hub.sandbox.playlists import PlaylistsApi
from media_hub.sandbox.quota import QuotaTable, charge
from media_hub.sandbox.slideshare_account import account as slideshare_account
from media_hub.sandbox.slideshare_api import PREFIX as SLIDESHARE_PREFIX
from media_hub.sandbox.slideshare_api import SlideShareApi
from media_hub.sandbox.state import Clock, State, utc_now
from media_hub.sandbox.tls import ensure_certificate
from media_hub.sandbox.uploads import Uploads
from media_hub.sandbox.wire import Body, Request, Response, Route
from media_hub.sandbox.youtube_api import YouTubeApi

logger = logging.getLogger(__name__)
HOST = "127.0.0.1"
QUOTA_DAYS_KEPT = 8


@dataclass(frozen=True)
class Served:
    """One request as served, for tests: status 0 means the connection was dropped."""

    method: str
    path: str
    status: int
    content_range: str | None = None


class App:
    """Routes a request: faults first, then authentication and quota, then the handler.

    SlideShare's `/api/2/` calls meet the same faults but neither OAuth nor Google's quota.
    """

    def __init__(self, state: State, base_url: str) -> None:
        self.state = state
        self._costs = QuotaTable.load()
        self.faults = faults.Faults(state, self.quota_table)
        self.uploads = Uploads(state)
        self.youtube = YouTubeApi(state, self.uploads, base_url)
        self.playlists = PlaylistsApi(state, base_url)
        self.slideshare = SlideShareApi(state, base_url)
        self.facebook = FacebookApi(state)
        self.facebook_login = FacebookLogin(state)
        open_routes = [
            Route("GET", "/o/oauth2/auth", lambda r: oauth.authorize(state, r)),
            Route("POST", "/token", lambda r: oauth.token(state, r)),
        ]
        routes: Iterable[Route] = [
            *open_routes,
            *self.youtube.routes(),
            *self.playlists.routes(),
            *AnalyticsApi(state).routes(),
        ]
        self.routes = {(route.method, route.path): route for route in routes}
        self.log: deque[Served] = deque(maxlen=10_000)
        self.holding: list[Served] = []  # requests carried out whose answer is held

    def quota_table(self) -> QuotaTable:
        """The published costs with the sandbox's own limits, if any."""
        limits = self.state.config("limits") or {}
        return replace(self._costs, limits={**self._costs.limits, **limits})

    def handle(self, request: Request) -> Response:
        response = self._handle(request)
        if request.lose_answer:  # carried out; the client never hears of it
            response = Response(drop=True)
        status = 0 if response.drop else response.status
        served = Served(request.method, request.path, status, request.header("Content-Range"))
        if request.hold_seconds:  # done; the answer waits (tests kill the client meanwhile)
            self.holding.append(served)
            time.sleep(request.hold_seconds)
            self.holding.remove(served)
        self.log.append(served)
        return response

    def _handle(self, request: Request) -> Response:
        try:
            if request.path.startswith(faults.ADMIN_PREFIX):
                return faults.admin(self.faults, self.state, request)
            fault = self.faults.take(request.method, request.path)
            graph = request.path.startswith(FACEBOOK_PREFIX)
            if fault is not None and graph and fault.kind in faults.STATUS_KINDS:
                return GraphFailureError("An unexpected error has occurred. Please retry your "
                                         "request later.", 2, status=int(fault.kind),
                                         transient=True).response()  # fmt: skip
            if fault is not None:
                replaced = faults.outcome(fault, request)
                if replaced is not None:
                    return replaced
            if request.path.startswith(SLIDESHARE_PREFIX):
                return self.slideshare.handle(request)
            if FacebookLogin.serves(request.path):
                return self.facebook_login.handle(request)
            if request.path.startswith(FACEBOOK_PREFIX):
                return self.facebook.handle(request)
            route = self.routes.get((request.method, request.path))
            if route is None:
                raise ApiError("notFound", f"No method {request.method} {request.path}.")
            charged = 0
            if route.api_method is not None:
                oauth.authenticate(self.state, request, route.scopes)
                if route.charge:
                    charged = self._charge(route.api_method)
            try:
                return route.handler(request)
            except ApiError:
                # "All API requests, including invalid requests, incur a quota cost of at
                # least one point" (the Data API's quota page): a refused call costs 1.
                if charged > 1:
                    self._refund(route.api_method or "", charged - 1)
                raise
        except ApiError as error:
            return Response.error(error)

    def _charge(self, api_method: str) -> int:
        table = self.quota_table()
        with self.state.change() as data:
            days = data["quota"]
            used = days.setdefault(self.state.today().isoformat(), {})
            cost = charge(table, used, api_method)
            for old in sorted(days)[:-QUOTA_DAYS_KEPT]:
                del days[old]
        return cost

    def _refund(self, api_method: str, units: int) -> None:
        bucket = self.quota_table().bucket(api_method)
        with self.state.change() as data:
            used = data["quota"].setdefault(self.state.today().isoformat(), {})
            used[bucket] = max(0, used.get(bucket, 0) - units)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(self.server.read_timeout)

    def do_GET(self) -> None:
        self._serve()

    do_POST = do_PUT = do_DELETE = do_GET  # noqa: N815

    def _serve(self) -> None:
        split = urlsplit(self.path)
        headers = {name.lower(): value for name, value in self.headers.items()}
        if "chunked" in headers.get("transfer-encoding", ""):
            self._send(Response(411, b"Content-Length required"), close=True)
            return
        length = headers.get("content-length") or "0"
        if not length.isdigit():
            self._send(Response.error(ApiError("parseError", "Bad Content-Length.")), close=True)
            return
        body = Body(self.rfile, int(length))  # type: ignore[arg-type]  # a buffered socket file
        query = dict(parse_qsl(split.query, keep_blank_values=True))
        request = Request(self.command, split.path, query, headers, body, self.server.base_url)
        try:
            assert self.server.app is not None
            response = self.server.app.handle(request)
            body.drain()
        except TimeoutError:
            self._send(Response.error(ApiError("parseError", "The request body timed out.")), True)
            return
        except Exception:  # a sandbox bug: answer like Google's backend would, and say so
            logger.exception("sandbox failed on %s %s", self.command, split.path)
            self._send(Response.error(server_error(500)), close=True)
            return
        if response.drop:
            self._reset()
        else:
            self._send(response)

    def _send(self, response: Response, close: bool = False) -> None:
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(response.body)

    def _reset(self) -> None:
        """Drop the connection without an answer (a TCP reset; through TLS clients see it close)."""
        self.close_connection = True
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.rfile.close()
        self.connection.close()

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        logger.info("%s %s -> %s", self.command, urlsplit(self.path).path, code)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server's name
        logger.debug(format, *args)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int, context: ssl.SSLContext, read_timeout: float) -> None:
        super().__init__((HOST, port), _Handler)
        self.context = context
        self.read_timeout = read_timeout
        self.base_url = ""
        self.app: App | None = None  # set once the port, hence the URL, is known
        self.connections: set[ssl.SSLSocket] = set()
        self.connections_lock = threading.Lock()

    def finish_request(self, request: Any, client_address: Any) -> None:
        request.settimeout(self.read_timeout)
        request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # no 40 ms ACK stalls
        try:
            connection = self.context.wrap_socket(request, server_side=True)
        except (OSError, ssl.SSLError) as exc:
            logger.debug("TLS handshake failed: %s", exc)
            return
        with self.connections_lock:
            self.connections.add(connection)
        try:
            _Handler(connection, client_address, self)
        finally:
            with self.connections_lock:
                self.connections.discard(connection)
            connection.close()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client gone mid-answer (killed by a test, Ctrl-C) is routine here: logged at
        debug level, not printed as a traceback on stderr."""
        logger.debug("connection from %s ended abruptly", client_address, exc_info=True)

    def close_connections(self) -> None:
        """End kept-alive connections so no client keeps talking to a stopped sandbox."""
        with self.connections_lock:
            for connection in list(self.connections):
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)


class Sandbox:
    """A running sandbox: `.url`, `.ca_cert`, `.faults`, `.state`, `.slideshare_api_base`;
    a context manager."""

    def __init__(
        self,
        state_file: Path,
        port: int = 0,
        *,
        clock: Clock = utc_now,
        cert_dir: Path | None = None,
        read_timeout: float = 30.0,
        start_days_ago: int = 0,
        **config: Any,
    ) -> None:
        self.state = State(state_file, clock, start_days_ago=start_days_ago)
        if config:
            self.state.configure(**config)
        self.ca_cert, key = ensure_certificate(cert_dir or state_file.parent / "sandbox-tls")
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(self.ca_cert, key)
        self._server = _Server(port, context, read_timeout)
        self.port = int(self._server.server_address[1])
        self.url = f"https://{HOST}:{self.port}"
        self._server.base_url = self.url
        self.app = App(self.state, self.url)
        self._server.app = self.app
        self.faults = self.app.faults
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"sandbox-{self.port}",
            daemon=True,
        )
        self._thread.start()
        logger.info("sandbox serving %s (state %s)", self.url, state_file)

    @property
    def token_uri(self) -> str:
        return self.url + "/token"

    @property
    def auth_uri(self) -> str:
        return self.url + "/o/oauth2/auth"

    @property
    def slideshare_api_base(self) -> str:
        return self.url + SLIDESHARE_PREFIX

    @property
    def facebook_graph_base(self) -> str:
        """The Graph API's root (the version follows it), as `facebook.graph_base`."""
        return self.url + FACEBOOK_PREFIX.rstrip("/")

    @property
    def facebook_dialog_base(self) -> str:
        """Facebook Login's dialog root (the version follows it), as `facebook.dialog_base`."""
        return self.url + FACEBOOK_DIALOG_PREFIX.rstrip("/")

    @property
    def slideshare_account(self) -> dict[str, str]:
        """A copy of the SlideShare account: username, api_key, shared_secret, password."""
        return slideshare_account(self.state)

    @property
    def requests(self) -> list[Served]:
        """Every request served, oldest first."""
        return list(self.app.log)

    def advance_days(self, days: int) -> None:
        self.state.advance_days(days)

    def grant(self, client_id: str, scopes: Iterable[str]) -> str:
        """A refresh token, as if the channel owner had consented already."""
        return oauth.grant(self.state, client_id, scopes)

    def set_manual_sort(self, playlist_id: str, manual: bool) -> None:
        self.app.playlists.set_manual_sort(playlist_id, manual)

    def stop(self) -> None:
        self._server.shutdown()
        self._server.close_connections()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

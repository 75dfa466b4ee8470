"""A small Graph API client over `requests`: the Page access token in an `Authorization: OAuth`
header (never in a URL, which urllib3 logs), `appsecret_proof` on every call, Graph errors as
`GraphError`, usage headers read after every answer.

Reads are retried on temporary errors and dropped connections with exponential backoff and
jitter. Calls that create something (an upload session, a video) are the caller's to retry:
only it knows whether a lost answer may have created a second thing. Production and the
sandbox differ only by `graph_base` (and the sandbox's CA certificate).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import random
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

import requests

from media_hub.errors import ConfigError, RemoteError
from media_hub.platforms.facebook.credentials import FacebookCredentials
from media_hub.platforms.facebook.errors import SERVICE, GraphError
from media_hub.platforms.facebook.usage import Usage, read_usage

log = logging.getLogger(__name__)

TRANSPORT = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError)
MAX_DELAY_S = 30.0
PAGE_LIMIT = 100
BLOCK_BYTES = 256 * 1024  # a piece is sent by blocks of this (bigger TLS writes are slower)


class FilePiece:
    """`length` bytes of an open file from `offset`, sent as they are read (a block at a
    time), so that a piece's size does not weigh on memory. Its length gives the request its
    Content-Length; it is read once: a piece to send again is a new one."""

    def __init__(self, stream: BinaryIO, offset: int, length: int) -> None:
        self._stream = stream
        self._offset = offset
        self._length = length

    def __len__(self) -> int:
        return self._length

    def __iter__(self) -> Iterator[bytes]:
        self._stream.seek(self._offset)
        left = self._length
        while left > 0:
            block = self._stream.read(min(BLOCK_BYTES, left))
            if not block:
                raise OSError(f"the file ended {left} bytes short of the piece")
            left -= len(block)
            yield block


class LostAnswerError(RemoteError):
    """The call went out and no answer came back (dropped connection, 5xx): it may have
    been carried out."""

    def __init__(self, doing: str, detail: str) -> None:
        super().__init__(SERVICE, "connection", f"{doing}: {detail}; rerun to continue")


class GraphClient:
    """One Page's calls at one pinned Graph API version; `sleep` is injectable for tests."""

    def __init__(
        self,
        graph_base: str,
        version: str,
        credentials: FacebookCredentials,
        *,
        ca_bundle: Path | None = None,
        timeout: float = 120.0,
        attempts: int = 5,
        slowdown_percent: int = 75,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        parts = urlsplit(graph_base)
        if parts.scheme != "https" or not parts.hostname or parts.query or parts.fragment:
            raise ConfigError(
                f"facebook.graph_base {graph_base!r} is not an https URL; use "
                "https://graph.facebook.com or the sandbox's"
            )
        self.root = f"{graph_base.rstrip('/')}/{version}"
        self.credentials = credentials
        self.usage = Usage(0, 0)
        self._timeout = timeout
        self._attempts = max(1, attempts)
        self._slowdown = slowdown_percent
        self._sleep = sleep
        self._session = requests.Session()
        self._session.headers["Authorization"] = f"OAuth {credentials.page_token}"
        if ca_bundle is not None:  # REQUESTS_CA_BUNDLE must not win over the configured CA
            self._session.verify = str(ca_bundle)
            self._session.trust_env = False
        self._proof = hmac.new(
            credentials.app_secret.encode(), credentials.page_token.encode(), hashlib.sha256
        ).hexdigest()

    @property
    def page_id(self) -> str:
        return self.credentials.page_id

    def close(self) -> None:
        self._session.close()

    # -- calls ---------------------------------------------------------------------------------
    def get(self, path: str, params: Mapping[str, str] | None = None, *, doing: str) -> Any:
        """A read, retried on temporary errors and dropped connections."""
        return self._retried("GET", path, doing, params=dict(params or {}))

    def post(
        self,
        path: str,
        data: Mapping[str, str] | None = None,
        *,
        doing: str,
        files: Mapping[str, tuple[str, bytes, str]] | None = None,
        idempotent: bool = False,
    ) -> Any:
        """A write; retried only when sending it twice changes nothing (`idempotent`), else a
        lost answer raises `LostAnswerError` for the caller to look before sending again."""
        if idempotent:
            return self._retried("POST", path, doing, data=dict(data or {}), files=files)
        return self._once("POST", path, doing, data=dict(data or {}), files=files)

    def pages(self, path: str, params: Mapping[str, str], *, doing: str) -> Iterator[Any]:
        """Every item of an edge, page by page (cursor `after`)."""
        query = {**params, "limit": str(PAGE_LIMIT)}
        while True:
            answer = self.get(path, query, doing=doing)
            yield from answer.get("data") or []
            after = ((answer.get("paging") or {}).get("cursors") or {}).get("after")
            if not after or not (answer.get("paging") or {}).get("next"):
                return
            query = {**query, "after": str(after)}

    # -- the Resumable Upload API --------------------------------------------------------------
    def start_upload(self, name: str, length: int, mimetype: str, *, doing: str) -> str:
        """A new upload session on the app; nothing is uploaded yet, so a retry costs only
        an unused session."""
        params = {"file_name": name, "file_length": str(length), "file_type": mimetype}
        answer = self._retried("POST", f"{self.credentials.app_id}/uploads", doing, params=params)
        session = answer.get("id") if isinstance(answer, dict) else None
        if not isinstance(session, str) or not session.startswith("upload:"):
            raise RemoteError(SERVICE, "noSession", f"{doing}: no upload session in the answer")
        return session

    def upload_offset(self, session: str, *, doing: str) -> int:
        """Where the session stands: the bytes Meta holds."""
        answer = self._retried("GET", session, doing)
        offset = answer.get("file_offset") if isinstance(answer, dict) else None
        if isinstance(offset, str) and offset.isdigit():
            offset = int(offset)
        if not isinstance(offset, int):
            raise RemoteError(SERVICE, "noOffset", f"{doing}: the session gave no file_offset")
        return offset

    def send_bytes(self, session: str, offset: int, chunk: bytes | FilePiece, *, doing: str) -> Any:
        """One piece of the file at `offset`: `{"h": handle}` once the file is complete.
        Not retried here: after a failure the caller asks the session where it stands."""
        headers = {"file_offset": str(offset), "Content-Type": "application/octet-stream",
                   "Content-Length": str(len(chunk))}  # fmt: skip
        return self._once("POST", session, doing, body=chunk, headers=headers)

    # -- plumbing ------------------------------------------------------------------------------
    def _retried(self, method: str, path: str, doing: str, **kwargs: Any) -> Any:
        attempt = 0
        while True:
            attempt += 1
            try:
                return self._once(method, path, doing, **kwargs)
            except LostAnswerError:
                if attempt >= self._attempts:
                    raise
            except GraphError as error:
                if not error.temporary or attempt >= self._attempts:
                    raise
            delay = min(MAX_DELAY_S, 2.0**attempt) * (0.5 + random.random() / 2)  # noqa: S311
            log.warning("%s: Facebook failed; retrying in %.1f s", doing, delay)
            self._sleep(delay)

    def _once(
        self,
        method: str,
        path: str,
        doing: str,
        *,
        params: Mapping[str, str] | None = None,
        data: Mapping[str, str] | None = None,
        files: Mapping[str, tuple[str, bytes, str]] | None = None,
        body: bytes | FilePiece | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Any:
        pause = self.usage.pause(self._slowdown)
        if pause:
            log.info("Facebook usage at %d%% of a limit: waiting %.1f s", self.usage.percent, pause)
            self._sleep(pause)
        query = {**(params or {}), "appsecret_proof": self._proof}
        try:
            response = self._session.request(
                method, f"{self.root}/{path}", params=query, data=body if body is not None else
                data, files=files, headers=dict(headers or {}), timeout=self._timeout,
            )  # fmt: skip
        except TRANSPORT as exc:
            lost = f"the connection to Facebook was lost ({type(exc).__name__})"
            raise LostAnswerError(doing, lost) from exc
        self.usage = read_usage(response.headers)
        try:
            answer = response.json()
        except ValueError:
            answer = None
        if response.status_code >= 400 or (isinstance(answer, dict) and "error" in answer):
            error = GraphError.from_body(response.status_code, answer)
            if response.status_code >= 500 and method == "POST":  # carried out or not: unknown
                raise LostAnswerError(doing, f"Facebook answered HTTP {response.status_code}")
            raise error
        if answer is None:
            raise RemoteError(SERVICE, "badAnswer", f"{doing}: the answer was not JSON")
        return answer

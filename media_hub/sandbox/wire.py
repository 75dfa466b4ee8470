"""What handlers see of HTTP: a parsed request with a streamed body, and a response to send.

Bodies are read in 1 MiB pieces, never whole, because a video upload can be 2 GB; only JSON and
form bodies (capped at `MAX_SMALL_BODY`) are read into memory.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, BinaryIO
from urllib.parse import parse_qsl

from media_hub.sandbox.errors import ApiError

PIECE = 1024 * 1024
MAX_SMALL_BODY = 1024 * 1024


class Body:
    """The request body as a stream of exactly Content-Length bytes."""

    def __init__(self, stream: BinaryIO, length: int) -> None:
        self._stream = stream
        self.length = length
        self.remaining = length

    def pieces(self, limit: int | None = None) -> Iterator[bytes]:
        """Yield the rest of the body; a body larger than `limit` is refused before reading."""
        if limit is not None and self.length > limit:
            raise ApiError("mediaBodyTooLarge", code=413)
        while self.remaining > 0:
            piece = self._stream.read(min(PIECE, self.remaining))
            if not piece:
                raise ApiError("parseError", "The request body ended before Content-Length.")
            self.remaining -= len(piece)
            yield piece

    def read_small(self) -> bytes:
        return b"".join(self.pieces(MAX_SMALL_BODY))

    def json(self) -> dict[str, Any]:
        raw = self.read_small()
        if not raw.strip():
            return {}
        try:
            value = json.loads(raw)
        except ValueError as exc:
            raise ApiError("parseError", f"Invalid JSON payload received: {exc}") from exc
        if not isinstance(value, dict):
            raise ApiError("parseError", "The request body must be a JSON object.")
        return value

    def form(self) -> dict[str, str]:
        return dict(parse_qsl(self.read_small().decode("utf-8", "replace")))

    def drain(self) -> None:
        for _ in self.pieces():
            pass


@dataclass
class Request:
    """One request as the sandbox's handlers see it."""

    method: str
    path: str
    query: dict[str, str]
    headers: Mapping[str, str]
    body: Body
    base_url: str
    accept_fraction: float | None = None  # set by a "partial" fault on upload chunks
    hold_seconds: float = 0.0  # set by a "hold" fault: answer only after this long
    lose_answer: bool = False  # set by a "lost" fault: carried out, then the connection drops

    def header(self, name: str) -> str | None:
        """A request header; `headers` has lower-case names."""
        return self.headers.get(name.lower())

    def param(self, name: str, default: str | None = None) -> str | None:
        return self.query.get(name, default)

    def require(self, name: str) -> str:
        value = self.query.get(name)
        if not value:
            raise ApiError(
                "missingRequiredParameter", f"Required parameter: {name}", domain="global"
            )
        return value


@dataclass
class Response:
    """A response; `drop` asks the server to reset the connection instead of answering."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    drop: bool = False

    @classmethod
    def json(cls, value: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
        return cls(
            status,
            json.dumps(value, ensure_ascii=False).encode(),
            {"Content-Type": "application/json; charset=UTF-8", **(headers or {})},
        )

    @classmethod
    def error(cls, error: ApiError) -> Response:
        return cls(
            error.code,
            error.encoded(),
            {"Content-Type": "application/json; charset=UTF-8", **error.headers},
        )


@dataclass(frozen=True)
class Route:
    """An endpoint: `api_method` names it for quota and scopes; None leaves it open (OAuth,
    upload session URIs, the admin endpoints)."""

    method: str
    path: str
    handler: Callable[[Request], Response]
    api_method: str | None = None
    scopes: frozenset[str] = frozenset()
    charge: bool = True  # counted against the Data API's quota

"""Fault injection: the failures a real upload meets, on demand and counted.

Pending faults match the next requests by method and path prefix: answer a 5xx, reset the
connection without answering, or take only part of an upload chunk. Three act at once: use
up the day's quota, use up the day's SlideShare calls (the next signed call gets code 99),
expire every access token. Tests call the Python API; people use `--fault SPEC` or
`POST /sandbox/faults`. SlideShare's calls match by path like any other (`path=/api/2/`).

SPEC is `KIND[,key=value...]`: KIND is 500, 502, 503, 504, 429, drop, lost, partial, hold,
quota, daily-limit or expire-tokens (`lost`: the request is carried out, then the connection
drops before the answer, as when a proxy or the network fails on the way back); keys are
method, path, count, fraction (partial), seconds (hold: the request is carried out and its
answer held, as when a client dies waiting), after (let that many matching requests through
first) and bucket (quota). Examples: `503,path=/upload/,count=2`, `drop,method=PUT`,
`partial,fraction=0.5,count=3`, `quota`, `503,path=/api/2/`, `daily-limit`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from media_hub.sandbox import oauth
from media_hub.sandbox.errors import ApiError, server_error
from media_hub.sandbox.quota import QuotaTable, exhaust
from media_hub.sandbox.slideshare_account import use_up_calls
from media_hub.sandbox.state import State
from media_hub.sandbox.wire import Request, Response

STATUS_KINDS = {"429", "500", "502", "503", "504"}
PENDING_KINDS = STATUS_KINDS | {"drop", "lost", "partial", "hold"}
IMMEDIATE_KINDS = {"quota", "daily-limit", "expire-tokens"}
ADMIN_PREFIX = "/sandbox/"


@dataclass
class Fault:
    """One pending fault; `count` requests matching `method` and `path` will meet it."""

    kind: str
    method: str | None = None
    path: str = "/"
    count: int = 1
    fraction: float = 0.5
    seconds: float = 5.0  # "hold": the request is done, its answer waits this long
    after: int = 0  # matching requests let through before the fault starts

    def matches(self, method: str, path: str) -> bool:
        return (self.method is None or self.method == method) and path.startswith(self.path)


class Faults:
    """The sandbox's pending faults, shared by all request threads."""

    def __init__(self, state: State, quota: Callable[[], QuotaTable]) -> None:
        self._state = state
        self._quota = quota
        self._pending: list[Fault] = []
        self._lock = threading.Lock()

    def add(
        self,
        kind: str,
        *,
        method: str | None = None,
        path: str = "/",
        count: int = 1,
        fraction: float = 0.5,
        bucket: str | None = None,
        seconds: float = 5.0,
        after: int = 0,
    ) -> None:
        """Queue a fault, or apply `quota` / `daily-limit` / `expire-tokens` at once."""
        if kind == "quota":
            self.exhaust_quota(bucket)
            return
        if kind == "daily-limit":
            use_up_calls(self._state)
            return
        if kind == "expire-tokens":
            self.expire_tokens()
            return
        if kind not in PENDING_KINDS:
            kinds = sorted(PENDING_KINDS | IMMEDIATE_KINDS)
            raise ValueError(f"unknown fault {kind!r}; use one of {kinds}")
        if count < 1 or not 0 <= fraction < 1:
            raise ValueError("count must be at least 1 and fraction in [0, 1)")
        with self._lock:
            self._pending.append(
                Fault(kind, method and method.upper(), path, count, fraction, seconds, after)
            )

    def add_spec(self, spec: str) -> None:
        """Queue a fault written as `KIND[,key=value...]` (see the module docstring)."""
        kind, options = parse_spec(spec)
        self.add(kind, **options)

    def exhaust_quota(self, bucket: str | None = None) -> None:
        with self._state.change() as data:
            day = data["quota"].setdefault(self._state.today().isoformat(), {})
            exhaust(self._quota(), day, bucket)

    def expire_tokens(self) -> None:
        oauth.expire_access_tokens(self._state)

    def take(self, method: str, path: str) -> Fault | None:
        """The fault this request meets, if any (spending one of its count)."""
        if path.startswith(ADMIN_PREFIX):
            return None
        with self._lock:
            for fault in self._pending:
                if fault.matches(method, path):
                    if fault.after > 0:
                        fault.after -= 1
                        return None
                    fault.count -= 1
                    if fault.count == 0:
                        self._pending.remove(fault)
                    return fault
        return None

    def pending(self) -> list[dict[str, Any]]:
        with self._lock:
            return [asdict(fault) for fault in self._pending]

    def clear(self) -> None:
        with self._lock:
            self._pending.clear()


FAULT_OPTIONS = {"method": str, "path": str, "count": int, "fraction": float, "bucket": str,
                 "seconds": float, "after": int}  # fmt: skip


def parse_spec(spec: str) -> tuple[str, dict[str, Any]]:
    """`KIND[,key=value...]` as the kind and its options, checked before anything runs."""
    parts = [part.strip() for part in spec.split(",") if part.strip()]
    if not parts:
        raise ValueError("an empty fault; give one such as '503,path=/upload/,count=2'")
    kind, *pairs = parts
    if kind not in PENDING_KINDS | IMMEDIATE_KINDS:
        raise ValueError(
            f"unknown fault {kind!r}; use one of {sorted(PENDING_KINDS | IMMEDIATE_KINDS)}"
        )
    options: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        convert = FAULT_OPTIONS.get(key)
        if not sep or convert is None:
            raise ValueError(f"bad fault option {pair!r} in {spec!r}")
        try:
            options[key] = convert(value)
        except ValueError:
            raise ValueError(f"bad fault option {pair!r} in {spec!r}: not a number") from None
    if options.get("count", 1) < 1 or not 0 <= options.get("fraction", 0.5) < 1:
        raise ValueError("count must be at least 1 and fraction in [0, 1)")
    return kind, options


def outcome(fault: Fault, request: Request) -> Response | None:
    """The response a fault replaces the real one with; None lets the request through."""
    if fault.kind in STATUS_KINDS:
        if fault.kind == "429":
            return Response.error(ApiError("rateLimitExceeded", "Too many requests.", code=429))
        return Response.error(server_error(int(fault.kind)))
    if fault.kind == "drop":
        return Response(drop=True)
    if fault.kind == "hold":
        request.hold_seconds = fault.seconds
        return None
    if fault.kind == "lost":
        request.lose_answer = True
        return None
    request.accept_fraction = fault.fraction
    return None


def admin(faults: Faults, state: State, request: Request) -> Response:
    """`/sandbox/faults`, `/sandbox/advance-days` and `/sandbox/state`, for tests and training."""
    try:
        if request.path == "/sandbox/faults" and request.method == "POST":
            body = request.body.json()
            if "spec" in body:
                faults.add_spec(str(body["spec"]))
            else:
                faults.add(**body)
            return Response.json({"pending": faults.pending()})
        if request.path == "/sandbox/faults" and request.method == "GET":
            return Response.json({"pending": faults.pending()})
        if request.path == "/sandbox/faults" and request.method == "DELETE":
            faults.clear()
            return Response.json({"pending": []})
        if request.path == "/sandbox/advance-days" and request.method == "POST":
            state.advance_days(int(request.body.json().get("days", 1)))
            return Response.json({"today": state.today().isoformat()})
        if request.path == "/sandbox/state" and request.method == "GET":
            return Response.json(state.snapshot())
    except (TypeError, ValueError) as exc:
        raise ApiError("invalidValue", str(exc), domain="sandbox") from exc
    raise ApiError("notFound", f"No sandbox endpoint {request.method} {request.path}.")

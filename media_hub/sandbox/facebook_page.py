"""The sandbox's Facebook Page and app: their ids and secrets, the access check, the rate
limit and its usage header, and Graph-shaped errors.

Kept under `facebook` in the sandbox's state file (secrets made here, written for media-hub
with mode 0600 by `save_credentials`). Every Graph call must carry the Page token (in an
`Authorization: OAuth` header or `access_token`) and its `appsecret_proof`; calls are counted
over a rolling hour against `calls_per_hour`, reported as a percentage in
`X-Business-Use-Case-Usage` (Page tokens fall under Business Use Case limits), and refused
with code 32 past it. Tests inject other rate limits (4, 17, 613, 80001), an expired token
(190/463) and transient errors through `FacebookPage`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from media_hub.private_files import write_private
from media_hub.sandbox.state import Data, State
from media_hub.sandbox.wire import Request, Response

RATE_LIMIT_MESSAGES = {
    4: "Application request limit reached",
    17: "User request limit reached",
    32: "Page request limit reached",
    613: "Calls to this api have exceeded the rate limit.",
    80001: "There have been too many calls to this Page account. Wait a bit and try again.",
}
WINDOW = dt.timedelta(hours=1)


@dataclass
class GraphFailureError(Exception):
    """A Graph error answer: `{"error": {"message", "type", "code", "error_subcode",
    "fbtrace_id"}}` with its HTTP status."""

    message: str
    code: int
    status: int = 400
    subcode: int | None = None
    kind: str = "OAuthException"
    transient: bool = False
    usage: dict[str, str] = field(default_factory=dict)  # the usage header, once counted

    def response(self, headers: dict[str, str] | None = None) -> Response:
        error: dict[str, Any] = {"message": self.message, "type": self.kind, "code": self.code}
        if self.subcode is not None:
            error["error_subcode"] = self.subcode
        if self.transient:
            error["is_transient"] = True
        error["fbtrace_id"] = "A" + secrets.token_urlsafe(14)
        return Response.json({"error": error}, self.status, {**self.usage, **(headers or {})})


def invalid(message: str, subcode: int | None = None) -> GraphFailureError:
    return GraphFailureError(message, 100, subcode=subcode)


def new_page() -> Data:
    return {
        "page": {"id": str(10**14 + secrets.randbelow(9 * 10**14)), "name": "ANAPEC (sandbox)"},
        "app_id": str(10**14 + secrets.randbelow(9 * 10**14)),
        "page_token": "EAAB" + secrets.token_urlsafe(48),
        "app_secret": secrets.token_hex(16),
        "token_expired": False,
        "calls_per_hour": 4800,
        "calls": [],  # ISO times of the calls of the last hour
        "next_id": 10**15 + secrets.randbelow(10**15),
        "sessions": {},
        "videos": {},
    }


class FacebookPage:
    """Access, counting and injected failures over the state's `facebook` part."""

    def __init__(self, state: State) -> None:
        self.state = state
        with state.change() as data:
            data.setdefault("facebook", new_page())
        self._lock = threading.Lock()
        self._throttled: list[int | None] = []  # what the next calls meet (None: nothing)
        self._transient = 0  # calls answered code 2 (transient) before the real answer

    # -- for tests and the demo ----------------------------------------------------------------
    @property
    def account(self) -> dict[str, str]:
        with self.state.read() as data:
            fb = data["facebook"]
            return {"page_id": fb["page"]["id"], "app_id": fb["app_id"],
                    "page_token": fb["page_token"], "app_secret": fb["app_secret"]}  # fmt: skip

    def throttle(self, code: int = 4, count: int = 1, *, after: int = 0) -> None:
        """`count` calls meet rate limit `code`, once `after` more have gone through."""
        if code not in RATE_LIMIT_MESSAGES:
            raise ValueError(f"not a rate limit code: {code}")
        with self._lock:
            self._throttled.extend([None] * after + [code] * count)

    def fail_transiently(self, count: int = 1) -> None:
        with self._lock:
            self._transient += count

    def expire_token(self) -> None:
        with self.state.change() as data:
            data["facebook"]["token_expired"] = True

    def renew_token(self) -> str:
        with self.state.change() as data:
            fb = data["facebook"]
            fb["page_token"], fb["token_expired"] = "EAAB" + secrets.token_urlsafe(48), False
            token: str = fb["page_token"]
        return token

    def set_calls_per_hour(self, calls: int) -> None:
        with self.state.change() as data:
            data["facebook"]["calls_per_hour"] = calls

    # -- every call ----------------------------------------------------------------------------
    def admit(self, request: Request, cost: int = 1) -> dict[str, str]:
        """Check the token and its proof, count the call (`cost` calls: a batch counts each of
        its requests); the usage header to answer with."""
        with self.state.read() as data:
            fb = dict(data["facebook"])
        token = request.param("access_token")
        header = request.header("Authorization") or ""
        if header.startswith("OAuth ") or header.startswith("Bearer "):
            token = header.split(" ", 1)[1].strip()
        if not token:
            raise GraphFailureError(
                "An active access token must be used to query information.", 2500
            )
        if not hmac.compare_digest(token, fb["page_token"]):
            raise GraphFailureError("Invalid OAuth access token - Cannot parse access token", 190)
        if fb["token_expired"]:
            raise GraphFailureError(
                "Error validating access token: Session has expired.", 190, subcode=463
            )
        proof = request.param("appsecret_proof") or ""
        expected = hmac.new(fb["app_secret"].encode(), token.encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(proof, expected):
            raise invalid("API calls from the server require an appsecret_proof argument")
        usage = self._count(fb, cost)
        headers = {"X-Business-Use-Case-Usage": json.dumps(usage)}
        with self._lock:
            code = self._throttled.pop(0) if self._throttled else None
            transient = self._transient > 0
            self._transient -= 1 if transient else 0
        failure = None
        if code is not None:
            failure = GraphFailureError(RATE_LIMIT_MESSAGES[code], code, status=400)
        elif usage[fb["page"]["id"]][0]["call_count"] > 100:
            failure = GraphFailureError(RATE_LIMIT_MESSAGES[32], 32, status=400)
        elif transient:
            failure = GraphFailureError(
                "An unexpected error has occurred. Please retry your request later.", 2,
                status=500, transient=True,
            )  # fmt: skip
        if failure is not None:  # a refused call is counted and says so too
            failure.usage = headers
            raise failure
        return headers

    def _count(self, fb: Data, cost: int) -> dict[str, list[dict[str, Any]]]:
        now = self.state.now()
        cutoff = (now - WINDOW).isoformat()
        with self.state.change() as data:
            calls = [t for t in data["facebook"]["calls"] if t >= cutoff]
            calls += [now.isoformat()] * cost
            data["facebook"]["calls"] = calls
        percent = len(calls) * 100 // max(1, int(fb["calls_per_hour"]))
        regain = 60 if percent > 100 else 0
        return {fb["page"]["id"]: [{
            "type": "pages", "call_count": percent, "total_cputime": percent // 2,
            "total_time": percent // 2, "estimated_time_to_regain_access": regain,
        }]}  # fmt: skip


def save_credentials(page: FacebookPage, path: Path) -> None:
    """The Page's credentials as media-hub keeps them, mode 0600."""
    write_private(path, json.dumps(page.account, indent=2) + "\n")

"""The sandbox's SlideShare account: the call signature, the user's login, the daily call limit.

Every call is signed: `hash` = hex SHA-1 of (shared secret + `ts`), with `ts` within an hour
of the caller's real clock, so the check uses the sandbox's clock without its simulated days.
Signed calls count against a per-Pacific-day limit; a refused signature is not counted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Mapping
from pathlib import Path

from media_hub.platforms.slideshare import codes
from media_hub.private_files import write_private
from media_hub.sandbox.slideshare_xml import ServiceError
from media_hub.sandbox.state import Data, State

TS_TOLERANCE_S = 3600
CALL_DAYS_KEPT = 8
ACCOUNT_FIELDS = ("username", "api_key", "shared_secret", "password")


def account(state: State) -> dict[str, str]:
    """A copy of the account: username, api_key, shared_secret, password."""
    with state.read() as data:
        stored = data["slideshare"]["account"]
        return {name: str(stored[name]) for name in ACCOUNT_FIELDS}


def signature(shared_secret: str, ts: str) -> str:
    return hashlib.sha1((shared_secret + ts).encode()).hexdigest()  # noqa: S324 - SlideShare's scheme


def verify_signature(state: State, params: Mapping[str, str]) -> None:
    """Refuse an unsigned call (0) or a wrongly signed, unknown or stale one (1)."""
    api_key = params.get("api_key")
    if not api_key:
        raise ServiceError(codes.NO_API_KEY)
    known = account(state)
    ts, sent = params.get("ts", ""), params.get("hash", "").lower()
    if not hmac.compare_digest(api_key.encode(), known["api_key"].encode()):
        raise ServiceError(codes.FAILED_API_VALIDATION)
    expected = signature(known["shared_secret"], ts)
    if not hmac.compare_digest(sent.encode(), expected.encode()):
        raise ServiceError(codes.FAILED_API_VALIDATION)
    try:
        sent_at = int(ts)
    except ValueError:
        raise ServiceError(codes.FAILED_API_VALIDATION) from None
    if abs(state.wall_clock().timestamp() - sent_at) > TS_TOLERANCE_S:
        raise ServiceError(codes.FAILED_API_VALIDATION)


def check_login(state: State, params: Mapping[str, str], *, required: bool) -> None:
    """`username` + `password`: missing is 14 when required, wrong is 2 whenever given."""
    username, password = params.get("username"), params.get("password")
    if not username and not password:
        if required:
            raise ServiceError(codes.MISSING_PARAMETER)
        return
    if required and not (username and password):
        raise ServiceError(codes.MISSING_PARAMETER)
    known = account(state)
    good_user = hmac.compare_digest((username or "").encode(), known["username"].encode())
    good_password = hmac.compare_digest((password or "").encode(), known["password"].encode())
    if not (good_user and good_password):
        raise ServiceError(codes.FAILED_USER_AUTHENTICATION)


def count_call(state: State) -> None:
    """Count a signed call against today's limit, or refuse it (99) once the limit is used."""
    limit = int(state.config("slideshare_calls_per_day"))
    with state.change() as data:
        calls = _calls(data, state.today())
        today = state.today().isoformat()
        if calls.get(today, 0) >= limit:
            raise ServiceError(codes.DAILY_LIMIT)
        calls[today] = calls.get(today, 0) + 1


def use_up_calls(state: State) -> None:
    """The `daily-limit` fault: today's calls are all spent."""
    limit = int(state.config("slideshare_calls_per_day"))
    with state.change() as data:
        calls = _calls(data, state.today())
        today = state.today().isoformat()
        calls[today] = max(calls.get(today, 0), limit)


def calls_today(state: State) -> int:
    with state.read() as data:
        return int(data["slideshare"]["calls"].get(state.today().isoformat(), 0))


def _calls(data: Data, today: dt.date) -> dict[str, int]:
    calls: dict[str, int] = data["slideshare"]["calls"]
    for old in sorted(calls)[:-CALL_DAYS_KEPT]:
        if old != today.isoformat():
            del calls[old]
    return calls


def save_credentials(state: State, path: Path) -> None:
    """Write the account as `{"username", "api_key", "shared_secret", "password"}`, mode 0600."""
    write_private(path, json.dumps(account(state), indent=2) + "\n")

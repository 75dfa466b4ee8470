"""Graph API errors as one line that says what to do, by code and subcode.

Meta's error handling guide: the body is `{"error": {"message", "type", "code",
"error_subcode", "fbtrace_id"}}`. The code decides the kind of failure; the message is Meta's
and is kept, with the trace id for a support request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from media_hub.errors import ConfigError, MediaHubError, QuotaError, RemoteError

SERVICE = "Facebook"
EXPIRED_TOKEN = 190
RATE_LIMITS = frozenset({4, 17, 32, 613, 80001})  # app, user, Page, custom, Page (BUC)
TEMPORARY = frozenset({1, 2})  # "API Unknown", "API Service": wait and retry
PERMISSIONS = frozenset({3, 10, *range(200, 300)})
POLICY = frozenset({368})
DUPLICATE = 506
INVALID_PARAMETER = 100
RENEW = (
    "get a new long-lived Page access token (Graph API Explorer or a System User of the "
    "Business Manager) and run 'media-hub auth facebook'"
)


@dataclass(frozen=True)
class GraphError(Exception):
    """An error answer of the Graph API, as Meta sent it."""

    status: int
    code: int
    subcode: int | None
    message: str
    kind: str  # Meta's "type": OAuthException, GraphMethodException...
    trace: str | None
    transient: bool = False

    def __str__(self) -> str:
        return f"HTTP {self.status} code {self.code}: {self.message}"

    @property
    def temporary(self) -> bool:
        return self.transient or self.code in TEMPORARY or self.status >= 500

    @classmethod
    def from_body(cls, status: int, body: Any) -> GraphError:
        error = body.get("error") if isinstance(body, dict) else None
        if not isinstance(error, dict):
            return cls(status, 0, None, f"HTTP {status} without a Graph error body", "", None,
                       transient=status >= 500)  # fmt: skip
        code = error.get("code")
        subcode = error.get("error_subcode")
        return cls(
            status,
            code if isinstance(code, int) else 0,
            subcode if isinstance(subcode, int) else None,
            str(error.get("message") or "no message"),
            str(error.get("type") or ""),
            str(error["fbtrace_id"]) if error.get("fbtrace_id") else None,
            transient=bool(error.get("is_transient")),
        )


def translate(
    error: GraphError, doing: str, *, resets: Callable[[datetime], datetime] | None = None
) -> MediaHubError:
    """The one-line error for `error`, met while `doing` (e.g. "uploading asset 3")."""
    trace = f"; fbtrace_id {error.trace}" if error.trace else ""
    if error.code == EXPIRED_TOKEN:
        return ConfigError(
            f"{SERVICE}: {doing}: the Page access token has expired or was revoked "
            f"(code 190{_sub(error)}); {RENEW}"
        )
    if error.code in RATE_LIMITS:
        return QuotaError(
            SERVICE, f"rate limit {error.code}",
            f"{doing}: Meta's rate limit is reached ({error.message}); the batch stops here, "
            "rerun later: what is done is kept",
            resets=resets or _in_an_hour,
        )  # fmt: skip
    if error.code in PERMISSIONS:
        return ConfigError(
            f"{SERVICE}: {doing}: permission refused (code {error.code}: {error.message}); the "
            "token needs pages_show_list, pages_read_engagement and pages_manage_posts, from "
            f"someone with the CREATE_CONTENT task on the Page; {RENEW}"
        )
    if error.code in POLICY:
        return RemoteError(
            SERVICE, f"code {error.code}",
            f"{doing}: Meta blocked the action as against its policies ({error.message}); wait "
            f"before trying again, and check the Page's quality in Meta Business Suite{trace}",
        )  # fmt: skip
    if error.code == DUPLICATE:
        return RemoteError(
            SERVICE, "code 506",
            f"{doing}: Meta refused a duplicate post; change the title or description{trace}",
        )  # fmt: skip
    if error.temporary:
        return RemoteError(
            SERVICE, f"code {error.code}",
            f"{doing}: Facebook failed ({error.message}); rerun: what is done is kept{trace}",
        )  # fmt: skip
    return RemoteError(
        SERVICE, f"code {error.code}{_sub(error)}", f"{doing}: {error.message}{trace}"
    )


def _sub(error: GraphError) -> str:
    return f", subcode {error.subcode}" if error.subcode is not None else ""


def _in_an_hour(now: datetime) -> datetime:
    return now + timedelta(hours=1)

"""Google's error bodies turned into media-hub's errors, keeping the reason.

Two different limits stop a batch. quotaExceeded (and dailyLimitExceeded) is the project's
daily quota, reset at midnight Pacific time. uploadLimitExceeded (400, domain youtube.video) is
the channel's cap on uploads over a rolling 24 hours, which YouTube's developer news states as
"we've limited how many videos a channel can upload in a 24-hour period via the YouTube Data
API ... If you get a 400 error with the reason 'uploadLimitExceeded' ... try again in 24
hours" (quoted in https://gitlab.gnome.org/GNOME/shotwell/-/issues/5019). The error gives no
time, so the wait is counted from the refusal.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from googleapiclient.errors import HttpError

from media_hub.errors import QuotaError, RemoteError
from media_hub.platforms.youtube.clock import PACIFIC, next_reset

QUOTA_REASONS = {"quotaExceeded", "dailyLimitExceeded"}
UPLOAD_LIMIT = "uploadLimitExceeded"
UPLOAD_LIMIT_WINDOW = timedelta(hours=24)


def reason_of(error: HttpError) -> str:
    try:
        body = json.loads(error.content.decode("utf-8"))
        return str(body["error"]["errors"][0]["reason"])
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
        return f"http{error.resp.status}"


def translate(error: HttpError, doing: str) -> RemoteError:
    """One line for the user: what was being done, Google's message, its reason."""
    reason = reason_of(error)
    message = f"{doing}: {_message(error)}"
    if reason in QUOTA_REASONS:
        reset = next_reset(datetime.now(UTC)).astimezone(PACIFIC)
        return QuotaError(
            "YouTube",
            reason,
            f"{message.rstrip('.')}; the batch stopped, rerun after the quota resets at "
            f"{reset:%Y-%m-%d %H:%M} Pacific time",
            resets=next_reset,
        )
    if reason == UPLOAD_LIMIT:
        return upload_limit_error(message, datetime.now(UTC))
    return RemoteError("YouTube", reason, message)


def upload_limit_error(message: str, refused_at: datetime) -> QuotaError:
    """The channel's upload cap: a batch stops and a worker waits 24 hours from the refusal,
    not for the quota's midnight (the cap is counted over a rolling day)."""
    # Rounded up to the minute: the time shown is the one a worker waits for, never before.
    late = (refused_at + UPLOAD_LIMIT_WINDOW).timestamp()
    again = datetime.fromtimestamp(math.ceil(late / 60) * 60, UTC)
    shown = again.astimezone(PACIFIC)  # the zone the quota messages and `jobs list` use
    return QuotaError(
        "YouTube",
        UPLOAD_LIMIT,
        f"{message.rstrip('.')}; the channel's uploads over the last 24 hours are at "
        f"YouTube's cap: the batch stopped, rerun after {shown:%Y-%m-%d %H:%M} Pacific time",
        resets=lambda _now: again,
    )


def _message(error: HttpError) -> str:
    try:
        body = json.loads(error.content.decode("utf-8"))
        return str(body["error"]["message"])
    except (ValueError, KeyError, TypeError, AttributeError):
        return f"HTTP {error.resp.status}"


@contextmanager
def reaching(service_url: str) -> Iterator[None]:
    """Network failures (refused, reset, TLS, DNS) as one clear error naming the endpoint."""
    import httplib2
    from google.auth.exceptions import TransportError

    try:
        yield
    except (OSError, httplib2.HttpLib2Error, TransportError) as exc:
        raise RemoteError(
            "YouTube",
            "connection",
            f"cannot reach {service_url} ({exc}); check the network and youtube.api_endpoint, "
            "then rerun: finished steps are kept",
        ) from exc

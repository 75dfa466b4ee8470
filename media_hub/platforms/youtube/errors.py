"""Google's error bodies turned into media-hub's errors, keeping the reason."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from googleapiclient.errors import HttpError

from media_hub.errors import QuotaError, RemoteError
from media_hub.platforms.youtube.clock import PACIFIC, next_reset

STOPPING_REASONS = {"quotaExceeded", "uploadLimitExceeded", "dailyLimitExceeded"}


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
    if reason in STOPPING_REASONS:
        reset = next_reset(datetime.now(UTC)).astimezone(PACIFIC)
        return QuotaError(
            "YouTube",
            reason,
            f"{message}; the batch stopped, rerun after the quota resets at "
            f"{reset:%Y-%m-%d %H:%M} Pacific time",
            resets=next_reset,
        )
    return RemoteError("YouTube", reason, message)


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

"""Inserts that take effect once, through errors that leave it unknown whether they did.

googleapiclient's `execute(num_retries=N)` sends a request again after a 5xx, a 429 or a
dropped connection. For a read that is right; for an insert it is not: a playlist item made
on YouTube whose answer was lost on the way back is made a second time by the retry (the
same video twice in the playlist, a second playlist). So an insert is sent without the
library's retries, and before each new attempt the channel is read for what the last one
may have made.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from typing import TypeVar

import httplib2
from googleapiclient.errors import HttpError

log = logging.getLogger(__name__)

T = TypeVar("T")
ATTEMPTS = 6
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})  # googleapiclient's, rate limits aside


def insert_once(
    send: Callable[[], T],
    find: Callable[[], T | None],
    what: str,
    *,
    attempts: int = ATTEMPTS,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """`send()`'s answer; after a failure that may have followed the insert, `find()`'s, if
    it finds what the failed attempt made, else `send()`'s again (at most `attempts` sends)."""
    for attempt in range(attempts):
        if attempt:
            found = find()
            if found is not None:
                log.info("%s: made by an attempt whose answer was lost; not sent again", what)
                return found
        try:
            return send()
        except HttpError as exc:
            if exc.resp.status not in RETRY_STATUS or attempt + 1 == attempts:
                raise
            reason = f"HTTP {exc.resp.status}"
        except (OSError, httplib2.HttpLib2Error) as exc:  # reset, timeout, TLS: all unknown
            if attempt + 1 == attempts:
                raise
            reason = type(exc).__name__
        delay = min(30.0, 2.0**attempt) * (0.5 + random.random() / 2)  # noqa: S311
        log.warning("%s: %s; looking for it, then again in %.1f s", what, reason, delay)
        sleep(delay)
    raise AssertionError("unreachable: the last attempt returns or raises")

"""Failed sign-ins to the web app, counted per key (a user name, a client address) over a
sliding window, in the catalog: every web worker and every server behind one proxy sees the
same counts, so running more of them gives an attacker no more guesses.

Written on a connection of its own rather than in a `Catalog.session`: a failed sign-in is not
a change of the catalog (nothing for the audit log), and it belongs to no worker's job, so no
job's fence (`media_hub.fence`) may refuse it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import delete, insert, select

from media_hub.catalog.db import Catalog
from media_hub.catalog.user_models import SignInFailure

# The column's length; a longer key (an odd proxy's address) is counted under its first part.
MAX_KEY_CHARS = 255


class SignInFailures:
    """At most `attempts` failures per key within `window_s` seconds; `now` is always given
    (wall-clock, aware UTC), so that tests can move time."""

    def __init__(self, catalog: Catalog, attempts: int, window_s: float) -> None:
        self.catalog = catalog
        self.attempts = attempts
        self.window = timedelta(seconds=window_s)

    def retry_after(self, keys: Sequence[str], now: datetime) -> float:
        """Seconds until every one of `keys` is under `attempts` failures in the window (0: now)."""
        recent = (
            select(SignInFailure.key, SignInFailure.failed_at)
            .where(SignInFailure.key.in_(sorted({_clipped(key) for key in keys})))
            .where(SignInFailure.failed_at > now - self.window)
            .order_by(SignInFailure.key, SignInFailure.failed_at)
        )
        times: dict[str, list[datetime]] = {}
        with self.catalog.engine.connect() as connection:
            for key, failed_at in connection.execute(recent):
                times.setdefault(key, []).append(failed_at)
        wait = 0.0
        for failures in times.values():
            if len(failures) >= self.attempts:
                # Once this one leaves the window, fewer than `attempts` remain (more than
                # `attempts` happen when several workers let failures through at once).
                expiring = failures[len(failures) - self.attempts]
                wait = max(wait, (expiring + self.window - now).total_seconds())
        return wait

    def record(self, keys: Sequence[str], now: datetime) -> None:
        """A failure for each of `keys`; failures older than the window go at the same time."""
        with self.catalog.engine.begin() as connection:
            connection.execute(
                delete(SignInFailure).where(SignInFailure.failed_at <= now - self.window)
            )
            connection.execute(
                insert(SignInFailure),
                [{"key": _clipped(key), "failed_at": now} for key in dict.fromkeys(keys)],
            )

    def clear(self, key: str) -> None:
        """Forget `key`'s failures (a user who signed in)."""
        with self.catalog.engine.begin() as connection:
            connection.execute(delete(SignInFailure).where(SignInFailure.key == _clipped(key)))


def _clipped(key: str) -> str:
    return key[:MAX_KEY_CHARS]

"""Failed sign-ins counted per user name and per client address, in a sliding window.

The counts live in the catalog (`media_hub.catalog.sign_in_failures`), so the uvicorn workers
of `serve --workers N` and the servers behind one proxy share them: an attacker gets
`attempts` guesses per name and per address in the window however many there are. Time is
the wall clock, the only one those processes share.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from datetime import UTC, datetime

from media_hub.catalog.db import Catalog
from media_hub.catalog.sign_in_failures import SignInFailures


class LoginLimiter:
    """`clock` gives wall-clock seconds since the epoch (tests move it)."""

    def __init__(
        self,
        catalog: Catalog,
        attempts: int,
        window_s: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.failures = SignInFailures(catalog, attempts, window_s)
        self.clock = clock

    def retry_after(self, *keys: str) -> int:
        """Seconds until any of `keys` may try again (0: now)."""
        return math.ceil(self.failures.retry_after(keys, self._now()))

    def failed(self, *keys: str) -> None:
        self.failures.record(keys, self._now())

    def succeeded(self, name_key: str) -> None:
        self.failures.clear(name_key)

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self.clock(), UTC)

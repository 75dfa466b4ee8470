"""A value the pages share, built again once it is a few seconds old: what every view would
otherwise read afresh (facet counts over every asset, the series' templates), at the price of
a change showing a few seconds late."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Fresh(Generic[T]):
    def __init__(
        self, build: Callable[[], T], fresh_s: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:  # fmt: skip
        self._build = build
        self._fresh_s = fresh_s
        self._clock = clock
        self._lock = threading.Lock()
        self._built: tuple[float, T] | None = None

    def value(self) -> T:
        with self._lock:
            now = self._clock()
            if self._built is None or now - self._built[0] > self._fresh_s:
                self._built = (now, self._build())
            return self._built[1]

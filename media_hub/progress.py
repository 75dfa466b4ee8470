"""The progress of long steps (reading a channel, applying a plan, waiting for a conversion),
told to whoever watches: the CLI draws a bar on a terminal and writes a few lines elsewhere;
a worker's jobs, with nobody watching, report to nothing.

The watcher lives in a context variable, as the lease's fence does, so the library's loops
report without every signature between the command and the loop carrying a callback.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Protocol, TypeVar

T = TypeVar("T")


class Watcher(Protocol):
    def begin(self, label: str, total: int | None) -> None: ...

    def update(self, label: str, done: int, note: str) -> None: ...

    def end(self, label: str, done: int) -> None: ...


_WATCHER: ContextVar[Watcher | None] = ContextVar("progress_watcher", default=None)


@contextmanager
def watched_by(watcher: Watcher) -> Iterator[None]:
    """Report every step begun inside this block to `watcher`."""
    token = _WATCHER.set(watcher)
    try:
        yield
    finally:
        _WATCHER.reset(token)


class Step:
    """One long step: `advance` as its items are done, `note` to say where it stands."""

    def __init__(self, label: str, watcher: Watcher | None) -> None:
        self.label = label
        self.done = 0
        self._watcher = watcher
        self._note = ""

    def advance(self, count: int = 1) -> None:
        self.done += count
        if self._watcher is not None:
            self._watcher.update(self.label, self.done, self._note)

    def note(self, text: str) -> None:
        self._note = text
        if self._watcher is not None:
            self._watcher.update(self.label, self.done, text)


@contextmanager
def step(label: str, total: int | None = None) -> Iterator[Step]:
    """A step of `total` items (None when not known ahead), shown while the block runs."""
    watcher = _WATCHER.get()
    current = Step(label, watcher)
    if watcher is not None:
        watcher.begin(label, total)
    try:
        yield current
    finally:
        if watcher is not None:
            watcher.end(label, current.done)


def counted(label: str, items: Iterable[T], total: int | None = None) -> Iterator[T]:
    """`items`, each counted as done once the loop body has taken the next one."""
    with step(label, total) as current:
        for item in items:
            yield item
            current.advance()


PER_MILLE = 1000


@contextmanager
def fraction(label: str) -> Iterator[Callable[[float], None]]:
    """A step measured as a fraction (a transcode's time done over the duration): the
    callback takes 0 to 1, reported as thousandths so a watcher sees the usual counts."""
    with step(label, PER_MILLE) as current:

        def report(value: float) -> None:
            reached = round(min(max(value, 0.0), 1.0) * PER_MILLE)
            if reached > current.done:
                current.advance(reached - current.done)

        yield report
        report(1.0)  # finished: ffmpeg's last progress line may fall short of the duration

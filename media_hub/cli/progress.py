"""Rich progress bars for long steps (copies, transcodes), on stderr so stdout stays data.

A bar appears with the first progress it has to show, so a step refused before it starts (an
encrypted deck, a spent quota) leaves nothing above its one-line error; and only on a
terminal: elsewhere (a pipe, a log, CI) Rich draws no bar but leaves a blank line per bar.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    ProgressColumn,
    TaskID,
    TaskProgressColumn,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

Shown = tuple[Progress, TaskID]


@contextmanager
def _bar(
    label: str, total: float, *columns: ProgressColumn
) -> Iterator[Callable[[], Shown | None]]:
    """Yields a function that starts the bar on its first call and returns it (None when
    stderr is not a terminal); the bar is removed on leaving."""
    console = Console(stderr=True)
    started: list[Shown] = []

    def shown() -> Shown | None:
        if not console.is_terminal:
            return None
        if not started:
            progress = Progress(*columns, console=console, transient=True)
            progress.start()
            started.append((progress, progress.add_task(label, total=total)))
        return started[0]

    try:
        yield shown
    finally:
        if started:
            started[0][0].stop()


@contextmanager
def byte_progress(label: str, total: int) -> Iterator[Callable[[int], None]]:
    """A bar for `total` bytes; yields the callback that advances it."""
    columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn(),
               TransferSpeedColumn(), TimeRemainingColumn())  # fmt: skip
    with _bar(label, total, *columns) as shown:

        def advance(count: int) -> None:
            if (bar := shown()) is not None:
                bar[0].advance(bar[1], count)

        yield advance


@contextmanager
def fraction_progress(label: str) -> Iterator[Callable[[float], None]]:
    """A bar for a fraction from 0 to 1 (ffmpeg's progress); yields the setter."""
    columns = (TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(),
               TimeRemainingColumn())  # fmt: skip
    with _bar(label, 1.0, *columns) as shown:

        def update(fraction: float) -> None:
            if (bar := shown()) is not None:
                bar[0].update(bar[1], completed=min(max(fraction, 0.0), 1.0))

        yield update

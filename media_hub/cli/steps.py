"""The library's long steps (`media_hub.progress`) as the CLI shows them, on stderr: a bar on
a terminal; elsewhere (a pipe, a log, cron) a line once a step has run 2 s, one at most every
30 s after that, and one at its end, so a log shows that long work goes on, without a line
per item or any line for a quick step. Rich is imported with the first step, not with every
command."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, TaskID


class StepWatcher:
    def __init__(
        self, console: Console | None = None, every_s: float = 30.0, quiet_s: float = 2.0
    ) -> None:
        self._given_console = console
        self._every_s = every_s
        self._quiet_s = quiet_s
        self._lines: dict[str, int] = {}
        self._live: dict[str, tuple[Progress, TaskID]] = {}
        self._totals: dict[str, int | None] = {}
        self._started: dict[str, float] = {}
        self._last_line: dict[str, float] = {}

    def begin(self, label: str, total: int | None) -> None:
        self._totals[label] = total
        self._started[label] = self._last_line[label] = time.monotonic()
        self._lines[label] = 0
        console = self._console()
        if console.is_terminal:
            self._start_bar(console, label, total)

    def update(self, label: str, done: int, note: str) -> None:
        if (shown := self._live.get(label)) is not None:
            shown[0].update(shown[1], completed=done, note=note)
            return
        if label not in self._last_line:
            return
        now = time.monotonic()
        wait = self._every_s if self._lines[label] else self._quiet_s
        if now - self._last_line[label] >= wait:
            self._last_line[label] = now
            self._lines[label] += 1
            line = f"{label}: {self._count(label, done)}{f', {note}' if note else ''}"
            self._console().print(line, markup=False, highlight=False)

    def end(self, label: str, done: int) -> None:
        if (shown := self._live.pop(label, None)) is not None:
            shown[0].stop()
        elif label in self._started and not self._console().is_terminal:
            took = time.monotonic() - self._started[label]
            if self._lines[label] or took >= self._quiet_s:
                line = f"{label}: {self._count(label, done)} in {took:.0f} s"
                self._console().print(line, markup=False, highlight=False)
        for table in (self._totals, self._started, self._last_line, self._lines):
            table.pop(label, None)

    def _console(self) -> Console:
        if self._given_console is None:
            from rich.console import Console

            self._given_console = Console(stderr=True)
        return self._given_console

    def _start_bar(self, console: Console, label: str, total: int | None) -> None:
        from rich.errors import LiveError
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )

        columns: list[Any] = [SpinnerColumn(), TextColumn("{task.description}")]
        if total is not None:
            columns += [BarColumn(), MofNCompleteColumn()]
        columns += [TextColumn("{task.fields[note]}"), TimeElapsedColumn()]
        progress = Progress(*columns, console=console, transient=True)
        try:
            progress.start()
        except LiveError:  # a Rich before 14 shows one bar at a time: this step goes without
            return
        self._live[label] = (progress, progress.add_task(label, total=total, note=""))

    def _count(self, label: str, done: int) -> str:
        total = self._totals.get(label)
        return f"{done}/{total}" if total is not None else f"{done} done"

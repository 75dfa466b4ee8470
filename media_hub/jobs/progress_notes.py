"""A running job's progress written to its row, for people watching the web app's work page.

The worker watches the job's progress steps (`media_hub.progress`) as the CLI does, but
records the fraction done in the catalog instead of drawing a bar: at most once a second and
only when it moved by a percent (a step's end always), so a transcode's many progress lines
cost a few writes.
A step whose total is not known ahead reports nothing: there is no fraction to show.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from sqlalchemy.exc import OperationalError

from media_hub.catalog.db import Catalog
from media_hub.jobs import queue

log = logging.getLogger(__name__)

MIN_INTERVAL_S = 1.0
MIN_STEP = 0.01


class JobProgress:
    """A `progress.Watcher` writing one job's fraction done (of its latest measured step)."""

    def __init__(
        self,
        catalog: Catalog,
        job: queue.ClaimedJob,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._catalog = catalog
        self._job = job
        self._clock = clock
        self._totals: dict[str, int | None] = {}
        self._written: float | None = None
        self._at = float("-inf")

    def begin(self, label: str, total: int | None) -> None:
        self._totals[label] = total

    def update(self, label: str, done: int, note: str) -> None:
        total = self._totals.get(label)
        if total:
            self._write(done / total, final=False)

    def end(self, label: str, done: int) -> None:
        total = self._totals.pop(label, None)
        if total:
            self._write(done / total, final=True)

    def _write(self, fraction: float, *, final: bool) -> None:
        now = self._clock()
        if fraction == self._written:
            return
        moved = self._written is None or abs(fraction - self._written) >= MIN_STEP
        if not final and (not moved or now - self._at < MIN_INTERVAL_S):
            return
        try:
            queue.record_progress(self._catalog, self._job.id, self._job.lease_owner, fraction)
        except OperationalError as exc:  # a progress note is not worth failing the job for
            log.warning("job %s: cannot note its progress: %s", self._job.id, exc.orig or exc)
            return
        self._written, self._at = fraction, now

"""A worker: claims jobs from the catalog, runs them under a renewed lease, records the outcome.

Each of `concurrency` slots claims one job at a time. While a job runs, a thread renews its
lease every third of the lease; a worker that dies stops renewing, its lease expires, and
another worker takes the job over. Setting `stop_event` (the CLI does on SIGTERM) lets every
slot finish the job in hand and record it, then return: nothing is ever half-recorded.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy.exc import OperationalError

from media_hub.catalog.db import Catalog
from media_hub.catalog.vocabulary import JobState
from media_hub.errors import MediaHubError, NotFoundError, ValidationError
from media_hub.hub import Hub
from media_hub.jobs import queue
from media_hub.jobs.kinds import handler_for

log = logging.getLogger(__name__)

PERMANENT_ERRORS = (ValidationError, NotFoundError)  # a retry would fail the same way


class Outcome(StrEnum):
    DONE = "done"
    RETRY = "retry"  # failed, queued again after a backoff
    PARKED = "parked"  # failed too often, or for good: waits for a person
    LOST = "lost"  # the lease was taken over or the job cancelled: nothing recorded


@dataclass(frozen=True)
class Finished:
    job: queue.ClaimedJob
    outcome: Outcome
    error: str | None = None


OnFinished = Callable[[Finished], None]


@dataclass
class WorkerTally:
    counts: dict[Outcome, int] = field(default_factory=lambda: dict.fromkeys(Outcome, 0))
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, outcome: Outcome) -> None:
        with self._lock:
            self.counts[outcome] += 1


def new_worker_id() -> str:
    """Unique across machines and restarts: host, process, and a random part."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def run_worker(
    hub_factory: Callable[[], Hub],
    worker_id: str,
    kinds: Sequence[str] | None,
    concurrency: int,
    lease_s: float,
    stop_event: threading.Event,
    *,
    poll_s: float = 1.0,
    on_finished: OnFinished | None = None,
) -> WorkerTally:
    """Run jobs until `stop_event` is set; returns how each job ended."""
    if concurrency < 1:
        raise ValidationError("concurrency", "must be at least 1")
    if lease_s <= 0:
        raise ValidationError("lease", "must be more than 0 seconds")
    for kind in kinds or ():
        handler_for(kind)  # an unknown kind is refused before anything is claimed
    tally = WorkerTally()
    slots = [
        threading.Thread(
            target=_slot,
            args=(hub_factory, f"{worker_id}#{n}", kinds, lease_s, stop_event, poll_s),
            kwargs={"tally": tally, "on_finished": on_finished},
            name=f"worker-slot-{n}",
        )
        for n in range(concurrency)
    ]
    for slot in slots:
        slot.start()
    for slot in slots:
        while slot.is_alive():  # short joins keep the main thread free for signal handlers
            slot.join(0.2)
    return tally


def _slot(
    hub_factory: Callable[[], Hub],
    owner: str,
    kinds: Sequence[str] | None,
    lease_s: float,
    stop_event: threading.Event,
    poll_s: float,
    *,
    tally: WorkerTally,
    on_finished: OnFinished | None,
) -> None:
    hub = hub_factory()
    try:
        catalog = hub.catalog.catalog
        while not stop_event.is_set():
            try:
                job = queue.claim(catalog, owner, kinds, lease_s)
            except OperationalError as exc:  # the database is away: try again later
                log.warning("%s: cannot claim a job: %s", owner, exc.orig or exc)
                job = None
            if job is None:
                stop_event.wait(poll_s)
                continue
            finished = run_claimed(hub, job, lease_s)
            tally.add(finished.outcome)
            if on_finished is not None:
                on_finished(finished)
    finally:
        hub.close()


def run_claimed(hub: Hub, job: queue.ClaimedJob, lease_s: float) -> Finished:
    """Run one claimed job under a renewed lease and record its outcome (if still ours)."""
    catalog = hub.catalog.catalog
    done = threading.Event()
    renewer = threading.Thread(
        target=_keep_lease, args=(catalog, job, lease_s, done), name=f"lease-{job.id}"
    )
    renewer.start()
    try:
        result = handler_for(job.kind)(hub, job.payload)
    except MediaHubError as exc:
        return _failed(catalog, job, str(exc), permanent=isinstance(exc, PERMANENT_ERRORS))
    except Exception as exc:  # a bug or an outage: retried with backoff, parked if it persists
        log.exception("job %s (%s) raised", job.id, job.kind)
        return _failed(catalog, job, f"{type(exc).__name__}: {exc}", permanent=False)
    finally:
        done.set()
        renewer.join()
    if queue.complete(catalog, job.id, job.lease_owner, result):
        return Finished(job, Outcome.DONE)
    log.warning("job %s: lease lost before it finished; its outcome is not recorded", job.id)
    return Finished(job, Outcome.LOST)


def _failed(catalog: Catalog, job: queue.ClaimedJob, error: str, *, permanent: bool) -> Finished:
    state = queue.fail(catalog, job.id, job.lease_owner, error, permanent=permanent)
    if state is None:
        return Finished(job, Outcome.LOST, error)
    return Finished(job, Outcome.PARKED if state is JobState.PARKED else Outcome.RETRY, error)


def _keep_lease(
    catalog: Catalog, job: queue.ClaimedJob, lease_s: float, done: threading.Event
) -> None:
    while not done.wait(lease_s / 3):
        try:
            if not queue.renew(catalog, job.id, job.lease_owner, lease_s):
                log.warning("job %s: lease lost (taken over or cancelled)", job.id)
                return
        except OperationalError as exc:  # keep trying while the lease may still be valid
            log.warning("job %s: cannot renew the lease: %s", job.id, exc.orig or exc)

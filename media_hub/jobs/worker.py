"""A worker: claims jobs from the catalog, runs them under a renewed lease, records the outcome.

Each of `concurrency` slots claims one job at a time. While a job runs, a thread renews its
lease every third of the lease; a worker that dies stops renewing, its lease expires, and
another worker takes the job over. Setting `stop_event` (the CLI does on SIGTERM) lets every
slot finish the job in hand and record it, then return; setting `abandon_event` as well (a
second SIGTERM) hands the jobs in hand back instead: their leases are released, the tools they
started are killed, and nothing of them is recorded. Either way nothing is half-recorded.
A job stopped by a spent quota is not a failure: it is put off until the quota resets.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from media_hub import fence, progress
from media_hub.catalog.db import Catalog, CatalogUnreachableError
from media_hub.catalog.types import utcnow
from media_hub.catalog.vocabulary import JobState
from media_hub.errors import MediaHubError, NotFoundError, QuotaError, ValidationError
from media_hub.fence import Fence, LeaseLostError, LeaseState
from media_hub.hub import Hub
from media_hub.jobs import queue, records
from media_hub.jobs.kinds import handler_for
from media_hub.jobs.progress_notes import JobProgress

log = logging.getLogger(__name__)

PERMANENT_ERRORS = (ValidationError, NotFoundError)  # a retry would fail the same way
UNREACHABLE = (OperationalError, InterfaceError)  # the database away, not a wrong statement
DATABASE_PATIENCE_S = 300.0
T = TypeVar("T")


class Outcome(StrEnum):
    DONE = "done"
    RETRY = "retry"  # failed, queued again after a backoff
    PARKED = "parked"  # failed too often, or for good: waits for a person
    DEFERRED = "deferred"  # the quota is spent: queued again for the reset, not a failure
    LOST = "lost"  # the lease was taken over or the job cancelled: nothing recorded


@dataclass(frozen=True)
class Finished:
    job: queue.ClaimedJob
    outcome: Outcome
    error: str | None = None


OnFinished = Callable[[Finished], None]


@dataclass
class WorkerTally:
    """How each job ended; `handed_back` lists the jobs released when the worker was told to
    abandon them (None if it was not); `gave_up` says why the worker stopped on its own (the
    catalog unreachable for longer than its patience), None if it did not."""

    counts: dict[Outcome, int] = field(default_factory=lambda: dict.fromkeys(Outcome, 0))
    handed_back: list[int] | None = None
    gave_up: str | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, outcome: Outcome) -> None:
        with self._lock:
            self.counts[outcome] += 1


@dataclass
class InHand:
    """The jobs the slots hold right now, so that an abandoning worker can release them."""

    jobs: dict[int, str] = field(default_factory=dict)  # job id -> lease owner
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def take(self, job: queue.ClaimedJob) -> None:
        with self._lock:
            self.jobs[job.id] = job.lease_owner

    def drop(self, job: queue.ClaimedJob) -> None:
        with self._lock:
            self.jobs.pop(job.id, None)

    def snapshot(self) -> dict[int, str]:
        with self._lock:
            return dict(self.jobs)


class CatalogGoneError(MediaHubError):
    """The catalog stayed unreachable for longer than the worker's patience."""


@dataclass(frozen=True)
class Patience:
    """How long a worker keeps trying a catalog that does not answer (a database restart,
    a failover) before it gives up and exits with an error for its supervisor to see."""

    seconds: float = DATABASE_PATIENCE_S
    first_delay_s: float = 0.5
    max_delay_s: float = 10.0

    def call(self, work: Callable[[], T], what: str) -> T:
        """`work()`, tried again with backoff while the catalog is unreachable."""
        deadline = time.monotonic() + self.seconds
        delay = self.first_delay_s
        while True:
            try:
                return work()
            except (DBAPIError, CatalogUnreachableError) as exc:
                if isinstance(exc, DBAPIError) and not catalog_unreachable(exc):
                    raise
                if time.monotonic() + delay > deadline:
                    raise CatalogGoneError(
                        f"the catalog did not answer for {self.seconds:.0f} s ({what}: "
                        f"{_reason(exc)}); the worker stops"
                    ) from exc
                log.warning("%s: the catalog does not answer (%s); again in %.1f s",
                            what, _reason(exc), delay)  # fmt: skip
                time.sleep(delay)
                delay = min(delay * 2, self.max_delay_s)


def catalog_unreachable(exc: DBAPIError) -> bool:
    """The database went away (a restart, a failover, a dropped link), not a wrong statement:
    psycopg reports a server that shuts down mid-query under several classes, but SQLAlchemy
    marks each connection it had to drop as invalidated."""
    return isinstance(exc, UNREACHABLE) or exc.connection_invalidated


def _reason(exc: DBAPIError | CatalogUnreachableError) -> str:
    cause = exc.orig if isinstance(exc, DBAPIError) else exc.__cause__
    return str(cause or exc).strip().splitlines()[0]


def quota_reset(error: QuotaError, now: datetime) -> datetime:
    """When a job stopped by a spent quota may try again: the platform's own reset."""
    return error.resets_at(now)


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
    abandon_event: threading.Event | None = None,
    drain: bool = False,
    patience: Patience | None = None,
) -> WorkerTally:
    """Run jobs until `stop_event` is set (or, with `drain`, until no job is due); returns
    how each job ended. A catalog that stops answering is waited for, with backoff, for
    `patience`; past it the worker stops and `gave_up` says why.

    If `abandon_event` is set while slots are still busy, the jobs in hand are handed back
    and this returns at once, their slots left running as daemon threads with nothing left
    to record: the caller must then exit the process.
    """
    if concurrency < 1:
        raise ValidationError("concurrency", "must be at least 1")
    if lease_s <= 0:
        raise ValidationError("lease", "must be more than 0 seconds")
    for kind in kinds or ():
        handler_for(kind)  # an unknown kind is refused before anything is claimed
    tally = WorkerTally()
    in_hand = InHand()
    slots = [
        threading.Thread(
            target=_slot,
            args=(hub_factory, f"{worker_id}#{n}", kinds, lease_s, stop_event, poll_s),
            kwargs={
                "tally": tally,
                "on_finished": on_finished,
                "in_hand": in_hand,
                "drain": drain,
                "patience": patience or Patience(),
            },
            name=f"worker-slot-{n}",
            daemon=True,  # only ever left behind by a hand-back, which ends the process
        )
        for n in range(concurrency)
    ]
    for slot in slots:
        slot.start()
    for slot in slots:
        while slot.is_alive():  # short joins keep the main thread free for signal handlers
            if abandon_event is not None and abandon_event.is_set():
                tally.handed_back = hand_back(hub_factory, in_hand)
                return tally
            slot.join(0.2)
    return tally


def hand_back(hub_factory: Callable[[], Hub], in_hand: InHand) -> list[int]:
    """Release the jobs in hand, then kill the tools running them; the ids released.

    Released first: a slot whose ffmpeg is killed then finds its lease gone and records no
    failure. The job is queued again at once, with its attempt given back.
    """
    released = []
    hub = hub_factory()
    try:
        for job_id, owner in sorted(in_hand.snapshot().items()):
            try:
                if queue.release(hub.db, job_id, owner):
                    released.append(job_id)
            except OperationalError as exc:  # its lease will expire and be taken over
                log.warning("job %s: cannot hand it back: %s", job_id, exc.orig or exc)
    finally:
        hub.close()
    kill_descendants()
    return released


def kill_descendants() -> None:
    """SIGKILL every process this one started (ffmpeg, LibreOffice and their children), so
    that a handed-back job's tools do not run on beside the worker that takes it over.

    Read from /proc (Linux); elsewhere nothing is killed and the tools run to their end,
    their output never recorded.
    """
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # gone meanwhile
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    pending, found = [os.getpid()], []
    while pending:
        for child in children.get(pending.pop(), []):
            found.append(child)
            pending.append(child)
    for pid in found:
        with contextlib.suppress(ProcessLookupError):  # ended meanwhile
            os.kill(pid, signal.SIGKILL)


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
    in_hand: InHand,
    drain: bool = False,
    patience: Patience,
) -> None:
    hub = hub_factory()
    try:
        catalog = patience.call(lambda: hub.db, f"{owner}: opening the catalog")
        while not stop_event.is_set():
            job = patience.call(
                partial(queue.claim, catalog, owner, kinds, lease_s), f"{owner}: claiming a job"
            )
            if job is None:
                if drain:
                    break
                stop_event.wait(poll_s)
                continue
            if stop_event.is_set():  # told to stop while claiming: not begun, so hand it back
                patience.call(partial(queue.release, catalog, job.id, owner), "handing back")
                break
            in_hand.take(job)
            try:
                finished = run_claimed(hub, job, lease_s, patience=patience)
            finally:
                in_hand.drop(job)
            tally.add(finished.outcome)
            if on_finished is not None:
                on_finished(finished)
    except CatalogGoneError as exc:  # its job, if any, is taken over once its lease expires
        log.error("%s", exc)
        tally.gave_up = str(exc)
        stop_event.set()  # the other slots stop too: the supervisor restarts the worker
    except Exception as exc:  # a slot that dies silently would leave a worker exiting 0
        log.exception("%s: stopped by an unexpected error", owner)
        tally.gave_up = f"{owner} stopped by an unexpected error: {type(exc).__name__}: {exc}"
        stop_event.set()
    finally:
        hub.close()


def job_fence(catalog: Catalog, job: queue.ClaimedJob, lease_s: float) -> Fence:
    """The fence of `job` (see `media_hub.fence`): its lease checked and renewed on its own,
    or inside the transaction that is about to commit the job's writes."""

    def confirm_held() -> LeaseState:
        with catalog.session() as session:
            return queue.lease_state(session, job.id, job.lease_owner, lease_s)

    def guard(session: Any) -> LeaseState:
        return queue.lease_state(session, job.id, job.lease_owner, lease_s)

    return Fence(job.id, confirm_held, guard)


def run_claimed(
    hub: Hub, job: queue.ClaimedJob, lease_s: float, *, patience: Patience | None = None
) -> Finished:
    """Run one claimed job under a renewed lease and record its outcome (if still ours).

    The job runs fenced: it stops before any side effect once its lease is gone, and its
    catalog writes fail if another worker holds the job. Its outcome is recorded with
    `patience`: a catalog that is restarting is waited for, not taken for a failure."""
    catalog = hub.db
    done = threading.Event()
    job_lease = job_fence(catalog, job, lease_s)
    renewer = threading.Thread(
        target=_keep_lease,
        args=(catalog, job, lease_s, done, job_lease),
        name=f"lease-{job.id}",
        daemon=True,  # a hand-back ends the process without waiting for it
    )
    renewer.start()
    try:
        with fence.holding(job_lease), progress.watched_by(JobProgress(catalog, job)):
            result = handler_for(job.kind)(hub, job.payload)
        record = partial(_completed, catalog, job, result)
    except LeaseLostError as exc:  # stopped at a fence: nothing more done, nothing recorded
        log.warning("%s", exc)
        record = partial(_stopped, catalog, job, exc)
    except QuotaError as exc:  # not the job's fault: it waits for the reset, no attempt spent
        record = partial(_deferred, catalog, job, exc)
    except MediaHubError as exc:
        permanent = isinstance(exc, PERMANENT_ERRORS)
        record = partial(_failed, catalog, job, str(exc), permanent=permanent)
    except Exception as exc:  # a bug or an outage: retried with backoff, parked if it persists
        log.exception("job %s (%s) raised", job.id, job.kind)
        record = partial(_failed, catalog, job, f"{type(exc).__name__}: {exc}", permanent=False)
    finally:
        done.set()
        renewer.join()
    return (patience or Patience()).call(record, f"job {job.id}: recording how it ended")


def _completed(catalog: Catalog, job: queue.ClaimedJob, result: dict[str, Any]) -> Finished:
    if queue.complete(catalog, job.id, job.lease_owner, result):
        return Finished(job, Outcome.DONE)
    if queue.note_cancelled(
        catalog, job.id, "cancelled too late: the job had finished, and what it did is recorded"
    ):
        return Finished(job, Outcome.LOST, "cancelled too late: the job had finished")
    log.warning("job %s: lease lost before it finished; its outcome is not recorded", job.id)
    return Finished(job, Outcome.LOST)


def _stopped(catalog: Catalog, job: queue.ClaimedJob, lost: LeaseLostError) -> Finished:
    if lost.state is LeaseState.CANCELLED:
        note = (
            f"cancelled while running: {lost.doing} and what follows were not done; "
            "what was done is recorded"
        )
        queue.note_cancelled(catalog, job.id, note)
    return Finished(job, Outcome.LOST, str(lost))


def _deferred(catalog: Catalog, job: queue.ClaimedJob, error: QuotaError) -> Finished:
    reason = f"{records.QUOTA_MARK}{error}"
    if queue.defer(catalog, job.id, job.lease_owner, quota_reset(error, utcnow()), reason):
        return Finished(job, Outcome.DEFERRED, str(error))
    return Finished(job, Outcome.LOST, str(error))


def _failed(catalog: Catalog, job: queue.ClaimedJob, error: str, *, permanent: bool) -> Finished:
    state = queue.fail(catalog, job.id, job.lease_owner, error, permanent=permanent)
    if state is None:
        return Finished(job, Outcome.LOST, error)
    return Finished(job, Outcome.PARKED if state is JobState.PARKED else Outcome.RETRY, error)


def _keep_lease(
    catalog: Catalog,
    job: queue.ClaimedJob,
    lease_s: float,
    done: threading.Event,
    job_lease: Fence,
) -> None:
    while not done.wait(lease_s / 3):
        try:
            if not queue.renew(catalog, job.id, job.lease_owner, lease_s):
                log.warning("job %s: lease lost (taken over or cancelled); stopping it", job.id)
                job_lease.stop.set()  # a transcode in progress stops at its next progress line
                return
        except OperationalError as exc:  # keep trying while the lease may still be valid
            log.warning("job %s: cannot renew the lease: %s", job.id, exc.orig or exc)

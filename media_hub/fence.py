"""Fencing: a worker's job acts on the world only while it holds the job's lease.

A worker can be paused (SIGSTOP, a VM pause, a swap storm) past its lease, in the middle of a
call; another worker then takes the job over and finishes it, and the first one resumes with
an answer in hand. So every side effect (opening an upload session, each chunk, each platform
write) is preceded by `confirm`, which renews the lease in the catalog or raises `LeaseLostError`;
and every catalog transaction the job commits carries the same conditional update (`guard`,
hooked on the catalog's sessions), so a stale worker's outcome fails in the database, not
only in its memory. A job cancelled by a person stops at the next `confirm`, but what it had
already done is still recorded: that is the truth a rerun starts from.

The fence travels in a context variable set by the worker around the job, so the platforms'
code needs no worker in its signatures; outside a worker nothing is fenced.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from media_hub.errors import MediaHubError


class LeaseState(StrEnum):
    HELD = "held"  # still this worker's: renewed
    CANCELLED = "cancelled"  # a person cancelled the job: stop, but record what was done
    TAKEN = "taken"  # another worker has it (or it was queued again): record nothing


class LeaseLostError(MediaHubError):
    """The job is no longer this worker's to run; what it was about to do was not done."""

    def __init__(self, job_id: int, doing: str, state: LeaseState) -> None:
        self.job_id = job_id
        self.doing = doing
        self.state = state
        why = (
            "was cancelled" if state is LeaseState.CANCELLED else "was taken over by another worker"
        )
        super().__init__(f"job {job_id} {why}; stopped before {doing}")


@dataclass
class Fence:
    """One running job's lease: `confirm_held` checks and renews it in a transaction of its
    own, `guard` inside the caller's transaction. `stop` is set once the lease is seen lost
    (by a check or by the lease keeper), for long local work such as a transcode to notice."""

    job_id: int
    confirm_held: Callable[[], LeaseState]
    guard: Callable[[Any], LeaseState]
    stop: threading.Event = field(default_factory=threading.Event)
    lost_as: LeaseState = LeaseState.TAKEN

    def lost(self, state: LeaseState, doing: str) -> LeaseLostError:
        """Note the lease gone (`state`) and the error to stop with."""
        self.lost_as = state
        self.stop.set()
        return LeaseLostError(self.job_id, doing, state)


_current: ContextVar[Fence | None] = ContextVar("media_hub_fence", default=None)


@contextmanager
def holding(fence: Fence) -> Iterator[Fence]:
    """Fence what runs in this block (in this thread or task)."""
    token = _current.set(fence)
    try:
        yield fence
    finally:
        _current.reset(token)


def confirm(doing: str) -> None:
    """Before a side effect: go on only while the job's lease is held (renewing it)."""
    fence = _current.get()
    if fence is None:
        return
    state = fence.confirm_held()
    if state is not LeaseState.HELD:
        raise fence.lost(state, doing)


def guard_commit(session: Any) -> None:
    """Inside a transaction about to commit the job's writes: refuse them (raise) when
    another worker holds the job; a cancelled job's writes record what was done, so pass."""
    fence = _current.get()
    if fence is None:
        return
    state = fence.guard(session)
    if state is LeaseState.TAKEN:
        raise fence.lost(state, "recording what it did")


def raise_if_stopped(doing: str) -> None:
    """For long local work: stop once the lease is known lost, without asking the catalog."""
    fence = _current.get()
    if fence is not None and fence.stop.is_set():
        raise LeaseLostError(fence.job_id, doing, fence.lost_as)

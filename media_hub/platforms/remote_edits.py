"""`publish --plan/--apply` for a platform that counts calls, not quota units (Facebook,
SlideShare): one edit per item whose texts differ, run in order until a rate or daily limit
stops them, and a rerun goes on with those left."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from media_hub import progress
from media_hub.errors import QuotaError
from media_hub.platforms.base import Synced, SyncedCall


@dataclass(frozen=True)
class RemoteEdit:
    method: str
    target: str
    detail: str
    run: Callable[[], None]
    units: int = 0  # these platforms count calls against their limits, not units
    changes: tuple[str, ...] = ()  # `field: old → new` on the platform


@dataclass(frozen=True)
class EditPlan:
    calls: list[RemoteEdit]
    reads: int  # list calls spent reading the platform
    missing: list[str] = field(default_factory=list)  # items not synced, and why


@dataclass(frozen=True)
class EditResult:
    done: list[RemoteEdit]
    left: list[RemoteEdit]
    stopped: QuotaError | None = None


def apply_edits(plan: EditPlan, platform_label: str) -> EditResult:
    """Run the edits in order; a limit stops them, and a rerun continues."""
    done: list[RemoteEdit] = []
    with progress.step(f"applying the changes on {platform_label}", len(plan.calls)) as current:
        for index, call in enumerate(plan.calls):
            try:
                call.run()
            except QuotaError as exc:
                return EditResult(done, plan.calls[index:], exc)
            done.append(call)
            current.advance()
    return EditResult(done, [])


def synced(platform: str, platform_label: str, plan: EditPlan, apply: bool) -> Synced:
    """The plan (applied if `apply`) in the shape `publish` reports for every platform."""
    calls = [
        SyncedCall(platform, c.method, c.units, c.target, c.detail, c.changes) for c in plan.calls
    ]
    left, stopped = len(calls), None
    if apply:
        result = apply_edits(plan, platform_label)
        left = len(result.left)
        if result.stopped is not None:
            stopped = f"{result.stopped}; {left} change(s) left"
    return Synced(platform, calls, plan.reads, 0, left, plan.missing, stopped)

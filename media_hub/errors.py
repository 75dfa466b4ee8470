"""The one exception root: the CLI turns any of these into a one-line message and an exit code.

Each subclass carries the context a person needs to act (the record, the field, the file),
so the message is built where the facts are known, never guessed at the boundary.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from enum import IntEnum


class ExitStatus(IntEnum):
    """Exit codes, stable so that scripts and CI can branch on them."""

    OK = 0
    ERROR = 1
    USAGE = 2  # click's own code for bad options
    NOT_FOUND = 3
    CONFLICT = 4
    CONFIG = 5


class MediaHubError(Exception):
    """Anything that goes wrong for a reason the user can understand and fix."""

    exit_status = ExitStatus.ERROR
    # The message says what to fix; the same command is then run again. Only the caller knows
    # which command that was (upload, ingest...): the CLI adds it to the line.
    rerun_after_fix = False


class ConfigError(MediaHubError):
    """A setting or the hub folder is wrong."""

    exit_status = ExitStatus.CONFIG


class ValidationError(MediaHubError):
    """A value was refused at the catalog boundary; nothing was written."""

    def __init__(self, field: str, problem: str, *, record: str | None = None) -> None:
        self.field = field
        self.problem = problem
        self.record = record
        where = f"{record}: {field}" if record else field
        super().__init__(f"{where}: {problem}")


class UsageError(ValidationError):
    """An option's value is not in the form the command takes (`LANG=TEXT`, a date)."""

    exit_status = ExitStatus.USAGE


class NotFoundError(MediaHubError):
    """A record named by the user does not exist."""

    exit_status = ExitStatus.NOT_FOUND

    def __init__(self, record: str, hint: str = "") -> None:
        self.record = record
        super().__init__(f"{record} not found" + (f"; {hint}" if hint else ""))


class ConflictError(MediaHubError):
    """Someone else changed the record since it was read: nothing was overwritten."""

    exit_status = ExitStatus.CONFLICT

    def __init__(self, record: str, detail: str) -> None:
        self.record = record
        super().__init__(
            f"{record} was changed {detail}; nothing was saved: show it again and redo your edit"
        )


class ConventionsError(MediaHubError):
    """A file under catalog/ (series, playlists, topics, templates) is wrong."""

    exit_status = ExitStatus.CONFIG

    def __init__(self, path: str, problem: str) -> None:
        self.path = path
        super().__init__(f"{path}: {problem}")


class MediaError(MediaHubError):
    """A media or deck file cannot be used: unreadable, unsupported, or unsafe."""

    def __init__(self, path: str, problem: str, *, rerun_after_fix: bool = False) -> None:
        self.path = path
        self.problem = problem
        self.rerun_after_fix = rerun_after_fix
        super().__init__(f"{path}: {problem}")


class StoreError(MediaHubError):
    """The asset store refused a key or an operation."""

    def __init__(self, key: str, problem: str) -> None:
        self.key = key
        super().__init__(f"store key {key!r}: {problem}")


class RemoteError(MediaHubError):
    """A platform refused a request; its own reason is kept."""

    def __init__(self, service: str, reason: str, message: str) -> None:
        self.service = service
        self.reason = reason
        super().__init__(f"{service}: {message} ({reason})")


class QuotaError(RemoteError):
    """The day's quota (or upload allowance) is spent: stop the batch, rerun after the reset.

    `resets` is the platform's own clock of resets, so that whoever stops on the error (a
    worker, a batch) knows when to try again without knowing the platform; without one, the
    next midnight UTC is assumed.
    """

    resets: Callable[[datetime], datetime] | None = None

    def __init__(
        self,
        service: str,
        reason: str,
        message: str,
        *,
        resets: Callable[[datetime], datetime] | None = None,
    ) -> None:
        super().__init__(service, reason, message)
        if resets is not None:
            self.resets = resets

    def resets_at(self, now: datetime) -> datetime:
        """When a call may succeed again, seen from `now`."""
        if self.resets is not None:
            return self.resets(now)
        return datetime.combine(now.astimezone(UTC).date() + timedelta(days=1), time(0), UTC)

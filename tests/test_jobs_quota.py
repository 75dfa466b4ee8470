"""A job stopped by a spent quota waits for the reset instead of failing, on both engines.

The handler that raises `QuotaError` is a test stand-in registered in `kinds.HANDLERS`, so
the worker's own path (claim, run, defer) is the real one.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from typer.testing import CliRunner

from media_hub.catalog.types import utcnow
from media_hub.cli import app
from media_hub.errors import QuotaError
from media_hub.hub import Hub
from media_hub.jobs import kinds, queue, records
from media_hub.jobs.worker import Finished, Outcome, quota_reset, run_worker
from media_hub.platforms import registry
from media_hub.platforms.youtube.clock import PACIFIC, next_reset

YOUTUBE_QUOTA = QuotaError(
    "YouTube",
    "quotaExceeded",
    "the day's quota is spent",
    resets=registry.get("youtube").next_reset,
)
SLIDESHARE_LIMIT = QuotaError("SlideShare", "99", "upload_slideshow: Account Exceeded Daily Limit")


def _run_one(hub: Hub, error: QuotaError, monkeypatch: pytest.MonkeyPatch) -> list[Finished]:
    """Run a worker until it has finished one job whose handler raises `error`."""
    calls: list[Mapping[str, Any]] = []

    def spent(_hub: Hub, payload: Mapping[str, Any]) -> dict[str, Any]:
        calls.append(payload)
        raise error

    monkeypatch.setattr(kinds, "HANDLERS", {**kinds.HANDLERS, "publish-test": spent})
    stop = threading.Event()
    finished: list[Finished] = []

    def record(item: Finished) -> None:
        finished.append(item)
        stop.set()

    run_worker(
        lambda: Hub(hub.settings), "quota-worker", ["publish-test"], 1, 30, stop,
        poll_s=0.05, on_finished=record,
    )  # fmt: skip
    assert len(calls) == 1
    return finished


def test_a_spent_youtube_quota_puts_the_job_off_until_midnight_pacific(
    hub: Hub, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalog = hub.db
    job_id = queue.enqueue(catalog, "publish-test", {"asset_id": 7}, max_attempts=1)
    before = utcnow()
    [finished] = _run_one(hub, YOUTUBE_QUOTA, monkeypatch)
    after = utcnow()
    assert (finished.job.id, finished.outcome) == (job_id, Outcome.DEFERRED)
    record = records.show_job(catalog, job_id)
    # Not a failure: queued, its one allowed attempt given back, no owner.
    assert (record["state"], record["attempts"], record["lease_owner"]) == ("queued", 0, None)
    assert record["error"] == f"quota: {YOUTUBE_QUOTA}"
    reset = datetime.fromisoformat(record["run_after"])
    assert reset in {next_reset(before), next_reset(after)}
    local = reset.astimezone(PACIFIC)
    assert (local.hour, local.minute) == (0, 0)
    assert queue.claim(catalog, "eager", None, 60) is None  # not before the reset
    waiting = f"waiting for the quota reset at {local:%Y-%m-%d} 00:00 Pacific"
    assert record["waiting"] == waiting

    listed = runner.invoke(app, ["jobs", "list", "--json"])
    assert listed.exit_code == 0, listed.stderr
    assert json.loads(listed.stdout)[0]["waiting"] == waiting
    table = runner.invoke(app, ["jobs", "list"], env={"COLUMNS": "300"})
    assert table.exit_code == 0, table.stderr
    assert waiting in table.stdout


def test_a_spent_slideshare_limit_waits_for_midnight_utc(
    hub: Hub, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalog = hub.db
    job_id = queue.enqueue(catalog, "publish-test", {"asset_id": 8})
    [finished] = _run_one(hub, SLIDESHARE_LIMIT, monkeypatch)
    assert finished.outcome is Outcome.DEFERRED
    record = records.show_job(catalog, job_id)
    reset = datetime.fromisoformat(record["run_after"])
    assert (reset.hour, reset.minute, reset.second) == (0, 0, 0)
    assert timedelta(0) < reset - utcnow() <= timedelta(days=1)
    assert record["waiting"] == f"waiting for the quota reset at {reset:%Y-%m-%d} 00:00 UTC"


def test_the_reset_times() -> None:
    evening = datetime(2026, 11, 29, 23, 30, tzinfo=UTC)  # 15:30 in Los Angeles
    assert quota_reset(YOUTUBE_QUOTA, evening) == datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    assert quota_reset(SLIDESHARE_LIMIT, evening) == datetime(2026, 11, 30, 0, 0, tzinfo=UTC)
    summer = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)  # daylight saving: UTC-7
    assert quota_reset(YOUTUBE_QUOTA, summer) == datetime(2026, 7, 2, 7, 0, tzinfo=UTC)


def test_the_wait_is_shown_only_while_it_lasts() -> None:
    now = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
    reset = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    error = f"quota: {YOUTUBE_QUOTA}"
    shown = records.quota_wait("queued", reset, error, now)
    assert shown == "waiting for the quota reset at 2026-11-30 00:00 Pacific"
    assert records.quota_wait("queued", reset, error, reset) is None  # due: no longer waiting
    assert records.quota_wait("running", reset, error, now) is None
    assert records.quota_wait("queued", reset, "ffmpeg exited 1", now) is None  # a backoff


def test_defer_needs_the_lease(hub: Hub) -> None:
    catalog = hub.db
    job_id = queue.enqueue(catalog, "probe", {})
    until = utcnow() + timedelta(hours=3)
    assert not queue.defer(catalog, job_id, "w", until, "quota: YouTube: spent")  # not claimed
    assert queue.claim(catalog, "w", None, 60) is not None
    assert not queue.defer(catalog, job_id, "other", until, "quota: YouTube: spent")
    assert queue.defer(catalog, job_id, "w", until, "quota: YouTube: spent")
    assert not queue.complete(catalog, job_id, "w", {})  # handed over: nothing more recorded

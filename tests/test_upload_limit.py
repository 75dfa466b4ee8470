"""YouTube's uploadLimitExceeded is the channel's cap over a rolling 24 hours, not the quota:
`upload` names the time 24 hours after the refusal, and a worker waits until then, not for
midnight Pacific time."""

from __future__ import annotations

import json
import math
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from media_hub.cli import app
from media_hub.hub import Hub
from media_hub.jobs import records
from media_hub.jobs.worker import Finished, Outcome, run_worker
from media_hub.platforms.youtube.clock import PACIFIC, next_reset
from media_hub.sandbox.server import Sandbox
from media_hub.settings import load_settings

pytestmark = pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)

DATA = Path(__file__).resolve().parent / "data"
CLIP = ["--series", "reports", "-t", "fr=Forum de l'emploi"]


def _minutes(start: datetime, end: datetime) -> list[datetime]:
    """The whole minutes from `start` to `end`, each rounded up: what a refusal between the two
    moments (plus 24 hours) can give."""
    first, last = (datetime.fromtimestamp(math.ceil(t.timestamp() / 60) * 60, UTC)
                   for t in (start, end))  # fmt: skip
    return [
        first + timedelta(minutes=n) for n in range(int((last - first).total_seconds()) // 60 + 1)
    ]


def test_upload_stops_and_names_the_time_24_hours_after_the_refusal(
    channel_hub: Hub, sandbox: Sandbox, runner: CliRunner
) -> None:
    sandbox.state.configure(uploads_per_day=0)  # the channel's cap is reached
    before = datetime.now(UTC)
    stopped = runner.invoke(app, ["upload", str(DATA / "in.mp4"), *CLIP])
    after = datetime.now(UTC)
    assert stopped.exit_code == 1
    [error, left] = stopped.stderr.splitlines()
    assert error.startswith("error: YouTube: uploading asset ")
    assert error.endswith("(uploadLimitExceeded)")
    shown = [f"{t.astimezone(PACIFIC):%Y-%m-%d %H:%M} Pacific time" for t in
             _minutes(before + timedelta(hours=24), after + timedelta(hours=24))]  # fmt: skip
    assert any(f"rerun after {when}" in error for when in shown), error
    midnight = next_reset(after).astimezone(PACIFIC)
    assert f"{midnight:%Y-%m-%d %H:%M}" not in error  # not the quota's reset
    assert left == f"not done yet: {DATA / 'in.mp4'}"
    assert sandbox.state.snapshot()["videos"] == {}


def test_a_worker_waits_24_hours_from_the_refusal(
    channel_hub: Hub, sandbox: Sandbox, runner: CliRunner
) -> None:
    queued = runner.invoke(app, ["upload", "--queue", "--json", str(DATA / "in.mp4"), *CLIP])
    assert queued.exit_code == 0, queued.stderr
    [job] = json.loads(queued.stdout)
    sandbox.state.configure(uploads_per_day=0)

    finished: list[Finished] = []
    stop = threading.Event()
    home = channel_hub.settings.home

    def seen(one: Finished) -> None:
        finished.append(one)
        stop.set()

    before = datetime.now(UTC)
    run_worker(
        lambda: Hub(load_settings(home)), "limit-worker", ["upload"], 1, 30.0, stop,
        poll_s=0.05, on_finished=seen,
    )  # fmt: skip
    after = datetime.now(UTC)
    [deferred] = finished
    assert deferred.outcome is Outcome.DEFERRED
    record = records.show_job(channel_hub.db, job["job_id"])
    assert record["state"] == "queued"
    assert record["attempts"] == 0  # not a failure: nothing to fix, only to wait
    assert "uploadLimitExceeded" in record["error"]
    run_after = datetime.fromisoformat(record["run_after"])
    assert run_after in _minutes(before + timedelta(hours=24), after + timedelta(hours=24))
    assert run_after != next_reset(after)
    assert f"{run_after.astimezone(PACIFIC):%Y-%m-%d %H:%M} Pacific" in record["waiting"]
    assert sandbox.state.snapshot()["videos"] == {}

"""Daily pulls through the workers: `stats pull --queue --daily-at HH:MM` queues a pull for the
next such time; a worker runs it, and the job queues the following day's before it pulls."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from media_hub.catalog.pipeline_models import Job
from media_hub.cli import app
from media_hub.hub import Hub
from media_hub.jobs.queue import enqueue
from media_hub.jobs.schedule import next_run, parse_time
from tests.test_queued_upload import _work

SQLITE_ONLY = pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)


@pytest.mark.parametrize(
    ("now", "due"),
    [
        (datetime(2026, 11, 30, 5, 0, tzinfo=UTC), datetime(2026, 11, 30, 6, 30, tzinfo=UTC)),
        (datetime(2026, 11, 30, 6, 30, tzinfo=UTC), datetime(2026, 12, 1, 6, 30, tzinfo=UTC)),
        (datetime(2026, 12, 31, 23, 0, tzinfo=UTC), datetime(2027, 1, 1, 6, 30, tzinfo=UTC)),
    ],
)
def test_the_next_run_is_the_first_such_time_after_now(now: datetime, due: datetime) -> None:
    assert next_run(now, time(6, 30, tzinfo=UTC)) == due


def _queued(hub: Hub) -> list[tuple[int, str, datetime, dict[str, str]]]:
    with hub.db.session() as session:
        return [
            (job.id, job.state, job.run_after.replace(tzinfo=UTC), job.payload)
            for job in session.scalars(select(Job).where(Job.kind == "stats-pull").order_by(Job.id))
        ]


@SQLITE_ONLY
def test_daily_at_queues_one_pull_for_the_next_such_time(hub: Hub, runner: CliRunner) -> None:
    before = datetime.now(UTC)
    first = runner.invoke(app, ["stats", "pull", "--queue", "--daily-at", "06:30", "--json"])
    assert first.exit_code == 0, first.stderr
    again = runner.invoke(app, ["stats", "pull", "--queue", "--daily-at", "06:30", "--json"])
    assert json.loads(again.stdout)["job_id"] == json.loads(first.stdout)["job_id"]
    [(_, state, due, payload)] = _queued(hub)
    assert state == "queued"
    assert due == next_run(before, time(6, 30, tzinfo=UTC))
    assert payload["daily_at"] == "06:30"


@SQLITE_ONLY
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--queue", "--daily-at", "25:00"],
         "error: --daily-at: '25:00' is not a time of day; use HH:MM (UTC), e.g. 06:30"),
        (["--daily-at", "06:30"], "error: --daily-at: goes with --queue (the workers run the "
         "pulls)"),
    ],
)  # fmt: skip
def test_bad_daily_times_are_one_line(
    hub: Hub, runner: CliRunner, args: list[str], message: str
) -> None:
    result = runner.invoke(app, ["stats", "pull", *args])
    assert result.exit_code != 0
    assert result.stderr.splitlines() == [message]


@SQLITE_ONLY
def test_a_worker_runs_the_daily_pull_and_it_queues_the_next_day(hub: Hub) -> None:
    at = parse_time("06:30")
    now = datetime.now(UTC)
    job_id = enqueue(hub.db, "stats-pull", {"daily_at": "06:30", "due": now.isoformat()},
                     run_after=now - timedelta(seconds=1))  # fmt: skip
    [finished] = _work(hub, 1)
    assert (finished.job.id, finished.outcome.value) == (job_id, "done")
    jobs = _queued(hub)
    assert [(state, payload["daily_at"]) for _, state, _, payload in jobs] == [
        ("done", "06:30"), ("queued", "06:30"),
    ]  # fmt: skip
    next_due = jobs[1][2]
    assert next_due == next_run(now, at)
    assert next_due - now <= timedelta(days=1)
    with hub.db.session() as session:
        result = session.get(Job, job_id)
        assert result is not None
        assert result.result is not None
        assert result.result["next_job"] == jobs[1][0]

"""Workers and a PostgreSQL server that goes away: a restart is waited out and every job is
done; an outage longer than the worker's patience ends the worker with status 1, for its
supervisor (systemd's Restart=on-failure) to start it again."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from media_hub.catalog.pipeline_models import Job
from media_hub.catalog.vocabulary import JobState
from media_hub.hub import Hub, init_hub
from media_hub.jobs import kinds, queue
from media_hub.jobs.worker import Outcome, Patience, run_worker
from media_hub.settings import load_settings
from tests.pg_server import PostgresCluster, postgres_cluster

# Slow: a PostgreSQL cluster of its own, stopped for seconds at a time.
pytestmark = pytest.mark.slow

JOBS = 12


@pytest.fixture
def cluster() -> Iterator[PostgresCluster]:
    with postgres_cluster() as running:
        yield running


@pytest.fixture
def home(tmp_path: Path, cluster: PostgresCluster, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in list(os.environ):
        if name.startswith("MEDIA_HUB_"):
            monkeypatch.delenv(name)
    folder = tmp_path / "hub"
    init_hub(folder)
    monkeypatch.setenv("MEDIA_HUB_HOME", str(folder))
    monkeypatch.setenv("MEDIA_HUB_CATALOG_URL", cluster.url)
    return folder


def _states(hub: Hub) -> dict[str, int]:
    with hub.db.session() as session:
        rows = session.execute(select(Job.state, func.count()).group_by(Job.state)).all()
    return {str(state): count for state, count in rows}


def test_a_database_restart_under_running_workers_is_waited_out(
    home: Path, cluster: PostgresCluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    def step(hub: Hub, payload: Mapping[str, Any]) -> dict[str, Any]:
        time.sleep(0.3)  # some work, then a catalog read, as every real step does
        with hub.db.session() as session:
            session.execute(select(func.count()).select_from(Job)).scalar()
        return {"n": payload["n"]}

    monkeypatch.setitem(kinds.HANDLERS, "outage-test", step)
    settings = load_settings(home)
    hub = Hub(settings)
    for n in range(JOBS):
        queue.enqueue(hub.db, "outage-test", {"n": n})
    stop = threading.Event()
    tallies = []

    patience = Patience(60.0, first_delay_s=0.2, max_delay_s=2.0)

    def worker(name: str) -> None:
        hub_factory = lambda: Hub(settings)  # noqa: E731
        tally = run_worker(
            hub_factory, name, ["outage-test"], 1, 3.0, stop, poll_s=0.2, patience=patience
        )
        tallies.append(tally)

    workers = [threading.Thread(target=worker, args=(f"w{n}",)) for n in range(2)]
    for thread in workers:
        thread.start()
    time.sleep(1.0)
    cluster.stop("fast")  # as `pg_ctl -m fast stop` during a maintenance
    time.sleep(12)
    cluster.start()
    deadline = time.monotonic() + 90
    while _states(hub).get(JobState.DONE, 0) < JOBS and time.monotonic() < deadline:
        time.sleep(0.5)
    stop.set()
    for thread in workers:
        thread.join(30)

    assert not any(thread.is_alive() for thread in workers)
    assert _states(hub) == {JobState.DONE: JOBS}
    assert all(tally.gave_up is None for tally in tallies)
    assert sum(tally.counts[Outcome.DONE] for tally in tallies) >= JOBS - 2  # others retried
    hub.close()


@pytest.mark.parametrize("down", ["while it idles", "before it starts"])
def test_an_outage_longer_than_the_patience_ends_the_worker_with_status_1(
    home: Path, cluster: PostgresCluster, down: str
) -> None:
    Hub(load_settings(home)).close()  # the schema, made while the server is up
    if down == "before it starts":
        cluster.stop("fast")
    process = subprocess.Popen(
        [sys.executable, "-m", "media_hub", "worker", "--poll", "0.2", "--database-patience", "3",
         "--local-store"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        if down == "while it idles":
            time.sleep(2.0)
            assert process.poll() is None  # idling on an empty queue (or still starting)
            cluster.stop("fast")
        _, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
        cluster.start()
    assert process.returncode == 1, stderr
    [line] = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert "the catalog did not answer for 3 s" in line
    assert "Traceback" not in stderr

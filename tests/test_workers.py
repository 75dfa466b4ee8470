"""Real `media-hub worker` processes on a real PostgreSQL catalog, transcoding tiny clips.

Several workers share a queue; two are killed with SIGKILL while each holds a job. Their
leases expire, the others take those jobs over, and every job ends done exactly once: one
recorded result, one "done" line across all workers, one rendition per asset. A worker sent
SIGTERM in the middle of a job finishes and records it, then exits 0; sent a second SIGTERM
while finishing, it hands the job back unrecorded, its ffmpeg killed, and exits 1.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from media_hub.catalog.pipeline_models import Job, Rendition
from media_hub.hub import Hub
from media_hub.jobs import queue, records
from media_hub.jobs.worker import Finished, Outcome, run_worker
from media_hub.pipeline.ingest import IngestRequest, ingest
from tests.media_fixtures import ffmpeg

TINY_PROFILE = 'extends = "web"\n[video]\npreset = "ultrafast"\n'
GUARD_S = 120  # only against a hang: no assertion depends on how long anything takes
DONE_LINE = re.compile(r"^job (\d+) \(transcode\) done$", re.MULTILINE)


def _clips(hub: Hub, folder: Path, count: int, seconds: float = 0.5) -> list[int]:
    """`count` distinct tiny clips (their tones differ), ingested; their asset ids."""
    (hub.settings.definitions_dir / "profiles").mkdir(exist_ok=True)
    (hub.settings.definitions_dir / "profiles" / "tiny.toml").write_text(TINY_PROFILE)
    folder.mkdir(exist_ok=True)
    ids = []
    for n in range(count):
        path = folder / f"clip-{n}.mp4"
        ffmpeg(
            "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=10",
            "-f", "lavfi", "-i", f"sine=frequency={300 + 7 * n}:sample_rate=48000",
            "-t", str(seconds), "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
            "-c:a", "aac", str(path),
        )  # fmt: skip
        request = IngestRequest(path, "reports", {"fr": f"Clip {n}"})
        ids.append(ingest(hub.db, hub.store, request).asset_id)
    return ids


def _enqueue(hub: Hub, asset_ids: list[int], profile: str = "tiny") -> list[int]:
    catalog = hub.db
    return [
        queue.enqueue(catalog, "transcode", {"asset_id": a, "profile": profile}, a)
        for a in asset_ids
    ]


class Workers:
    """`media-hub worker` subprocesses, each in its own process group (ffmpeg dies with it)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self, count: int, lease_s: float) -> None:
        for n in range(len(self.processes), len(self.processes) + count):
            command = [sys.executable, "-m", "media_hub", "worker", "--lease", str(lease_s),
                       "--poll", "0.1", "--kinds", "transcode",
                       "--local-store"]  # fmt: skip
            with (self.folder / f"worker-{n}.out").open("wb") as out:
                self.processes.append(
                    subprocess.Popen(
                        command,
                        stdout=out,
                        stderr=subprocess.STDOUT,
                        env=dict(os.environ),
                        start_new_session=True,
                    )
                )

    def output(self, n: int) -> str:
        return (self.folder / f"worker-{n}.out").read_text()

    def owner_prefix(self, n: int) -> str:
        return f":{self.processes[n].pid}:"

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@pytest.fixture
def workers(tmp_path: Path) -> Iterator[Workers]:
    started = Workers(tmp_path)
    yield started
    started.stop_all()


def _wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + GUARD_S
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.05)


def _running_by(hub: Hub, prefix: str) -> int | None:
    with hub.db.session() as session:
        return session.scalars(
            select(Job.id).where(Job.state == "running", Job.lease_owner.contains(prefix))
        ).first()


def _holds_a_job(hub: Hub, prefix: str) -> bool:
    return _running_by(hub, prefix) is not None


def _states(hub: Hub) -> dict[str, int]:
    return records.count_by_state(hub.db)


@pytest.mark.slow  # worker processes, SIGKILL
@pytest.mark.parametrize("catalog_url", ["postgresql"], indirect=True)
def test_killed_workers_jobs_are_taken_over_and_every_job_is_done_once(
    hub: Hub, workers: Workers, tmp_path: Path
) -> None:
    asset_ids = _clips(hub, tmp_path / "clips", 24)
    job_ids = _enqueue(hub, asset_ids)
    workers.start(4, lease_s=2)
    held: dict[int, int] = {}
    for victim in (0, 1):  # each killed while it holds a job
        prefix = workers.owner_prefix(victim)
        _wait_for(partial(_holds_a_job, hub, prefix), f"worker {victim} to hold a job")
        os.killpg(workers.processes[victim].pid, signal.SIGKILL)
        workers.processes[victim].wait()
        job_id = _running_by(hub, prefix)  # still its job once it is dead: a lease to take over
        if job_id is not None:
            held[victim] = job_id
    assert held, "neither killed worker was holding a job when it died"
    _wait_for(lambda: _states(hub) == {"done": len(job_ids)}, "every job to be done")
    for survivor in (2, 3):
        workers.processes[survivor].send_signal(signal.SIGTERM)
        assert workers.processes[survivor].wait(timeout=GUARD_S) == 0

    done_lines = Counter(
        int(match) for n in range(4) for match in DONE_LINE.findall(workers.output(n))
    )
    assert sorted(done_lines) == sorted(job_ids)  # none lost
    assert max(done_lines.values()) == 1  # none recorded twice
    with hub.db.session() as session:
        counted = select(Rendition.asset_id, func.count()).group_by(Rendition.asset_id)
        per_asset: dict[int, int] = dict(session.execute(counted).all())
        results: dict[int, dict[str, Any] | None] = dict(
            session.execute(select(Job.id, Job.result)).all()
        )
        owners: dict[int, str | None] = dict(session.execute(select(Job.id, Job.lease_owner)).all())
    assert per_asset == dict.fromkeys(asset_ids, 1)
    assert [(results[j] or {}).get("profile") for j in job_ids] == ["tiny"] * len(job_ids)
    for victim, job_id in held.items():  # taken over by a worker still alive
        owner = owners[job_id] or ""
        assert workers.owner_prefix(victim) not in owner
        assert f"job {job_id} " not in workers.output(victim)
        assert any(workers.owner_prefix(s) in owner for s in (2, 3))


@pytest.mark.slow  # a worker process, SIGTERM
@pytest.mark.real_profile  # the built-in youtube transcode is what is still running
@pytest.mark.parametrize("catalog_url", ["postgresql"], indirect=True)
def test_sigterm_mid_job_finishes_and_records_it_then_exits(
    hub: Hub, workers: Workers, tmp_path: Path
) -> None:
    [asset_id] = _clips(hub, tmp_path / "clips", 1, seconds=4.0)
    [job_id] = _enqueue(hub, [asset_id], profile="youtube")  # slow enough to be mid-step
    workers.start(1, lease_s=2)
    _wait_for(lambda: _running_by(hub, workers.owner_prefix(0)) == job_id, "the job to start")
    workers.processes[0].send_signal(signal.SIGTERM)
    assert workers.processes[0].wait(timeout=GUARD_S) == 0
    record = records.show_job(hub.db, job_id)
    assert record["state"] == "done"
    assert record["result"]["asset_id"] == asset_id
    assert DONE_LINE.findall(workers.output(0)) == [str(job_id)]
    with hub.db.session() as session:
        renditions = session.scalars(select(Rendition).where(Rendition.asset_id == asset_id))
        assert [r.profile for r in renditions] == ["youtube"]


def _live_in_session(session_id: int) -> list[int]:
    """Processes (zombies aside) of a session: a worker started with start_new_session and
    everything it started."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[0] != "Z" and int(fields[3]) == session_id:
            found.append(int(stat.parent.name))
    return found


@pytest.mark.slow  # a worker process, SIGTERM
@pytest.mark.real_profile  # the built-in youtube transcode is what is still running
@pytest.mark.parametrize("catalog_url", ["postgresql"], indirect=True)
def test_a_second_sigterm_hands_the_job_back_unrecorded_then_exits_1(
    hub: Hub, workers: Workers, tmp_path: Path
) -> None:
    [asset_id] = _clips(hub, tmp_path / "clips", 1, seconds=6.0)
    [job_id] = _enqueue(hub, [asset_id], profile="youtube")  # slow enough to be mid-step
    workers.start(1, lease_s=600)  # only the hand-back can free the job in this test's time
    first = workers.processes[0]
    _wait_for(lambda: _running_by(hub, workers.owner_prefix(0)) == job_id, "the job to start")
    first.send_signal(signal.SIGTERM)
    _wait_for(lambda: "signal again to hand them back" in workers.output(0), "the first stop")
    first.send_signal(signal.SIGTERM)
    assert first.wait(timeout=GUARD_S) == 1
    output = workers.output(0)
    assert f"handed back job(s) {job_id}:" in output
    assert not DONE_LINE.findall(output)
    record = records.show_job(hub.db, job_id)
    assert (record["state"], record["attempts"], record["lease_owner"]) == ("queued", 0, None)
    assert (record["result"], record["error"]) == (None, None)  # nothing recorded
    _wait_for(lambda: not _live_in_session(first.pid), "the worker's ffmpeg to be gone")
    with hub.db.session() as session:
        assert session.scalar(select(func.count()).select_from(Rendition)) == 0

    workers.start(1, lease_s=600)  # another worker takes it at once and finishes it
    _wait_for(lambda: _states(hub) == {"done": 1}, "the job to be done by the next worker")
    workers.processes[1].send_signal(signal.SIGTERM)
    assert workers.processes[1].wait(timeout=GUARD_S) == 0
    assert DONE_LINE.findall(workers.output(1)) == [str(job_id)]
    record = records.show_job(hub.db, job_id)
    assert (record["attempts"], record["result"]["asset_id"]) == (1, asset_id)


def test_a_job_that_cannot_succeed_is_parked_with_its_error(hub: Hub) -> None:
    """In process: a transcode of an asset that does not exist fails for good, at once."""
    job_id = queue.enqueue(hub.db, "transcode", {"asset_id": 424242})
    stop = threading.Event()
    outcomes: list[Outcome] = []

    def finished(item: Finished) -> None:
        outcomes.append(item.outcome)
        stop.set()

    tally = run_worker(
        lambda: Hub(hub.settings), "in-process", None, 2, 30, stop,
        poll_s=0.05, on_finished=finished,
    )  # fmt: skip
    assert outcomes == [Outcome.PARKED]
    assert tally.counts[Outcome.PARKED] == 1
    record = records.show_job(hub.db, job_id)
    assert (record["state"], record["attempts"]) == ("parked", 1)
    assert "asset 424242 not found" in record["error"]


def test_a_slot_stopped_by_an_unexpected_error_stops_the_worker_and_says_why(
    hub: Hub, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A slot thread that dies must not leave a worker that exits 0 as if told to stop."""

    def claim_fails(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("the claim query broke")

    monkeypatch.setattr(queue, "claim", claim_fails)
    stop = threading.Event()
    tally = run_worker(lambda: Hub(hub.settings), "in-process", None, 2, 30, stop, poll_s=0.05)
    assert stop.is_set()
    assert tally.gave_up is not None
    assert "unexpected error: RuntimeError: the claim query broke" in tally.gave_up

"""A worker paused past its lease in the middle of a call, on PostgreSQL, S3 and the sandbox.

Worker x sends a request the sandbox carries out and answers only later (its `hold` fault);
x is stopped (SIGSTOP: a VM pause, a swap storm) past its lease; worker y takes the job over
and finishes it; x is resumed with the answer in hand. Whether the held call opened the upload
session or inserted the playlist item, the channel ends with one video in the playlist once,
the catalog points at it, and x's outcome is refused by the catalog.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from media_hub.cli import app
from media_hub.hub import Hub
from media_hub.jobs import records
from media_hub.sandbox.server import Sandbox
from tests.sandbox_client import youtube

DATA = Path(__file__).resolve().parent / "data"
LEASE_S = 2.0
HOLD_S = 3 * LEASE_S

pytestmark = [
    pytest.mark.slow,
    pytest.mark.parametrize("catalog_url", ["postgresql"], indirect=True),
]


def _worker(folder: Path, name: str) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "media_hub", "worker", "--lease", str(LEASE_S),
               "--poll", "0.1", "--kinds", "upload", "--name", name]  # fmt: skip
    with (folder / f"{name}.out").open("wb") as out:
        return subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, env=dict(os.environ),
            start_new_session=True,
        )  # fmt: skip


def _queue_upload(runner: CliRunner) -> dict[str, Any]:
    """An advisory clip queued for the workers: its job and asset ids."""
    queued = runner.invoke(
        app, ["upload", "--queue", "--json", str(DATA / "in.mp4"), "--series", "advisory-clips",
              "--episode", "1", "-t", "fr=Chercher un emploi"],
    )  # fmt: skip
    assert queued.exit_code == 0, queued.stderr
    [job] = json.loads(queued.stdout)
    return dict(job)


def _wait(condition: Any, what: str, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGCONT)
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/upload/youtube/v3/videos"),  # the request that opens the upload session
        ("POST", "/youtube/v3/playlistItems"),  # the video's insert into its playlist
    ],
    ids=["session", "playlist-item"],
)
def test_a_worker_paused_past_its_lease_sends_nothing_twice_and_records_nothing(
    channel_hub: Hub,
    sandbox: Sandbox,
    s3_store: object,
    runner: CliRunner,
    tmp_path: Path,
    method: str,
    path: str,
) -> None:
    job = _queue_upload(runner)
    sandbox.faults.add("hold", method=method, path=path, seconds=HOLD_S)

    x = _worker(tmp_path, "x")
    y: subprocess.Popen[bytes] | None = None
    try:
        _wait(lambda: any(r.path == path for r in sandbox.app.holding), f"x's {path}")
        os.killpg(x.pid, signal.SIGSTOP)  # paused waiting for the answer
        time.sleep(2 * LEASE_S)  # past its lease
        y = _worker(tmp_path, "y")
        _wait(lambda: records.show_job(channel_hub.db, job["job_id"])["state"] == "done",
              "y to finish the job")  # fmt: skip
        os.killpg(x.pid, signal.SIGCONT)  # x gets its answer now
        _wait(lambda: "lost" in (tmp_path / "x.out").read_text(), "x to stop")
    finally:
        _stop(x)
        if y is not None:
            _stop(y)

    shown = records.show_job(channel_hub.db, job["job_id"])
    assert shown["lease_owner"].startswith("y")
    state = sandbox.state.snapshot()
    [video_id] = state["videos"]  # one video, not two
    items = [item for item in state["playlist_items"].values() if item["video_id"] == video_id]
    assert len(items) == 1  # in its playlist once
    asset = channel_hub.catalog.show(job["asset_id"])
    assert asset["status"] == "published"
    listed = youtube(sandbox).videos().list(part="id", id=video_id).execute()
    assert len(listed["items"]) == 1
    with channel_hub.db.session() as session:
        from sqlalchemy import select

        from media_hub.catalog.pipeline_models import Publication

        remote_id = session.scalar(
            select(Publication.remote_id).where(Publication.asset_id == job["asset_id"])
        )
    assert remote_id == video_id  # the catalog points at the one video
    x_out = (tmp_path / "x.out").read_text()
    assert f"job {job['job_id']} (upload) lost" in x_out
    assert "taken over by another worker" in x_out


def test_a_cancel_stops_a_running_upload_at_its_next_step_and_a_retry_completes_it(
    channel_hub: Hub,
    sandbox: Sandbox,
    s3_store: object,
    runner: CliRunner,
    tmp_path: Path,
) -> None:
    job = _queue_upload(runner)
    session_path = "/upload/youtube/v3/videos"
    sandbox.faults.add("hold", method="POST", path=session_path, seconds=HOLD_S)

    x = _worker(tmp_path, "x")
    try:
        _wait(lambda: any(r.path == session_path for r in sandbox.app.holding), "the session")
        cancelled = runner.invoke(app, ["jobs", "cancel", str(job["job_id"])])
        assert cancelled.exit_code == 0, cancelled.stderr
        _wait(lambda: "lost" in (tmp_path / "x.out").read_text(), "x to stop")
    finally:
        _stop(x)

    shown = records.show_job(channel_hub.db, job["job_id"])
    assert shown["state"] == "cancelled"
    assert "sending the next chunk" in str(shown["error"])  # where it stopped, said on the job
    assert sandbox.state.snapshot()["videos"] == {}  # no byte sent after the cancel
    assert channel_hub.catalog.show(job["asset_id"])["status"] != "published"

    retried = runner.invoke(app, ["jobs", "retry", str(job["job_id"])])
    assert retried.exit_code == 0, retried.stderr
    y = _worker(tmp_path, "y")
    try:
        _wait(lambda: records.show_job(channel_hub.db, job["job_id"])["state"] == "done",
              "the retry to finish")  # fmt: skip
    finally:
        _stop(y)
    assert len(sandbox.state.snapshot()["videos"]) == 1
    assert channel_hub.catalog.show(job["asset_id"])["status"] == "published"

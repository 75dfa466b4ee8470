"""Scale-out: 40 short clips transcoded by 1 `media-hub worker` process, then by 2.

Starts a private PostgreSQL on loopback (the realistic catalog for several workers, as the
tests start one), generates 40 distinct 3-second 320x240 clips with ffmpeg's lavfi sources,
and for each run makes a fresh hub (its own database and asset store), ingests the clips,
queues one `transcode` job per clip (profile `web`), starts the worker processes and times
them from their start until every job is done. Rounds alternate 1 worker and 2 workers, so
that load from elsewhere on the machine weighs on both alike; the load average is printed.
Prints each wall time, the throughput and the ratio of 2 workers to 1, per round and for the
best of each (at most 2 on this 2-core machine: a worker's ffmpeg gets one thread per core
it shares with another slot). Not a test.

    .venv/bin/python bench/bench_workers.py [--clips 40] [--seconds 3] [--profile web] [--rounds 2]
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # for tests.pg_server, shared with the test suite

from media_hub.hub import Hub, init_hub  # noqa: E402
from media_hub.jobs import queue, records  # noqa: E402
from media_hub.pipeline.ingest import IngestRequest, ingest  # noqa: E402
from media_hub.settings import load_settings  # noqa: E402
from tests.pg_server import postgres_server  # noqa: E402

GUARD_S = 1800  # only against a hang


def make_clips(folder: Path, count: int, seconds: float) -> list[Path]:
    """`count` distinct clips: the same test pattern, each with a tone of its own."""
    folder.mkdir()
    clips = []
    for n in range(count):
        path = folder / f"clip-{n:02d}.mp4"
        command = ["ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-y"]
        command += ["-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25"]
        command += ["-f", "lavfi", "-i", f"sine=frequency={300 + 7 * n}:sample_rate=48000"]
        command += ["-t", str(seconds), "-c:v", "libx264", "-preset", "ultrafast"]
        command += ["-pix_fmt", "yuv420p", "-c:a", "aac", str(path)]
        subprocess.run(command, check=True)
        clips.append(path)
    return clips


def fresh_hub(folder: Path, admin_url: str, name: str) -> dict[str, str]:
    """A new hub on a new database; the environment its workers need."""
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    init_hub(folder)
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEDIA_HUB_")}
    env.update(MEDIA_HUB_HOME=str(folder), MEDIA_HUB_CATALOG_URL=url, MEDIA_HUB_USER="bench")
    return env


def queue_clips(env: dict[str, str], clips: list[Path], profile: str) -> int:
    """Ingest the clips and queue a transcode of each; the number of jobs."""
    os.environ.update(env)
    hub = Hub(load_settings(Path(env["MEDIA_HUB_HOME"])))
    try:
        hub.catalog.load_conventions(hub.settings.definitions_dir)
        catalog = hub.db
        for n, clip in enumerate(clips):
            request = IngestRequest(clip, "reports", {"fr": f"Clip {n}"})
            asset_id = ingest(catalog, hub.store, request).asset_id
            payload = {"asset_id": asset_id, "profile": profile}
            queue.enqueue(catalog, "transcode", payload, asset_id)
        return len(clips)
    finally:
        hub.close()


def run_workers(env: dict[str, str], count: int, jobs: int, logs: Path) -> float:
    """Seconds from starting `count` worker processes until every job is done."""
    hub = Hub(load_settings(Path(env["MEDIA_HUB_HOME"])))
    command = [sys.executable, "-m", "media_hub", "worker", "--poll", "0.1", "--kinds", "transcode"]
    processes = []
    started = time.perf_counter()
    try:
        for n in range(count):
            with (logs / f"worker-{count}-{n}.log").open("wb") as out:
                processes.append(
                    subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
                )
        while (states := records.count_by_state(hub.db)).get("done", 0) < jobs:
            if states.get("parked") or time.perf_counter() - started > GUARD_S:
                raise SystemExit(f"bench: the jobs did not all finish: {states}; see {logs}")
            time.sleep(0.05)
        return time.perf_counter() - started
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            process.wait()
        hub.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clips", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--profile", default="web")
    parser.add_argument("--rounds", type=int, default=2)
    options = parser.parse_args()
    saved_env = dict(os.environ)
    folder = Path(tempfile.mkdtemp(prefix="bench-workers-"))
    try:
        clips = make_clips(folder / "clips", options.clips, options.seconds)
        print(
            f"{options.clips} clips of {options.seconds:g} s 320x240 25 fps; profile "
            f"{options.profile}; {len(os.sched_getaffinity(0))} cores; PostgreSQL catalog; "
            f"load average {os.getloadavg()[0]:.1f}"
        )
        with postgres_server() as admin_url:
            walls: dict[int, list[float]] = {1: [], 2: []}
            for round_number in range(1, options.rounds + 1):
                for count in (1, 2):
                    name = f"bench_{round_number}_{count}"
                    env = fresh_hub(folder / name, admin_url, name)
                    jobs = queue_clips(env, clips, options.profile)
                    walls[count].append(run_workers(env, count, jobs, folder))
                one, two = walls[1][-1], walls[2][-1]
                print(
                    f"round {round_number}: 1 worker {one:.1f} s ({jobs / one:.2f} jobs/s), "
                    f"2 workers {two:.1f} s ({jobs / two:.2f} jobs/s), ratio {one / two:.2f}; "
                    f"load average {os.getloadavg()[0]:.1f}"
                )
        best_one, best_two = min(walls[1]), min(walls[2])
        print(f"best: 1 worker {best_one:.1f} s, 2 workers {best_two:.1f} s")
        print(f"throughput ratio 2 workers / 1 worker: {best_one / best_two:.2f} (at most 2)")
    finally:
        os.environ.clear()
        os.environ.update(saved_env)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()

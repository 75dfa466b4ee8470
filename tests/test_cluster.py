"""The scale-out set-up for real: a PostgreSQL catalog, an S3 store on loopback, the sandbox,
and four `media-hub worker` processes sharing 210 jobs (70 uploads to YouTube and 140
transcodes). Two workers are killed with SIGKILL while each holds an upload. Every job ends
done exactly once, the sandbox holds exactly one video per asset, and the dead workers' jobs
were taken over by the living.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import pytest
from google.oauth2.credentials import Credentials
from mypy_boto3_s3 import S3Client
from sqlalchemy import func, select

from media_hub.catalog.pipeline_models import Job, Publication, Rendition
from media_hub.hub import Hub
from media_hub.jobs import queue, records
from media_hub.pipeline.ingest import IngestRequest
from media_hub.platforms import registry
from media_hub.platforms.publisher import UploadOptions
from media_hub.platforms.youtube import scopes
from media_hub.platforms.youtube.auth import save_credentials, token_path
from media_hub.sandbox.server import Sandbox
from media_hub.settings import load_settings
from tests.media_fixtures import ffmpeg

# Slow: four worker processes, 210 jobs, two SIGKILLs (minutes); make quick leaves it out.
pytestmark = pytest.mark.slow

ASSETS = 70
TINY = ('extends = "web"\n[video]\npreset = "ultrafast"\n', 'extends = "web"\n[video]\ncrf = 30\n')
GUARD_S = 600  # only against a hang: no assertion depends on how long anything takes
CLIENT_ID = "media-hub-cluster.apps.googleusercontent.com"


@pytest.fixture
def cluster(
    hub_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    s3_bucket: tuple[S3Client, str],
    s3_endpoint: str,
    sandbox: Sandbox,
    tmp_path: Path,
) -> Iterator[Hub]:
    """A hub on PostgreSQL and S3, pointed at the sandbox, with the YouTube token saved."""
    _, bucket = s3_bucket
    for name, value in {
        "STORE_URL": f"s3://{bucket}/cluster", "STORE_ENDPOINT_URL": s3_endpoint,
        "STORE_REGION": "us-east-1", "STORE_ACCESS_KEY_ID": "testing-access-key",
        "STORE_SECRET_ACCESS_KEY": "testing-secret-key",
        "YOUTUBE_API_ENDPOINT": sandbox.url, "YOUTUBE_TOKEN_URI": sandbox.token_uri,
        "YOUTUBE_CA_BUNDLE": str(sandbox.ca_cert),
        "YOUTUBE_TOKEN_FILE": str(tmp_path / "secrets" / "token.json"),
        "YOUTUBE_UPLOAD_CHUNK_KIB": "256",
    }.items():  # fmt: skip
        monkeypatch.setenv(f"MEDIA_HUB_{name}", value)
    settings = load_settings(hub_dir)
    credentials = Credentials(  # type: ignore[no-untyped-call]
        token=None, refresh_token=sandbox.grant(CLIENT_ID, scopes.ALL),
        token_uri=sandbox.token_uri, client_id=CLIENT_ID, client_secret="s",
    )  # fmt: skip
    save_credentials(token_path(settings), credentials)
    hub = Hub(settings)
    hub.catalog.load_conventions(settings.definitions_dir)
    profiles = settings.definitions_dir / "profiles"
    profiles.mkdir(exist_ok=True)
    for n, text in enumerate(TINY, start=1):
        (profiles / f"tiny{n}.toml").write_text(text)
    yield hub
    hub.close()


def _queue_work(hub: Hub, folder: Path) -> list[int]:
    """ASSETS distinct tiny clips staged for upload, each with an upload job and two
    transcode jobs; the job ids."""
    folder.mkdir()
    job_ids = []
    catalog = hub.db
    for n in range(ASSETS):
        clip = folder / f"clip-{n}.mp4"
        ffmpeg(
            "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=10",
            "-f", "lavfi", "-i", f"sine=frequency={200 + 9 * n}:sample_rate=48000",
            "-t", "0.6", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
            "-c:a", "aac", str(clip),
        )  # fmt: skip
        request = IngestRequest(clip, "reports", {"fr": f"Reportage numéro {n}"})
        asset_id = registry.get("youtube").publisher(hub).stage(request, UploadOptions())
        job_ids.append(queue.enqueue(catalog, "upload", {"asset_id": asset_id}, asset_id))
        for profile in ("tiny1", "tiny2"):
            payload = {"asset_id": asset_id, "profile": profile}
            job_ids.append(queue.enqueue(catalog, "transcode", payload, asset_id))
    return job_ids


def _start(folder: Path, count: int) -> list[subprocess.Popen[bytes]]:
    processes = []
    for n in range(count):
        with (folder / f"worker-{n}.out").open("wb") as out:
            processes.append(
                subprocess.Popen(
                    [sys.executable, "-m", "media_hub", "worker", "--lease", "3", "--poll", "0.1"],
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    env=dict(os.environ),
                    start_new_session=True,
                )
            )
    return processes


def _wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + GUARD_S
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.05)


def _holds_upload(hub: Hub, pid: int) -> bool:
    return _upload_held_by(hub, pid) is not None


def _upload_held_by(hub: Hub, pid: int) -> int | None:
    with hub.db.session() as session:
        return session.scalars(
            select(Job.id).where(
                Job.state == "running", Job.kind == "upload", Job.lease_owner.contains(f":{pid}:")
            )
        ).first()


@pytest.mark.parametrize("catalog_url", ["postgresql"], indirect=True)
def test_four_workers_two_killed_every_job_done_once_one_video_per_asset(
    cluster: Hub, sandbox: Sandbox, s3_bucket: tuple[S3Client, str], tmp_path: Path
) -> None:
    hub = cluster
    job_ids = _queue_work(hub, tmp_path / "clips")
    assert len(job_ids) == 3 * ASSETS
    workers = _start(tmp_path, 4)
    try:
        held: dict[int, int] = {}
        for victim in workers[:2]:  # each killed while it holds an upload
            _wait_for(partial(_holds_upload, hub, victim.pid), "an upload")
            os.killpg(victim.pid, signal.SIGKILL)
            victim.wait()
            job_id = _upload_held_by(hub, victim.pid)
            if job_id is not None:
                held[victim.pid] = job_id
        assert held, "neither killed worker held its upload when it died"
        _wait_for(
            lambda: records.count_by_state(hub.db) == {"done": len(job_ids)},
            "every job to be done",
        )
        for survivor in workers[2:]:
            survivor.send_signal(signal.SIGTERM)
            assert survivor.wait(timeout=GUARD_S) == 0
    finally:
        for process in workers:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    videos = sandbox.state.snapshot()["videos"]
    with hub.db.session() as session:
        published = dict(session.execute(select(Publication.asset_id, Publication.remote_id)).all())
        renditions = dict(
            session.execute(
                select(Rendition.asset_id, func.count()).group_by(Rendition.asset_id)
            ).all()
        )
        owners = dict(session.execute(select(Job.id, Job.lease_owner)).all())
    assert len(videos) == ASSETS  # one video per asset, never two
    assert sorted(str(remote_id) for remote_id in published.values()) == sorted(videos)
    assert sorted(v["snippet"]["title"] for v in videos.values()) == sorted(
        {v["snippet"]["title"] for v in videos.values()}
    )
    assert set(renditions.values()) == {3}  # youtube, tiny1, tiny2: each made once
    for pid, job_id in held.items():  # taken over by a worker still alive
        owner = owners[job_id] or ""
        assert f":{pid}:" not in owner
        assert any(f":{w.pid}:" in owner for w in workers[2:])
    client, bucket = s3_bucket
    stored = client.list_objects_v2(Bucket=bucket, Prefix="cluster/").get("KeyCount", 0)
    assert stored >= ASSETS * 4  # masters and renditions live in S3, for any machine

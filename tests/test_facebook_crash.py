"""SIGKILL at any point of a Facebook upload, then a rerun: exactly one video on the Page, with
every byte of the rendition; never a second one.

As in `test_upload_crash.py`: a real `media-hub upload` subprocess against the sandbox in this
process, and "hold" faults that let the sandbox carry out one request and keep its answer back
while the process is killed.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from media_hub.catalog.pipeline_models import Rendition
from media_hub.hub import Hub, init_hub
from media_hub.pipeline.ingest import IngestRequest, ingest
from media_hub.pipeline.renditions import ensure_rendition
from media_hub.pipeline.thumbnails import ThumbnailPlace, make_thumbnails
from media_hub.platforms.facebook.credentials import FacebookCredentials, save_credentials
from media_hub.sandbox.server import Sandbox
from media_hub.settings import load_settings
from tests.facebook_page import page_environment
from tests.media_fixtures import make_clip

pytestmark = pytest.mark.slow

CHUNK_KIB = 64
GRAPH = "/graph/v27.0"


def _isolated() -> dict[str, str]:
    return {k: os.environ.pop(k) for k in list(os.environ) if k.startswith("MEDIA_HUB_")}


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A hub whose clip is ingested, transcoded and thumbnailed; `reports` goes to Facebook."""
    folder = tmp_path_factory.mktemp("prepared") / "hub"
    init_hub(folder)
    series = folder / "catalog" / "series.toml"
    head, marker, tail = series.read_text(encoding="utf-8").partition("[series.reports]")
    tail = tail.replace('platforms = ["youtube"]', 'platforms = ["facebook"]', 1)
    series.write_text(head + marker + tail, encoding="utf-8")
    clip = make_clip(folder.parent / "clip.mp4", size="640x360", seconds=4.0)
    saved = _isolated()
    try:
        hub = Hub(load_settings(folder))
        hub.catalog.load_conventions(hub.settings.definitions_dir)
        request = IngestRequest(clip, "reports", {"fr": "Reportage : le forum de l'emploi"})
        asset_id = ingest(hub.db, hub.store, request).asset_id
        ensure_rendition(hub.db, hub.store, hub.settings.definitions_dir, asset_id, "youtube")
        place = ThumbnailPlace(hub.settings.definitions_dir, folder / "thumbnails")
        make_thumbnails(hub.db, hub.store, place, asset_id, count=3)
        hub.close()
    finally:
        os.environ.update(saved)
    return folder


@pytest.fixture
def page(tmp_path: Path, prepared: Path) -> Iterator[tuple[Path, Sandbox]]:
    hub_dir = tmp_path / "hub"
    shutil.copytree(prepared, hub_dir)
    shutil.copyfile(prepared.parent / "clip.mp4", tmp_path / "clip.mp4")
    with Sandbox(tmp_path / "sandbox" / "state.json") as sandbox:
        account = sandbox.app.facebook.page.account
        save_credentials(hub_dir / "facebook.json", FacebookCredentials(**account))
        yield hub_dir, sandbox


def _upload(hub_dir: Path, sandbox: Sandbox) -> subprocess.Popen[bytes]:
    env = page_environment(hub_dir, sandbox, MEDIA_HUB_FACEBOOK_UPLOAD_CHUNK_KIB=str(CHUNK_KIB))
    return subprocess.Popen(
        [sys.executable, "-m", "media_hub", "upload", "--json",
         str(hub_dir.parent / "clip.mp4"), "--series", "reports"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip


def _kill_when(process: subprocess.Popen[bytes], sandbox: Sandbox, path: str) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            _, err = process.communicate()
            raise AssertionError(f"the upload ended before the kill point: {err.decode()}")
        if any(r.method == "POST" and r.path.startswith(path) for r in sandbox.app.holding):
            process.send_signal(signal.SIGKILL)
            process.wait()
            return
        time.sleep(0.02)
    process.kill()
    raise AssertionError(f"never reached POST {path}")


def _rendition_bytes(hub_dir: Path) -> bytes:
    saved = _isolated()
    try:
        hub = Hub(load_settings(hub_dir))
        with hub.db.session() as session:
            key = session.scalars(select(Rendition.store_key)).one()
        with hub.store.open(key) as stream:
            data = stream.read()
        hub.close()
        return data
    finally:
        os.environ.update(saved)


KILL_POINTS = ["the session opened", "between pieces", "after the last piece", "publishing"]


@pytest.mark.parametrize("point", KILL_POINTS)
def test_a_killed_upload_makes_one_video_after_a_rerun(
    page: tuple[Path, Sandbox], point: str
) -> None:
    hub_dir, sandbox = page
    account = sandbox.app.facebook.page.account
    pieces = math.ceil(len(_rendition_bytes(hub_dir)) / (CHUNK_KIB * 1024))
    assert pieces >= 3
    path, after = {
        "the session opened": (f"{GRAPH}/{account['app_id']}/uploads", 0),
        "between pieces": (f"{GRAPH}/upload:", 1),
        "after the last piece": (f"{GRAPH}/upload:", pieces - 1),
        "publishing": (f"{GRAPH}/{account['page_id']}/videos", 0),
    }[point]
    sandbox.faults.add("hold", method="POST", path=path, after=after, seconds=30)
    _kill_when(_upload(hub_dir, sandbox), sandbox, path)
    sandbox.faults.clear()

    rerun = _upload(hub_dir, sandbox)
    out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err.decode()
    [done] = json.loads(out)
    videos = sandbox.state.snapshot()["facebook"]["videos"]
    assert list(videos) == [done["video_id"]]
    video = videos[done["video_id"]]
    assert video["sha256"] == hashlib.sha256(_rendition_bytes(hub_dir)).hexdigest()
    assert video["thumbnail"] is not None

    again = _upload(hub_dir, sandbox)
    out, err = again.communicate(timeout=300)
    assert again.returncode == 0, err.decode()
    assert json.loads(out)[0]["uploaded_now"] is False
    assert len(sandbox.state.snapshot()["facebook"]["videos"]) == 1

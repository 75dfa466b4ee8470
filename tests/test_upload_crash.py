"""SIGKILL at any point of an upload, then a rerun: exactly one video per asset, every byte,
its thumbnail and its playlist; never a second upload.

The uploading process is a real `media-hub upload` subprocess against the sandbox in this
process. A "hold" fault lets the sandbox carry out one request and keep its answer back, so
the process can be killed at a chosen point: the server has acted, the client has not yet
recorded it.
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
from google.oauth2.credentials import Credentials
from sqlalchemy import select

from media_hub.catalog.pipeline_models import Rendition
from media_hub.hub import Hub, init_hub
from media_hub.pipeline.ingest import IngestRequest
from media_hub.pipeline.renditions import ensure_rendition
from media_hub.pipeline.thumbnails import ThumbnailPlace, make_thumbnails
from media_hub.platforms.youtube import scopes
from media_hub.platforms.youtube.auth import save_credentials
from media_hub.sandbox.server import Sandbox
from media_hub.settings import load_settings

# Slow: each case kills a real upload process and reruns it; make quick leaves them out.
pytestmark = pytest.mark.slow

CHUNK_KIB = 256
CLIENT_ID = "media-hub-tests.apps.googleusercontent.com"


def _env(hub_dir: Path, sandbox: Sandbox) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEDIA_HUB_")}
    env.update(
        MEDIA_HUB_HOME=str(hub_dir),
        MEDIA_HUB_USER="uploader",
        MEDIA_HUB_YOUTUBE_API_ENDPOINT=sandbox.url,
        MEDIA_HUB_YOUTUBE_TOKEN_URI=sandbox.token_uri,
        MEDIA_HUB_YOUTUBE_CA_BUNDLE=str(sandbox.ca_cert),
        MEDIA_HUB_YOUTUBE_TOKEN_FILE=str(hub_dir / "token.json"),
        MEDIA_HUB_YOUTUBE_UPLOAD_CHUNK_KIB=str(CHUNK_KIB),
    )
    return env


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A hub whose clip is ingested, transcoded and thumbnailed: each test copies it."""
    folder = tmp_path_factory.mktemp("prepared") / "hub"
    init_hub(folder)
    clip = folder.parent / "clip.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25",
         "-f", "lavfi", "-i", "sine=frequency=440", "-t", "8", "-c:v", "libx264",
         "-preset", "ultrafast", "-c:a", "aac", "-shortest", str(clip)],
        check=True,
    )  # fmt: skip
    saved = {k: os.environ.pop(k) for k in list(os.environ) if k.startswith("MEDIA_HUB_")}
    try:
        hub = Hub(load_settings(folder))
        hub.catalog.load_conventions(hub.settings.definitions_dir)
        from media_hub.pipeline.ingest import ingest

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
def channel(tmp_path: Path, prepared: Path) -> Iterator[tuple[Path, Sandbox]]:
    hub_dir = tmp_path / "hub"
    shutil.copytree(prepared, hub_dir)
    shutil.copyfile(prepared.parent / "clip.mp4", tmp_path / "clip.mp4")
    with Sandbox(tmp_path / "sandbox" / "state.json") as sandbox:
        credentials = Credentials(  # type: ignore[no-untyped-call]
            token=None, refresh_token=sandbox.grant(CLIENT_ID, scopes.ALL),
            token_uri=sandbox.token_uri, client_id=CLIENT_ID, client_secret="s",
        )  # fmt: skip
        save_credentials(hub_dir / "token.json", credentials)
        yield hub_dir, sandbox


def _upload(hub_dir: Path, sandbox: Sandbox) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "media_hub", "upload", "--json",
         str(hub_dir.parent / "clip.mp4"), "--series", "reports"],
        env=_env(hub_dir, sandbox), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip


def _kill_when(process: subprocess.Popen[bytes], sandbox: Sandbox, method: str, path: str) -> None:
    """SIGKILL the process once the sandbox holds the answer to `method path`."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            _, err = process.communicate()
            raise AssertionError(f"the upload ended before the kill point: {err.decode()}")
        if any(r.method == method and r.path.startswith(path) for r in sandbox.app.holding):
            process.send_signal(signal.SIGKILL)
            process.wait()
            return
        time.sleep(0.02)
    process.kill()
    raise AssertionError(f"never reached {method} {path}")


def _rendition_bytes(hub_dir: Path) -> bytes:
    saved = {k: os.environ.pop(k) for k in list(os.environ) if k.startswith("MEDIA_HUB_")}
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


def _chunks(hub_dir: Path) -> int:
    return math.ceil(len(_rendition_bytes(hub_dir)) / (CHUNK_KIB * 1024))


KILL_POINTS = {
    "before the session exists": ("hold,method=POST,path=/token", "POST", "/token"),
    "after the session was opened": (
        "hold,method=POST,path=/upload/youtube/v3/videos", "POST", "/upload/youtube/v3/videos",
    ),
    "between chunks": ("hold,method=PUT,path=/upload/,after=1", "PUT", "/upload/"),
    "after the last chunk, before the catalog commit": (None, "PUT", "/upload/"),
    "after the upload, before the playlist insert": (
        "hold,method=POST,path=/youtube/v3/playlists", "POST", "/youtube/v3/playlists",
    ),
    "after the playlist, before its item": (
        "hold,method=POST,path=/youtube/v3/playlistItems", "POST", "/youtube/v3/playlistItems",
    ),
}  # fmt: skip


@pytest.mark.parametrize("point", list(KILL_POINTS))
def test_a_killed_upload_is_completed_by_a_rerun(channel: tuple[Path, Sandbox], point: str) -> None:
    hub_dir, sandbox = channel
    spec, method, path = KILL_POINTS[point]
    if spec is None:  # the last chunk: let the others through
        spec = f"hold,method=PUT,path=/upload/,after={_chunks(hub_dir) - 1}"
    assert _chunks(hub_dir) >= 3
    sandbox.faults.add_spec(spec + ",seconds=30")
    _kill_when(_upload(hub_dir, sandbox), sandbox, method, path)
    sandbox.faults.clear()

    rerun = _upload(hub_dir, sandbox)
    out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err.decode()
    [done] = json.loads(out)
    state = sandbox.state.snapshot()
    [video] = state["videos"].values()
    assert video["id"] == done["video_id"]
    assert video["media"]["sha256"] == hashlib.sha256(_rendition_bytes(hub_dir)).hexdigest()
    assert done["video_id"] in state["thumbnails"]
    [playlist] = state["playlists"].values()
    items = [i for i in state["playlist_items"].values() if i["playlist_id"] == playlist["id"]]
    assert [item["video_id"] for item in items] == [done["video_id"]]

    again = _upload(hub_dir, sandbox)
    out, err = again.communicate(timeout=300)
    assert again.returncode == 0, err.decode()
    assert json.loads(out)[0]["uploaded_now"] is False
    assert len(sandbox.state.snapshot()["videos"]) == 1


def test_a_caption_sent_before_a_kill_is_not_sent_again(channel: tuple[Path, Sandbox]) -> None:
    """The kill lands after YouTube made the track and before the catalog noted it: the rerun
    finds the track (captions.list) rather than sending a second one."""
    hub_dir, sandbox = channel
    shutil.copyfile(Path(__file__).parent / "data" / "mediaelement.srt",
                    hub_dir.parent / "clip.fr.srt")  # fmt: skip
    sandbox.faults.add_spec("hold,method=POST,path=/upload/youtube/v3/captions,seconds=30")
    _kill_when(_upload(hub_dir, sandbox), sandbox, "POST", "/upload/youtube/v3/captions")
    sandbox.faults.clear()
    assert len(sandbox.state.snapshot()["captions"]) == 1  # made; its answer never arrived

    rerun = _upload(hub_dir, sandbox)
    out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err.decode()
    [done] = json.loads(out)
    [caption] = sandbox.state.snapshot()["captions"].values()
    assert caption["snippet"]["videoId"] == done["video_id"]
    assert caption["snippet"]["language"] == "fr"
    answered = [r for r in sandbox.requests if r.path.startswith("/upload/youtube/v3/captions")]
    assert answered == []  # the held insert never answered, and the rerun sent none

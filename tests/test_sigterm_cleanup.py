"""SIGTERM cleans up as Ctrl-C does, and stale partial copies are swept (issue 15, point 7).

SIGTERM used to kill the command outright: a partial copy stayed in `assets/.incoming`
(931 MB in the issue's run) for ever, and a transcode left its temporary folder. The
commands here are real `media-hub` processes signalled mid-copy and mid-transcode.
"""

from __future__ import annotations

import json
import os
import signal
import struct
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from media_hub.catalog.pipeline_models import Rendition
from media_hub.cli import app
from media_hub.hub import Hub
from media_hub.storage.s3 import S3Store
from tests.media_fixtures import make_clip

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

DATA = Path(__file__).parent / "data"
GIB = 1024**3


def _large_clip(path: Path) -> Path:
    """A one-second faststart MP4 followed by a 2 GiB `free` box: real media that takes
    seconds to copy, written as a sparse file so that it costs no disk."""
    make_clip(path, size="320x240", seconds=1.0, audio=None)
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-i", str(path), "-c", "copy", "-movflags", "+faststart",
         str(path.with_suffix(".fs.mp4"))],
        check=True,
    )  # fmt: skip
    path.with_suffix(".fs.mp4").replace(path)
    with path.open("ab") as stream:
        stream.write(struct.pack(">I4sQ", 1, b"free", 2 * GIB + 16))  # a box with a 64-bit size
        stream.truncate(path.stat().st_size + 2 * GIB)
    return path


def _media_hub(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "media_hub", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip


def _wait_for(found: Callable[[], bool], process: subprocess.Popen[str], what: str) -> None:
    deadline = time.monotonic() + 60
    while not found():
        if process.poll() is not None:
            pytest.fail(f"the command ended before {what}: {process.communicate()}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"no {what} within 60 s")
        time.sleep(0.01)


def _terminate(process: subprocess.Popen[str]) -> tuple[int, str]:
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    return process.returncode, stderr


def _children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (read from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # ended meanwhile
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_sigterm_during_ingest_removes_the_partial_copy(
    hub: Hub, runner: CliRunner, tmp_path: Path
) -> None:
    clip = _large_clip(tmp_path / "rushes.mp4")
    incoming = hub.settings.path(Path(hub.settings.store.url)) / ".incoming"

    def copying() -> bool:
        return incoming.is_dir() and any(p.stat().st_size > 0 for p in incoming.iterdir())

    process = _media_hub("ingest", str(clip))
    _wait_for(copying, process, "partial copy in .incoming")
    code, stderr = _terminate(process)
    assert list(incoming.iterdir()) == []
    assert (code, stderr) == (143, "terminated; rerun the command to finish\n")
    assert list(hub.store.keys()) == []
    listed = runner.invoke(app, ["catalog", "list", "--all", "--json"])
    assert json.loads(listed.stdout) == []


def test_sigterm_during_transcode_stops_ffmpeg_and_removes_the_temporary_folder(
    hub: Hub, runner: CliRunner, tmp_path: Path
) -> None:
    clip = make_clip(tmp_path / "long.mp4", size="320x240", seconds=20.0)
    added = runner.invoke(app, ["ingest", "--json", str(clip)])
    assert added.exit_code == 0, added.stderr
    asset_id = json.loads(added.stdout)[0]["asset_id"]
    temp = tmp_path / "tmp"
    temp.mkdir()
    process = _media_hub("transcode", str(asset_id), env={**os.environ, "TMPDIR": str(temp)})
    _wait_for(lambda: any(temp.glob("*/*.part")), process, "rendition being written")
    ffmpegs = _children(process.pid)
    assert ffmpegs
    code, stderr = _terminate(process)
    assert list(temp.iterdir()) == []
    assert [pid for pid in ffmpegs if _alive(pid)] == []
    assert (code, stderr) == (143, "terminated; rerun the command to finish\n")
    with hub.db.session() as session:
        assert session.scalars(select(Rendition)).all() == []


def test_ingest_sweeps_partial_copies_a_day_old_and_keeps_fresh_ones(
    hub: Hub, runner: CliRunner
) -> None:
    incoming = hub.settings.path(Path(hub.settings.store.url)) / ".incoming"
    incoming.mkdir(parents=True, exist_ok=True)
    stale = incoming / "put-left-by-a-killed-run"
    stale.write_bytes(b"\0" * 4096)
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(stale, (two_days_ago, two_days_ago))
    fresh = incoming / "put-being-written-by-another-run"
    fresh.write_bytes(b"\0" * 4096)
    result = runner.invoke(app, ["ingest", str(DATA / "in.mp4")])
    assert result.exit_code == 0, result.stderr
    assert sorted(incoming.iterdir()) == [fresh]


def test_an_s3_store_sweeps_staging_objects_and_unfinished_uploads(
    s3_bucket: tuple[S3Client, str],
) -> None:
    client, bucket = s3_bucket
    store = S3Store(bucket, "media", client)
    kept = store.put_file(DATA / "in.mp4", ".mp4")
    staged = f"media/.incoming/{uuid.uuid4().hex}"
    client.put_object(Bucket=bucket, Key=staged, Body=b"a staged copy")
    unfinished = f"media/.incoming/{uuid.uuid4().hex}"
    client.create_multipart_upload(Bucket=bucket, Key=unfinished)

    def partials() -> list[str]:
        objects = client.list_objects_v2(Bucket=bucket, Prefix="media/.incoming/")
        uploads = client.list_multipart_uploads(Bucket=bucket, Prefix="media/.incoming/")
        return sorted(
            [item["Key"] for item in objects.get("Contents", [])]
            + [upload["Key"] for upload in uploads.get("Uploads", [])]
        )

    # moto dates every multipart upload 2010-11-10 (AWS gives the real time): it is stale.
    assert store.sweep_partials() == 1
    assert partials() == [staged]  # written a moment ago: another run may be promoting it
    time.sleep(1.1)  # S3 times are in whole seconds
    assert store.sweep_partials(older_than=timedelta(seconds=1)) == 1
    assert partials() == []
    assert list(store.keys()) == [kept.key]

"""Resumable uploads through the real client against the sandbox: chunks, resume, faults."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from googleapiclient.errors import HttpError
from googleapiclient.http import MediaFileUpload

from media_hub.sandbox.server import Sandbox
from tests.sandbox_client import (
    CHUNK,
    credentials,
    finish,
    generated_file,
    insert_request,
    no_backoff,
    youtube,
)

SIZE = 3 * 1024 * 1024 + 12_345  # a short last chunk


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[Sandbox]:
    with Sandbox(tmp_path / "state" / "channel.json", read_timeout=2.0) as running:
        yield running


def stored_sha256(sandbox: Sandbox, video_id: str) -> str:
    path = sandbox.state.media_path("videos", video_id)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert digest == sandbox.state.data["videos"][video_id]["media"]["sha256"]
    return digest


def test_resumable_upload_stores_the_same_bytes(sandbox: Sandbox, tmp_path: Path) -> None:
    media = generated_file(tmp_path, SIZE)
    request = insert_request(youtube(sandbox), media, chunksize=4 * CHUNK)
    progress = []
    response = None
    while response is None:
        status, response = request.next_chunk()
        if status:
            progress.append(status.resumable_progress)
    assert progress == [4 * CHUNK * n for n in (1, 2, 3)]
    assert response["snippet"]["title"] == "كيف تكتب سيرتك الذاتية"
    assert response["status"]["uploadStatus"] == "uploaded"
    assert stored_sha256(sandbox, response["id"]) == hashlib.sha256(media.read_bytes()).hexdigest()
    served = [(r.method, r.path, r.status) for r in sandbox.requests]
    assert served == [
        ("POST", "/token", 200),
        ("POST", "/upload/youtube/v3/videos", 200),
        *[("PUT", "/upload/youtube/v3/videos", 308)] * 3,
        ("PUT", "/upload/youtube/v3/videos", 200),
    ]
    assert sandbox.requests[-1].content_range == f"bytes {12 * CHUNK}-{SIZE - 1}/{SIZE}"


def test_upload_resumes_after_a_restart_from_the_saved_session_uri(tmp_path: Path) -> None:
    state_file, media = tmp_path / "channel.json", generated_file(tmp_path, SIZE)
    with Sandbox(state_file) as first:
        request = insert_request(youtube(first), media)
        for _ in range(3):
            request.next_chunk()
        saved, port = request.resumable_uri, first.port
    with Sandbox(state_file, port=port) as second:  # a new process: same state, same port
        fresh = insert_request(youtube(second), media)
        fresh.resumable_uri = saved
        response = finish(fresh)
        ranges = [r.content_range for r in second.requests if r.method == "PUT"]
        assert (
            stored_sha256(second, response["id"]) == hashlib.sha256(media.read_bytes()).hexdigest()
        )
    # The library sends its first chunk from byte 0; the session answers where it really is.
    assert ranges[0] == f"bytes 0-{CHUNK - 1}/{SIZE}"
    assert ranges[1] == f"bytes {3 * CHUNK}-{4 * CHUNK - 1}/{SIZE}"


def test_status_query_reports_the_range_then_the_video(sandbox: Sandbox, tmp_path: Path) -> None:
    request = insert_request(youtube(sandbox), generated_file(tmp_path, 2 * CHUNK))

    def ask() -> tuple[int, str | None, bytes]:
        response, content = request.http.request(
            request.resumable_uri, "PUT", headers={"Content-Range": f"bytes */{2 * CHUNK}"}
        )
        return int(response.status), response.get("range"), content

    sandbox.faults.add("partial", method="PUT", fraction=0.0)  # the first chunk is lost
    status, _ = request.next_chunk()
    assert status.resumable_progress == 0
    assert ask()[:2] == (308, None)  # no Range header while nothing is stored
    status, _ = request.next_chunk()
    assert ask()[:2] == (308, f"bytes=0-{CHUNK - 1}")
    request.resumable_progress = 0
    status, _ = request.next_chunk()  # a stale offset: the session says where it is
    assert status.resumable_progress == CHUNK
    video = finish(request)
    code, _, content = ask()
    assert code == 200
    assert video["id"].encode() in content


def test_upload_finishes_through_503s_a_dropped_connection_and_partial_chunks(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    media = generated_file(tmp_path, SIZE, seed=2)
    request = no_backoff(insert_request(youtube(sandbox), media))
    sandbox.faults.add("503", method="PUT", path="/upload/", count=2)
    response = None
    for step in range(40):
        if step == 3:
            sandbox.faults.add("drop", method="PUT", path="/upload/")
        if step == 5:
            sandbox.faults.add("partial", method="PUT", path="/upload/", count=3, fraction=0.5)
        _, response = request.next_chunk(num_retries=5)
        if response is not None:
            break
    assert response is not None
    assert stored_sha256(sandbox, response["id"]) == hashlib.sha256(media.read_bytes()).hexdigest()
    statuses = [r.status for r in sandbox.requests if r.method == "PUT"]
    assert statuses.count(503) == 2
    assert statuses.count(0) == 1  # the dropped one
    starts = [int(r.content_range[6:].split("-")[0]) for r in sandbox.requests if r.content_range]
    assert any(start % CHUNK == CHUNK // 2 for start in starts)  # resumed after half a chunk
    assert sandbox.faults.pending() == []


def test_a_stream_slice_chunk_cannot_be_retried_by_the_library(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    """Why media-hub must send chunks as bytes: the stock stream upload re-sends nothing."""
    media = generated_file(tmp_path, 2 * CHUNK)
    request = no_backoff(insert_request(youtube(sandbox), media, media_class=MediaFileUpload))
    sandbox.faults.add("503", method="PUT", path="/upload/")
    with pytest.raises(HttpError) as caught:
        request.next_chunk(num_retries=1)
    assert caught.value.resp.status == 400  # the retry's body never came: read timed out
    assert finish(request)["id"]  # a status query (`bytes */N`) puts it back on track


def test_quota_refusal_of_an_upload_is_not_retried(sandbox: Sandbox, tmp_path: Path) -> None:
    sandbox.faults.exhaust_quota("videos.insert")
    request = insert_request(youtube(sandbox), generated_file(tmp_path, CHUNK))
    with pytest.raises(HttpError) as caught:
        request.next_chunk(num_retries=3)
    assert caught.value.resp.status == 403
    assert [r.path for r in sandbox.requests].count("/upload/youtube/v3/videos") == 1


def test_upload_limit_is_a_channel_cap_not_quota(tmp_path: Path) -> None:
    with Sandbox(tmp_path / "channel.json", uploads_per_day=1) as sandbox:
        client = youtube(sandbox, credentials(sandbox))
        finish(insert_request(client, generated_file(tmp_path, CHUNK)))
        with pytest.raises(HttpError) as caught:
            insert_request(client, generated_file(tmp_path, CHUNK, seed=3)).next_chunk()
        assert b"uploadLimitExceeded" in caught.value.content
        assert caught.value.resp.status == 400
        sandbox.advance_days(1)
        assert finish(insert_request(client, generated_file(tmp_path, CHUNK, seed=3)))["id"]


def test_a_session_expires_after_a_week(sandbox: Sandbox, tmp_path: Path) -> None:
    client = youtube(sandbox)
    stale = insert_request(client, generated_file(tmp_path, 2 * CHUNK))
    stale.next_chunk()
    sandbox.advance_days(8)
    insert_request(client, generated_file(tmp_path, CHUNK, seed=5)).next_chunk()
    with pytest.raises(HttpError) as caught:
        stale.next_chunk()
    assert caught.value.resp.status == 404  # start a new session; no video came of the old one
    assert len(sandbox.state.data["sessions"]) == 1

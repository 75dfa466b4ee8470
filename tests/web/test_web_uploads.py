"""Files from the browser: the tus protocol (core and creation) against the app, through
Starlette's TestClient and, for a connection cut mid-chunk, a real uvicorn on loopback."""

from __future__ import annotations

import base64
import hashlib
import os
import socket
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

import httpx2 as httpx
import pytest
from starlette.testclient import TestClient

from media_hub.catalog.models import Asset
from media_hub.catalog.service import CatalogService
from media_hub.hub import Hub
from media_hub.web.config import WebConfig
from tests.web.conftest import add_asset, csrf_of, sign_in

VIDEO = Path(__file__).parent.parent / "data" / "in.mp4"
LIMIT = 1_000_000
CHUNK = 100_000

# One engine is enough: the catalog's side is ingest's, tested on both elsewhere.
pytestmark = pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)


@pytest.fixture
def web_config(web_config: WebConfig) -> WebConfig:
    return replace(web_config, upload_max_bytes=LIMIT)


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def _editor(client: TestClient, role: str = "editor") -> str:
    sign_in(client, role)
    return csrf_of(client.get("/").text)


def _headers(token: str | None, **more: str) -> dict[str, str]:
    found = {"Tus-Resumable": "1.0.0", **{k.replace("_", "-"): v for k, v in more.items()}}
    if token is not None:
        found["X-CSRF-Token"] = token
    return found


def _create(
    client: TestClient, token: str | None, asset_id: int, length: int, name: str = "clip.mp4"
) -> httpx.Response:
    return client.post("/uploads", headers=_headers(
        token, Upload_Length=str(length),
        Upload_Metadata=f"asset {_b64(str(asset_id))},filename {_b64(name)}",
    ))  # fmt: skip


def _patch(client: TestClient, token: str, url: str, offset: int, body: bytes) -> httpx.Response:
    return client.patch(url, content=body, headers=_headers(
        token, Content_Type="application/offset+octet-stream", Upload_Offset=str(offset),
    ))  # fmt: skip


def _stored(hub: Hub, asset_id: int) -> tuple[str | None, bytes]:
    with hub.db.session() as session:
        asset = session.get(Asset, asset_id)
        assert asset is not None
        checksum, key, by = asset.source_checksum, asset.source_key, asset.updated_by
    assert by == "editor"  # recorded as the person's change
    if key is None:
        return checksum, b""
    with hub.store.open(key) as stream:
        return checksum, stream.read()


def _leftovers(hub: Hub) -> list[Path]:
    folder = hub.settings.home / ".web-uploads" / "tus"
    return sorted(folder.iterdir()) if folder.exists() else []


def test_a_whole_upload_in_chunks_attaches_the_file(
    client: TestClient, catalog: CatalogService, hub: Hub
) -> None:
    data = VIDEO.read_bytes()
    asset_id = add_asset(catalog)
    token = _editor(client)
    created = _create(client, token, asset_id, len(data))
    assert created.status_code == 201, created.text
    assert created.headers["tus-resumable"] == "1.0.0"
    url = created.headers["location"]
    assert url.startswith("/uploads/")
    offset = 0
    while offset < len(data):
        answer = _patch(client, token, url, offset, data[offset : offset + CHUNK])
        assert answer.status_code == 204, answer.text
        offset = int(answer.headers["upload-offset"])
        if offset < len(data):
            head = client.head(url, headers=_headers(None))
            assert int(head.headers["upload-offset"]) == offset
            assert int(head.headers["upload-length"]) == len(data)
    assert answer.headers["media-hub-asset"] == str(asset_id)
    checksum, stored = _stored(hub, asset_id)
    assert checksum == hashlib.sha256(data).hexdigest()
    assert hashlib.sha256(stored).digest() == hashlib.sha256(data).digest()
    assert catalog.show(asset_id)["source_checksum"] == checksum
    assert _leftovers(hub) == []  # the part file and its record are gone
    assert client.head(url, headers=_headers(None)).status_code == 404


def test_a_wrong_offset_is_a_conflict(client: TestClient, catalog: CatalogService) -> None:
    asset_id = add_asset(catalog)
    token = _editor(client)
    url = _create(client, token, asset_id, 1000).headers["location"]
    assert _patch(client, token, url, 0, b"x" * 300).status_code == 204
    for offset in (0, 299, 301):
        wrong = _patch(client, token, url, offset, b"y" * 10)
        assert wrong.status_code == 409
        assert wrong.headers["upload-offset"] == "300"
    assert client.head(url, headers=_headers(None)).headers["upload-offset"] == "300"


def test_over_the_limit_is_refused_before_and_while_streaming(
    client: TestClient, catalog: CatalogService, hub: Hub
) -> None:
    asset_id = add_asset(catalog)
    token = _editor(client)
    too_big = _create(client, token, asset_id, LIMIT + 1)
    assert too_big.status_code == 413
    assert "larger than the 1 MiB allowed" in too_big.text
    url = _create(client, token, asset_id, 1000).headers["location"]
    assert _patch(client, token, url, 0, b"x" * 600).status_code == 204
    declared = _patch(client, token, url, 600, b"x" * 600)  # Content-Length says it all
    assert declared.status_code == 413

    def unsized() -> Iterator[bytes]:  # chunked: no Content-Length to judge by
        yield b"y" * 300
        yield b"y" * 300

    streamed = client.patch(url, content=unsized(), headers=_headers(
        token, Content_Type="application/offset+octet-stream", Upload_Offset="600",
    ))  # fmt: skip
    assert streamed.status_code == 413
    assert client.head(url, headers=_headers(None)).headers["upload-offset"] == "600"
    part = hub.settings.home / ".web-uploads" / "tus" / f"{url.rsplit('/', 1)[1]}.part"
    assert part.stat().st_size == 600


IDS = ["..%2f..%2fmedia-hub.toml", "%2e%2e", "%2e%2e%2fmedia-hub.toml", "0" * 32,
       "ABCDEF" + "0" * 26, "0" * 33]  # fmt: skip


@pytest.mark.parametrize("upload_id", IDS)
def test_upload_ids_cannot_name_other_files(client: TestClient, hub: Hub, upload_id: str) -> None:
    (hub.settings.home / ".web-uploads" / "tus").mkdir(parents=True, exist_ok=True)
    (hub.settings.home / ".web-uploads" / "tus" / f"{'0' * 33}.json").write_text("{}")
    token = _editor(client)
    assert client.head(f"/uploads/{upload_id}", headers=_headers(None)).status_code == 404
    answer = _patch(client, token, f"/uploads/{upload_id}", 0, b"x")
    assert answer.status_code == 404


def test_another_editors_upload_is_not_found(
    client: TestClient, catalog: CatalogService, app: object
) -> None:
    asset_id = add_asset(catalog)
    token = _editor(client)
    url = _create(client, token, asset_id, 10).headers["location"]
    client.cookies.clear()
    other = _editor(client, "admin")
    assert client.head(url, headers=_headers(None)).status_code == 404
    assert _patch(client, other, url, 0, b"x").status_code == 404


@pytest.mark.parametrize("role", ["viewer", "librarian"])
def test_only_editors_send_files(client: TestClient, catalog: CatalogService, role: str) -> None:
    asset_id = add_asset(catalog)
    token = _editor(client, role)
    refused = _create(client, token, asset_id, 10)
    assert refused.status_code == 403
    assert "editor role" in refused.text
    assert client.head("/uploads/" + "0" * 32, headers=_headers(None)).status_code == 403


def test_without_the_csrf_header_nothing_is_written(
    client: TestClient, catalog: CatalogService, hub: Hub
) -> None:
    asset_id = add_asset(catalog)
    token = _editor(client)
    for wrong in (None, "", "forged"):
        answer = _create(client, wrong, asset_id, 10)
        assert answer.status_code == 403
        assert "security token" in answer.text
    assert _leftovers(hub) == []
    url = _create(client, token, asset_id, 10).headers["location"]
    for wrong in ("", "forged"):
        assert _patch(client, wrong, url, 0, b"x" * 10).status_code == 403
    assert client.head(url, headers=_headers(None)).headers["upload-offset"] == "0"


def test_the_protocol_version_is_required(client: TestClient, catalog: CatalogService) -> None:
    asset_id = add_asset(catalog)
    token = _editor(client)
    metadata = f"asset {_b64(str(asset_id))}"
    answer = client.post(
        "/uploads",
        headers={"X-CSRF-Token": token, "Upload-Length": "10", "Upload-Metadata": metadata},
    )
    assert answer.status_code == 412
    assert answer.headers["tus-version"] == "1.0.0"
    options = client.options("/uploads")
    assert options.headers["tus-extension"] == "creation"
    assert options.headers["tus-max-size"] == str(LIMIT)


def test_a_wrong_kind_of_file_is_refused_in_one_line(
    client: TestClient, catalog: CatalogService, hub: Hub
) -> None:
    asset_id = add_asset(catalog)
    token = _editor(client)
    deck = _create(client, token, asset_id, 10, name="guide.pdf")
    assert deck.status_code == 400
    assert deck.text == f"asset {asset_id}: file: it is a video, and guide.pdf is a deck"
    # A name that says video over bytes that are not: refused once the bytes are in.
    fake = b"this is not a video at all " * 10
    url = _create(client, token, asset_id, len(fake)).headers["location"]
    refused = _patch(client, token, url, 0, fake)
    assert refused.status_code == 400
    assert "\n" not in refused.text
    assert "clip.mp4" in refused.text
    assert catalog.show(asset_id)["source_checksum"] is None
    assert _leftovers(hub) == []


def test_an_upload_cut_mid_chunk_resumes_from_the_offset_the_server_reports(
    live_url: str, catalog: CatalogService, hub: Hub
) -> None:
    data = VIDEO.read_bytes()
    asset_id = add_asset(catalog)
    with httpx.Client(base_url=live_url, follow_redirects=False) as client:
        token = _editor(client)  # type: ignore[arg-type]
        url = _create(client, token, asset_id, len(data)).headers["location"]  # type: ignore[arg-type]
        cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
        sent = 200_000
        address = urlsplit(live_url)
        with socket.create_connection((address.hostname, address.port)) as raw:
            raw.sendall(
                f"PATCH {url} HTTP/1.1\r\nHost: {address.netloc}\r\nCookie: {cookie}\r\n"
                f"Tus-Resumable: 1.0.0\r\nX-CSRF-Token: {token}\r\n"
                "Content-Type: application/offset+octet-stream\r\nUpload-Offset: 0\r\n"
                f"Content-Length: {len(data)}\r\n\r\n".encode()
                + data[:sent]
            )
            time.sleep(0.3)
        # cut: the server keeps what arrived; HEAD says where to go on
        deadline = time.monotonic() + 10
        held = -1
        while time.monotonic() < deadline:
            head = client.head(url, headers=_headers(None))
            assert head.status_code == 200
            held = int(head.headers["upload-offset"])
            if held == sent:
                break
            time.sleep(0.1)
        assert held == sent
        rest = client.patch(url, content=data[held:], headers=_headers(
            token, Content_Type="application/offset+octet-stream", Upload_Offset=str(held),
        ))  # fmt: skip
        assert rest.status_code == 204, rest.text
    checksum, stored = _stored(hub, asset_id)
    assert checksum == hashlib.sha256(data).hexdigest()
    assert stored == data


def test_an_upload_left_for_a_week_is_dropped_and_must_be_restarted(
    client: TestClient, catalog: CatalogService, hub: Hub
) -> None:
    asset_id = add_asset(catalog)
    token = _editor(client)
    old = _create(client, token, asset_id, 1000).headers["location"]
    recent = _create(client, token, asset_id, 1000).headers["location"]
    folder = hub.settings.home / ".web-uploads" / "tus"
    week = time.time() - 7 * 24 * 3600 - 60
    for path in folder.glob(f"{old.rsplit('/', 1)[1]}.*"):
        os.utime(path, (week, week))
    _create(client, token, asset_id, 1000)  # a new upload sweeps the stale ones
    assert client.head(old, headers=_headers(None)).status_code == 404
    assert _patch(client, token, old, 0, b"x").text == "no such upload: start it again"
    assert client.head(recent, headers=_headers(None)).status_code == 200


def test_parts_are_kept_where_only_the_hubs_owner_reads(
    client: TestClient, catalog: CatalogService, hub: Hub
) -> None:
    asset_id = add_asset(catalog)
    token = _editor(client)
    _create(client, token, asset_id, 10)
    for folder in (hub.settings.home / ".web-uploads", hub.settings.home / ".web-uploads" / "tus"):
        assert folder.stat().st_mode & 0o077 == 0, folder
    [part] = (hub.settings.home / ".web-uploads" / "tus").glob("*.part")
    assert part.stat().st_mode & 0o077 == 0

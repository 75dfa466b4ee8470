"""Picking a thumbnail from the contact sheet in the browser, as `thumbs pick` does."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from starlette.testclient import TestClient
from typer.testing import CliRunner

from media_hub.cli import app as cli
from media_hub.hub import Hub
from media_hub.pipeline.thumbnails import list_thumbnails
from media_hub.web.pages.thumbnails import MAX_PICTURE_BYTES
from media_hub.web.upload_store import FOLDER as UPLOADS
from tests.web.conftest import csrf_of, sign_in

DATA = Path(__file__).resolve().parent.parent / "data"
pytestmark = pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)


def ingested_clip(runner: CliRunner, candidates: int = 0) -> int:
    """A clip of the reports series ingested by the CLI (and its thumbnail candidates made)."""
    ingested = runner.invoke(
        cli, ["ingest", str(DATA / "in.mp4"), "--series", "reports", "-t", "fr=Le rapport",
              "--json"],
    )  # fmt: skip
    assert ingested.exit_code == 0, ingested.stderr
    asset_id = int(json.loads(ingested.stdout)[0]["asset_id"])
    if candidates:
        made = runner.invoke(cli, ["thumbs", "make", str(asset_id), "--count", str(candidates)])
        assert made.exit_code == 0, made.stderr
    return asset_id


def test_pick_a_candidate(client: TestClient, hub: Hub, runner: CliRunner) -> None:
    asset_id = ingested_clip(runner, candidates=4)
    chosen_before = [c.index for c in list_thumbnails(hub.db, asset_id) if c.chosen]
    sign_in(client, "librarian")
    page = client.get(f"/assets/{asset_id}/thumbnails").text
    assert page.count('name="candidate"') == 4
    assert client.get(f"/thumbs/{asset_id}/candidates.jpg").content[:2] == b"\xff\xd8"
    before = client.get(f"/thumbs/{asset_id}.jpg").content
    other = next(n for n in (1, 2, 3, 4) if n not in chosen_before)
    answer = client.post(
        f"/assets/{asset_id}/thumbnails",
        data={"candidate": str(other), "csrf_token": csrf_of(page)},
    )
    assert answer.status_code == 303
    assert [c.index for c in list_thumbnails(hub.db, asset_id) if c.chosen] == [other]
    assert client.get(f"/thumbs/{asset_id}.jpg").content != before
    missing = client.post(
        f"/assets/{asset_id}/thumbnails", data={"candidate": "9", "csrf_token": csrf_of(page)}
    )
    assert missing.status_code == 400
    assert "no candidate 9" in missing.text


def _picture(size: tuple[int, int], kind: str = "JPEG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 40)).save(out, kind)
    return out.getvalue()


def test_a_picture_of_ones_own(client: TestClient, hub: Hub, runner: CliRunner) -> None:
    asset_id = ingested_clip(runner)
    sign_in(client, "librarian")
    page = client.get(f"/assets/{asset_id}/thumbnails").text
    token = csrf_of(page)
    url = f"/assets/{asset_id}/thumbnails/own"

    def send(name: str, data: bytes, csrf: str = token) -> Any:
        return client.post(url, data={"csrf_token": csrf}, files={"picture": (name, data)})

    small = send("small.jpg", _picture((320, 180)))
    assert small.status_code == 400
    assert "small.jpg: the picture is 320x180 pixels" in small.text
    assert send("notes.txt", b"hello").status_code == 400
    assert send("big.png", b"\0" * (MAX_PICTURE_BYTES + 1)).status_code == 413
    assert send("red.jpg", _picture((1280, 720)), csrf="forged").status_code == 403
    assert not [c for c in list_thumbnails(hub.db, asset_id) if c.role == "custom"]

    answer = send("../../red.png", _picture((1280, 720), "PNG"))
    assert answer.status_code == 303
    [own] = [c for c in list_thumbnails(hub.db, asset_id) if c.chosen]
    assert own.role == "custom"
    made = Image.open(io.BytesIO(client.get(f"/thumbs/{asset_id}.jpg").content))
    assert made.size == (1280, 720)
    red = made.convert("RGB").getpixel((640, 200))
    assert isinstance(red, tuple)
    assert red[0] > 150  # the red picture under the branding
    assert not list((hub.settings.home / UPLOADS).iterdir())  # nothing left on the way

    client.cookies.clear()
    sign_in(client, "viewer")
    viewer_page = client.get(f"/assets/{asset_id}/thumbnails").text
    assert 'name="picture"' not in viewer_page
    refused = client.post(url, data={"csrf_token": csrf_of(viewer_page)},
                          files={"picture": ("red.jpg", _picture((1280, 720)))})  # fmt: skip
    assert refused.status_code == 403

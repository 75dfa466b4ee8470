"""Picking a thumbnail from the contact sheet in the browser, as `thumbs pick` does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from typer.testing import CliRunner

from media_hub.cli import app as cli
from media_hub.hub import Hub
from media_hub.pipeline.thumbnails import list_thumbnails
from tests.web.conftest import csrf_of, sign_in

DATA = Path(__file__).resolve().parent.parent / "data"
pytestmark = pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)


def test_pick_a_candidate(client: TestClient, hub: Hub, runner: CliRunner) -> None:
    ingested = runner.invoke(
        cli, ["ingest", str(DATA / "in.mp4"), "--series", "reports", "-t", "fr=Le rapport",
              "--json"],
    )  # fmt: skip
    assert ingested.exit_code == 0, ingested.stderr
    asset_id = int(json.loads(ingested.stdout)[0]["asset_id"])
    assert runner.invoke(cli, ["thumbs", "make", str(asset_id), "--count", "4"]).exit_code == 0
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

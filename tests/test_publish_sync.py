"""`publish --plan/--apply` against the sandbox: only the differences, then nothing."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from media_hub.cli import app
from media_hub.hub import Hub
from media_hub.sandbox.server import Sandbox
from tests.test_upload import DATA

# Slow: two uploads, then the sync, in each test; make quick leaves them out.
pytestmark = [pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True), pytest.mark.slow]


def _json(runner: CliRunner, *args: str) -> Any:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def _two_episodes(runner: CliRunner, tmp_path: Path) -> list[dict[str, Any]]:
    first = tmp_path / "ep1.mp4"
    shutil.copyfile(DATA / "in.mp4", first)
    second = tmp_path / "ep2.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(first), "-t", "3", "-c", "copy", str(second)],
        check=True,
    )  # fmt: skip
    done = []
    for episode, path in ((2, second), (1, first)):
        done += _json(
            runner, "upload", str(path), "--series", "advisory-clips",
            "--episode", str(episode), "-t", f"fr=Épisode {episode}",
        )  # fmt: skip
    return done


def test_an_edited_title_and_playlist_order_are_synced_then_nothing(
    channel_hub: Hub, sandbox: Sandbox, runner: CliRunner, tmp_path: Path
) -> None:
    _, episode1 = _two_episodes(runner, tmp_path)
    assert _json(runner, "publish", "--plan")["calls"] == []

    runner.invoke(app, ["catalog", "edit", str(episode1["asset_id"]), "-t", "fr=Le tout début"])
    runner.invoke(app, ["thumbs", "make", str(episode1["asset_id"])])  # the new title on it
    plan = _json(runner, "publish", "--plan")
    assert [(c["method"], c["target"]) for c in plan["calls"]] == [
        ("videos.update", f"asset {episode1['asset_id']}"),
        ("thumbnails.set", f"asset {episode1['asset_id']}"),
    ]
    # As Terraform's plan: each field the update changes, the channel's value then ours.
    assert plan["calls"][0]["changes"] == [
        "snippet.title: 'Épisode 1 | Clips conseils, épisode 1' → "
        "'Le tout début | Clips conseils, épisode 1'"
    ]
    shown = runner.invoke(app, ["publish", "--plan"])
    assert "snippet.title: 'Épisode 1 | Clips conseils, épisode 1' → 'Le tout" in shown.stdout
    before = sandbox.state.snapshot()["videos"][episode1["video_id"]]["snippet"]["title"]
    applied = _json(runner, "publish", "--apply")
    assert applied["left"] == 0
    after = sandbox.state.snapshot()["videos"][episode1["video_id"]]["snippet"]["title"]
    assert before != after
    assert after.startswith("Le tout début")
    assert _json(runner, "publish", "--plan")["calls"] == []


def _order(sandbox: Sandbox) -> list[dict[str, Any]]:
    from tests.sandbox_client import youtube as client

    [playlist_id] = sandbox.state.snapshot()["playlists"]
    listed = client(sandbox).playlistItems().list(part="snippet", playlistId=playlist_id).execute()
    items: list[dict[str, Any]] = listed["items"]
    return items


def test_a_playlist_out_of_episode_order_is_put_back(
    channel_hub: Hub, sandbox: Sandbox, runner: CliRunner, tmp_path: Path
) -> None:
    from tests.sandbox_client import youtube as client

    episode2, episode1 = _two_episodes(runner, tmp_path)
    videos = [item["snippet"]["resourceId"]["videoId"] for item in _order(sandbox)]
    assert videos == [episode1["video_id"], episode2["video_id"]]
    # Someone drags episode 1 to the end in YouTube Studio.
    first = _order(sandbox)[0]
    first["snippet"]["position"] = 1
    client(sandbox).playlistItems().update(
        part="snippet", body={"id": first["id"], "snippet": first["snippet"]}
    ).execute()
    videos = [item["snippet"]["resourceId"]["videoId"] for item in _order(sandbox)]
    assert videos == [episode2["video_id"], episode1["video_id"]]
    plan = _json(runner, "publish", "--plan")
    assert [c["method"] for c in plan["calls"]] == ["playlistItems.update"]
    _json(runner, "publish", "--apply")
    videos = [item["snippet"]["resourceId"]["videoId"] for item in _order(sandbox)]
    assert videos == [episode1["video_id"], episode2["video_id"]]
    assert _json(runner, "publish", "--plan")["calls"] == []

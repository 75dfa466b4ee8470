"""A sandbox that starts in the past: uploads happen days ago in its time, and advancing the
days to the real today leaves that many days of Analytics behind, as `stats pull` reads them."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import ssl
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from media_hub.sandbox.quota import pacific_day
from media_hub.sandbox.server import Sandbox
from media_hub.sandbox.state import State, parse_rfc3339
from tests.sandbox_client import analytics, upload, youtube

WALL = dt.datetime(2026, 3, 20, 19, 30, tzinfo=dt.UTC)  # 12:30 in Los Angeles
WALL_DAY = pacific_day(WALL)


def fixed() -> dt.datetime:
    return WALL


def admin(sandbox: Sandbox, path: str, body: Any = None) -> Any:
    """A plain HTTPS call to the sandbox's admin endpoints, as the demo makes it."""
    data = None if body is None else json.dumps(body).encode()
    method = "GET" if data is None else "POST"
    request = urllib.request.Request(sandbox.url + path, data=data, method=method)  # noqa: S310
    context = ssl.create_default_context(cafile=str(sandbox.ca_cert))
    with urllib.request.urlopen(request, context=context) as response:  # noqa: S310 (loopback)
        return json.loads(response.read())


def daily_views(sandbox: Sandbox, playlist_id: str, start: dt.date, end: dt.date) -> list[Any]:
    """The playlist's rows as `stats pull` asks for them."""
    table = analytics(sandbox).reports().query(
        ids="channel==MINE", startDate=start.isoformat(), endDate=end.isoformat(),
        metrics="views,playlistStarts", dimensions="day", filters=f"playlist=={playlist_id}",
    ).execute()  # fmt: skip
    rows: list[Any] = table["rows"]
    return rows


def test_a_sandbox_started_days_ago_has_those_days_of_data_once_advanced(tmp_path: Path) -> None:
    with Sandbox(tmp_path / "channel.json", clock=fixed, start_days_ago=14) as sandbox:
        first_day = WALL_DAY - dt.timedelta(days=14)
        assert sandbox.state.today() == first_day
        assert sandbox.state.snapshot()["day_offset"] == -14
        channel_created = parse_rfc3339(sandbox.state.snapshot()["channel"]["published_at"])
        assert channel_created == WALL - dt.timedelta(days=14)

        client = youtube(sandbox)
        video_id = upload(client, tmp_path)
        snippet = client.videos().list(part="snippet", id=video_id).execute()["items"][0]
        assert pacific_day(parse_rfc3339(snippet["snippet"]["publishedAt"])) == first_day
        playlist_id = client.playlists().insert(
            part="snippet", body={"snippet": {"title": "Conseils"}}
        ).execute()["id"]  # fmt: skip
        item = {"playlistId": playlist_id,
                "resourceId": {"kind": "youtube#video", "videoId": video_id}}  # fmt: skip
        client.playlistItems().insert(part="snippet", body={"snippet": item}).execute()

        yesterday = WALL_DAY - dt.timedelta(days=1)  # the last day `stats pull` asks for
        assert daily_views(sandbox, playlist_id, first_day, yesterday) == []  # not lived yet

        moved = admin(sandbox, "/sandbox/advance-days", {"days": 14})
        assert moved["today"] == WALL_DAY.isoformat()
        assert sandbox.state.snapshot()["day_offset"] == 0

        rows = daily_views(sandbox, playlist_id, first_day, yesterday)
        assert [row[0] for row in rows] == [
            (first_day + dt.timedelta(days=n)).isoformat() for n in range(14)
        ]
        assert all(row[1] >= 30 for row in rows)  # the growth series' floor: every day counts
        assert len({row[1] for row in rows}) > 1  # and the days differ
        # The token issued fourteen sandbox days ago has expired: the client refreshes it.
        tokens_before = [r.path for r in sandbox.requests].count("/token")
        stats = client.videos().list(part="statistics", id=video_id).execute()["items"][0]
        assert [r.path for r in sandbox.requests].count("/token") == tokens_before + 1
        assert int(stats["statistics"]["viewCount"]) == sum(row[1] for row in rows)


def test_an_existing_state_keeps_its_days_and_days_only_move_forward(tmp_path: Path) -> None:
    path = tmp_path / "channel.json"
    state = State(path, fixed, start_days_ago=5)
    assert state.today() == WALL_DAY - dt.timedelta(days=5)
    state.advance_days(2)
    again = State(path, fixed, start_days_ago=30)  # the file exists: its days are kept
    assert again.data["day_offset"] == -3
    assert again.today() == WALL_DAY - dt.timedelta(days=3)
    with pytest.raises(ValueError, match="only move forward"):
        again.advance_days(-1)
    with pytest.raises(ValueError, match="future"):
        State(tmp_path / "other.json", fixed, start_days_ago=-1)
    assert not (tmp_path / "other.json").exists()
    assert State(tmp_path / "fresh.json", fixed).data["day_offset"] == 0


def test_serve_starts_a_new_channel_days_ago(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "media_hub", "sandbox", "serve", "--state",
               str(tmp_path / "c.json"), "--start-days-ago", "14"]  # fmt: skip
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(7)]
        settings = dict(line.strip().split("=", 1) for line in lines if "=" in line)
        endpoint = settings["MEDIA_HUB_YOUTUBE_API_ENDPOINT"]
        context = ssl.create_default_context(cafile=settings["MEDIA_HUB_YOUTUBE_CA_BUNDLE"])
        with urllib.request.urlopen(endpoint + "/sandbox/state", context=context) as response:  # noqa: S310
            state = json.loads(response.read())
        assert state["day_offset"] == -14
        real_today = pacific_day(dt.datetime.now(dt.UTC))
        assert dt.date.fromisoformat(state["today"]) == real_today - dt.timedelta(days=14)
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=10)
    assert process.returncode == 0, err

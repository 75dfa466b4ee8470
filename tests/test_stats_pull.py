"""`stats pull` against the sandbox: counts equal to what the API shows, the fewest list calls,
Analytics only for new days, and a snapshot written whole or not at all."""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest
from google.oauth2.credentials import Credentials
from sqlalchemy import func, select
from typer.testing import CliRunner

from media_hub.catalog.pipeline_models import QuotaEntry, StatsRow, StatsSnapshot
from media_hub.cli import app
from media_hub.errors import ExitStatus, QuotaError
from media_hub.hub import Hub
from media_hub.platforms.youtube import scopes
from media_hub.platforms.youtube.auth import save_credentials, token_path
from media_hub.platforms.youtube.stats import has_analytics_scope
from media_hub.sandbox.server import Sandbox
from media_hub.stats import snapshots
from media_hub.stats.pull import PullInterruptedError
from tests.sandbox_client import analytics
from tests.test_stats_support import (
    deck_counts,
    ledger_day,
    list_calls,
    playlist_members,
    publish_decks,
    publish_videos,
    pull,
    slideshare_hub,
    video_counts,
)

SQLITE_ONLY = pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)
VIDEOS, ITEMS = "/youtube/v3/videos", "/youtube/v3/playlistItems"


def _snapshot_rows(hub: Hub, snapshot_id: int) -> list[StatsRow]:
    with hub.db.session() as session:
        return list(session.scalars(select(StatsRow).where(StatsRow.snapshot_id == snapshot_id)))


def _snapshots(hub: Hub) -> tuple[int, int]:
    with hub.db.session() as session:
        return (
            session.scalar(select(func.count()).select_from(StatsSnapshot)) or 0,
            session.scalar(select(func.count()).select_from(StatsRow)) or 0,
        )


def test_a_pull_stores_the_apis_counts_with_the_fewest_list_calls(
    channel_hub: Hub, sandbox: Sandbox
) -> None:
    channel = publish_videos(channel_hub, sandbox)
    sandbox.advance_days(3)
    served, spent = len(sandbox.requests), ledger_day(sandbox).get("default", 0)

    result = pull(channel_hub, sandbox, slideshare=None)

    n = len(channel.all_videos)
    assert n == 105
    assert channel.playlist_pages == 4
    assert list_calls(sandbox, served) == {
        VIDEOS: math.ceil(n / 50), ITEMS: channel.playlist_pages, "/youtube/v3/playlists": 0,
    }  # fmt: skip
    assert result.list_calls == {"playlistItems.list": 4, "videos.list": 3}
    assert result.units == 7
    assert ledger_day(sandbox)["default"] - spent == result.units  # the sandbox's own ledger
    with channel_hub.db.session() as session:
        recorded = session.scalar(select(func.sum(QuotaEntry.units)))
        stored = session.get(StatsSnapshot, result.snapshot_id)
        assert stored is not None
        assert stored.units_spent == 7
    assert recorded == 7  # media-hub's ledger: the pull's calls and nothing else
    assert (result.videos, result.playlists, result.missing) == (105, 3, [])

    # Every video's counters are the API's, read here on their own.
    truth = video_counts(sandbox, channel.all_videos)
    rows = _snapshot_rows(channel_hub, result.snapshot_id)
    by_asset = {
        r.asset_id: (r.views, r.likes, r.comments)
        for r in rows
        if r.playlist_id is None and r.day is None
    }
    assert by_asset == {
        channel.assets[video]: (c["viewCount"], c["likeCount"], c["commentCount"])
        for video, c in truth.items()
    }
    assert min(views for views, _, _ in by_asset.values()) > 0  # three days of growth
    # Each playlist's rows are its members on the channel, with their counters.
    assets_of = {asset: video for video, asset in channel.assets.items()}
    with channel_hub.db.session() as session:
        from media_hub.catalog.models import Playlist

        slugs = {p.id: p.slug for p in session.scalars(select(Playlist))}
    members: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        if r.playlist_id is not None and r.day is None:
            assert r.asset_id is not None
            members[slugs[r.playlist_id]].add(assets_of[r.asset_id])
            assert r.views == truth[assets_of[r.asset_id]]["viewCount"]
    for slug, youtube_id in channel.youtube_playlists.items():
        assert members[slug] == set(playlist_members(sandbox, youtube_id))
    assert len(members["events"]) == 25  # 20 of its own and 5 shared with reports


@pytest.mark.slow  # publishes the 105-video channel
def test_analytics_are_read_only_for_days_not_stored(channel_hub: Hub, sandbox: Sandbox) -> None:
    channel = publish_videos(channel_hub, sandbox)
    sandbox.advance_days(3)
    first = pull(channel_hub, sandbox, slideshare=None)
    assert (first.analytics, first.analytics_queries, first.analytics_days) == (True, 3, 9)
    sandbox.advance_days(2)
    second = pull(channel_hub, sandbox, slideshare=None)
    assert (second.analytics_queries, second.analytics_days) == (3, 6)
    third = pull(channel_hub, sandbox, slideshare=None)  # the same day: nothing new to ask
    assert (third.analytics_queries, third.analytics_days) == (0, 0)

    with channel_hub.db.session() as session:
        days: list[tuple[int, date, int, int]] = [
            (p, d, v, n)
            for p, d, v, n in session.execute(
                select(StatsRow.playlist_id, StatsRow.day, StatsRow.views,
                       StatsRow.playlist_starts).where(StatsRow.day.is_not(None))
            )
            if p is not None and d is not None
        ]  # fmt: skip
        from media_hub.catalog.models import Playlist

        playlists = session.scalars(select(Playlist))
        ids = {p.remote_id("youtube"): p.id for p in playlists if p.remote_id("youtube")}
    assert len({(p, d) for p, d, _, _ in days}) == len(days) == 15  # each day stored once
    truth = video_counts(sandbox, channel.all_videos)
    client = analytics(sandbox)
    for slug, youtube_id in channel.youtube_playlists.items():
        mine = [row for row in days if row[0] == ids[youtube_id]]
        # The daily views add up to the growth of the members' lifetime views...
        assert sum(v for _, _, v, _ in mine) == sum(
            truth[v]["viewCount"] for v in channel.videos[slug]
        )
        # ...and the starts are those Analytics gives for the whole range in one query.
        whole = client.reports().query(
            ids="channel==MINE", startDate=min(d for _, d, _, _ in mine).isoformat(),
            endDate=max(d for _, d, _, _ in mine).isoformat(), metrics="playlistStarts",
            dimensions="day", filters=f"playlist=={youtube_id}",
        ).execute()  # fmt: skip
        assert sorted((d.isoformat(), s) for _, d, _, s in mine) == sorted(
            (day, starts) for day, starts in whole["rows"]
        )
        assert sum(s for _, _, _, s in mine) > 0


@pytest.mark.slow  # publishes the 105-video channel
@pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(("saved_scopes", "queries"), [(True, 0), (False, 1)])
def test_without_the_analytics_scope_analytics_are_left_out(
    channel_hub: Hub, sandbox: Sandbox, saved_scopes: bool, queries: int
) -> None:
    """A token listing its scopes is believed; one saved without them is probed once."""
    publish_videos(channel_hub, sandbox)
    sandbox.advance_days(1)
    granted = [scopes.UPLOAD, scopes.MANAGE]
    credentials = Credentials(  # type: ignore[no-untyped-call]
        token=None, refresh_token=sandbox.grant("media-hub-tests", granted),
        token_uri=sandbox.token_uri, client_id="media-hub-tests", client_secret="s",
        scopes=granted if saved_scopes else None,
    )  # fmt: skip
    save_credentials(token_path(channel_hub.settings), credentials)
    served = len(sandbox.requests)
    result = pull(channel_hub, sandbox, slideshare=None)
    assert (result.analytics, result.analytics_queries, result.analytics_days) == (
        False,
        queries,
        0,
    )
    reports = [r.status for r in sandbox.requests[served:] if r.path.startswith("/v2/reports")]
    assert reports == [403] * queries
    assert result.videos == 105


def test_the_granted_scopes_decide_analytics() -> None:
    def token(scopes_list: list[str] | None) -> Credentials:
        return Credentials(token="t", scopes=scopes_list)  # type: ignore[no-untyped-call]

    assert has_analytics_scope(token(list(scopes.ALL))) is True
    assert has_analytics_scope(token([scopes.UPLOAD])) is False
    assert has_analytics_scope(token(None)) is None  # a token saved without its scopes


@pytest.mark.slow  # publishes the 105-video channel
def test_decks_are_pulled_from_slideshare_beside_the_videos(
    channel_hub: Hub, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    hub = slideshare_hub(channel_hub, sandbox, monkeypatch, tmp_path)
    channel = publish_decks(hub, sandbox, publish_videos(hub, sandbox))
    sandbox.advance_days(4)
    result = pull(hub, sandbox)
    assert (result.videos, result.decks, result.platform_calls["slideshare"]) == (
        105,
        6,
        {"get_slideshows_by_user": 1},
    )
    assert result.playlists == 4  # three on YouTube, one of decks

    truth = deck_counts(sandbox)
    rows = _snapshot_rows(hub, result.snapshot_id)
    decks = {channel.assets[d] for d in channel.all_decks}
    stored = {
        r.asset_id: {"views": r.views, "downloads": r.downloads, "favorites": r.favorites,
                     "comments": r.comments}
        for r in rows if r.asset_id in decks and r.playlist_id is None
    }  # fmt: skip
    assert stored == {channel.assets[d]: counts for d, counts in truth.items()}
    assert all(counts["views"] > 0 for counts in truth.values())
    flyers = {r.asset_id for r in rows if r.asset_id in decks and r.playlist_id is not None}
    assert flyers == {channel.assets[d] for d in channel.decks["cv-flyers"]}
    assert {r.platform for r in rows if r.asset_id in decks} == {"slideshare"}


@pytest.mark.slow  # publishes the 105-video channel
def test_a_pull_cut_by_the_quota_writes_nothing_and_a_rerun_completes(
    channel_hub: Hub, sandbox: Sandbox
) -> None:
    channel = publish_videos(channel_hub, sandbox)
    sandbox.advance_days(2)
    used = ledger_day(sandbox).get("default", 0)
    sandbox.state.configure(limits={"default": used + 2})  # the third videos.list is refused
    served = len(sandbox.requests)
    with pytest.raises(PullInterruptedError) as raised:
        pull(channel_hub, sandbox, slideshare=None)
    assert isinstance(raised.value.__cause__, QuotaError)
    assert raised.value.exit_status == ExitStatus.ERROR
    assert "no snapshot was written (3 quota units spent)" in str(raised.value)
    assert [r.status for r in sandbox.requests[served:] if r.path == VIDEOS] == [200, 200, 403]
    assert _snapshots(channel_hub) == (0, 0)

    sandbox.state.configure(limits={})
    done = pull(channel_hub, sandbox, slideshare=None)
    assert (done.videos, done.units) == (len(channel.all_videos), 7)
    assert _snapshots(channel_hub)[0] == 1


@pytest.mark.slow  # publishes the 105-video channel
def test_an_interrupted_write_leaves_no_snapshot(
    channel_hub: Hub, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    publish_videos(channel_hub, sandbox)
    sandbox.advance_days(2)
    original = snapshots._day_row
    written: list[int] = []

    def interrupted(*args: object) -> object:
        written.append(1)
        if len(written) == 4:  # the snapshot row and the counts are in the session by now
            raise KeyboardInterrupt
        return original(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(snapshots, "_day_row", interrupted)
    with pytest.raises(KeyboardInterrupt):
        pull(channel_hub, sandbox, slideshare=None)
    assert _snapshots(channel_hub) == (0, 0)
    monkeypatch.setattr(snapshots, "_day_row", original)
    result = pull(channel_hub, sandbox, slideshare=None)
    assert (result.analytics_days, _snapshots(channel_hub)[0]) == (6, 1)


@pytest.mark.slow  # publishes the 105-video channel, kills a pull process
@SQLITE_ONLY
def test_a_killed_pull_leaves_no_snapshot_and_the_rerun_completes(
    channel_hub: Hub, sandbox: Sandbox, runner: CliRunner
) -> None:
    publish_videos(channel_hub, sandbox)
    sandbox.advance_days(1)
    sandbox.faults.add("hold", method="GET", path=VIDEOS, after=1, seconds=30)
    process = subprocess.Popen(
        [sys.executable, "-m", "media_hub", "stats", "pull", "--json"],
        env=dict(os.environ), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while not any(r.path == VIDEOS for r in sandbox.app.holding):
        assert process.poll() is None, process.communicate()[1].decode()
        assert time.monotonic() < deadline, "the pull never reached its second videos.list"
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    sandbox.faults.clear()
    assert _snapshots(channel_hub) == (0, 0)

    result = runner.invoke(app, ["stats", "pull", "--json"])
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    assert (record["videos"], record["units"], record["list_calls"]["videos.list"]) == (105, 7, 3)
    assert _snapshots(channel_hub)[0] == 1


@pytest.mark.slow  # publishes the 105-video channel
def test_the_cli_says_what_it_spent(channel_hub: Hub, sandbox: Sandbox, runner: CliRunner) -> None:
    publish_videos(channel_hub, sandbox)
    result = runner.invoke(app, ["stats", "pull"])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("snapshot 1 taken ")
    assert "105 video(s), 0 deck(s), 3 playlist(s)" in lines[0]
    assert lines[1] == "YouTube: 7 quota unit(s) (playlistItems.list 4, videos.list 3)"
    assert "Analytics quer" in lines[2]
    assert "(not Data API quota)" in lines[2]


@pytest.mark.slow  # publishes the 105-video channel
def test_a_pull_without_youtube_settings_is_one_clear_line(
    channel_hub: Hub, sandbox: Sandbox, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    publish_videos(channel_hub, sandbox)
    token_path(channel_hub.settings).unlink()
    result = runner.invoke(app, ["stats", "pull"])
    assert result.exit_code == ExitStatus.CONFIG
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("error: ")
    assert "media-hub auth youtube" in line

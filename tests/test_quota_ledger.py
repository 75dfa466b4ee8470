"""The quota ledger against the sandbox's own count, and playlist inserts that are listed only
when they may have landed unrecorded (issue 13, points 4 and 5).

A crash is a real one: a child process makes the call and is killed with SIGKILL while the
sandbox holds the answer (a "hold" fault), so the sandbox has carried the call out and
charged it, and the child has recorded nothing after sending it.
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import func, select
from typer.testing import CliRunner

from media_hub.catalog.assets import NewAsset
from media_hub.catalog.models import Playlist, PlaylistItem
from media_hub.catalog.pipeline_models import QuotaEntry
from media_hub.catalog.vocabulary import AssetKind
from media_hub.cli import app
from media_hub.errors import RemoteError
from media_hub.hub import Hub
from media_hub.platforms.youtube import YOUTUBE, channel, quota
from media_hub.platforms.youtube.platform import connect
from media_hub.sandbox.server import Sandbox
from tests.sandbox_client import upload, youtube

DATA = Path(__file__).parent / "data"
ITEMS = "/youtube/v3/playlistItems"
SLUG = "reports"

# Adds an asset's video to a playlist, as the upload's playlist step does, in a process of
# its own that the test can kill. The hub comes from the environment (MEDIA_HUB_*).
CHILD = """
import os, sys
from pathlib import Path
from media_hub.hub import Hub
from media_hub.platforms.youtube import channel
from media_hub.platforms.youtube.platform import connect
from media_hub.settings import load_settings

hub = Hub(load_settings(Path(os.environ["MEDIA_HUB_HOME"])))
channel.add_to_playlist(hub.db, connect(hub), sys.argv[1], int(sys.argv[2]), sys.argv[3])
"""


def _video_on_channel(hub: Hub, sandbox: Sandbox, tmp_path: Path) -> tuple[int, str]:
    """(asset id, video id): an asset of the reports series whose video is on the channel,
    uploaded by another client, so the catalog's ledger starts empty."""
    video_id = upload(youtube(sandbox), tmp_path, size=1000)
    added = hub.catalog.add(
        NewAsset(kind=AssetKind.VIDEO, titles={"fr": "Reportage"}, series=SLUG, playlists=[SLUG])
    )
    return int(added["id"]), video_id


def _add_in_child(asset_id: int, video_id: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, SLUG, str(asset_id), video_id],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip


def _kill_when_held(process: subprocess.Popen[bytes], sandbox: Sandbox, path: str) -> None:
    """SIGKILL the process once the sandbox has carried out `POST path` and holds its answer."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            _, err = process.communicate()
            raise AssertionError(f"the child ended before the kill point: {err.decode()}")
        if any(r.method == "POST" and r.path.startswith(path) for r in sandbox.app.holding):
            process.send_signal(signal.SIGKILL)
            process.wait()
            return
        time.sleep(0.02)
    process.kill()
    raise AssertionError(f"never reached POST {path}")


def _crash_during_insert(sandbox: Sandbox, asset_id: int, video_id: str) -> None:
    """The child sends playlistItems.insert, the sandbox inserts, the child dies unanswered."""
    sandbox.faults.add_spec(f"hold,method=POST,path={ITEMS},seconds=30")
    _kill_when_held(_add_in_child(asset_id, video_id), sandbox, ITEMS)
    sandbox.faults.clear()


def _sandbox_units(sandbox: Sandbox, bucket: str = quota.DEFAULT_BUCKET) -> int:
    """What the sandbox has charged the project in `bucket`, every day together."""
    days = sandbox.state.snapshot()["quota"].values()
    return sum(int(day.get(bucket, 0)) for day in days)


def _ledger(hub: Hub) -> list[tuple[str, int, bool]]:
    with hub.db.session() as session:
        rows = session.execute(
            select(QuotaEntry.method, QuotaEntry.units, QuotaEntry.confirmed).order_by(
                QuotaEntry.id
            )
        )
        return [(method, units, confirmed) for method, units, confirmed in rows]


def _ledger_units(hub: Hub, bucket: str = quota.DEFAULT_BUCKET) -> int:
    with hub.db.session() as session:
        total = session.scalar(
            select(func.coalesce(func.sum(QuotaEntry.units), 0)).where(QuotaEntry.bucket == bucket)
        )
    return int(total or 0)


def _items_of(sandbox: Sandbox, video_id: str) -> list[dict[str, Any]]:
    items = sandbox.state.snapshot()["playlist_items"].values()
    return [item for item in items if item["video_id"] == video_id]


def _served(sandbox: Sandbox, method: str, path: str) -> int:
    return sum(1 for r in sandbox.requests if r.method == method and r.path == path)


def _recorded_item(hub: Hub, asset_id: int) -> PlaylistItem:
    with hub.db.session() as session:
        playlist = session.scalars(select(Playlist).where(Playlist.slug == SLUG)).one()
        item = session.get(PlaylistItem, (playlist.id, asset_id))
        assert item is not None
        session.expunge(item)
        return item


# Point 4: the ledger errs on the side of spending.


def test_a_call_cut_off_by_a_crash_is_in_the_ledger_as_the_sandbox_charged_it(
    channel_hub: Hub, sandbox: Sandbox, tmp_path: Path
) -> None:
    asset_id, video_id = _video_on_channel(channel_hub, sandbox, tmp_path)
    charged_before = _sandbox_units(sandbox)

    _crash_during_insert(sandbox, asset_id, video_id)

    assert len(_items_of(sandbox, video_id)) == 1  # it landed; its answer never came back
    charged = _sandbox_units(sandbox) - charged_before
    assert _ledger_units(channel_hub) == charged
    assert charged == 1 + 50 + 50  # playlists.list, playlists.insert, playlistItems.insert
    *_, last = _ledger(channel_hub)
    assert last == ("playlistItems.insert", 50, False)  # written ahead, never confirmed
    with channel_hub.db.session() as session:
        day = session.scalars(select(QuotaEntry.day).order_by(QuotaEntry.id.desc())).first()
        assert day is not None
        assert quota.spent(session, quota.DEFAULT_BUCKET, day) == charged


def test_a_refused_call_costs_one_unit_in_the_ledger(
    channel_hub: Hub, sandbox: Sandbox, tmp_path: Path
) -> None:
    asset_id, video_id = _video_on_channel(channel_hub, sandbox, tmp_path)
    charged_before = _sandbox_units(sandbox)
    sandbox.state.configure(verified=False)  # thumbnails.set: 403 forbidden
    jpeg = tmp_path / "thumb.jpg"
    Image.new("RGB", (64, 36), "navy").save(jpeg, "JPEG")

    with pytest.raises(RemoteError) as refused:
        channel.set_thumbnail(channel_hub.db, connect(channel_hub), asset_id, video_id, jpeg)

    assert refused.value.reason == "forbidden"
    [served] = [r for r in sandbox.requests if r.path.endswith("/thumbnails/set")]
    assert served.status == 403
    # Google: every request costs at least one unit, refused ones too; not the full 50.
    assert _ledger(channel_hub) == [("thumbnails.set", 1, True)]
    assert _sandbox_units(sandbox) - charged_before == 1  # the sandbox charges it as Google does


def test_an_upload_leaves_the_ledger_equal_to_the_sandboxs_count(
    channel_hub: Hub, sandbox: Sandbox, runner: CliRunner, tmp_path: Path
) -> None:
    clip = tmp_path / "forum.mp4"
    shutil.copyfile(DATA / "in.mp4", clip)
    result = runner.invoke(app, ["upload", "--json", str(clip), "--series", SLUG])
    assert result.exit_code == 0, result.stderr
    [done] = json.loads(result.stdout)

    for bucket in (quota.DEFAULT_BUCKET, quota.UPLOAD_BUCKET):
        assert _ledger_units(channel_hub, bucket) == _sandbox_units(sandbox, bucket)
    assert all(confirmed for _, _, confirmed in _ledger(channel_hub))
    # Point 5: an ordinary upload into a playlist inserts without listing the playlist first.
    assert _served(sandbox, "POST", ITEMS) == 1
    assert _served(sandbox, "GET", ITEMS) == 0
    [item] = _items_of(sandbox, done["video_id"])
    recorded = _recorded_item(channel_hub, done["asset_id"])
    assert (recorded.remote_item_id, recorded.insert_sent_at) == (item["id"], None)


# Point 5: a playlist is listed only for an insert that was sent and not recorded.


def test_after_a_crash_between_insert_and_record_the_rerun_lists_and_inserts_nothing(
    channel_hub: Hub, sandbox: Sandbox, tmp_path: Path
) -> None:
    asset_id, video_id = _video_on_channel(channel_hub, sandbox, tmp_path)

    _crash_during_insert(sandbox, asset_id, video_id)
    assert _served(sandbox, "GET", ITEMS) == 0  # the first run inserted without listing
    marked = _recorded_item(channel_hub, asset_id)
    assert marked.remote_item_id is None
    assert marked.insert_sent_at is not None

    inserts = _served(sandbox, "POST", ITEMS)
    channel.add_to_playlist(channel_hub.db, connect(channel_hub), SLUG, asset_id, video_id)

    assert _served(sandbox, "GET", ITEMS) == 1  # the rerun looked for it
    assert _served(sandbox, "POST", ITEMS) == inserts  # and sent no second insert
    [item] = _items_of(sandbox, video_id)
    recorded = _recorded_item(channel_hub, asset_id)
    assert (recorded.remote_item_id, recorded.insert_sent_at) == (item["id"], None)
    with channel_hub.db.session() as session:
        playlist = session.scalars(select(Playlist).where(Playlist.slug == SLUG)).one()
        assert playlist.remote_id(YOUTUBE) == item["playlist_id"]

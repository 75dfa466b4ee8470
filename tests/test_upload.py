"""`media-hub upload` end to end: the real google-api-python-client against the sandbox."""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from media_hub.catalog.query import AssetQuery
from media_hub.cli import app
from media_hub.hub import Hub
from media_hub.sandbox.server import Sandbox

DATA = Path(__file__).parent / "data"
CLIENT_ID = "media-hub-tests.apps.googleusercontent.com"


def _upload(runner: CliRunner, *args: str) -> Any:
    result = runner.invoke(app, ["upload", "--json", *args])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def _clip(tmp_path: Path, name: str = "conseils.mp4") -> Path:
    clip = tmp_path / name
    shutil.copyfile(DATA / "in.mp4", clip)
    return clip


def test_a_clip_is_published_with_thumbnail_playlist_and_captions(
    channel_hub: Hub, sandbox: Sandbox, runner: CliRunner, tmp_path: Path
) -> None:
    clip = _clip(tmp_path)
    shutil.copyfile(DATA / "mediaelement.srt", tmp_path / "conseils.fr.srt")
    [done] = _upload(
        runner, str(clip), "--series", "advisory-clips", "--episode", "1",
        "-t", "ar=كيف تكتب سيرتك الذاتية", "-t", "fr=Rédiger son CV",
    )  # fmt: skip
    assert done["url"] == f"https://www.youtube.com/watch?v={done['video_id']}"
    state = sandbox.state.snapshot()
    [video] = state["videos"].values()
    assert video["id"] == done["video_id"]
    assert video["snippet"]["title"].startswith("كيف تكتب سيرتك الذاتية")
    assert video["snippet"]["defaultLanguage"] == "ar"
    assert "fr" in video["localizations"]
    record = channel_hub.catalog.show(done["asset_id"])
    assert record["status"] == "published"
    # The bytes on the channel are exactly the rendition's.
    with channel_hub.db.session() as session:
        from sqlalchemy import select

        from media_hub.catalog.pipeline_models import Rendition

        key = session.scalars(select(Rendition.store_key)).one()
    with channel_hub.store.open(key) as stored:
        assert video["media"]["sha256"] == hashlib.sha256(stored.read()).hexdigest()
    assert done["video_id"] in state["thumbnails"]
    items = list(state["playlist_items"].values())
    assert [item["video_id"] for item in items] == [done["video_id"]]
    [caption] = state["captions"].values()
    assert caption["snippet"]["language"] == "fr"


@pytest.mark.slow  # two uploads
def test_a_rerun_never_uploads_twice(
    channel_hub: Hub, sandbox: Sandbox, runner: CliRunner, tmp_path: Path
) -> None:
    clip = _clip(tmp_path)
    [first] = _upload(runner, str(clip), "--series", "reports")
    [again] = _upload(runner, str(clip), "--series", "reports")
    assert again["video_id"] == first["video_id"]
    assert again["uploaded_now"] is False
    assert len(sandbox.state.snapshot()["videos"]) == 1


def test_plan_sends_nothing_and_prices_the_calls(
    channel_hub: Hub, sandbox: Sandbox, runner: CliRunner, tmp_path: Path
) -> None:
    clip = _clip(tmp_path)
    before = len(sandbox.requests)
    [plan] = _upload(runner, str(clip), "--series", "advisory-clips", "--episode", "2", "--plan")
    assert len(sandbox.requests) == before
    methods = [call["method"] for call in plan["calls"]]
    assert methods == [
        "i18nLanguages.list", "videos.insert", "thumbnails.set", "playlists.list",
        "playlists.insert", "playlistItems.insert",
    ]  # fmt: skip  # YouTube's language keys: read once a day, not yet today
    assert plan["units"] == 1 + 50 + 1 + 50 + 50
    assert plan["send"]["snippet"]["categoryId"] == "27"


def test_invalid_metadata_is_refused_before_any_call(
    channel_hub: Hub, sandbox: Sandbox, runner: CliRunner, tmp_path: Path
) -> None:
    clip = _clip(tmp_path)
    before = len(sandbox.requests)
    result = runner.invoke(
        app, ["upload", str(clip), "--series", "reports", "-t", "fr=" + "x" * 99]
    )
    assert result.exit_code == 1
    assert "snippet.title" in result.stderr
    assert len(sandbox.requests) == before


def _service(hub: Hub) -> Any:
    from media_hub.platforms.youtube.auth import load_credentials
    from media_hub.platforms.youtube.client import youtube_service

    return youtube_service(hub.settings, load_credentials(hub.settings))


def _asset(hub: Hub) -> int:
    from media_hub.catalog.assets import NewAsset
    from media_hub.catalog.vocabulary import AssetKind

    added = hub.catalog.add(NewAsset(kind=AssetKind.VIDEO, titles={"fr": "Essai"}))
    return int(added["id"])


RESOURCE = {
    "snippet": {"title": "Essai", "categoryId": "27"},
    "status": {"privacyStatus": "private"},
}
CHUNK = 256 * 1024


@pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    "faults",
    [
        ["503,method=PUT,path=/upload/,count=2"],
        ["503,method=POST,path=/upload/,count=2"],  # the request that opens the session
        ["drop,method=POST,path=/upload/,count=2"],
        ["drop,method=PUT,path=/upload/,count=1"],
        ["partial,method=PUT,path=/upload/,fraction=0.5,count=3"],
        ["503,method=PUT,path=/upload/", "drop,method=PUT,path=/upload/", "partial,method=PUT"],
    ],
)
def test_uploads_finish_through_faults_resending_at_most_a_chunk_each(
    channel_hub: Hub, sandbox: Sandbox, tmp_path: Path, faults: list[str]
) -> None:
    from media_hub.platforms.youtube.uploader import upload_video

    media = tmp_path / "master.mp4"
    media.write_bytes(random.Random(3).randbytes(10 * CHUNK + 1234))
    for spec in faults:
        sandbox.faults.add_spec(spec)
    outcome = upload_video(
        channel_hub.db, _service(channel_hub), _asset(channel_hub), media,
        RESOURCE, chunk_bytes=CHUNK,
    )  # fmt: skip
    videos = sandbox.state.snapshot()["videos"]
    assert list(videos) == [outcome.video_id]  # one video, however often the start failed
    video = videos[outcome.video_id]
    assert video["media"]["sha256"] == hashlib.sha256(media.read_bytes()).hexdigest()
    sent = sum(_sent_bytes(r) for r in sandbox.requests if r.method == "PUT")
    occurrences = sum(_count(spec) for spec in faults)
    assert sent <= media.stat().st_size + occurrences * CHUNK


def _count(spec: str) -> int:
    options = dict(part.split("=") for part in spec.split(",")[1:])
    return int(options.get("count", "1"))


def _sent_bytes(served: Any) -> int:
    content_range = getattr(served, "content_range", None) or ""
    if not content_range.startswith("bytes ") or "*" in content_range.split("/")[0]:
        return 0
    first, last = content_range.removeprefix("bytes ").split("/")[0].split("-")
    return int(last) - int(first) + 1


@pytest.mark.slow  # a batch of uploads, twice
@pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)
def test_quota_exhaustion_stops_the_batch_and_a_rerun_after_the_reset_finishes(
    channel_hub: Hub, sandbox: Sandbox, runner: CliRunner, tmp_path: Path
) -> None:
    first, second = _clip(tmp_path, "a.mp4"), tmp_path / "b.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(first), "-t", "3", "-c", "copy", str(second)],
        check=True,
    )  # fmt: skip
    [done] = _upload(runner, str(first), "--series", "reports")
    sandbox.faults.exhaust_quota()
    stopped = runner.invoke(app, ["upload", str(second), "--series", "reports"])
    assert stopped.exit_code == 1
    assert "quotaExceeded" in stopped.stderr
    assert "Pacific time" in stopped.stderr
    assert f"not done yet: {second}" in stopped.stderr
    assert "Traceback" not in stopped.stderr
    sandbox.advance_days(1)
    [finished] = _upload(runner, str(first), str(second), "--series", "reports")[1:]
    assert finished["uploaded_now"] is True
    assert len(sandbox.state.snapshot()["videos"]) == 2
    assert done["video_id"] in sandbox.state.snapshot()["videos"]


def test_an_unreachable_channel_is_one_clear_line(
    channel_hub: Hub, sandbox: Sandbox, runner: CliRunner, tmp_path: Path
) -> None:
    clip = _clip(tmp_path)
    sandbox.stop()  # nothing listens there any more
    result = runner.invoke(app, ["upload", str(clip), "--series", "reports"])
    assert result.exit_code == 1, result.output
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("error: YouTube: cannot reach https://127.0.0.1:")
    assert channel_hub.catalog.find(AssetQuery())[0]["status"] == "draft"  # nothing half-done


@pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    "path",
    ["/youtube/v3/playlistItems", "/youtube/v3/playlists", "/upload/youtube/v3/captions"],
    ids=["item", "playlist", "caption"],
)
def test_an_insert_whose_answer_is_lost_is_looked_for_not_sent_again(
    channel_hub: Hub, sandbox: Sandbox, runner: CliRunner, tmp_path: Path, path: str
) -> None:
    """The insert is made, its answer never arrives: googleapiclient's own retry would send
    the POST again and put the video in the playlist twice (or make a second playlist)."""
    sandbox.faults.add("lost", method="POST", path=path)
    shutil.copyfile(DATA / "mediaelement.srt", tmp_path / "conseils.fr.srt")
    [done] = _upload(
        runner, str(_clip(tmp_path)), "--series", "advisory-clips", "--episode", "1",
        "-t", "ar=كيف تكتب سيرتك الذاتية", "-t", "fr=Rédiger son CV",
    )  # fmt: skip
    state = sandbox.state.snapshot()
    assert [item["video_id"] for item in state["playlist_items"].values()] == [done["video_id"]]
    assert len(state["playlists"]) == 1
    assert [c["snippet"]["language"] for c in state["captions"].values()] == ["fr"]
    assert not sandbox.faults.pending()  # the fault was met

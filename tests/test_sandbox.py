"""The sandbox through the real google-api-python-client and google-auth, over TLS.

Uploads, resume and faults are in `test_sandbox_uploads.py`; OAuth and the server's own
endpoints in `test_sandbox_server.py`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from googleapiclient.errors import HttpError
from googleapiclient.http import MediaFileUpload

from media_hub.sandbox import oauth
from media_hub.sandbox.server import Sandbox
from tests.sandbox_client import (
    VIDEO,
    analytics,
    credentials,
    generated_file,
    reason,
    upload,
    youtube,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[Sandbox]:
    with Sandbox(tmp_path / "channel.json", read_timeout=2.0) as running:
        yield running


@pytest.fixture
def client(sandbox: Sandbox) -> Any:
    return youtube(sandbox)


def used(sandbox: Sandbox, bucket: str = "default") -> int:
    return int(
        sandbox.state.snapshot()["quota"].get(sandbox.state.today().isoformat(), {}).get(bucket, 0)
    )


def snippet(**changes: Any) -> dict[str, Any]:
    return {"snippet": {**VIDEO["snippet"], **changes}, "status": {"privacyStatus": "private"}}


LATER = (dt.datetime.now(dt.UTC) + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M:%SZ")
INVALID = {
    "title too long": (snippet(title="x" * 101), "invalidTitle"),
    "title with <": (snippet(title="a <b> title"), "invalidTitle"),
    "description over 5000 bytes": (snippet(description="é" * 2501), "invalidDescription"),
    "description with >": (snippet(description="1 > 0"), "invalidDescription"),
    "tags over 500": (snippet(tags=["two words"] * 46), "invalidTags"),
    "category not assignable": (snippet(categoryId="18"), "invalidCategoryId"),
    "publishAt on a public video": (
        {**snippet(), "status": {"privacyStatus": "public", "publishAt": LATER}},
        "invalidPublishAt",
    ),
    "publishAt in the past": (
        {**snippet(), "status": {"privacyStatus": "private", "publishAt": "2020-01-01T00:00:00Z"}},
        "invalidPublishAt",
    ),
    "localizations without a default language": (
        {**snippet(), "localizations": {"en": {"title": "CV"}}},
        "defaultLanguageNotSet",
    ),
}


@pytest.mark.parametrize(("body", "expected"), INVALID.values(), ids=INVALID.keys())
def test_videos_insert_refuses_bad_metadata_with_youtubes_reason(
    sandbox: Sandbox, client: Any, tmp_path: Path, body: dict[str, Any], expected: str
) -> None:
    request = client.videos().insert(
        part=",".join(body),
        body=body,
        media_body=MediaFileUpload(str(generated_file(tmp_path, 1000)), resumable=True),
    )
    with pytest.raises(HttpError) as caught:
        request.next_chunk()
    assert reason(caught.value) == (400, "youtube.video", expected)
    assert sandbox.state.data["videos"] == {}


@pytest.mark.parametrize(("last_tag", "accepted"), [("x" * 8, True), ("x" * 9, False)])
def test_tags_are_counted_as_youtube_counts_them(
    client: Any, tmp_path: Path, last_tag: str, accepted: bool
) -> None:
    tags = ["two words"] * 41 + [last_tag]  # 41 * (9 + 2 quotes) + 8 + 41 commas = 500
    if accepted:
        assert upload(client, tmp_path, **snippet(tags=tags))
        return
    with pytest.raises(HttpError) as caught:
        upload(client, tmp_path, **snippet(tags=tags))
    assert reason(caught.value)[2] == "invalidTags"


def test_videos_update_replaces_each_part_sent(
    sandbox: Sandbox, client: Any, tmp_path: Path
) -> None:
    video_id = upload(client, tmp_path)
    before = used(sandbox)
    updated = (
        client.videos()
        .update(
            part="snippet", body={"id": video_id, "snippet": {"title": "New", "categoryId": "27"}}
        )
        .execute()
    )
    assert used(sandbox) == before + 50
    assert "description" not in updated["snippet"]  # not sent, so cleared
    assert "tags" not in updated["snippet"]
    listed = client.videos().list(part="snippet,status", id=video_id).execute()["items"][0]
    assert listed["snippet"]["title"] == "New"
    assert listed["status"]["privacyStatus"] == "private"  # the status part was not sent
    with pytest.raises(HttpError) as caught:
        client.videos().update(
            part="snippet", body={"id": video_id, "snippet": {"title": "T"}}
        ).execute()
    assert reason(caught.value) == (400, "youtube.video", "invalidVideoMetadata")
    assert used(sandbox) == before + 50 + 1 + 1  # the refused update costs 1, as any request
    with pytest.raises(HttpError) as missing:
        client.videos().update(part="status", body={"id": "nope", "status": {}}).execute()
    assert reason(missing.value)[2] == "videoNotFound"


def test_scheduled_video_goes_public_on_its_day(
    sandbox: Sandbox, client: Any, tmp_path: Path
) -> None:
    status = {"privacyStatus": "private", "publishAt": LATER}
    video_id = upload(client, tmp_path, status=status)
    read = client.videos().list(part="status", id=video_id).execute()["items"][0]["status"]
    assert (read["privacyStatus"], read["publishAt"]) == ("private", LATER)
    sandbox.advance_days(4)
    read = client.videos().list(part="status", id=video_id).execute()["items"][0]["status"]
    assert read["privacyStatus"] == "public"
    assert "publishAt" not in read


def test_quota_exceeded_is_403_youtube_quota_and_never_retried(
    sandbox: Sandbox, client: Any
) -> None:
    sandbox.faults.exhaust_quota()
    with pytest.raises(HttpError) as caught:
        client.playlists().list(part="id", mine=True).execute(num_retries=3)
    assert reason(caught.value) == (403, "youtube.quota", "quotaExceeded")
    assert [r.path for r in sandbox.requests].count("/youtube/v3/playlists") == 1
    sandbox.advance_days(1)
    assert client.playlists().list(part="id", mine=True).execute()["items"] == []


@pytest.mark.parametrize(
    "last_second_utc",
    [
        dt.datetime(2026, 1, 15, 7, 59, 30, tzinfo=dt.UTC),
        dt.datetime(2026, 7, 1, 6, 59, 30, tzinfo=dt.UTC),
    ],
    ids=["winter PST", "summer PDT"],
)
def test_quota_returns_at_midnight_in_los_angeles(
    tmp_path: Path, last_second_utc: dt.datetime
) -> None:
    now = [last_second_utc]  # 23:59:30 in Los Angeles
    with Sandbox(tmp_path / "channel.json", clock=lambda: now[0], limits={"default": 3}) as sandbox:
        client = youtube(sandbox)
        for _ in range(3):
            client.channels().list(part="id", mine=True).execute()
        with pytest.raises(HttpError) as caught:
            client.channels().list(part="id", mine=True).execute()
        assert reason(caught.value)[2] == "quotaExceeded"
        now[0] += dt.timedelta(seconds=29)
        with pytest.raises(HttpError):
            client.channels().list(part="id", mine=True).execute()
        now[0] += dt.timedelta(seconds=2)  # 00:00:01: a new quota day
        assert client.channels().list(part="id", mine=True).execute()["items"]


def test_thumbnail_set_retries_through_early_video_not_found(tmp_path: Path) -> None:
    with Sandbox(tmp_path / "channel.json", thumbnail_not_found_calls=2) as sandbox:
        client = youtube(sandbox)
        video_id = upload(client, tmp_path)
        image = tmp_path / "thumb.png"
        image.write_bytes(PNG)
        answers = []
        for _ in range(3):
            try:
                response = (
                    client.thumbnails()
                    .set(
                        videoId=video_id,
                        media_body=MediaFileUpload(str(image), mimetype="image/png"),
                    )
                    .execute()
                )
                answers.append(200)
            except HttpError as error:
                answers.append(reason(error)[0])
        assert answers == [404, 404, 200]
        assert response["items"][0]["default"]["width"] == 120
        assert sandbox.state.data["thumbnails"][video_id]["mimetype"] == "image/png"
        assert sandbox.requests[-1].path == "/upload/youtube/v3/thumbnails/set"
        image.write_bytes(b"GIF89a not allowed")
        with pytest.raises(HttpError) as caught:
            client.thumbnails().set(
                videoId=video_id, media_body=MediaFileUpload(str(image), mimetype="image/png")
            ).execute()
        assert reason(caught.value)[2] == "invalidImage"
        sandbox.state.configure(verified=False)
        with pytest.raises(HttpError) as refused:
            client.thumbnails().set(
                videoId=video_id, media_body=MediaFileUpload(str(image), mimetype="image/png")
            ).execute()
        assert reason(refused.value)[:2] == (403, "youtube.thumbnail")


def test_captions_insert_costs_400_and_needs_force_ssl(
    sandbox: Sandbox, client: Any, tmp_path: Path
) -> None:
    video_id = upload(client, tmp_path)
    track = tmp_path / "ar.vtt"
    track.write_text("WEBVTT\n\n00:00.000 --> 00:02.000\nمرحبا\n", encoding="utf-8")
    body = {"snippet": {"videoId": video_id, "language": "ar", "name": "العربية"}}
    before = used(sandbox)
    caption = (
        client.captions()
        .insert(
            part="snippet", body=body, media_body=MediaFileUpload(str(track), mimetype="text/vtt")
        )
        .execute()
    )
    assert used(sandbox) == before + 400
    assert caption["snippet"]["language"] == "ar"
    stored = sandbox.state.media_path("captions", caption["id"]).read_bytes()
    assert stored == track.read_bytes()  # the multipart body was split exactly
    details = client.videos().list(part="contentDetails", id=video_id).execute()["items"][0]
    assert details["contentDetails"]["caption"] == "true"
    upload_only = youtube(sandbox, credentials(sandbox, [oauth.UPLOAD]))
    with pytest.raises(HttpError) as caught:
        upload_only.captions().insert(
            part="snippet", body=body, media_body=MediaFileUpload(str(track), mimetype="text/vtt")
        ).execute()
    assert reason(caught.value) == (403, "global", "insufficientPermissions")


def test_an_expired_token_is_refreshed_once(sandbox: Sandbox, client: Any) -> None:
    client.channels().list(part="id", mine=True).execute()
    sandbox.faults.expire_tokens()
    assert client.channels().list(part="id", mine=True).execute()["items"]
    served = [(r.path, r.status) for r in sandbox.requests]
    assert served == [
        ("/token", 200),
        ("/youtube/v3/channels", 200),
        ("/youtube/v3/channels", 401),
        ("/token", 200),
        ("/youtube/v3/channels", 200),
    ]


def test_statistics_grow_and_reports_add_up_to_them(
    sandbox: Sandbox, client: Any, tmp_path: Path
) -> None:
    video_id = upload(client, tmp_path)
    playlist_id = (
        client.playlists().insert(part="snippet", body={"snippet": {"title": "P"}}).execute()["id"]
    )
    item = {"playlistId": playlist_id, "resourceId": {"kind": "youtube#video", "videoId": video_id}}
    client.playlistItems().insert(part="snippet", body={"snippet": item}).execute()
    first_day = sandbox.state.today()

    def statistics() -> dict[str, int]:
        stats = (
            client.videos().list(part="statistics", id=video_id).execute()["items"][0]["statistics"]
        )
        return {key: int(value) for key, value in stats.items()}

    assert statistics()["viewCount"] == 0
    sandbox.advance_days(5)
    at_five = statistics()
    sandbox.advance_days(5)
    at_ten = statistics()
    assert (
        at_ten["viewCount"] > at_five["viewCount"] > at_five["likeCount"] > at_five["commentCount"]
    )
    assert at_ten["likeCount"] >= at_five["likeCount"]
    assert at_ten["commentCount"] >= at_five["commentCount"]
    today = sandbox.state.today().isoformat()
    report = analytics(sandbox).reports().query(
        ids="channel==MINE", startDate=first_day.isoformat(), endDate=today,
        metrics="views,likes,estimatedMinutesWatched", dimensions="day",
        filters=f"video=={video_id}",
    ).execute()  # fmt: skip
    assert [h["name"] for h in report["columnHeaders"]] == [
        "day",
        "views",
        "likes",
        "estimatedMinutesWatched",
    ]
    assert len(report["rows"]) == 10  # the days that have ended
    assert sum(row[1] for row in report["rows"]) == at_ten["viewCount"]
    assert sum(row[2] for row in report["rows"]) == at_ten["likeCount"]
    playlist = analytics(sandbox).reports().query(
        ids="channel==MINE", startDate=first_day.isoformat(), endDate=today,
        metrics="views,playlistViews,playlistStarts,averageTimeInPlaylist",
        filters=f"playlist=={playlist_id}",
    ).execute()["rows"]  # fmt: skip
    views, playlist_views, starts, average = playlist[0]
    assert views == at_ten["viewCount"] > playlist_views > starts > 0
    assert average > 0
    channel = client.channels().list(part="statistics", mine=True).execute()["items"][0]
    assert int(channel["statistics"]["viewCount"]) == at_ten["viewCount"]


def test_the_channel_survives_a_restart(tmp_path: Path) -> None:
    state_file = tmp_path / "channel.json"
    with Sandbox(state_file) as sandbox:
        video_id = upload(youtube(sandbox), tmp_path)
        sandbox.advance_days(3)
        before = (
            youtube(sandbox)
            .videos()
            .list(part="snippet,statistics", id=video_id)
            .execute()["items"][0]
        )
    with Sandbox(state_file) as again:
        after = (
            youtube(again)
            .videos()
            .list(part="snippet,statistics", id=video_id)
            .execute()["items"][0]
        )
    assert after["statistics"] == before["statistics"]
    assert after["snippet"]["title"] == before["snippet"]["title"]
    assert int(after["statistics"]["viewCount"]) > 0

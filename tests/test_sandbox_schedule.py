"""The sandbox's scheduled videos: private everywhere (the video and its playlist items)
until its clock passes publishAt, public after; a publishAt in the past or on a video that is
not private refused with YouTube's reason, on insert and on update (issue 19, point 5)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from googleapiclient.errors import HttpError

from media_hub.sandbox.server import Sandbox
from media_hub.sandbox.state import rfc3339
from tests.sandbox_client import reason, upload, youtube


@pytest.fixture
def client(sandbox: Sandbox) -> Any:
    return youtube(sandbox)


def test_a_scheduled_video_and_its_playlist_item_turn_public_with_the_clock(
    sandbox: Sandbox, client: Any, tmp_path: Path
) -> None:
    later = rfc3339(sandbox.state.now() + dt.timedelta(hours=30))
    video_id = upload(client, tmp_path, status={"privacyStatus": "private", "publishAt": later})
    playlist = (
        client.playlists()
        .insert(part="snippet,status", body={"snippet": {"title": "Clips"}, "status": {}})
        .execute()
    )
    client.playlistItems().insert(
        part="snippet",
        body={"snippet": {"playlistId": playlist["id"],
                          "resourceId": {"kind": "youtube#video", "videoId": video_id}}},
    ).execute()  # fmt: skip

    def privacy() -> tuple[str, str]:
        [video] = client.videos().list(part="status", id=video_id).execute()["items"]
        [item] = (
            client.playlistItems().list(part="status", playlistId=playlist["id"]).execute()["items"]
        )
        return video["status"]["privacyStatus"], item["status"]["privacyStatus"]

    assert privacy() == ("private", "private")
    sandbox.advance_days(1)
    assert privacy() == ("private", "private")  # 24 of the 30 hours
    sandbox.advance_days(1)
    assert privacy() == ("public", "public")


@pytest.mark.parametrize(
    ("status", "problem"),
    [
        ({"privacyStatus": "private", "publishAt": "2020-01-01T10:00:00Z"}, "in the past"),
        ({"privacyStatus": "unlisted", "publishAt": "2099-01-01T10:00:00Z"}, "needs privacy"),
    ],
)
def test_an_update_to_a_past_or_not_private_schedule_is_refused(
    client: Any, tmp_path: Path, status: dict[str, str], problem: str
) -> None:
    video_id = upload(client, tmp_path, status={"privacyStatus": "private"})
    with pytest.raises(HttpError) as refused:
        client.videos().update(part="status", body={"id": video_id, "status": status}).execute()
    assert reason(refused.value) == (400, "youtube.video", "invalidPublishAt")
    assert problem.split()[-1] in refused.value.content.decode()
    [video] = client.videos().list(part="status", id=video_id).execute()["items"]
    assert "publishAt" not in video["status"]

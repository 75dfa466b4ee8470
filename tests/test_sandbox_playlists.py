"""Playlists and playlist items through the real client: paging, positions, manual sorting."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from googleapiclient.errors import HttpError

from media_hub.sandbox.server import Sandbox
from tests.sandbox_client import reason, upload, youtube


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[Sandbox]:
    with Sandbox(tmp_path / "channel.json", read_timeout=2.0) as running:
        yield running


@pytest.fixture
def client(sandbox: Sandbox) -> Any:
    return youtube(sandbox)


def test_playlists_and_items_page_by_50_in_position_order(
    sandbox: Sandbox, client: Any, tmp_path: Path
) -> None:
    videos = [upload(client, tmp_path, seed=seed, size=1000) for seed in range(3)]
    playlist_ids = [
        client.playlists()
        .insert(part="snippet,status", body={"snippet": {"title": f"P{n}"}})
        .execute()["id"]
        for n in range(3)
    ]
    first = client.playlists().list(part="snippet", mine=True, maxResults=2).execute()
    second = (
        client.playlists()
        .list(part="snippet", mine=True, maxResults=2, pageToken=first["nextPageToken"])
        .execute()
    )
    assert [p["id"] for p in first["items"] + second["items"]] == playlist_ids
    assert "nextPageToken" not in second
    assert first["pageInfo"]["totalResults"] == 3
    target = playlist_ids[0]
    for n in range(101):
        item = {
            "playlistId": target,
            "resourceId": {"kind": "youtube#video", "videoId": videos[n % 3]},
        }
        client.playlistItems().insert(part="snippet", body={"snippet": item}).execute()
    first_item = (
        client.playlistItems()
        .insert(
            part="snippet",
            body={
                "snippet": {
                    **item,
                    "position": 0,
                    "resourceId": {"kind": "youtube#video", "videoId": videos[2]},
                }
            },
        )
        .execute()
    )
    pages, token = [], None
    while True:
        page = (
            client.playlistItems()
            .list(part="snippet", playlistId=target, maxResults=50, pageToken=token)
            .execute()
        )
        pages.append(page["items"])
        token = page.get("nextPageToken")
        if token is None:
            break
    assert [len(items) for items in pages] == [50, 50, 2]
    flat = [item for items in pages for item in items]
    assert [item["snippet"]["position"] for item in flat] == list(range(102))
    assert flat[0]["id"] == first_item["id"]  # inserted at position 0
    assert flat[1]["snippet"]["resourceId"]["videoId"] == videos[0]
    client.playlistItems().delete(id=flat[0]["id"]).execute()
    after = client.playlistItems().list(part="snippet", playlistId=target, maxResults=1).execute()
    assert after["items"][0]["id"] == flat[1]["id"]
    assert after["items"][0]["snippet"]["position"] == 0  # the others moved up
    with pytest.raises(HttpError) as bad_size:
        client.playlistItems().list(part="id", playlistId=target, maxResults=51).execute()
    assert bad_size.value.resp.status == 400


def test_a_position_needs_a_hand_sorted_playlist(
    sandbox: Sandbox, client: Any, tmp_path: Path
) -> None:
    video_id = upload(client, tmp_path)
    playlist_id = (
        client.playlists()
        .insert(part="snippet", body={"snippet": {"title": "Sorted by date"}})
        .execute()["id"]
    )
    sandbox.set_manual_sort(playlist_id, manual=False)
    item = {"playlistId": playlist_id, "resourceId": {"kind": "youtube#video", "videoId": video_id}}
    with pytest.raises(HttpError) as caught:
        client.playlistItems().insert(
            part="snippet", body={"snippet": {**item, "position": 0}}
        ).execute()
    assert reason(caught.value) == (400, "youtube.playlistItem", "manualSortRequired")
    assert client.playlistItems().insert(part="snippet", body={"snippet": item}).execute()["id"]
    with pytest.raises(HttpError) as unknown:
        client.playlistItems().insert(
            part="snippet", body={"snippet": {**item, "playlistId": "PLnope"}}
        ).execute()
    assert reason(unknown.value) == (404, "youtube.playlist", "playlistNotFound")


def test_the_uploads_playlist_lists_every_upload(client: Any, tmp_path: Path) -> None:
    videos = [upload(client, tmp_path, seed=seed, size=1000) for seed in range(3)]
    channel = client.channels().list(part="contentDetails,snippet", mine=True).execute()["items"][0]
    uploads = channel["contentDetails"]["relatedPlaylists"]["uploads"]
    listed = (
        client.playlistItems()
        .list(part="contentDetails", playlistId=uploads, maxResults=50)
        .execute()
    )
    assert sorted(item["contentDetails"]["videoId"] for item in listed["items"]) == sorted(videos)

"""Helpers of the statistics tests (no tests here): a sandbox channel and SlideShare account
with published videos and decks, the catalog records that point at them, and independent
readings of the platforms' counts through their real clients."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from media_hub.catalog.assets import NewAsset, add_asset
from media_hub.catalog.models import Playlist
from media_hub.catalog.pipeline_models import Publication
from media_hub.catalog.vocabulary import AssetKind, AssetStatus
from media_hub.hub import Hub
from media_hub.platforms.slideshare.client import SlideShareClient
from media_hub.platforms.slideshare.credentials import SlideShareCredentials, save_credentials
from media_hub.platforms.slideshare.stats import SlideShareStatsReader, slideshare_stats_source
from media_hub.platforms.youtube.stats import YouTubeStatsReader, youtube_stats_source
from media_hub.sandbox.server import Sandbox
from media_hub.sandbox.state import rfc3339
from media_hub.settings import load_settings
from media_hub.stats.pull import PullResult, pull_stats
from tests.sandbox_client import youtube

# (catalog playlist, its series, its topic, videos only in it)
VIDEO_PLAYLISTS: list[tuple[str, str, str, int]] = [
    ("reports", "reports", "labour-market", 60),
    ("events", "events", "job-fair", 20),
    ("advisory-cv", "advisory-clips", "cv", 15),
]
SHARED = 5  # videos of "reports" that are in "events" as well
LOOSE = 10  # published videos in no playlist
# (catalog deck playlist, the series that puts decks in it, decks)
DECK_PLAYLISTS: list[tuple[str, str, int]] = [("cv-flyers", "cv-flyers", 4)]
LOOSE_DECKS = 2


@dataclass
class Channel:
    """What was published: video and deck ids by catalog playlist slug, and asset ids."""

    videos: dict[str, list[str]] = field(default_factory=dict)
    all_videos: list[str] = field(default_factory=list)
    youtube_playlists: dict[str, str] = field(default_factory=dict)  # slug -> YouTube id
    decks: dict[str, list[str]] = field(default_factory=dict)
    all_decks: list[str] = field(default_factory=list)
    assets: dict[str, int] = field(default_factory=dict)  # remote id -> asset id

    @property
    def playlist_pages(self) -> int:
        return sum(math.ceil(len(ids) / 50) or 1 for ids in self.videos.values())


def publish_videos(hub: Hub, sandbox: Sandbox) -> Channel:
    """Videos in three playlists (made through the real client), stored straight into the
    sandbox's state (no upload: fast), and their catalog assets and publications."""
    channel = Channel()
    client = youtube(sandbox)
    names = _names(hub)
    for slug, _, _, _ in VIDEO_PLAYLISTS:
        body = {"snippet": {"title": names[slug]}, "status": {"privacyStatus": "public"}}
        created = client.playlists().insert(part="snippet,status", body=body).execute()
        channel.youtube_playlists[slug] = str(created["id"])
    layout: list[tuple[str, str | None, str | None, list[str]]] = []  # title, series, topic, in
    for slug, series, topic, count in VIDEO_PLAYLISTS:
        layout += [(f"{names[slug]} {n}", series, topic, [slug]) for n in range(count)]
    for n in range(SHARED):
        layout[n][3].append("events")
    layout += [(f"Message du directeur {n}", None, None, []) for n in range(LOOSE)]
    video_ids = [sandbox.state.new_id("video") for _ in layout]
    now = sandbox.state.now()
    with sandbox.state.change() as data:
        for video_id, (title, _, _, playlists) in zip(video_ids, layout, strict=True):
            data["videos"][video_id] = _video(video_id, title, now, sandbox)
            for slug in playlists:
                item_id = sandbox.state.new_id("playlistItem")
                playlist_id = channel.youtube_playlists[slug]
                data["playlist_items"][item_id] = {
                    "id": item_id, "playlist_id": playlist_id, "video_id": video_id,
                    "published_at": rfc3339(now),
                }  # fmt: skip
                data["playlists"][playlist_id]["items"].append(item_id)
                channel.videos.setdefault(slug, []).append(video_id)
    channel.all_videos = video_ids
    with hub.db.session() as session:
        for slug, youtube_id in channel.youtube_playlists.items():
            session.scalars(select(Playlist).where(Playlist.slug == slug)).one().set_remote_id(
                "youtube", youtube_id
            )
        for video_id, (video_title, in_series, topic_slug, _) in zip(
            video_ids, layout, strict=True
        ):
            asset = add_asset(
                session,
                NewAsset(kind=AssetKind.VIDEO, titles={"fr": video_title}, series=in_series,
                         topics=[topic_slug] if topic_slug else []),
            )  # fmt: skip
            asset.status = AssetStatus.PUBLISHED
            session.add(
                Publication(asset_id=asset.id, platform="youtube", remote_id=video_id,
                            state="done", published_at=now)
            )  # fmt: skip
            channel.assets[video_id] = asset.id
    return channel


def _names(hub: Hub) -> dict[str, str]:
    with hub.db.session() as session:
        return {p.slug: p.names["fr"] for p in session.scalars(select(Playlist))}


def _video(video_id: str, title: str, now: datetime, sandbox: Sandbox) -> dict[str, Any]:
    """A stored video in the shape the sandbox keeps after an upload."""
    return {
        "id": video_id, "snippet": {"title": title, "description": "", "categoryId": "27"},
        "status": {"privacyStatus": "public"}, "localizations": {}, "recordingDetails": {},
        "media": {"sha256": "0" * 64, "size": 1000, "mimetype": "video/mp4"},
        "published_at": rfc3339(now), "first_day": sandbox.state.today().isoformat(),
        "processing_polls_left": 0, "thumbnail_404s_left": 0, "caption": False,
    }  # fmt: skip


def publish_decks(hub: Hub, sandbox: Sandbox, channel: Channel) -> Channel:
    """Converted slideshows stored straight into the sandbox's account, their catalog decks
    (in media-hub's own deck playlists) and publications."""
    layout: list[tuple[str, str | None, str | None]] = []
    for deck_playlist, series, count in DECK_PLAYLISTS:
        layout += [(f"Flyer CV {n}", series, deck_playlist) for n in range(count)]
    layout += [(f"Guide {n}", None, None) for n in range(LOOSE_DECKS)]
    now = rfc3339(sandbox.state.now())
    with sandbox.state.change() as data:
        section = data["slideshare"]
        for name, _, slug in layout:
            number = int(section["next_id"])
            section["next_id"] = number + 1
            section["slideshows"][str(number)] = {
                "id": number, "title": name, "description": "", "tags": [], "format": "pdf",
                "file": f"{number}.pdf", "created": now, "updated": now, "private": False,
                "secret_url": False, "allow_embeds": True, "share_with_contacts": False,
                "download": True, "reads": 2, "queued_reads": 0, "converting_reads": 0,
                "final_status": 2, "num_slides": 3,
                "converted_day": sandbox.state.today().isoformat(),
            }  # fmt: skip
            channel.all_decks.append(str(number))
            if slug:
                channel.decks.setdefault(slug, []).append(str(number))
    with hub.db.session() as session:
        for deck_id, (deck_title, deck_series, _) in zip(channel.all_decks, layout, strict=True):
            asset = add_asset(  # the series puts the deck in its playlist
                session,
                NewAsset(kind=AssetKind.DECK, titles={"fr": deck_title}, series=deck_series,
                         topics=["cv"] if deck_series else []),
            )  # fmt: skip
            asset.status = AssetStatus.PUBLISHED
            session.add(
                Publication(asset_id=asset.id, platform="slideshare", remote_id=deck_id,
                            state="done")
            )  # fmt: skip
            channel.assets[deck_id] = asset.id
    return channel


def slideshare_hub(
    hub: Hub, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, folder: Path
) -> Hub:
    """The hub with SlideShare pointed at the sandbox's account."""
    monkeypatch.setenv("MEDIA_HUB_SLIDESHARE_API_BASE", sandbox.slideshare_api_base)
    monkeypatch.setenv("MEDIA_HUB_SLIDESHARE_CA_BUNDLE", str(sandbox.ca_cert))
    path = folder / "secrets" / "slideshare.json"
    monkeypatch.setenv("MEDIA_HUB_SLIDESHARE_CREDENTIALS_FILE", str(path))
    save_credentials(path, SlideShareCredentials(**sandbox.slideshare_account))
    return Hub(load_settings(hub.settings.home))


def pull(hub: Hub, sandbox: Sandbox, **kwargs: Any) -> PullResult:
    """A pull through the real clients, dated by the sandbox's (simulated) clock."""
    catalog = hub.db
    factories: dict[str, Callable[[], Any] | None] = {
        "youtube": lambda: YouTubeStatsReader(youtube_stats_source(hub.settings, catalog)),
        "slideshare": lambda: SlideShareStatsReader(slideshare_stats_source(hub.settings)),
    }
    factories.update(kwargs)
    return pull_stats(catalog, factories, now=sandbox.state.now())


def video_counts(sandbox: Sandbox, video_ids: list[str]) -> dict[str, dict[str, int]]:
    """Each video's statistics, read through the API independently of media-hub."""
    client = youtube(sandbox)
    counts: dict[str, dict[str, int]] = {}
    for start in range(0, len(video_ids), 50):
        page = client.videos().list(part="statistics", id=",".join(video_ids[start : start + 50]))
        for item in page.execute()["items"]:
            counts[item["id"]] = {key: int(value) for key, value in item["statistics"].items()}
    return counts


def playlist_members(sandbox: Sandbox, playlist_id: str) -> list[str]:
    """A playlist's videos, read through the API."""
    client = youtube(sandbox)
    members: list[str] = []
    request = client.playlistItems().list(part="snippet", playlistId=playlist_id, maxResults=50)
    while request is not None:
        page = request.execute()
        members += [item["snippet"]["resourceId"]["videoId"] for item in page["items"]]
        request = client.playlistItems().list_next(request, page)
    return members


def deck_counts(sandbox: Sandbox) -> dict[str, dict[str, int]]:
    """Each slideshow's counts, read through the SlideShare client on its own."""
    client = SlideShareClient(
        sandbox.slideshare_api_base,
        SlideShareCredentials(**sandbox.slideshare_account),
        ca_bundle=sandbox.ca_cert,
    )
    try:
        return {
            s.id: {"views": s.num_views, "downloads": s.num_downloads,
                   "favorites": s.num_favorites, "comments": s.num_comments}
            for s in client.slideshows(detailed=True)
        }  # fmt: skip
    finally:
        client.close()


def list_calls(sandbox: Sandbox, since: int) -> dict[str, int]:
    """Data API list calls the sandbox served after request number `since`, by path."""
    served = sandbox.requests[since:]
    paths = ("/youtube/v3/videos", "/youtube/v3/playlistItems", "/youtube/v3/playlists")
    return {path: sum(1 for r in served if r.method == "GET" and r.path == path) for path in paths}


def ledger_day(sandbox: Sandbox) -> dict[str, int]:
    """The sandbox's own quota ledger for its today: units by method."""
    used: dict[str, int] = sandbox.state.snapshot()["quota"].get(
        sandbox.state.today().isoformat(), {}
    )
    return used


def later(moment: datetime, days: int) -> datetime:
    return (moment + timedelta(days=days)).astimezone(UTC)

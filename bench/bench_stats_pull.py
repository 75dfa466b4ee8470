"""`stats pull` over 10,000 videos in 100 playlists: 200 videos.list calls and 2 playlistItems
pages a playlist, one Analytics query a playlist, one snapshot. Prints the time, the calls and
the units, against the same list calls made bare through the google client (no ledger, no
catalog). Not a test.

    .venv/bin/python bench/bench_stats_pull.py [--videos 10000] [--playlists 100]
"""

from __future__ import annotations

import argparse
import math
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from sandbox_hub import sandbox_hub
from sqlalchemy import func, insert, select

from media_hub.catalog.models import Asset, AssetText, Playlist, PlaylistItem, PlaylistRemoteId
from media_hub.catalog.pipeline_models import Publication, StatsRow
from media_hub.catalog.text import search_document
from media_hub.catalog.types import utcnow
from media_hub.catalog.vocabulary import AssetKind, AssetStatus
from media_hub.hub import Hub
from media_hub.platforms.youtube.auth import load_credentials
from media_hub.platforms.youtube.client import youtube_service
from media_hub.platforms.youtube.stats import YouTubeStatsReader, youtube_stats_source
from media_hub.sandbox.server import Sandbox
from media_hub.sandbox.state import rfc3339
from media_hub.stats.pull import pull_stats

DAYS_OUT = 7  # the videos were published a week before the pull


def fill(hub: Hub, sandbox: Sandbox, videos: int, playlists: int) -> list[str]:
    """The videos and playlists on the channel and in the catalog; the YouTube playlist ids."""
    now = utcnow()
    published = sandbox.state.now() - timedelta(days=DAYS_OUT)
    first_day = (sandbox.state.today() - timedelta(days=DAYS_OUT)).isoformat()
    video_ids = [f"bench{n:06d}" for n in range(1, videos + 1)]
    playlist_ids = [f"PLbench{n:04d}" for n in range(playlists)]
    with sandbox.state.change() as data:
        for video_id in video_ids:
            data["videos"][video_id] = {
                "id": video_id, "snippet": {"title": video_id, "categoryId": "27"},
                "status": {"privacyStatus": "public"}, "localizations": {},
                "recordingDetails": {}, "media": {"sha256": "", "size": 0, "mimetype": "video/mp4"},
                "published_at": rfc3339(published), "first_day": first_day,
                "processing_polls_left": 0, "thumbnail_404s_left": 0, "caption": False,
            }  # fmt: skip
        for number, playlist_id in enumerate(playlist_ids):
            items = []
            for video_id in video_ids[number::playlists]:
                item_id = f"{playlist_id}-{video_id}"
                data["playlist_items"][item_id] = {
                    "id": item_id, "playlist_id": playlist_id, "video_id": video_id,
                    "published_at": rfc3339(published),
                }  # fmt: skip
                items.append(item_id)
            data["playlists"][playlist_id] = {
                "id": playlist_id, "snippet": {"title": f"Playlist {number}"},
                "status": {"privacyStatus": "public"}, "localizations": {},
                "published_at": rfc3339(published), "manual_sort": True, "items": items,
            }  # fmt: skip
    with hub.db.session() as session:
        session.execute(
            insert(Asset),
            [{"id": n, "kind": AssetKind.VIDEO, "default_language": "fr",
              "status": AssetStatus.PUBLISHED, "created_at": now, "created_by": "bench",
              "updated_at": now, "updated_by": "bench", "version": 1}
             for n in range(1, videos + 1)],
        )  # fmt: skip
        session.execute(
            insert(AssetText),
            [{"asset_id": n, "lang": "fr", "title": f"Vidéo {n}", "description": "",
              "search_text": search_document(f"Vidéo {n}")} for n in range(1, videos + 1)],
        )  # fmt: skip
        session.execute(
            insert(Publication),
            [{"asset_id": n, "platform": "youtube", "state": "done", "remote_id": video_id,
              "published_at": published, "updated_at": now}
             for n, video_id in enumerate(video_ids, 1)],
        )  # fmt: skip
        first_id = 1000
        session.execute(
            insert(Playlist),
            [{"id": first_id + n, "slug": f"bench-{n}", "kind": AssetKind.VIDEO,
              "names": {"ar": f"قائمة {n}", "fr": f"Liste {n}"}, "descriptions": {},
              "privacy": "public", "order": "manual", "version": 1}
             for n in range(len(playlist_ids))],
        )  # fmt: skip
        session.execute(
            insert(PlaylistRemoteId),
            [{"playlist_id": first_id + n, "platform": "youtube", "remote_id": playlist_id}
             for n, playlist_id in enumerate(playlist_ids)],
        )  # fmt: skip
        session.execute(
            insert(PlaylistItem),
            [{"playlist_id": first_id + n % playlists, "asset_id": n + 1, "position": n}
             for n in range(videos)],
        )  # fmt: skip
    return playlist_ids


def bare(client: Any, video_ids: list[str], playlist_ids: list[str]) -> tuple[float, int]:
    """The same list calls through the google client alone: seconds, calls."""
    start = time.perf_counter()
    calls = 0
    for first in range(0, len(video_ids), 50):
        client.videos().list(
            part="statistics", id=",".join(video_ids[first : first + 50])
        ).execute()
        calls += 1
    for playlist_id in playlist_ids:
        request = client.playlistItems().list(part="snippet", playlistId=playlist_id, maxResults=50)
        while request is not None:
            page = request.execute()
            calls += 1
            request = client.playlistItems().list_next(request, page)
    return time.perf_counter() - start, calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--videos", type=int, default=10_000)
    parser.add_argument("--playlists", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        with Sandbox(work / "sandbox" / "state.json") as sandbox:
            hub = sandbox_hub(work, sandbox)
            playlist_ids = fill(hub, sandbox, args.videos, args.playlists)
            catalog = hub.db
            served = len(sandbox.requests)
            start = time.perf_counter()
            result = pull_stats(
                catalog,
                {
                    "youtube": lambda: YouTubeStatsReader(
                        youtube_stats_source(hub.settings, catalog)
                    )
                },
                now=sandbox.state.now(),
            )
            elapsed = time.perf_counter() - start
            reports = sum(1 for r in sandbox.requests[served:] if r.path == "/v2/reports")
            with catalog.session() as session:
                rows = session.scalar(
                    select(func.count()).where(StatsRow.snapshot_id == result.snapshot_id)
                )
            videos_calls = result.list_calls.get("videos.list", 0)
            pages = result.list_calls.get("playlistItems.list", 0)
            print(
                f"stats pull over {args.videos:,} videos in {args.playlists} playlists: "
                f"{elapsed:.1f} s; videos.list {videos_calls} "
                f"(ceil(N/50) = {math.ceil(args.videos / 50)}), playlistItems pages {pages}, "
                f"{result.units} quota units; {result.analytics_queries} Analytics queries "
                f"({reports} served), {result.analytics_days} playlist days; {rows:,} rows "
                "written in one transaction"
            )
            client = youtube_service(hub.settings, load_credentials(hub.settings))
            video_ids = [f"bench{n:06d}" for n in range(1, args.videos + 1)]
            bare_seconds, bare_calls = bare(client, video_ids, playlist_ids)
            print(
                f"the same {bare_calls} list calls bare through the google client: "
                f"{bare_seconds:.1f} s; pull / bare = {elapsed / bare_seconds:.2f} "
                "(the pull adds the ledger, the Analytics queries and the snapshot)"
            )
            hub.close()


if __name__ == "__main__":
    main()

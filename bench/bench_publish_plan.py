"""`publish --plan` over 10,000 published videos: the channel is read 50 videos per call, so
the plan costs 200 list calls, not 10,000. Prints the calls by method, the units and the time,
against the naive one-call-per-video count. Not a test.

    .venv/bin/python bench/bench_publish_plan.py [--videos 10000]
"""

from __future__ import annotations

import argparse
import collections
import tempfile
import time
from pathlib import Path
from typing import Any

from sandbox_hub import sandbox_hub
from sqlalchemy import insert, select

from media_hub.catalog.models import Asset, AssetText, Series
from media_hub.catalog.pipeline_models import Publication
from media_hub.catalog.text import search_document
from media_hub.catalog.types import utcnow
from media_hub.catalog.vocabulary import AssetKind, AssetStatus
from media_hub.hub import Hub
from media_hub.platforms.publisher import UploadOptions
from media_hub.platforms.youtube.auth import load_credentials
from media_hub.platforms.youtube.client import youtube_service
from media_hub.platforms.youtube.publisher import YouTubeUpload
from media_hub.platforms.youtube.sync import plan_sync
from media_hub.sandbox.server import Sandbox


def fill(hub: Hub, sandbox: Sandbox, count: int) -> None:
    """`count` published reports in the catalog, and the same videos on the channel."""
    catalog = hub.db
    now = utcnow()
    with catalog.session() as session:
        series_id = session.scalars(select(Series.id).where(Series.slug == "reports")).one()
        session.execute(
            insert(Asset),
            [{"id": n, "kind": AssetKind.VIDEO, "series_id": series_id, "default_language": "fr",
              "status": AssetStatus.PUBLISHED, "created_at": now, "created_by": "bench",
              "updated_at": now, "updated_by": "bench", "version": 1}
             for n in range(1, count + 1)],
        )  # fmt: skip
        session.execute(
            insert(AssetText),
            [{"asset_id": n, "lang": "fr", "title": f"Reportage {n}", "description": "",
              "search_text": search_document(f"Reportage {n}")} for n in range(1, count + 1)],
        )  # fmt: skip
        session.execute(
            insert(Publication),
            [{"asset_id": n, "platform": "youtube", "state": "done",
              "remote_id": f"bench{n:07d}", "updated_at": now} for n in range(1, count + 1)],
        )  # fmt: skip
    job = YouTubeUpload(hub, lambda: None)
    with sandbox.state.change() as data:
        for n in range(1, count + 1):
            resource: dict[str, Any] = job.metadata(n, UploadOptions())
            if n % 100 == 0:  # 1% edited on the channel since
                resource["snippet"] = {**resource["snippet"], "title": f"Edited {n}"}
            data["videos"][f"bench{n:07d}"] = {
                "id": f"bench{n:07d}", "snippet": resource["snippet"],
                "status": resource["status"], "localizations": resource.get("localizations", {}),
                "recordingDetails": {}, "media": {"sha256": "", "size": 0, "mimetype": "video/mp4"},
                "published_at": "2026-11-01T00:00:00Z", "first_day": "2026-11-01",
                "processing_polls_left": 0, "thumbnail_404s_left": 0, "caption": False,
            }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--videos", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        with Sandbox(work / "sandbox" / "state.json") as sandbox:
            hub = sandbox_hub(work, sandbox)
            fill(hub, sandbox, args.videos)
            served = len(sandbox.requests)
            job = YouTubeUpload(
                hub, lambda: youtube_service(hub.settings, load_credentials(hub.settings))
            )
            start = time.perf_counter()
            plan = plan_sync(job)
            elapsed = time.perf_counter() - start
            calls = collections.Counter(
                r.path for r in sandbox.requests[served:] if r.path != "/token"
            )
            changes = collections.Counter(call.method for call in plan.calls)
            print(
                f"publish --plan over {args.videos:,} videos: {elapsed:.1f} s, "
                f"{plan.reads} list calls ({dict(calls)}), naive one call per video: "
                f"{args.videos:,}; ratio {plan.reads / args.videos:.3f}"
            )
            print(f"changes found: {dict(changes)}, {plan.units} units to apply")
            hub.close()


if __name__ == "__main__":
    main()

"""`stats report` at scale: 10,000 videos in 100 playlists, 365 days of Analytics rows for each
playlist (36,500 rows) and a pull each month (13 snapshots of 20,000 rows each), a year's
report by playlist compared with the year before, as a table and as an XLSX workbook.

Fills a SQLite catalog with bulk inserts, then times the library as the CLI calls it (build
the report, then render it), best of 3. Prints the times; the goal is under 3 s each.
Not a test.

    .venv/bin/python bench/bench_stats_report.py [--videos N] [--playlists N] [--pulls N]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from media_hub.catalog.models import Asset, AssetText, Playlist
from media_hub.catalog.pipeline_models import StatsRow, StatsSnapshot
from media_hub.catalog.types import utcnow
from media_hub.catalog.vocabulary import AssetKind, AssetStatus, PlaylistOrder, Privacy
from media_hub.hub import Hub, init_hub
from media_hub.settings import load_settings
from media_hub.stats import render
from media_hub.stats.period import Compare, parse_period
from media_hub.stats.report import Grouping, ReportQuery, build_report
from media_hub.stats.workbook import to_xlsx

FIRST_DAY = date(2025, 1, 1)
DAYS = 365
BATCH = 20_000


def fill(hub: Hub, videos: int, playlists: int, pulls: int) -> int:
    """The catalog's assets, playlists, Analytics days and pulls; the rows written."""
    rng = random.Random(20)
    now = utcnow()
    rows = 0
    with hub.db.session() as session:
        first_asset = 1_000_000
        session.execute(insert(Asset), [
            {"id": first_asset + n, "kind": AssetKind.VIDEO, "default_language": "fr",
             "status": AssetStatus.PUBLISHED, "created_at": now, "created_by": "bench",
             "updated_at": now, "updated_by": "bench", "version": 1}
            for n in range(videos)
        ])  # fmt: skip
        session.execute(insert(AssetText), [
            {"asset_id": first_asset + n, "lang": "fr", "title": f"Vidéo {n}",
             "description": "", "search_text": f"video {n}"}
            for n in range(videos)
        ])  # fmt: skip
        first_playlist = 1_000_000
        session.execute(insert(Playlist), [
            {"id": first_playlist + p, "slug": f"bench-{p}", "kind": AssetKind.VIDEO,
             "names": {"fr": f"Playlist {p}", "ar": f"قائمة {p}"}, "descriptions": {},
             "privacy": Privacy.PUBLIC, "order": PlaylistOrder.RECORDED, "version": 1}
            for p in range(playlists)
        ])  # fmt: skip
        popularity = [rng.randint(20, 400) for _ in range(videos)]
        for pull in range(pulls):
            day = FIRST_DAY + timedelta(days=round(pull * (DAYS - 1) / max(pulls - 1, 1)))
            taken = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=7)
            snapshot = StatsSnapshot(taken_at=taken, units_spent=400)
            session.add(snapshot)
            session.flush()
            elapsed = (day - FIRST_DAY).days + 1
            counts = [
                {"snapshot_id": snapshot.id, "platform": "youtube", "asset_id": first_asset + n,
                 "playlist_id": playlist, "day": None, "views": popularity[n] * elapsed,
                 "likes": popularity[n] * elapsed // 40, "comments": popularity[n] * elapsed // 400,
                 "downloads": 0, "favorites": 0, "watch_minutes": 0.0,
                 "average_view_seconds": 0.0, "playlist_starts": 0, "playlist_views": 0}
                for n in range(videos)
                for playlist in (None, first_playlist + n % playlists)
            ]  # fmt: skip
            rows += _insert(session, counts)
            if pull == pulls - 1:  # the last pull holds the year's days (first ones the days)
                days = [
                    {"snapshot_id": snapshot.id, "platform": "youtube", "asset_id": None,
                     "playlist_id": first_playlist + p, "day": FIRST_DAY + timedelta(days=d),
                     "views": (views := rng.randint(2_000, 40_000)), "likes": 0, "comments": 0,
                     "downloads": 0, "favorites": 0, "watch_minutes": views * 2.5,
                     "average_view_seconds": 150.0, "playlist_starts": views // 5,
                     "playlist_views": views // 3}
                    for p in range(playlists)
                    for d in range(DAYS)
                ]  # fmt: skip
                rows += _insert(session, days)
    return rows


def _insert(session: Session, rows: list[dict[str, Any]]) -> int:
    for start in range(0, len(rows), BATCH):
        session.execute(insert(StatsRow), rows[start : start + BATCH])
    return len(rows)


def best(call: Callable[[], int]) -> tuple[float, int]:
    times = []
    size = 0
    for _ in range(3):
        start = time.perf_counter()
        size = call()
        times.append(time.perf_counter() - start)
    return min(times), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--videos", type=int, default=10_000)
    parser.add_argument("--playlists", type=int, default=100)
    parser.add_argument("--pulls", type=int, default=13)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "hub"
        init_hub(folder)
        hub = Hub(load_settings(folder))
        start = time.perf_counter()
        rows = fill(hub, args.videos, args.playlists, args.pulls)
        print(f"filled {args.videos:,} videos, {args.playlists} playlists, {args.pulls} pulls: "
              f"{rows:,} stats rows in {time.perf_counter() - start:.1f} s")  # fmt: skip
        period = parse_period(year_text=str(FIRST_DAY.year))
        query = ReportQuery(Grouping.PLAYLIST, period.start, period.end, language="fr",
                            kind=period.kind, compare=Compare.PREVIOUS)  # fmt: skip

        def table() -> int:
            return len(render.text(build_report(hub.db, query)))

        def workbook() -> int:
            return len(to_xlsx(build_report(hub.db, query)))

        def by_asset() -> int:
            asset_query = ReportQuery(Grouping.ASSET, period.start, period.end, top=1,
                                      language="fr", kind=period.kind)  # fmt: skip
            return len(to_xlsx(build_report(hub.db, asset_query)))

        for label, call in (
            ("year by playlist vs the year before, table", table),
            ("year by playlist vs the year before, xlsx", workbook),
            (f"year by asset ({args.videos:,} rows), xlsx", by_asset),
        ):
            seconds, size = best(call)
            verdict = "ok" if seconds < 3 else "OVER 3 s"
            print(f"{label}: {seconds:.2f} s ({size:,} bytes) {verdict}")
        hub.close()


if __name__ == "__main__":
    main()

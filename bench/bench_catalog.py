"""Catalog at scale: `catalog list --series X --json` and a text search over 100,000 assets.

Fills a SQLite catalog (through bulk inserts with the library's own search folding), then
times media-hub's calls against the naive baseline in the same process: one raw SQL query
returning the same rows with sqlite3. Prints times, row counts and the ratio. Not a test.

    .venv/bin/python bench/bench_catalog.py [--assets N]
"""

from __future__ import annotations

import argparse
import io
import random
import sqlite3
import tempfile
import time
from contextlib import redirect_stdout
from pathlib import Path

from sqlalchemy import insert, select

from media_hub.catalog.models import Asset, AssetText, AssetTopic, Series, Topic
from media_hub.catalog.text import search_document
from media_hub.catalog.types import utcnow
from media_hub.catalog.vocabulary import AssetStatus
from media_hub.cli import output
from media_hub.cli.output import Format
from media_hub.hub import Hub, init_hub
from media_hub.settings import load_settings

SERIES = "advisory-clips"
SEARCH = "تحفيز"  # in 1% of the titles, as "التحفيز": found inside the word
AR_WORDS = ["السيرة", "الذاتية", "مقابلة", "العمل", "البحث", "عن", "التشغيل", "المهني", "نصائح"]
FR_WORDS = ["rédiger", "son", "CV", "entretien", "d'embauche", "emploi", "métier", "conseils"]


def fill(hub: Hub, count: int) -> None:
    rng = random.Random(7)
    catalog = hub.db
    with catalog.session() as session:
        all_series = list(session.scalars(select(Series)))
        topic_ids = list(session.scalars(select(Topic.id)))
        now = utcnow()
        episodes: dict[int, int] = {}
        assets, texts, topics = [], [], []
        for asset_id in range(1, count + 1):
            series = rng.choice(all_series)
            episode = None
            if series.numbering.value != "none":
                episodes[series.id] = episodes.get(series.id, 0) + 1
                episode = episodes[series.id]
            assets.append({
                "id": asset_id, "kind": series.kind, "series_id": series.id,
                "season": 1 if series.numbering.value == "season-episode" else None,
                "episode": episode, "default_language": "ar", "status": AssetStatus.DRAFT,
                "created_at": now, "created_by": "bench", "updated_at": now,
                "updated_by": "bench", "version": 1,
            })  # fmt: skip
            for lang, words in (("ar", AR_WORDS), ("fr", FR_WORDS)):
                title = " ".join(rng.sample(words, 4))
                if lang == "ar" and asset_id % 100 == 0:
                    title += " رسالة التحفيز"
                description = " ".join(rng.choices(words, k=30))
                texts.append({
                    "asset_id": asset_id, "lang": lang, "title": title,
                    "description": description,
                    "search_text": search_document(title, description),
                })  # fmt: skip
            topics.append({"asset_id": asset_id, "topic_id": rng.choice(topic_ids)})
        session.execute(insert(Asset), assets)
        session.execute(insert(AssetText), texts)
        session.execute(insert(AssetTopic), topics)


def timed(call: object) -> tuple[float, int]:
    assert callable(call)
    start = time.perf_counter()
    rows = call()
    return time.perf_counter() - start, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assets", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "hub"
        init_hub(folder)
        hub = Hub(load_settings(folder))
        hub.catalog.load_conventions(hub.settings.definitions_dir)
        start = time.perf_counter()
        fill(hub, args.assets)
        print(f"filled {args.assets:,} assets in {time.perf_counter() - start:.1f} s")
        from media_hub.catalog.query import AssetQuery

        def list_json() -> int:
            records = hub.catalog.find(AssetQuery(series=SERIES))
            with redirect_stdout(io.StringIO()):
                output.print_assets(records, Format.JSON)
            return len(records)

        def search() -> int:
            records = hub.catalog.find(AssetQuery(text=SEARCH, limit=None))
            return len(records)

        database = sqlite3.connect(str(folder / "catalog" / "media-hub.db"))

        def raw_list() -> int:
            rows = database.execute(
                "SELECT a.*, t.* FROM assets a JOIN series s ON s.id = a.series_id "
                "JOIN asset_texts t ON t.asset_id = a.id WHERE s.slug = ?",
                (SERIES,),
            ).fetchall()
            return len({row[0] for row in rows})

        def raw_search() -> int:
            rows = database.execute(
                "SELECT DISTINCT asset_id FROM asset_texts WHERE search_text LIKE ?",
                (f"%{search_document(SEARCH).strip()}%",),
            ).fetchall()
            return len(rows)

        for label, ours, naive in (
            (f"catalog list --series {SERIES} --json", list_json, raw_list),
            (f"catalog search {SEARCH}", search, raw_search),
        ):
            ours_s, ours_rows = min(timed(ours) for _ in range(3))
            naive_s, naive_rows = min(timed(naive) for _ in range(3))
            print(
                f"{label}: {ours_s:.3f} s for {ours_rows:,} rows "
                f"(raw SQL {naive_s:.3f} s for {naive_rows:,} rows, ratio {ours_s / naive_s:.1f}x)"
            )
        hub.close()
        database.close()


if __name__ == "__main__":
    main()

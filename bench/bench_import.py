"""Spreadsheet import at scale: 20,000 edited rows, dry run and apply, against a naive baseline.

Fills a SQLite catalog with assets (bulk inserts), exports them as CSV, edits every row's
French title (and one row in ten's topics) in a copy saved as French Excel does (BOM,
semicolons, CRLF), then times `catalog import --dry-run` and `catalog import --yes` through
the library against the naive baseline in the same process: `csv.reader` over the same file.
Prints times and ratios. Not a test.

    .venv/bin/python bench/bench_import.py [--assets N]
"""

from __future__ import annotations

import argparse
import csv
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from sqlalchemy import func, insert, select

from media_hub.catalog.librarian import LibrarianService
from media_hub.catalog.models import (
    Asset,
    AssetText,
    AssetTopic,
    AuditEntry,
    Playlist,
    PlaylistItem,
    Series,
    Topic,
)
from media_hub.catalog.query import AssetQuery
from media_hub.catalog.spreadsheet import SheetFormat, read_sheet
from media_hub.catalog.text import search_document
from media_hub.catalog.types import utcnow
from media_hub.catalog.vocabulary import AssetStatus, Numbering
from media_hub.hub import Hub, init_hub
from media_hub.settings import load_settings

T = TypeVar("T")
AR_WORDS = ["السيرة", "الذاتية", "مقابلة", "العمل", "البحث", "عن", "التشغيل", "المهني", "نصائح"]
FR_WORDS = ["rédiger", "son", "CV", "entretien", "d'embauche", "emploi", "métier", "conseils"]


def fill(hub: Hub, count: int) -> None:
    """`count` assets in the series without numbering, each in its series' playlist."""
    rng = random.Random(7)
    with hub.db.session() as session:
        series = [s for s in session.scalars(select(Series)) if s.numbering is Numbering.NONE]
        playlists = {p.slug: p.id for p in session.scalars(select(Playlist))}
        topic_ids = list(session.scalars(select(Topic.id)))
        now = utcnow()
        assets, texts, topics, items = [], [], [], []
        for asset_id in range(1, count + 1):
            chosen = rng.choice(series)
            assets.append({
                "id": asset_id, "kind": chosen.kind, "series_id": chosen.id,
                "default_language": "ar", "status": AssetStatus.DRAFT, "created_at": now,
                "created_by": "bench", "updated_at": now, "updated_by": "bench", "version": 1,
            })  # fmt: skip
            for lang, words in (("ar", AR_WORDS), ("fr", FR_WORDS)):
                title = " ".join(rng.sample(words, 4))
                description = " ".join(rng.choices(words, k=30))
                texts.append({
                    "asset_id": asset_id, "lang": lang, "title": title,
                    "description": description,
                    "search_text": search_document(title, description),
                })  # fmt: skip
            topics.append({"asset_id": asset_id, "topic_id": rng.choice(topic_ids)})
            items.append({
                "playlist_id": playlists[chosen.playlist_slugs[0]], "asset_id": asset_id,
                "position": asset_id,
            })  # fmt: skip
        session.execute(insert(Asset), assets)
        session.execute(insert(AssetText), texts)
        session.execute(insert(AssetTopic), topics)
        session.execute(insert(PlaylistItem), items)


def edit_copy(exported: Path, edited: Path) -> int:
    """Every French title changed, a topic added to one row in ten; saved as French Excel
    saves CSV. Returns the number of changed fields."""
    with exported.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    header = rows[0]
    title, topics = header.index("title.fr"), header.index("topics")
    changed = 0
    for number, row in enumerate(rows[1:]):
        row[title] = f"{row[title]} (révisé)"
        changed += 1
        if number % 10 == 0 and "training" not in row[topics].split():
            row[topics] = f"{row[topics]} training".strip()
            changed += 1
    with edited.open("w", encoding="utf-8-sig", newline="") as stream:
        csv.writer(stream, delimiter=";", lineterminator="\r\n").writerows(rows)
    return changed


def timed(call: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


def naive_read(path: Path) -> int:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return sum(1 for _ in csv.reader(stream, delimiter=";")) - 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assets", type=int, default=20_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "hub"
        init_hub(folder)
        hub = Hub(load_settings(folder))
        hub.catalog.load_conventions(hub.settings.definitions_dir)
        fill(hub, args.assets)
        service = LibrarianService(hub.db)
        exported, edited = Path(tmp) / "assets.csv", Path(tmp) / "edited.csv"
        seconds, count = timed(lambda: service.export(AssetQuery(), exported, SheetFormat.CSV))
        print(f"export {count:,} rows to CSV: {seconds:.2f} s")
        fields = edit_copy(exported, edited)

        naive_s, naive_rows = timed(lambda: naive_read(edited))
        read_s, sheet = timed(lambda: read_sheet(edited))
        print(
            f"read {len(sheet.rows):,} rows: {read_s:.2f} s "
            f"(csv.reader {naive_s:.2f} s for {naive_rows:,} rows)"
        )
        dry_s, preview = timed(lambda: service.import_sheet(sheet, dry_run=True))
        apply_s, applied = timed(lambda: service.import_sheet(sheet))
        assert len(preview.changes) == len(applied.changes) == fields, (
            fields,
            len(preview.changes),
        )
        with hub.db.session() as session:
            entries = session.scalar(select(func.count()).select_from(AuditEntry))
        for label, seconds in (("import --dry-run", dry_s), ("import --yes", apply_s)):
            print(
                f"{label}: {seconds:.2f} s for {len(sheet.rows):,} rows, {fields:,} changed "
                f"fields ({seconds / naive_s:.0f}x csv.reader; {seconds * 1e6 / fields:.0f} µs "
                "per field)"
            )
        print(f"audit log: {entries:,} entries")

        xlsx = Path(tmp) / "assets.xlsx"
        write_s, _ = timed(lambda: service.export(AssetQuery(), xlsx, SheetFormat.XLSX))
        xlsx_read_s, xlsx_sheet = timed(lambda: read_sheet(xlsx))
        print(
            f"xlsx: export {write_s:.2f} s, read {xlsx_read_s:.2f} s "
            f"for {len(xlsx_sheet.rows):,} rows"
        )
        hub.close()


if __name__ == "__main__":
    main()

"""What the librarians' workflow tests share: a small shelf of assets and sheet helpers."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from media_hub.catalog.assets import NewAsset
from media_hub.catalog.service import CatalogService
from media_hub.catalog.vocabulary import AssetKind
from tests.test_refusals import invoke_json


def make_shelf(catalog: CatalogService) -> dict[str, int]:
    """Two advisory clips, an episode of the show and a CV flyer."""

    def add(kind: AssetKind = AssetKind.VIDEO, **fields: Any) -> int:
        return int(catalog.add(NewAsset(kind=kind, **fields))["id"])

    return {
        "clip1": add(
            series="advisory-clips", episode=1, titles={"ar": "السيرة الذاتية", "fr": "Le CV"},
            descriptions={"fr": "Des conseils."}, topics=["cv"],
        ),
        "clip2": add(series="advisory-clips", episode=2, titles={"ar": "مقابلة العمل"}),
        "show": add(
            series="kan-kalab-aala-khadma", season=1, episode=1,
            titles={"ar": "الحلقة الأولى", "fr": "Épisode 1"},
        ),
        "flyer": add(AssetKind.DECK, series="cv-flyers", titles={"fr": "Flyer CV"}),
    }  # fmt: skip


def shown(runner: CliRunner, ids: dict[str, int]) -> dict[str, dict[str, Any]]:
    """Each asset as `catalog show --json` gives it, by its shelf name."""
    return {
        name: invoke_json(runner, "catalog", "show", str(asset_id), "--json")
        for name, asset_id in ids.items()
    }


def read_rows(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream, delimiter=delimiter))


def write_rows(
    path: Path,
    rows: list[dict[str, str]],
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
    lineterminator: str = "\n",
) -> Path:
    with path.open("w", encoding=encoding, newline="") as stream:
        writer = csv.DictWriter(
            stream, fieldnames=list(rows[0]), delimiter=delimiter, lineterminator=lineterminator
        )
        writer.writeheader()
        writer.writerows(rows)
    return path


def row_of(rows: list[dict[str, str]], asset_id: int) -> dict[str, str]:
    return next(row for row in rows if row["id"] == str(asset_id))

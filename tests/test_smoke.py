from __future__ import annotations

from media_hub.catalog.assets import NewAsset
from media_hub.catalog.service import CatalogService
from media_hub.catalog.vocabulary import AssetKind


def test_add_and_show_round_trip(catalog: CatalogService) -> None:
    record = catalog.add(
        NewAsset(
            kind=AssetKind.VIDEO, series="advisory-clips", titles={"ar": "السيرة", "fr": "Le CV"}
        )
    )
    assert catalog.show(record["id"])["titles"] == {"ar": "السيرة", "fr": "Le CV"}

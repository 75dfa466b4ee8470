"""The catalog page's facet counts are read again once they are a few seconds old."""

from __future__ import annotations

from media_hub.catalog.assets import NewAsset
from media_hub.catalog.service import CatalogService
from media_hub.catalog.vocabulary import AssetKind
from media_hub.web.facets import FacetCache


def test_counts_are_read_again_once_stale(catalog: CatalogService) -> None:
    now = [100.0]
    cache = FacetCache(catalog, fresh_s=10, clock=lambda: now[0])

    def clips() -> int:
        return int(
            next(s["assets"] for s in cache.values().series if s["slug"] == "advisory-clips")
        )

    before = clips()
    catalog.add(NewAsset(kind=AssetKind.VIDEO, series="advisory-clips", titles={"fr": "Clip"}))
    now[0] += 9
    assert clips() == before  # still fresh: not read again
    now[0] += 2
    assert clips() == before + 1

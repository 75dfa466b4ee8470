"""Bulk-setting a topic in a real browser: tick assets in the catalog's list, preview, apply."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from media_hub.catalog.service import CatalogService
from tests.web.browser_helpers import SignedIn
from tests.web.conftest import add_asset

pytestmark = pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)


def test_bulk_set_a_topic_on_ticked_assets(signed_in: SignedIn, catalog: CatalogService) -> None:
    ids = [add_asset(catalog, fr=f"Conseil {n}") for n in range(3)]
    page = signed_in("librarian", then="/?view=list")
    page.check(f"#select-{ids[0]}")
    page.check(f"#select-{ids[2]}")
    page.click("button[form='selection']")
    expect(page.locator("#q")).to_have_value(f"id:{ids[0]},{ids[2]}")
    page.fill("#changes", "topics+=cv")
    page.click("button[value='preview']")
    expect(page.locator("table.plan tbody tr")).to_have_count(2)
    page.click("button[value='apply']")
    expect(page.locator(".notice")).to_contain_text("2")
    assert [catalog.show(asset_id)["topics"] for asset_id in ids] == [["cv"], [], ["cv"]]

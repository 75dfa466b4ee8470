"""Picking a thumbnail in a real browser: the contact sheet, a candidate, the new image."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from typer.testing import CliRunner

from media_hub.hub import Hub
from media_hub.pipeline.thumbnails import list_thumbnails
from tests.web.browser_helpers import SignedIn
from tests.web.test_web_thumbnails import ingested_clip

pytestmark = pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)


def test_pick_a_thumbnail(signed_in: SignedIn, hub: Hub, runner: CliRunner) -> None:
    asset_id = ingested_clip(runner, candidates=4)
    [chosen] = [c.index for c in list_thumbnails(hub.db, asset_id) if c.chosen]
    other = next(n for n in (1, 2, 3, 4) if n != chosen)

    page = signed_in("librarian", then=f"/assets/{asset_id}/thumbnails")
    sheet = page.locator("img[src$='/candidates.jpg']")
    expect(sheet).to_be_visible()
    assert sheet.evaluate("img => img.naturalWidth") > 0  # the contact sheet really loads
    page.check(f"input[name='candidate'][value='{other}']")
    page.click("form.pick button")
    expect(page.locator(f"input[name='candidate'][value='{other}']")).to_be_checked()
    assert [c.index for c in list_thumbnails(hub.db, asset_id) if c.chosen] == [other]

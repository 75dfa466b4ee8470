"""A video sent from the asset page in a real browser (Debian's chromium through Playwright):
the page's script speaks tus to the server, the bar reaches 100 % and the file is the asset's."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from playwright.sync_api import Response, expect

from media_hub.catalog.service import CatalogService
from tests.web.browser_helpers import NewPage, SignedIn, sign_in_page
from tests.web.conftest import PASSWORD, add_asset

VIDEO = Path(__file__).parent.parent / "data" / "in.mp4"

pytestmark = pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)


def test_a_video_sent_from_the_asset_page(new_page: NewPage, catalog: CatalogService) -> None:
    asset_id = add_asset(catalog, fr="Rédiger son CV")
    page = new_page()
    problems: list[str] = []

    def refused(answer: Response) -> None:
        if answer.status >= 400 and not answer.url.endswith("/favicon.ico"):
            problems.append(f"{answer.status} {answer.url}")

    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("response", refused)
    sign_in_page(page, "editor", PASSWORD, then=f"/assets/{asset_id}")
    page.set_input_files("#upload-file", str(VIDEO))
    page.click("form.upload button")
    expect(page.locator(".upload-status")).to_have_text("Envoyé : le fichier est joint.")
    expect(page.locator(".upload-percent")).to_have_text("100 %")
    assert page.locator(".upload-bar").evaluate("bar => bar.value") == 100
    digest = hashlib.sha256(VIDEO.read_bytes()).hexdigest()
    assert catalog.show(asset_id)["source_checksum"] == digest
    assert problems == []  # no script error, no refused request


def test_a_deck_for_a_video_is_refused_in_one_line_on_the_page(
    signed_in: SignedIn, catalog: CatalogService
) -> None:
    asset_id = add_asset(catalog, fr="Rédiger son CV")
    page = signed_in("editor", then=f"/assets/{asset_id}")
    page.set_input_files("#upload-file", str(VIDEO.parent / "habibi.pdf"))
    page.click("form.upload button")
    expect(page.locator(".upload-status")).to_have_text(
        f"Refusé : asset {asset_id}: file: it is a video, and habibi.pdf is a deck"
    )
    expect(page.locator(".upload-status")).to_have_class("upload-status problem")
    assert catalog.show(asset_id)["source_checksum"] is None

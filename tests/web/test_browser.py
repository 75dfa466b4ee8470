"""The web app in a real browser (Debian's chromium through Playwright): signing in, searching
in Arabic without short vowels, the Arabic layout mirrored. An edit that meets someone else's
from a second window is in test_browser_asset.py."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from media_hub.catalog.service import CatalogService
from media_hub.hub import Hub
from media_hub.jobs import queue
from tests.web.browser_helpers import (
    NewPage,
    SignedIn,
    serious_violations,
    sign_in_page,
    switch_language,
)
from tests.web.conftest import PASSWORD, add_asset
from tests.web.test_web_jobs import a_parked_job, a_running_job

# One engine is enough here: the catalog's behaviour on both is the other tests' business.
pytestmark = pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)


def test_sign_in(new_page: NewPage) -> None:
    page = new_page("en")
    page.goto("/login")
    page.fill("#name", "viewer")
    page.fill("#password", "not the password")
    page.click("form[action='/login'] button")
    expect(page.locator(".problem")).to_have_text("Wrong name or password.")
    page.fill("#password", PASSWORD)
    page.click("form[action='/login'] button")
    expect(page.locator(".who")).to_contain_text("viewer")
    page.click(".who button")
    expect(page).to_have_url(re.compile(r"/login$"))
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login\?next="))


def test_search_in_arabic_without_tashkeel(signed_in: SignedIn, catalog: CatalogService) -> None:
    wanted = add_asset(catalog, ar="كيف تكتب السِّيرَة الذاتية", fr="Rédiger son CV")
    add_asset(catalog, fr="Réussir son entretien")
    page = signed_in("viewer")
    expect(page.locator("h1")).to_have_text("Catalogue")  # French, as the browser asks
    expect(page.locator(".card")).to_have_count(2)
    page.fill("#q", "سيرة")
    page.press("#q", "Enter")
    expect(page.locator(".card")).to_have_count(1)
    expect(page.locator(".card .title")).to_have_text("Rédiger son CV")
    expect(page).to_have_url(re.compile(r"q=%D8%B3%D9%8A%D8%B1%D8%A9"))
    page.click(".card a")
    expect(page).to_have_url(re.compile(rf"/assets/{wanted}$"))
    arabic = page.locator("section.text[lang='ar']")
    expect(arabic).to_have_attribute("dir", "rtl")
    assert arabic.evaluate("e => getComputedStyle(e).direction") == "rtl"


def test_the_catalog_in_arabic_is_mirrored(signed_in: SignedIn, catalog: CatalogService) -> None:
    add_asset(catalog, ar="كيف تكتب سيرتك الذاتية")
    page = signed_in("viewer")
    expect(page.locator("h1")).to_have_text("Catalogue")  # French, as the browser asks
    switch_language(page, "ar")
    expect(page.locator("h1")).to_have_text("الفهرس")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    facets = page.locator(".facets").bounding_box()
    results = page.locator(".results").bounding_box()
    assert facets is not None
    assert results is not None
    assert facets["x"] > results["x"]  # the filters stand on the right, as Arabic reads
    switch_language(page, "fr")
    expect(page.locator("h1")).to_have_text("Catalogue")
    facets = page.locator(".facets").bounding_box()
    assert facets is not None
    assert facets["x"] < page.locator(".results").bounding_box()["x"]  # type: ignore[index]


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_main_pages_have_no_serious_accessibility_violation(
    new_page: NewPage, catalog: CatalogService, hub: Hub, lang: str
) -> None:
    asset_id = add_asset(catalog, ar="كيف تكتب سيرتك الذاتية", fr="Rédiger son CV")
    # Work in progress with a row of each kind: parked (retry), running (a progress bar and
    # cancel) and queued.
    a_parked_job(hub, asset_id)
    a_running_job(hub, asset_id, 0.4)
    queue.enqueue(hub.db, "transcode", {"asset_id": asset_id}, asset_id)
    page = new_page(lang, axe=True)
    found: list[str] = []

    def check(path: str) -> None:
        page.goto(path)
        expect(page.locator("html")).to_have_attribute("lang", lang)
        found.extend(f"{path}: {violation}" for violation in serious_violations(page))

    check("/login")
    sign_in_page(page, "admin", PASSWORD)
    for path in ("/", "/?view=list", f"/assets/{asset_id}", f"/assets/{asset_id}/edit",
                 f"/assets/{asset_id}/history", "/bulk", "/users", "/assets/999999",
                 "/calendar", "/stats", "/stats?month=2026-13", "/import"):  # fmt: skip
        check(path)
    check("/jobs")
    expect(page.locator("table.jobs tbody tr")).to_have_count(3)  # axe saw each kind of row
    assert not found

"""The web app in a real browser (Debian's chromium through Playwright): signing in, searching
in Arabic without short vowels, and an edit that meets someone else's from a second window."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from media_hub.catalog.service import CatalogService
from tests.web.conftest import PASSWORD, add_asset

# One engine is enough here: the catalog's behaviour on both is the other tests' business.
pytestmark = pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)


def signed_in(browser: Browser, live_url: str, name: str) -> Page:
    page = browser.new_context(base_url=live_url, locale="fr-FR").new_page()
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.fill("#name", name)
    page.fill("#password", PASSWORD)
    page.click("form[action='/login'] button")
    expect(page.locator("h1")).to_have_text("Catalogue")  # French, as the browser asks
    return page


def test_sign_in(browser: Browser, live_url: str) -> None:
    page = browser.new_context(base_url=live_url).new_page()
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


def test_search_in_arabic_without_tashkeel(
    browser: Browser, live_url: str, catalog: CatalogService
) -> None:
    wanted = add_asset(catalog, ar="كيف تكتب السِّيرَة الذاتية", fr="Rédiger son CV")
    add_asset(catalog, fr="Réussir son entretien")
    page = signed_in(browser, live_url, "viewer")
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


def test_edit_meets_a_conflict_from_a_second_window(
    browser: Browser, live_url: str, catalog: CatalogService
) -> None:
    asset_id = add_asset(catalog, fr="Rédiger son CV", ar="السيرة الذاتية")
    amina = signed_in(browser, live_url, "librarian")
    karim = signed_in(browser, live_url, "editor")
    amina.goto(f"/assets/{asset_id}/edit")
    karim.goto(f"/assets/{asset_id}/edit")
    karim.fill("[id='title.fr']", "Le CV, par Karim")
    karim.click("button[value='save']")
    expect(karim.locator(".notice")).to_be_visible()
    amina.fill("[id='title.fr']", "Le CV, par Amina")
    amina.fill("[id='description.fr']", "Pas à pas.")
    amina.click("button[value='save']")
    conflict = amina.locator("[id='conflict-title.fr']")
    expect(conflict).to_contain_text("Le CV, par Karim")
    expect(amina.locator(".conflicts")).to_contain_text("editor")
    conflict.locator("input[value='theirs']").check()
    amina.click("button[value='save']")
    expect(amina.locator("section.text[lang='fr'] .title")).to_have_text("Le CV, par Karim")
    expect(amina.locator("section.text[lang='fr'] .description")).to_have_text("Pas à pas.")
    assert catalog.show(asset_id)["version"] == 3


def test_the_catalog_in_arabic_is_mirrored(
    browser: Browser, live_url: str, catalog: CatalogService
) -> None:
    add_asset(catalog, ar="كيف تكتب سيرتك الذاتية")
    page = signed_in(browser, live_url, "viewer")
    page.click("button[lang='ar']")
    expect(page.locator("h1")).to_have_text("الفهرس")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    facets = page.locator(".facets").bounding_box()
    results = page.locator(".results").bounding_box()
    assert facets is not None
    assert results is not None
    assert facets["x"] > results["x"]  # the filters stand on the right, as Arabic reads
    page.click("button[lang='fr']")
    expect(page.locator("h1")).to_have_text("Catalogue")
    facets = page.locator(".facets").bounding_box()
    assert facets is not None
    assert facets["x"] < page.locator(".results").bounding_box()["x"]  # type: ignore[index]


AXE = Path(__file__).parent / "vendor" / "axe.min.js"  # axe-core, from its npm package


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_main_pages_have_no_serious_accessibility_violation(
    browser: Browser, live_url: str, catalog: CatalogService, lang: str
) -> None:
    asset_id = add_asset(catalog, ar="كيف تكتب سيرتك الذاتية", fr="Rédiger son CV")
    # axe is injected into the page: the app's own policy allows no script but its own.
    context = browser.new_context(base_url=live_url, locale=lang, bypass_csp=True)
    page = context.new_page()
    found: list[str] = []

    def check(path: str) -> None:
        page.goto(path)
        expect(page.locator("html")).to_have_attribute("lang", lang)
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
            ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))"
        )
        found.extend(f"{path}: {violation}" for violation in violations)

    check("/login")
    page.fill("#name", "admin")
    page.fill("#password", PASSWORD)
    page.click("form[action='/login'] button")
    expect(page.locator(".who")).to_be_visible()
    for path in ("/", "/?view=list", f"/assets/{asset_id}", f"/assets/{asset_id}/edit",
                 f"/assets/{asset_id}/history", "/bulk", "/users", "/assets/999999",
                 "/calendar", "/stats", "/stats?month=2026-13", "/import"):  # fmt: skip
        check(path)
    context.close()
    assert not found

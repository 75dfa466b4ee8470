"""The asset and import pages in a real browser (Debian's chromium through Playwright):
importing a spreadsheet (the dry run's table, then confirm), an edit that meets someone
else's merged field by field, and the YouTube preview of an Arabic title laid out right to
left."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from media_hub.catalog.assets import NewAsset
from media_hub.catalog.service import CatalogService
from media_hub.catalog.vocabulary import AssetKind
from media_hub.hub import Hub
from tests.librarian_helpers import make_shelf
from tests.web.browser_helpers import SignedIn
from tests.web.conftest import add_asset
from tests.web.test_web_import import exported_xlsx

pytestmark = pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)


def test_import_a_spreadsheet_dry_run_then_confirm(
    signed_in: SignedIn, hub: Hub, catalog: CatalogService, tmp_path: Path
) -> None:
    shelf = make_shelf(catalog)
    sheet = tmp_path / "upload" / "assets.xlsx"
    sheet.parent.mkdir()
    sheet.write_bytes(
        exported_xlsx(hub, tmp_path, {shelf["clip1"]: {"title.fr": "Rédiger son CV"}})
    )
    page = signed_in("librarian")
    page.click("nav a[href='/import']")
    page.set_input_files("#sheet", str(sheet))
    page.click("form.import button")
    rows = page.locator("table.plan tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Rédiger son CV")
    expect(page.locator("table.created tbody tr")).to_have_count(1)
    assert catalog.show(shelf["clip1"])["titles"]["fr"] == "Le CV"  # only a preview
    page.click("button[value='apply']")
    expect(page.locator(".notice")).to_contain_text("2")
    assert catalog.show(shelf["clip1"])["titles"]["fr"] == "Rédiger son CV"
    assert {e["user"] for e in catalog.history(shelf["clip1"]) if e["version"] == 2} == {
        "librarian"
    }


def test_a_conflict_merged_field_by_field(signed_in: SignedIn, catalog: CatalogService) -> None:
    """An edit meets a save from a second window, and is merged field by field."""
    asset_id = add_asset(catalog, fr="Rédiger son CV", ar="السيرة الذاتية")
    amina = signed_in("librarian")
    karim = signed_in("editor")
    amina.goto(f"/assets/{asset_id}/edit")
    karim.goto(f"/assets/{asset_id}/edit")
    karim.fill("[id='title.fr']", "Le CV, par Karim")
    karim.fill("[id='description.fr']", "Selon Karim.")
    karim.click("button[value='save']")
    expect(karim.locator(".notice")).to_be_visible()
    amina.fill("[id='title.fr']", "Le CV, par Amina")
    amina.fill("[id='description.fr']", "Pas à pas.")
    amina.click("button[value='save']")
    title = amina.locator("[id='conflict-title.fr']")
    description = amina.locator("[id='conflict-description.fr']")
    expect(title.locator(".theirs")).to_have_text("Le CV, par Karim")
    expect(title.locator(".mine")).to_have_text("Le CV, par Amina")
    expect(title.locator(".by")).to_contain_text("editor")
    expect(description.locator(".theirs")).to_have_text("Selon Karim.")
    title.locator("input[value='theirs']").check()  # his title, my description
    amina.click("button[value='save']")
    expect(amina.locator("section.text[lang='fr'] .title")).to_have_text("Le CV, par Karim")
    expect(amina.locator("section.text[lang='fr'] .description")).to_have_text("Pas à pas.")
    assert catalog.show(asset_id)["version"] == 3


def test_the_youtube_preview_of_an_arabic_title_reads_right_to_left(
    signed_in: SignedIn, catalog: CatalogService
) -> None:
    asset_id = catalog.add(
        NewAsset(kind=AssetKind.VIDEO, series="advisory-clips", episode=2,
                 titles={"ar": "مقابلة العمل", "fr": "L'entretien"}),
        user="setup",
    )["id"]  # fmt: skip
    page = signed_in("viewer", then=f"/assets/{asset_id}")
    arabic = page.locator("#youtube-ar")
    expect(arabic.locator(".yt-title")).to_have_text("مقابلة العمل | كبسولات النصائح - الحلقة 2")
    assert arabic.evaluate("e => getComputedStyle(e).direction") == "rtl"
    expect(page.locator("#youtube-fr .yt-title")).to_have_text(
        "L'entretien | Clips conseils, épisode 2"
    )

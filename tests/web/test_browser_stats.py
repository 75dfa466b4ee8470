"""Reading the statistics in Arabic in a real browser (Debian's chromium): the form filled
without a script, the page mirrored, an Arabic playlist name beside its number, the chart
drawn (the app's content policy lets it load), the same report after switching to French,
and no serious accessibility violation."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from media_hub.stats import labels
from tests.test_stats_periods import _playlist_views
from tests.web import stats_data
from tests.web.browser_helpers import SignedIn, serious_violations, switch_language
from tests.web.stats_data import Pulled

pytestmark = pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)

# The channel published on 30 September and pulled on 1 November and 1 December.
sandbox = stats_data.sandbox
pulled = stats_data.pulled


@pytest.mark.slow  # publishes the 105-video channel and pulls twice
def test_read_novembers_statistics_in_arabic(signed_in: SignedIn, pulled: Pulled) -> None:
    page = signed_in("viewer")
    switch_language(page, "ar")
    page.click("nav a[href='/stats']")
    expect(page.locator("h1")).to_have_text("الإحصاءات")
    expect(page.locator("#report-lang")).to_have_value("ar")  # the interface's language
    page.fill("#month", "2026-11")
    page.select_option("#compare", "previous")
    page.click(".stats-form button")
    expect(page).to_have_url(re.compile(r"/stats\?month=2026-11&.*compare=previous"))
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    report = page.locator("section.report")
    expect(report).to_have_attribute("dir", "rtl")
    views = _playlist_views(pulled.channel, "advisory-cv", *stats_data.NOVEMBER)
    row = page.locator("table.stats").first.locator("tr", has_text="advisory-cv")
    name, number = row.locator("td").nth(1), row.locator("td").nth(3)
    expect(name).to_have_text("نصائح: السيرة الذاتية")
    expect(number).to_have_text(labels.number(views, "ar"))
    assert number.evaluate("e => getComputedStyle(e).direction") == "ltr"
    first, second = (row.locator("td").nth(n).bounding_box() for n in (0, 1))
    assert first is not None
    assert second is not None
    assert first["x"] > second["x"]  # the table runs right to left
    chart = page.locator(".chart img")
    expect(chart).to_have_attribute("alt", re.compile("^تطور المشاهدات حسب قائمة التشغيل"))
    # Loaded and decoded (a picture the policy blocked would reject): the chart itself.
    assert chart.evaluate("image => image.decode().then(() => image.naturalWidth)") == 1210
    # The interface in French again: the same report, its period and comparison kept.
    switch_language(page, "fr")
    expect(page.locator("h1")).to_have_text("Statistiques")
    expect(page).to_have_url(re.compile(r"/stats\?month=2026-11&.*compare=previous"))
    expect(page.locator("#month")).to_have_value("2026-11")
    expect(page.locator("#compare")).to_have_value("previous")
    expect(page.locator("table.stats").first.locator("tr", has_text="advisory-cv")).to_be_visible()


@pytest.mark.slow
def test_the_arabic_statistics_have_no_serious_accessibility_violation(
    signed_in: SignedIn, pulled: Pulled
) -> None:
    page = signed_in("viewer", locale="ar", then="/stats?month=2026-11&compare=previous", axe=True)
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert not serious_violations(page)

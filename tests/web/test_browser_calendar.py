"""The calendar in a real browser: an editor moves a booking to another day and sees it
there; the Arabic page is mirrored and, forms open, has no serious accessibility problem."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect
from typer.testing import CliRunner

from media_hub.catalog.service import CatalogService
from media_hub.hub import Hub
from tests.web.browser_helpers import SignedIn, serious_violations
from tests.web.test_web_calendar import book_two_episodes, two_clips

pytestmark = pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return two_clips(tmp_path_factory.mktemp("clips"))


@pytest.fixture
def booked(hub: Hub, runner: CliRunner, clips: list[Path]) -> list[int]:
    return book_two_episodes(hub, runner, clips)


def test_an_editor_moves_a_booking_to_another_day(
    signed_in: SignedIn, booked: list[int], catalog: CatalogService
) -> None:
    first, _ = booked
    page = signed_in("editor")
    page.click("nav[aria-label='Navigation'] a[href='/calendar']")
    expect(page.locator("h1")).to_contain_text("Calendrier")
    page.goto("/calendar?week=2027-W01")
    booking = page.locator(f"li.publication[data-asset='{first}']")
    expect(booking.locator(".time")).to_have_text("10:00")
    expect(booking.locator(".title")).to_have_text("Conseil 1")
    booking.locator("summary").click()  # a <details>: no script needed to open it
    booking.locator("input[name='date']").fill("2027-01-07")
    booking.locator("input[name='time']").fill("18:30")
    booking.locator("form.move button").click()
    expect(page.locator(".notice")).to_have_text("Déplacé.")
    thursday = page.locator("li.day[data-day='2027-01-07']")
    expect(thursday.locator("h2")).to_have_text("jeudi 7 janvier 2027")
    expect(thursday.locator(f"li.publication[data-asset='{first}'] .time")).to_have_text("18:30")
    expect(page.locator("li.day[data-day='2027-01-05'] li.publication")).to_have_count(0)
    [publication] = catalog.show(first)["publications"]
    zone = ZoneInfo("Africa/Casablanca")
    moved = datetime(2027, 1, 7, 18, 30, tzinfo=zone).astimezone(UTC)
    assert datetime.fromisoformat(publication["scheduled_at"]) == moved

    # A time in the past: the line that says why, beside the form, which stays open.
    booking = page.locator(f"li.publication[data-asset='{first}']")
    booking.locator("summary").click()
    booking.locator("input[name='date']").fill("2020-01-07")
    booking.locator("form.move button").click()
    expect(page.locator("p.problem[role='alert']")).to_contain_text("is in the past")
    expect(page.locator(f"li.publication[data-asset='{first}'] details")).to_have_attribute(
        "open", ""
    )
    assert datetime.fromisoformat(catalog.show(first)["publications"][0]["scheduled_at"]) == moved


def test_the_arabic_calendar_is_mirrored_and_accessible(
    signed_in: SignedIn, booked: list[int]
) -> None:
    page = signed_in("admin", locale="ar", then="/calendar?week=2027-W01", axe=True)
    expect(page.locator("h1")).to_contain_text("التقويم")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    monday = page.locator("li.day[data-day='2027-01-04']").bounding_box()
    tuesday = page.locator("li.day[data-day='2027-01-05']").bounding_box()
    assert monday is not None
    assert tuesday is not None
    assert monday["x"] > tuesday["x"]  # the week reads from the right
    page.locator("li.publication summary").first.click()
    assert not serious_violations(page)

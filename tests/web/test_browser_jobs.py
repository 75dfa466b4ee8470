"""The work-in-progress page in a real browser: htmx polls the rows, so a running job's
progress moves on the page without a reload."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from media_hub.catalog.service import CatalogService
from media_hub.hub import Hub
from media_hub.jobs import queue
from tests.web.browser_helpers import SignedIn
from tests.web.conftest import add_asset

pytestmark = pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)


def test_a_running_jobs_progress_moves_without_a_reload(
    signed_in: SignedIn, catalog: CatalogService, hub: Hub
) -> None:
    asset_id = add_asset(catalog)
    job_id = queue.enqueue(hub.db, "transcode", {"asset_id": asset_id}, asset_id)
    assert queue.claim(hub.db, "w", None, 60) is not None
    queue.record_progress(hub.db, job_id, "w", 0.2)
    page = signed_in("viewer", then="/jobs")
    row = page.locator(f"#job-{job_id}")
    expect(row.locator(".percent")).to_have_text("20 %")
    expect(row).to_contain_text("en cours")
    page.evaluate("window.__same_page = true")
    queue.record_progress(hub.db, job_id, "w", 0.65)
    expect(row.locator(".percent")).to_have_text("65 %", timeout=10_000)
    assert page.evaluate("window.__same_page") is True  # swapped in, not reloaded

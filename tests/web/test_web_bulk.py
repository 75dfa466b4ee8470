"""Bulk set in the browser: a query, changes as `catalog set` takes them, the plan, apply."""

from __future__ import annotations

import html
import re

from starlette.testclient import TestClient

from media_hub.catalog.assets import AssetEdit
from media_hub.catalog.service import CatalogService
from tests.web.conftest import add_asset, csrf_of, sign_in


def _hidden(page: str) -> dict[str, str]:
    return {
        name: html.unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page)
    }


def test_preview_then_apply(client: TestClient, catalog: CatalogService) -> None:
    first = add_asset(catalog, fr="Rédiger son CV")
    second = add_asset(catalog, fr="Réussir son entretien")
    sign_in(client, "librarian")
    token = csrf_of(client.get("/bulk").text)
    preview = client.post(
        "/bulk",
        data={"q": f"id:{first}..{second}", "changes": "topics+=cv\nstatus=ready",
              "step": "preview", "csrf_token": token},
    )  # fmt: skip
    assert preview.status_code == 200
    rows = re.findall(
        r"<tr><td><a href=\"/assets/(\d+)\">\d+</a></td><td>([a-z.]+)</td>", preview.text
    )
    assert sorted(rows) == sorted(
        [(str(first), "status"), (str(first), "topics"), (str(second), "status"),
         (str(second), "topics")]
    )  # fmt: skip
    assert catalog.show(first)["status"] == "draft"  # a preview changes nothing
    applied = client.post("/bulk", data={**_hidden(preview.text.split("<h2>")[1]), "step": "apply"})
    assert applied.status_code == 303
    for asset_id in (first, second):
        record = catalog.show(asset_id)
        assert (record["status"], record["topics"]) == ("ready", ["cv"])
    assert {e["user"] for e in catalog.history(first) if e["version"] == 2} == {"librarian"}


def test_apply_refuses_assets_changed_since_the_preview(
    client: TestClient, catalog: CatalogService
) -> None:
    asset_id = add_asset(catalog, fr="Rédiger son CV")
    sign_in(client, "librarian")
    token = csrf_of(client.get("/bulk").text)
    preview = client.post(
        "/bulk",
        data={"q": f"id:{asset_id}", "changes": "status=ready", "step": "preview",
              "csrf_token": token},
    )  # fmt: skip
    catalog.edit(asset_id, AssetEdit(titles={"fr": "Changé"}), user="karim")
    applied = client.post("/bulk", data={**_hidden(preview.text.split("<h2>")[1]), "step": "apply"})
    assert applied.status_code == 400
    assert "changed by someone else" in applied.text
    assert catalog.show(asset_id)["status"] == "draft"
    wrong = client.post(
        "/bulk", data={"q": "id:1", "changes": "colour=red", "step": "preview", "csrf_token": token}
    )
    assert wrong.status_code == 400
    assert "not a field set can change" in wrong.text


def test_ticked_assets_in_the_list_are_the_ones_changed(
    client: TestClient, catalog: CatalogService
) -> None:
    ids = [add_asset(catalog, fr=f"Conseil {n}") for n in range(4)]
    sign_in(client, "librarian")
    listed = client.get("/?view=list").text
    boxes = re.findall(r'<input type="checkbox" name="id" value="(\d+)" form="selection"', listed)
    assert boxes == [str(asset_id) for asset_id in ids]
    assert '<form method="get" action="/bulk" id="selection">' in listed
    form = client.get("/bulk", params=[("id", str(ids[3])), ("id", str(ids[1]))]).text
    query = html.unescape(re.findall(r'<input id="q" name="q" dir="auto" value="([^"]*)"', form)[0])
    assert query == f"id:{ids[1]},{ids[3]}"
    preview = client.post(
        "/bulk",
        data={"q": query, "changes": "status=ready", "step": "preview",
              "csrf_token": csrf_of(form)},
    )  # fmt: skip
    applied = client.post("/bulk", data={**_hidden(preview.text.split("<h2>")[1]), "step": "apply"})
    assert applied.status_code == 303
    statuses = [catalog.show(asset_id)["status"] for asset_id in ids]
    assert statuses == ["draft", "ready", "draft", "ready"]


def test_a_viewer_gets_no_checkboxes(client: TestClient, catalog: CatalogService) -> None:
    add_asset(catalog, fr="Conseil")
    sign_in(client, "viewer")
    listed = client.get("/?view=list").text
    assert 'type="checkbox"' not in listed
    assert 'action="/bulk"' not in listed

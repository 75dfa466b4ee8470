"""An edit that meets someone else's: merged by the library's merge (from the audit log, not
from what the form claims), shown field by field (theirs, by whom, and mine), resolved per
field, all mine or all theirs, and saved at the current version; a conflict that arrives
during that save is caught again."""

from __future__ import annotations

import html
import re

from starlette.testclient import TestClient

from media_hub.catalog.assets import AssetEdit, NewAsset
from media_hub.catalog.service import CatalogService
from media_hub.catalog.vocabulary import AssetKind, AssetStatus
from tests.web.conftest import sign_in
from tests.web.test_web_pages import edit_form, edit_form_of


def _asset(catalog: CatalogService) -> int:
    record = catalog.add(
        NewAsset(
            kind=AssetKind.VIDEO, titles={"fr": "Rédiger son CV", "ar": "السيرة الذاتية"},
            descriptions={"fr": "Conseils."},
        ),
        user="setup",
    )  # fmt: skip
    return record["id"]


def _karim_edits(catalog: CatalogService, asset_id: int) -> None:
    catalog.edit(
        asset_id,
        AssetEdit(titles={"fr": "Le CV, par Karim"}, descriptions={"fr": "Selon Karim."},
                  status=AssetStatus.READY),
        user="karim",
    )  # fmt: skip


def _conflict_of(page: str, field: str) -> dict[str, str]:
    found = re.search(
        rf'<fieldset class="conflict" id="conflict-{re.escape(field)}">(.*?)</fieldset>', page, re.S
    )
    assert found, f"no conflict on {field}"
    values = dict(re.findall(r'<dd class="(theirs|mine)"[^>]*>(.*?)</dd>', found[1], re.S))
    by = re.search(r'<p class="by"><span[^>]*>(.*?)</span>', found[1])
    assert by
    return {key: html.unescape(value) for key, value in values.items()} | {"by": by[1]}


def _mine(form: dict[str, str]) -> dict[str, str]:
    return {
        **form, "title.fr": "Le CV, par Amina", "description.fr": "Pas à pas.",
        "title.ar": "كيف تكتب سيرتك",
    }  # fmt: skip


def test_each_field_shows_theirs_and_mine_and_is_chosen_one_by_one(
    client: TestClient, catalog: CatalogService
) -> None:
    asset_id = _asset(catalog)
    sign_in(client, "librarian")
    form = edit_form(client, asset_id)  # version 1
    _karim_edits(catalog, asset_id)  # version 2
    conflict = client.post(f"/assets/{asset_id}/edit", data=_mine(form))
    assert conflict.status_code == 409
    assert _conflict_of(conflict.text, "title.fr") == {
        "theirs": "Le CV, par Karim", "mine": "Le CV, par Amina", "by": "karim",
    }  # fmt: skip
    assert _conflict_of(conflict.text, "description.fr")["theirs"] == "Selon Karim."
    assert 'id="conflict-title.ar"' not in conflict.text  # only I changed it: taken
    assert 'id="conflict-status"' not in conflict.text  # only Karim changed it: kept
    merged = edit_form_of(conflict.text)
    assert merged["version"] == "2"
    assert merged["status"] == "ready"
    assert merged["title.ar"] == "كيف تكتب سيرتك"
    assert catalog.show(asset_id)["version"] == 2  # nothing written yet

    chosen = {**merged, "resolve.title.fr": "theirs", "resolve.description.fr": "mine"}
    saved = client.post(f"/assets/{asset_id}/edit", data=chosen)
    assert saved.status_code == 303
    record = catalog.show(asset_id)
    assert record["titles"] == {"fr": "Le CV, par Karim", "ar": "كيف تكتب سيرتك"}
    assert record["descriptions"]["fr"] == "Pas à pas."
    assert (record["status"], record["version"]) == ("ready", 3)
    assert {e["user"] for e in catalog.history(asset_id) if e["version"] == 3} == {"librarian"}


def test_keep_all_mine_overrides_the_per_field_choices(
    client: TestClient, catalog: CatalogService
) -> None:
    asset_id = _asset(catalog)
    sign_in(client, "librarian")
    form = edit_form(client, asset_id)
    _karim_edits(catalog, asset_id)
    merged = edit_form_of(client.post(f"/assets/{asset_id}/edit", data=_mine(form)).text)
    everything = {**merged, "resolve.title.fr": "theirs", "resolution": "mine"}
    assert client.post(f"/assets/{asset_id}/edit", data=everything).status_code == 303
    record = catalog.show(asset_id)
    assert record["titles"]["fr"] == "Le CV, par Amina"
    assert record["descriptions"]["fr"] == "Pas à pas."
    assert record["status"] == "ready"  # Karim's, which I left alone


def test_a_conflict_during_the_resolution_is_caught_again(
    client: TestClient, catalog: CatalogService
) -> None:
    asset_id = _asset(catalog)
    sign_in(client, "librarian")
    form = edit_form(client, asset_id)
    _karim_edits(catalog, asset_id)
    merged = edit_form_of(client.post(f"/assets/{asset_id}/edit", data=_mine(form)).text)
    catalog.edit(asset_id, AssetEdit(titles={"fr": "Le CV, par Salma"}), user="salma")  # v3
    again = client.post(f"/assets/{asset_id}/edit", data={**merged, "resolve.title.fr": "mine"})
    assert again.status_code == 409
    assert _conflict_of(again.text, "title.fr") == {
        "theirs": "Le CV, par Salma", "mine": "Le CV, par Amina", "by": "salma",
    }  # fmt: skip
    assert 'id="conflict-description.fr"' not in again.text  # resolved already, Salma left it
    assert re.search(r"<strong[^>]*>salma</strong>", again.text)
    assert catalog.show(asset_id)["titles"]["fr"] == "Le CV, par Salma"
    final = client.post(f"/assets/{asset_id}/edit", data=edit_form_of(again.text))
    assert final.status_code == 303
    record = catalog.show(asset_id)
    assert (record["titles"]["fr"], record["descriptions"]["fr"], record["version"]) == (
        "Le CV, par Amina", "Pas à pas.", 4,
    )  # fmt: skip


def test_the_merge_reads_the_audit_log_not_the_forms_claim(
    client: TestClient, catalog: CatalogService
) -> None:
    asset_id = _asset(catalog)
    sign_in(client, "librarian")
    form = edit_form(client, asset_id)
    _karim_edits(catalog, asset_id)
    # A form whose `base` claims it was read with Karim's title: the save still conflicts
    # (the version is old), and the merge finds from the log that Karim changed it after.
    forged = form["base"].replace("Rédiger son CV", "Le CV, par Karim")
    conflict = client.post(f"/assets/{asset_id}/edit", data={**_mine(form), "base": forged})
    assert conflict.status_code == 409
    assert _conflict_of(conflict.text, "title.fr")["theirs"] == "Le CV, par Karim"

"""An edit that meets someone else's: merged by the library's merge (from the audit log, not
from what the form claims), shown field by field (theirs, by whom, and mine), resolved per
field, all mine or all theirs, and saved at the current version; a conflict that arrives
during that save is caught again."""

from __future__ import annotations

import html
import re

import pytest
from httpx2 import Response
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


def _meet_karim(
    client: TestClient, catalog: CatalogService, forge_base: bool = False
) -> tuple[int, Response]:
    """The librarian opens the edit form (version 1), Karim saves (version 2), then she saves
    her changes: the answer is the conflict. `forge_base`: her form's `base` claims she read
    Karim's title already."""
    asset_id = _asset(catalog)
    sign_in(client, "librarian")
    form = edit_form(client, asset_id)
    _karim_edits(catalog, asset_id)
    if forge_base:
        form["base"] = form["base"].replace("Rédiger son CV", "Le CV, par Karim")
    return asset_id, client.post(f"/assets/{asset_id}/edit", data=_mine(form))


# The merge reads the audit log, not the form's claim: a `base` that says it was read with
# Karim's title still conflicts (the version is old), and the log shows Karim changed it after.
@pytest.mark.parametrize("forge_base", [False, True], ids=["honest-base", "forged-base"])
def test_each_field_shows_theirs_by_whom_and_mine(
    client: TestClient, catalog: CatalogService, forge_base: bool
) -> None:
    asset_id, conflict = _meet_karim(client, catalog, forge_base)
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


# What the librarian sends on the merged form; what the asset then holds (its titles, French
# description and version) and who saved that version.
RESOLUTIONS = {
    "chosen-field-by-field": (
        {"resolve.title.fr": "theirs", "resolve.description.fr": "mine"},
        ({"fr": "Le CV, par Karim", "ar": "كيف تكتب سيرتك"}, "Pas à pas.", 3, "librarian"),
    ),
    "keep-all-mine-overrides-the-choices": (
        {"resolve.title.fr": "theirs", "resolution": "mine"},
        ({"fr": "Le CV, par Amina", "ar": "كيف تكتب سيرتك"}, "Pas à pas.", 3, "librarian"),
    ),
    "take-all-theirs-saves-nothing": (
        {"resolve.title.fr": "mine", "resolution": "theirs"},
        ({"fr": "Le CV, par Karim", "ar": "السيرة الذاتية"}, "Selon Karim.", 2, "karim"),
    ),
}


@pytest.mark.parametrize(("choices", "held"), RESOLUTIONS.values(), ids=RESOLUTIONS.keys())
def test_the_resolution_decides_what_is_saved(
    client: TestClient,
    catalog: CatalogService,
    choices: dict[str, str],
    held: tuple[dict[str, str], str, int, str],
) -> None:
    asset_id, conflict = _meet_karim(client, catalog)
    saved = client.post(f"/assets/{asset_id}/edit", data={**edit_form_of(conflict.text), **choices})
    assert saved.status_code == 303
    record = catalog.show(asset_id)
    titles, description, version, by = held
    assert (record["titles"], record["descriptions"]["fr"], record["version"]) == (
        titles, description, version,
    )  # fmt: skip
    assert record["status"] == "ready"  # Karim's, which no choice touches
    assert {e["user"] for e in catalog.history(asset_id) if e["version"] == version} == {by}


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

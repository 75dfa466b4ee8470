"""The pages librarians use: search, facets and pages of the catalog; an asset's texts; the
edit form with the CLI's validation and conflicts; history and revert."""

from __future__ import annotations

import html
import re
from dataclasses import replace

from starlette.testclient import TestClient

from media_hub.catalog.assets import AssetEdit, NewAsset
from media_hub.catalog.querylang import parse_query
from media_hub.catalog.service import CatalogService
from media_hub.catalog.vocabulary import AssetKind, AssetStatus
from media_hub.hub import Hub
from media_hub.web.app import create_app
from media_hub.web.config import WebConfig
from media_hub.web.paging import page_query, with_term
from tests.web.conftest import add_asset, csrf_of, sign_in


def _ids(page: str) -> list[int]:
    return [int(found) for found in re.findall(r'<a href="/assets/(\d+)"', page)]


def test_search_uses_the_query_language_and_arabic_without_tashkeel(
    client: TestClient, catalog: CatalogService
) -> None:
    cv = add_asset(catalog, ar="كيف تكتب السِّيرَة الذاتية", fr="Rédiger son CV")
    other = add_asset(catalog, fr="Réussir son entretien")
    sign_in(client, "viewer")
    assert _ids(client.get("/", params={"q": "سيرة"}).text) == [cv]
    assert _ids(client.get("/", params={"q": "entretien lang:fr"}).text) == [other]
    assert _ids(client.get("/", params={"q": f"id:{other}.."}).text) == [other]
    refused = client.get("/", params={"q": "colour:red"})
    assert refused.status_code == 200
    assert "unknown term &#39;colour:red&#39;" in refused.text
    assert _ids(refused.text) == []


def test_facets_set_a_term_and_grid_and_list_show_the_same_assets(
    client: TestClient, catalog: CatalogService
) -> None:
    draft = add_asset(catalog, fr="Brouillon")
    ready = add_asset(catalog, fr="Prêt")
    catalog.edit(ready, AssetEdit(status=AssetStatus.READY))
    sign_in(client, "viewer")
    page = client.get("/").text
    found = re.search(r'href="(/\?q=status%3Aready[^"]*)"', page)
    assert found, "no facet link for status:ready"
    link = html.unescape(found[1])
    assert _ids(client.get(link).text) == [ready]
    assert with_term("status:draft cv", "status", "ready") == "cv status:ready"
    grid = client.get("/?view=grid").text
    listed = client.get("/?view=list").text
    assert 'class="grid"' in grid
    assert "<table" in listed
    assert _ids(grid) == _ids(listed) == [draft, ready]


def test_playlist_facet_names_the_playlist_in_the_page_language(
    client: TestClient, catalog: CatalogService
) -> None:
    listed = catalog.add(
        NewAsset(kind=AssetKind.VIDEO, titles={"fr": "Le CV"}, playlists=["advisory-cv"])
    )["id"]
    add_asset(catalog, fr="Ailleurs")
    sign_in(client, "viewer")
    page = client.get("/", headers={"Accept-Language": "ar"}).text
    found = re.search(r'href="(/\?q=playlist%3Aadvisory-cv[^"]*)"[^>]*>([^<]+)<', page)
    assert found, "no facet link for playlist:advisory-cv"
    assert found[2] == "نصائح: السيرة الذاتية"  # its Arabic name, not its slug
    assert _ids(client.get(html.unescape(found[1])).text) == [listed]
    assert 'href="/?q=platform%3Ayoutube' in page


def test_keyset_pages_walk_the_catalog_once(
    hub: Hub, web_config: WebConfig, people: object, catalog: CatalogService
) -> None:
    ids = [add_asset(catalog, fr=f"Clip {n}") for n in range(7)]
    client = TestClient(create_app(hub, replace(web_config, page_size=3)), follow_redirects=False)
    sign_in(client, "viewer")
    seen: list[int] = []
    url = "/?view=list"
    for _ in range(5):
        page = client.get(url).text
        seen += _ids(page)
        following = re.search(r'rel="next" href="([^"]+)"', page)
        if following is None:
            break
        url = html.unescape(following[1])
    assert seen == ids
    # An id range in the query is kept, narrowed by the page's start.
    query = page_query(parse_query([f"id:..{ids[4]}"]), ids[2], 3)
    assert [(r.low, r.high) for r in query.ranges] == [(ids[2] + 1, ids[4])]


def test_asset_page_sets_texts_side_by_side_with_their_direction(
    client: TestClient, catalog: CatalogService
) -> None:
    asset_id = add_asset(catalog, ar="كيف تكتب سيرتك الذاتية", fr="Rédiger son CV")
    sign_in(client, "viewer")
    page = client.get(f"/assets/{asset_id}").text
    assert '<section class="text" lang="ar" dir="rtl">' in page
    assert '<section class="text" lang="fr" dir="auto">' in page
    assert "كيف تكتب سيرتك الذاتية" in page
    assert "Rédiger son CV" in page
    assert f'href="/assets/{asset_id}/edit"' not in page  # a viewer gets no edit link


def edit_form(client: TestClient, asset_id: int) -> dict[str, str]:
    """The edit form's fields as the browser would send them untouched."""
    return edit_form_of(client.get(f"/assets/{asset_id}/edit").text)


def test_edit_is_recorded_under_the_web_user_and_refusals_are_inline(
    client: TestClient, catalog: CatalogService
) -> None:
    asset_id = add_asset(catalog, fr="Rédiger son CV")
    sign_in(client, "librarian")
    form = edit_form(client, asset_id)
    refused = client.post(
        f"/assets/{asset_id}/edit", data={**form, "episode": "trois", "title.en": "x" * 101}
    )
    assert refused.status_code == 400
    assert 'id="episode-problem"' in refused.text
    assert "&#39;trois&#39; is not a whole number" in refused.text
    assert 'value="trois"' in refused.text  # what was typed stays in the form
    too_long = client.post(f"/assets/{asset_id}/edit", data={**form, "title.en": "x" * 101})
    assert too_long.status_code == 400
    assert 'id="title.en-problem"' in too_long.text
    assert "YouTube allows 100" in too_long.text
    rule = client.post(f"/assets/{asset_id}/edit", data={**form, "episode": "4"})
    assert rule.status_code == 400  # the catalog's own rule, as catalog edit meets it
    assert "an asset without a series has no episode numbers" in rule.text
    saved = client.post(
        f"/assets/{asset_id}/edit",
        data={**form, "title.fr": "Rédiger un bon CV", "recorded_date": "2014-03-12"},
    )
    assert saved.status_code == 303
    record = catalog.show(asset_id)
    assert (record["titles"]["fr"], record["recorded_date"], record["version"]) == (
        "Rédiger un bon CV", "2014-03-12", 2,
    )  # fmt: skip
    history = catalog.history(asset_id)
    assert {e["user"] for e in history if e["version"] == 2} == {"librarian"}


def test_a_conflict_shows_their_change_and_lets_the_editor_choose(
    client: TestClient, catalog: CatalogService
) -> None:
    asset_id = add_asset(catalog, fr="Rédiger son CV", ar="السيرة الذاتية")
    sign_in(client, "librarian")
    form = edit_form(client, asset_id)  # read at version 1
    catalog.edit(asset_id, AssetEdit(titles={"fr": "Le CV, par Karim", "ar": "سيرة كريم"}),
                 user="karim")  # fmt: skip
    mine = {**form, "title.fr": "Le CV, par Amina", "description.fr": "Pas à pas."}
    conflict = client.post(f"/assets/{asset_id}/edit", data=mine)
    assert conflict.status_code == 409
    assert "karim" in conflict.text
    assert 'id="conflict-title.fr"' in conflict.text
    assert "Le CV, par Karim" in conflict.text
    assert 'id="conflict-title.ar"' not in conflict.text  # only Karim changed it
    assert catalog.show(asset_id)["titles"]["fr"] == "Le CV, par Karim"  # nothing overwritten
    merged = edit_form_of(conflict.text)
    # Merge: take Karim's title, keep my description; his Arabic title stays.
    answer = client.post(f"/assets/{asset_id}/edit", data={**merged, "resolve.title.fr": "theirs"})
    assert answer.status_code == 303
    record = catalog.show(asset_id)
    assert record["titles"] == {"fr": "Le CV, par Karim", "ar": "سيرة كريم"}
    assert record["descriptions"]["fr"] == "Pas à pas."
    assert record["version"] == 3


def test_take_theirs_drops_my_changes(client: TestClient, catalog: CatalogService) -> None:
    asset_id = add_asset(catalog, fr="Rédiger son CV")
    sign_in(client, "librarian")
    form = edit_form(client, asset_id)
    catalog.edit(asset_id, AssetEdit(titles={"fr": "Le CV, par Karim"}), user="karim")
    conflict = client.post(f"/assets/{asset_id}/edit", data={**form, "title.fr": "Le mien"})
    assert conflict.status_code == 409
    merged = edit_form_of(conflict.text)
    kept = client.post(f"/assets/{asset_id}/edit", data=merged)  # keep mine
    assert kept.status_code == 303
    assert catalog.show(asset_id)["titles"]["fr"] == "Le mien"
    form = edit_form(client, asset_id)
    catalog.edit(asset_id, AssetEdit(titles={"fr": "Encore Karim"}), user="karim")
    conflict = client.post(f"/assets/{asset_id}/edit", data={**form, "title.fr": "Encore moi"})
    taken = client.post(
        f"/assets/{asset_id}/edit", data={**edit_form_of(conflict.text), "resolution": "theirs"}
    )
    assert taken.status_code == 303
    assert catalog.show(asset_id)["titles"]["fr"] == "Encore Karim"


def edit_form_of(page: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    for tag in re.findall(r"<input[^>]*>", page):
        name = re.search(r' name="([^"]+)"', tag)
        value = re.search(r' value="([^"]*)"', tag)
        if name and value and ' type="radio"' not in tag and ' type="checkbox"' not in tag:
            fields[name[1]] = html.unescape(value[1])
    for name, selected in re.findall(
        r'<select id="[^"]+" name="([^"]+)">.*?<option value="([^"]+)" selected', page, re.S
    ):
        fields[name] = selected
    for name, body in re.findall(
        r'<textarea[^>]* name="([^"]+)"[^>]*>(.*?)</textarea>', page, re.S
    ):
        fields[name] = html.unescape(body)
    fields["csrf_token"] = csrf_of(page)
    return fields


def test_history_and_revert(client: TestClient, catalog: CatalogService) -> None:
    asset_id = add_asset(catalog, fr="Premier titre")
    catalog.edit(asset_id, AssetEdit(titles={"fr": "Second titre"}), user="karim")
    sign_in(client, "librarian")
    page = client.get(f"/assets/{asset_id}/history").text
    assert "Second titre" in page
    assert "karim" in page
    token = csrf_of(page)
    answer = client.post(f"/assets/{asset_id}/revert", data={"version": "1", "csrf_token": token})
    assert answer.status_code == 303
    record = catalog.show(asset_id)
    assert (record["titles"]["fr"], record["version"]) == ("Premier titre", 3)
    assert {e["user"] for e in catalog.history(asset_id) if e["version"] == 3} == {"librarian"}
    unknown = client.post(f"/assets/{asset_id}/revert", data={"version": "9", "csrf_token": token})
    assert unknown.status_code == 404


def test_asset_page_names_series_topics_and_playlists_in_the_page_language(
    client: TestClient, catalog: CatalogService
) -> None:
    record = catalog.add(
        NewAsset(kind=AssetKind.VIDEO, series="advisory-clips", topics=["cv"],
                 titles={"fr": "Rédiger son CV"}),
        user="setup",
    )  # fmt: skip
    sign_in(client, "viewer")
    french = client.get(f"/assets/{record['id']}").text
    assert "Clips conseils</span> <code>advisory-clips</code>" in french  # the slug to search by
    client.cookies.clear()
    client.headers["accept-language"] = "ar"
    sign_in(client, "viewer")
    arabic = client.get(f"/assets/{record['id']}").text
    assert "كبسولات النصائح</span> <code>advisory-clips</code>" in arabic
    assert "<code>cv</code>" in arabic

"""The interface in French, Arabic (mirrored) and English: every message translated, the
browser's Accept-Language as the default, the person's choice kept in the session, and the
switch coming back to the same page with the same query."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from starlette.testclient import TestClient

from media_hub.catalog.user_models import Role
from media_hub.catalog.vocabulary import AssetKind, AssetStatus
from media_hub.web import calendar_view, i18n
from media_hub.web.i18n import negotiate
from tests.web.conftest import csrf_of, sign_in

WEB = Path(i18n.__file__).parent


def _messages() -> set[str]:
    """What the pages can show, as `make messages` extracts it (Babel's own extractors)."""
    method_map = [("templates/**.html", "jinja2"), ("**.py", "python")]
    found = {
        message
        for _, _, message, _, _ in extract_from_dir(
            WEB, method_map, keywords={"_": None, "N_": None}
        )
        if isinstance(message, str)
    }
    assert {"Catalog", "Wrong name or password.", "Series", "Not found", "draft"} <= found
    assert {role.value for role in Role} | {s.value for s in AssetStatus} <= found
    assert {k.value for k in AssetKind} <= found
    assert set(calendar_view.STATUSES) <= found
    return found


def _catalog(lang: str) -> dict[str, str]:
    with (i18n.LOCALE / lang / "LC_MESSAGES" / "messages.po").open("rb") as stream:
        return {
            m.id: m.string
            for m in read_po(stream)
            if isinstance(m.id, str) and m.id and isinstance(m.string, str)
        }


@pytest.mark.parametrize("catalog_name", ["fr", "ar"])
def test_every_message_is_translated(catalog_name: str) -> None:
    translations = _catalog(catalog_name)
    missing = sorted(m for m in _messages() if not translations.get(m))
    assert not missing


def test_accept_language_decides_until_the_person_picks(client: TestClient) -> None:
    arabic = client.get("/login", headers={"Accept-Language": "ar-MA,ar;q=0.9,fr;q=0.8"}).text
    assert '<html lang="ar" dir="rtl">' in arabic
    assert "تسجيل الدخول" in arabic
    english = client.get("/login", headers={"Accept-Language": "en-GB,en;q=0.9"}).text
    assert '<html lang="en" dir="ltr">' in english
    unasked = client.get("/login", headers={"Accept-Language": ""}).text
    assert '<html lang="fr" dir="ltr">' in unasked  # the team's default
    sign_in(client, "viewer")
    token = csrf_of(client.get("/").text)
    chosen = client.post(
        "/language", data={"lang": "ar", "next": "//evil.example", "csrf_token": token}
    )
    assert chosen.status_code == 303
    assert chosen.headers["location"] == "/"  # only a path of this site
    page = client.get("/", headers={"Accept-Language": "en"}).text
    assert '<html lang="ar" dir="rtl">' in page
    assert "الفهرس" in page


def test_negotiation_follows_q_values() -> None:
    offered = ("fr", "ar", "en")
    assert negotiate("en;q=0.5, ar;q=0.8", offered) == "ar"
    assert negotiate("de, en;q=0.1", offered) == "en"
    assert negotiate("de", offered) == "fr"
    assert negotiate("ar;q=0, en", offered) == "en"


def _comes_back_to(page: str) -> str:
    """Where the header's language switch sends back to."""
    found = re.search(r'<form class="languages".*?name="next" value="([^"]*)"', page, re.S)
    assert found, "the page has no language switch"
    return html.unescape(found[1])


def test_switching_the_language_keeps_the_pages_query(client: TestClient) -> None:
    sign_in(client, "viewer")
    stats = client.get("/stats?month=2026-11&by=topic&compare=previous").text
    back = _comes_back_to(stats)
    assert back == "/stats?month=2026-11&by=topic&compare=previous"
    token = csrf_of(stats)
    chosen = client.post("/language", data={"lang": "ar", "next": back, "csrf_token": token})
    assert chosen.status_code == 303
    assert chosen.headers["location"] == back
    again = client.get(back).text
    assert '<html lang="ar" dir="rtl">' in again
    assert 'name="month" type="month" value="2026-11"' in again  # the period and grouping kept
    assert '<option value="topic" selected>' in again
    assert '<option value="previous" selected>' in again

    # Any query: repeated keys, Arabic, a space and a backslash, re-encoded so the switch's
    # check of local paths takes it; a CSRF token in a query is never carried on.
    search = client.get("/?q=سيرة a\\b&topic=cv&topic=jobs&csrf_token=" + token).text
    back = _comes_back_to(search)
    assert back == "/?q=%D8%B3%D9%8A%D8%B1%D8%A9+a%5Cb&topic=cv&topic=jobs"
    chosen = client.post("/language", data={"lang": "fr", "next": back, "csrf_token": token})
    assert chosen.headers["location"] == back


def test_switching_the_language_while_signing_in_keeps_where_sign_in_leads(
    client: TestClient,
) -> None:
    login = client.get("/login?next=/stats%3Fmonth%3D2026-11").text
    back = _comes_back_to(login)
    assert back == "/login?next=%2Fstats%3Fmonth%3D2026-11"
    token = csrf_of(login)
    chosen = client.post("/language", data={"lang": "ar", "next": back, "csrf_token": token})
    assert chosen.headers["location"] == back
    again = client.get(back).text
    assert '<html lang="ar" dir="rtl">' in again
    assert '<input type="hidden" name="next" value="/stats?month=2026-11">' in again


def test_a_page_answering_a_post_comes_back_to_its_path_alone(client: TestClient) -> None:
    token = csrf_of(client.get("/login").text)
    refused = client.post(
        "/login?next=/stats%3Fmonth%3D2026-11",
        data={"name": "viewer", "password": "not the password", "csrf_token": token},
    )
    assert refused.status_code == 401
    assert _comes_back_to(refused.text) == "/login"  # neither the form's fields nor its URL's

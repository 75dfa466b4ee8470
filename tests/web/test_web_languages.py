"""The interface in French, Arabic (mirrored) and English: every message translated, the
browser's Accept-Language as the default, the person's choice kept in the session."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from media_hub.catalog.user_models import Role
from media_hub.catalog.vocabulary import AssetKind, AssetStatus
from media_hub.web import calendar_view, errors
from media_hub.web.i18n import negotiate
from media_hub.web.messages import AR, FR
from media_hub.web.pages import catalog as catalog_page
from tests.web.conftest import csrf_of, sign_in

TEMPLATES = Path(errors.__file__).parent / "templates"


def _messages() -> set[str]:
    found: set[str] = set()
    for template in TEMPLATES.glob("*.html"):
        found |= set(re.findall(r"_\('([^']+)'\)", template.read_text(encoding="utf-8")))
    found |= set(errors._TITLES.values()) | set(errors._ADVICE.values())
    source = Path(catalog_page.__file__).read_text(encoding="utf-8")
    found |= set(re.findall(r'\("[a-z]+", "([A-Z][a-z]+)",', source))  # facet labels
    found |= {"Wrong name or password."}
    found |= {role.value for role in Role} | {s.value for s in AssetStatus}
    found |= {k.value for k in AssetKind}
    found |= set(calendar_view.STATUSES)
    return found


@pytest.mark.parametrize("catalog_name", ["fr", "ar"])
def test_every_message_is_translated(catalog_name: str) -> None:
    translations = {"fr": FR, "ar": AR}[catalog_name]
    missing = sorted(_messages() - set(translations))
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

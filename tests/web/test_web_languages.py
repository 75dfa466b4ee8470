"""The interface in French, Arabic (mirrored) and English: every message translated, the
browser's Accept-Language as the default, the person's choice kept in the session."""

from __future__ import annotations

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

"""Fixtures for the web app: the app on a test hub, a user of each role, signed-in clients,
the app served on loopback and browser pages on it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from playwright.sync_api import Browser, BrowserContext, Page
from starlette.applications import Starlette
from starlette.testclient import TestClient

from media_hub.catalog.assets import NewAsset
from media_hub.catalog.service import CatalogService
from media_hub.catalog.user_models import Role
from media_hub.catalog.users import UserService
from media_hub.catalog.vocabulary import AssetKind
from media_hub.hub import Hub
from media_hub.web.app import create_app
from media_hub.web.config import WebConfig
from tests.web.browser_helpers import NewPage, SignedIn, sign_in_page
from tests.web.live_server import serving

PASSWORD = "correct horse battery"
# Argon2 at its lowest cost: the defaults take ~0.5 s a hash on these machines, and each test
# adds four users; the hashes are real Argon2id all the same.
CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def people(hub: Hub) -> dict[Role, str]:
    """One user of each role, named after it."""
    users = UserService(hub.db, CHEAP)
    for role in Role:
        users.add(role.value, role, PASSWORD, user="setup")
    return {role: role.value for role in Role}


@pytest.fixture
def web_config(hub: Hub) -> WebConfig:
    settings = hub.settings
    return WebConfig(
        secret_key="test-secret-key",
        thumbnails_dir=settings.path(settings.thumbnails.dir),
        password_hasher=CHEAP,
    )


@pytest.fixture
def app(hub: Hub, web_config: WebConfig, people: dict[Role, str]) -> Starlette:
    return create_app(hub, web_config)


@pytest.fixture
def client(app: Starlette) -> Iterator[TestClient]:
    """A browser asking for English pages (the messages the tests read)."""
    with TestClient(
        app, raise_server_exceptions=False, follow_redirects=False,
        headers={"Accept-Language": "en"},
    ) as opened:  # fmt: skip
        yield opened


def csrf_of(html: str) -> str:
    found = _CSRF.search(html)
    assert found, "the page has no CSRF field"
    return found[1]


def sign_in(client: TestClient, name: str, password: str = PASSWORD) -> None:
    token = csrf_of(client.get("/login").text)
    answer = client.post("/login", data={"name": name, "password": password, "csrf_token": token})
    assert answer.status_code == 303, answer.text


def add_asset(catalog: CatalogService, **titles: str) -> int:
    record = catalog.add(
        NewAsset(kind=AssetKind.VIDEO, titles=titles or {"fr": "Rédiger son CV"}), user="setup"
    )
    return record["id"]


CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Debian's chromium, headless: Playwright's own browser download cannot work here. One
    browser for the session (pytest-playwright's `browser`); a context per person."""
    if not CHROMIUM.exists():
        pytest.skip(
            f"{CHROMIUM} is missing: 'make test' installs Debian's chromium package where it "
            "may (as root or with sudo); run 'apt-get install chromium'"
        )
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": ["--no-sandbox"]}


@pytest.fixture
def live_url(app: Starlette) -> Iterator[str]:
    with serving(app) as url:
        yield url


@pytest.fixture
def new_page(browser: Browser, live_url: str) -> Iterator[NewPage]:
    """Pages on the live app, each in its own browser context, closed after the test (not
    pytest-playwright's `new_context`: its `base_url` fixture warns on this pytest)."""
    contexts: list[BrowserContext] = []

    def opened(locale: str = "fr-FR", *, axe: bool = False) -> Page:
        contexts.append(browser.new_context(base_url=live_url, locale=locale, bypass_csp=axe))
        return contexts[-1].new_page()

    yield opened
    for context in contexts:
        context.close()


@pytest.fixture
def signed_in(new_page: NewPage) -> SignedIn:
    """Pages on which someone signed in through the login form."""

    def opened(name: str, *, locale: str = "fr-FR", then: str = "/", axe: bool = False) -> Page:
        page = new_page(locale, axe=axe)
        sign_in_page(page, name, PASSWORD, then)
        return page

    return opened

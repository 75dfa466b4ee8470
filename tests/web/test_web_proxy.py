"""A TLS proxy's single sign-on: its user header is believed from its own addresses only."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient
from typer.testing import CliRunner

from media_hub.catalog.user_models import Role
from media_hub.catalog.users import UserService
from media_hub.cli import app as cli_app
from media_hub.hub import Hub
from media_hub.web.app import create_app
from media_hub.web.config import WebConfig

PROXY = ("10.1.2.3", 44000)
HEADER = "X-Remote-User"


@pytest.fixture
def sso_app(hub: Hub, web_config: WebConfig, people: dict[Role, str]) -> Starlette:
    config = replace(web_config, trusted_proxies=("10.1.2.0/24",), proxy_user_header=HEADER)
    return create_app(hub, config)


def _client(app: Starlette, address: tuple[str, int]) -> Iterator[TestClient]:
    with TestClient(
        app, raise_server_exceptions=False, follow_redirects=False,
        headers={"Accept-Language": "en"}, client=address,
    ) as opened:  # fmt: skip
        yield opened


@pytest.fixture
def via_proxy(sso_app: Starlette) -> Iterator[TestClient]:
    yield from _client(sso_app, PROXY)


@pytest.fixture
def direct(sso_app: Starlette) -> Iterator[TestClient]:
    yield from _client(sso_app, ("192.0.2.50", 44000))


def test_the_proxy_names_the_user_and_media_hub_keeps_the_role(via_proxy: TestClient) -> None:
    assert via_proxy.get("/users", headers={HEADER: "admin"}).status_code == 200
    assert via_proxy.get("/users", headers={HEADER: "Librarian"}).status_code == 403
    catalog = via_proxy.get("/", headers={HEADER: "librarian"})
    assert catalog.status_code == 200
    assert "librarian" in catalog.text  # the signed-in name in the header bar


def test_the_header_from_anyone_else_is_ignored(direct: TestClient) -> None:
    answer = direct.get("/users", headers={HEADER: "admin"})
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/login")


def test_a_proxy_user_unknown_to_media_hub_is_refused(via_proxy: TestClient, hub: Hub) -> None:
    answer = via_proxy.get("/", headers={HEADER: "stranger"})
    assert answer.status_code == 403
    assert "media-hub users add" in answer.text
    UserService(hub.db).set_disabled("editor", True, user="test")
    assert via_proxy.get("/", headers={HEADER: "editor"}).status_code == 403


def test_without_the_option_the_header_means_nothing(app: Starlette) -> None:
    for client in _client(app, ("127.0.0.1", 44000)):  # the default trusted proxy
        answer = client.get("/users", headers={HEADER: "admin"})
        assert answer.status_code == 303


def test_a_bad_proxy_address_is_one_line(runner: CliRunner) -> None:
    result = runner.invoke(cli_app, ["serve", "--proxy", "not-an-address"])
    assert result.exit_code == 2
    assert "--proxy: proxy address 'not-an-address' is not an IP address" in result.stderr
    assert "Traceback" not in result.stderr

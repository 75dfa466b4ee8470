"""`media-hub auth facebook --login`: Facebook Login on a loopback port against the sandbox's
dialog, token endpoint and `/me/accounts`, through the CLI; nothing saved unless it all works,
no token printed."""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from typer.testing import CliRunner, Result

from media_hub.cli import app
from media_hub.errors import ConfigError
from media_hub.hub import init_hub
from media_hub.platforms.facebook.login import SCOPES, Graph
from media_hub.sandbox.server import Sandbox

VERSION = "v27.0"


@pytest.fixture
def pointed(tmp_path: Path, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A hub (its catalog plays no part) pointed at the sandbox's Graph API and dialog."""
    for name in list(os.environ):
        if name.startswith("MEDIA_HUB_"):
            monkeypatch.delenv(name)
    folder = tmp_path / "hub"
    init_hub(folder)
    monkeypatch.setenv("MEDIA_HUB_HOME", str(folder))
    monkeypatch.setenv("MEDIA_HUB_NO_PROGRESS", "1")
    monkeypatch.setenv("MEDIA_HUB_FACEBOOK_GRAPH_BASE", sandbox.facebook_graph_base)
    monkeypatch.setenv("MEDIA_HUB_FACEBOOK_DIALOG_BASE", sandbox.facebook_dialog_base)
    monkeypatch.setenv("MEDIA_HUB_FACEBOOK_CA_BUNDLE", str(sandbox.ca_cert))
    monkeypatch.setenv("MEDIA_HUB_FACEBOOK_LOGIN_TIMEOUT", "20")
    monkeypatch.setenv("MEDIA_HUB_FACEBOOK_LOGIN_PORT", "0")  # tests run side by side
    path = tmp_path / "secrets" / "facebook.json"
    monkeypatch.setenv("MEDIA_HUB_FACEBOOK_CREDENTIALS_FILE", str(path))
    return path


def _login(runner: CliRunner, app_id: str, secret: str, *extra: str) -> Result:
    return runner.invoke(
        app, ["auth", "facebook", "--login", "--app-id", app_id, "--stdin", *extra],
        input=f"{secret}\n",
    )  # fmt: skip


def _secrets(sandbox: Sandbox) -> list[str]:
    """Every token and secret the sandbox knows: none may be printed."""
    fb = sandbox.state.snapshot()["facebook"]
    pages = [page["access_token"] for page in fb["other_pages"]]
    return [fb["page_token"], fb["app_secret"], *fb["login"]["users"], *pages]


def _one_line(result: Result) -> str:
    assert result.exit_code != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output
    return lines[0]


def test_the_login_saves_the_pages_long_lived_token_privately(
    pointed: Path, sandbox: Sandbox, runner: CliRunner
) -> None:
    account = sandbox.app.facebook.page.account
    result = _login(runner, account["app_id"], account["app_secret"], "--sandbox")
    assert result.exit_code == 0, result.output
    assert "ANAPEC (sandbox)" in result.stdout
    assert f"{sandbox.facebook_dialog_base}/{VERSION}/dialog/oauth?" in result.stdout
    assert stat.S_IMODE(pointed.stat().st_mode) == 0o600
    assert json.loads(pointed.read_text()) == account  # the Page token the sandbox issued
    users = sandbox.state.snapshot()["facebook"]["login"]["users"].values()
    assert sorted(user["long_lived"] for user in users) == [False, True]  # exchanged
    for secret in _secrets(sandbox):
        assert secret not in result.output


def test_a_forged_state_is_refused_and_nothing_saved(
    pointed: Path, sandbox: Sandbox, runner: CliRunner
) -> None:
    sandbox.app.facebook_login.forge_next_state()
    account = sandbox.app.facebook.page.account
    line = _one_line(_login(runner, account["app_id"], account["app_secret"], "--sandbox"))
    assert "state does not match" in line
    assert not pointed.exists()
    assert sandbox.state.snapshot()["facebook"]["login"]["users"] == {}  # the code unused


def test_a_declined_login_says_what_to_do(
    pointed: Path, sandbox: Sandbox, runner: CliRunner
) -> None:
    sandbox.app.facebook_login.refuse_next()
    account = sandbox.app.facebook.page.account
    line = _one_line(_login(runner, account["app_id"], account["app_secret"], "--sandbox"))
    assert "declined (user_denied)" in line
    assert "pages_manage_posts" in line
    assert not pointed.exists()


def test_several_pages_are_listed_then_one_is_chosen(
    pointed: Path, sandbox: Sandbox, runner: CliRunner
) -> None:
    other = sandbox.app.facebook_login.add_page("Another Page")
    account = sandbox.app.facebook.page.account
    result = _login(runner, account["app_id"], account["app_secret"], "--sandbox")
    line = _one_line(result)
    assert f"{account['page_id']} (ANAPEC (sandbox))" in line
    assert f"{other} (Another Page)" in line
    assert "--page-id" in line
    assert not pointed.exists()
    for secret in _secrets(sandbox):
        assert secret not in result.output

    chosen = _login(
        runner, account["app_id"], account["app_secret"], "--sandbox", "--page", account["page_id"]
    )
    assert chosen.exit_code == 0, chosen.output
    assert json.loads(pointed.read_text())["page_token"] == account["page_token"]


def test_no_answer_times_out_in_one_line(
    pointed: Path, sandbox: Sandbox, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MEDIA_HUB_FACEBOOK_LOGIN_TIMEOUT", "1")
    account = sandbox.app.facebook.page.account
    result = _login(runner, account["app_id"], account["app_secret"], "--no-browser")
    line = _one_line(result)
    assert "no answer from the browser within 1 s" in line
    assert not pointed.exists()
    url = next(word for word in result.stdout.split() if "/dialog/oauth?" in word)
    query = parse_qs(urlsplit(url).query)
    assert query["client_id"] == [account["app_id"]]
    assert query["scope"] == [",".join(SCOPES)]
    assert urlsplit(query["redirect_uri"][0]).hostname == "127.0.0.1"
    assert len(query["state"][0]) >= 32


def test_a_taken_port_is_refused_in_one_line(
    pointed: Path, sandbox: Sandbox, runner: CliRunner
) -> None:
    account = sandbox.app.facebook.page.account
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        line = _one_line(
            _login(runner, account["app_id"], account["app_secret"], "--sandbox", "--port", port)
        )
    assert f"cannot listen on 127.0.0.1:{port}" in line
    assert not pointed.exists()


def test_an_expired_user_token_says_to_log_in_again(
    pointed: Path, sandbox: Sandbox, runner: CliRunner
) -> None:
    sandbox.app.facebook_login.expire_next_token()
    account = sandbox.app.facebook.page.account
    line = _one_line(_login(runner, account["app_id"], account["app_secret"], "--sandbox"))
    assert "long-lived user token" in line
    assert "code 190" in line
    assert "auth facebook --login" in line
    assert not pointed.exists()


def test_a_wrong_app_secret_saves_nothing(
    pointed: Path, sandbox: Sandbox, runner: CliRunner
) -> None:
    account = sandbox.app.facebook.page.account
    line = _one_line(_login(runner, account["app_id"], "0" * 32, "--sandbox"))
    assert "app id or app secret" in line
    assert not pointed.exists()


def _dialog_code(sandbox: Sandbox, app_id: str, redirect_uri: str) -> str:
    dialog = f"{sandbox.facebook_dialog_base}/{VERSION}/dialog/oauth"
    params = {"client_id": app_id, "redirect_uri": redirect_uri, "state": "s", "scope": "x"}
    answer = requests.get(
        dialog, params=params, verify=str(sandbox.ca_cert), allow_redirects=False, timeout=10
    )
    assert answer.status_code == 302
    return parse_qs(urlsplit(answer.headers["Location"]).query)["code"][0]


def test_the_token_endpoint_refuses_as_meta_does(sandbox: Sandbox) -> None:
    account = sandbox.app.facebook.page.account
    app_id, secret = account["app_id"], account["app_secret"]
    redirect = "http://127.0.0.1:8765/"
    session = requests.Session()
    session.verify, session.trust_env = str(sandbox.ca_cert), False
    graph = Graph(session, f"{sandbox.facebook_graph_base}/{VERSION}")

    code = _dialog_code(sandbox, app_id, redirect)
    with pytest.raises(ConfigError, match="subcode 36008"):
        graph.exchange_code(app_id, secret, "http://127.0.0.1:9999/", code)
    raw = session.get(
        f"{graph.root}/oauth/access_token", timeout=10,
        params={"client_id": app_id, "client_secret": secret, "redirect_uri": redirect,
                "code": "AQnot-a-code"},
    )  # fmt: skip
    assert raw.status_code == 400
    error = raw.json()["error"]
    assert (error["code"], error["type"]) == (100, "OAuthException")
    assert error["message"] == "Invalid verification code format."
    assert error["fbtrace_id"]

    code = _dialog_code(sandbox, app_id, redirect)
    assert graph.exchange_code(app_id, secret, redirect, code).startswith("EAA")
    with pytest.raises(ConfigError, match="expired or was used"):
        graph.exchange_code(app_id, secret, redirect, code)


@pytest.mark.slow  # a process
def test_debug_logs_of_the_login_hold_no_code_token_or_secret(
    pointed: Path, sandbox: Sandbox
) -> None:
    """With --debug every library logs its requests (urllib3 their URLs, whose queries carry
    the client secret, the code and the short-lived token): all masked."""
    account = sandbox.app.facebook.page.account
    result = subprocess.run(
        [sys.executable, "-m", "media_hub", "--debug", "auth", "facebook", "--login",
         "--app-id", account["app_id"], "--stdin", "--sandbox"],
        input=account["app_secret"] + "\n", capture_output=True, text=True, timeout=120,
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    output = result.stdout + result.stderr
    assert "DEBUG urllib3" in output, "no debug lines: nothing was checked"
    used = sandbox.state.snapshot()["facebook"]["login"]["used"]
    assert len(used) == 1
    for secret in [*_secrets(sandbox), *used]:
        assert secret not in output
    assert stat.S_IMODE(pointed.stat().st_mode) == 0o600

"""`media-hub auth facebook`: checked with one call against the sandbox's Page, kept 0600,
never printed."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from media_hub.cli import app
from media_hub.hub import Hub
from media_hub.sandbox.server import Sandbox


@pytest.fixture
def pointed(hub: Hub, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("MEDIA_HUB_FACEBOOK_GRAPH_BASE", sandbox.facebook_graph_base)
    monkeypatch.setenv("MEDIA_HUB_FACEBOOK_CA_BUNDLE", str(sandbox.ca_cert))
    path = tmp_path / "secrets" / "facebook.json"
    monkeypatch.setenv("MEDIA_HUB_FACEBOOK_CREDENTIALS_FILE", str(path))
    return path


def _auth(runner: CliRunner, account: dict[str, str], token: str, secret: str) -> Result:
    return runner.invoke(
        app,
        ["auth", "facebook", "--page-id", account["page_id"], "--app-id", account["app_id"],
         "--stdin"],
        input=f"{token}\n{secret}\n",
    )  # fmt: skip


def test_the_token_is_checked_then_kept_private_and_never_printed(
    pointed: Path, sandbox: Sandbox, runner: CliRunner
) -> None:
    account = sandbox.app.facebook.page.account
    result = _auth(runner, account, account["page_token"], account["app_secret"])
    assert result.exit_code == 0, result.output
    assert "ANAPEC (sandbox)" in result.stdout
    assert account["page_token"] not in result.output
    assert account["app_secret"] not in result.output
    assert stat.S_IMODE(pointed.stat().st_mode) == 0o600
    assert json.loads(pointed.read_text())["page_token"] == account["page_token"]


@pytest.mark.parametrize("wrong", ["token", "secret"])
def test_a_wrong_token_or_secret_saves_nothing(
    pointed: Path, sandbox: Sandbox, runner: CliRunner, wrong: str
) -> None:
    account = sandbox.app.facebook.page.account
    token = "EAABwrong" if wrong == "token" else account["page_token"]
    secret = "0" * 32 if wrong == "secret" else account["app_secret"]
    result = _auth(runner, account, token, secret)
    assert result.exit_code != 0
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Facebook" in result.stderr
    assert not pointed.exists()

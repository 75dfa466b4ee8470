"""`--debug` shows every library's log, and never a token, refresh token, secret or password.

Each command that touches a credential runs as a real process with `--debug` (its log lines
on stderr as a person sees them), against the sandbox, the S3 server and PostgreSQL; its
whole output must hold none of the credentials it used, and must hold the debug lines (a
silent log would pass for a clean one).
"""

from __future__ import annotations

import base64
import json
import os
import re
import ssl
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from media_hub import redaction
from media_hub.hub import Hub
from media_hub.redaction import redact, register
from media_hub.sandbox.server import Sandbox
from media_hub.settings import load_settings
from tests.pg_server import free_port

DATA = Path(__file__).resolve().parent / "data"
SQLITE_ONLY = pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)
CLIENT_ID = "media-hub-debug.apps.googleusercontent.com"
CLIENT_SECRET = "client-secret-of-the-debug-test"
SECRET_KEY = "s3-secret-key-of-the-debug-test"


def media_hub(*args: str, stdin: str | None = None, code: int = 0) -> str:
    """`media-hub --debug ARGS` as a process: its stdout and stderr together."""
    result = subprocess.run(
        [sys.executable, "-m", "media_hub", "--debug", *args],
        input=stdin, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == code, result.stderr[-3000:]
    return result.stdout + result.stderr


def assert_clean(output: str, secrets: dict[str, str], *, debug_from: str) -> None:
    assert f"DEBUG {debug_from}" in output, "no debug lines: nothing was checked"
    for name, value in secrets.items():
        assert value, name
        assert value not in output, f"the {name} is printed"


def youtube_settings(monkeypatch: pytest.MonkeyPatch, sandbox: Sandbox, token: Path) -> None:
    monkeypatch.setenv("MEDIA_HUB_YOUTUBE_API_ENDPOINT", sandbox.url)
    monkeypatch.setenv("MEDIA_HUB_YOUTUBE_TOKEN_URI", sandbox.token_uri)
    monkeypatch.setenv("MEDIA_HUB_YOUTUBE_CA_BUNDLE", str(sandbox.ca_cert))
    monkeypatch.setenv("MEDIA_HUB_YOUTUBE_TOKEN_FILE", str(token))


@pytest.mark.slow  # a process for the flow
@SQLITE_ONLY
def test_auth_youtube_prints_neither_the_tokens_nor_the_client_secret(
    hub_dir: Path, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    token = tmp_path / "secrets" / "token.json"
    youtube_settings(monkeypatch, sandbox, token)
    client_file = tmp_path / "client_secret.json"
    client_file.write_text(
        json.dumps(
            {"installed": {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                           "auth_uri": f"{sandbox.url}/o/oauth2/auth",
                           "token_uri": sandbox.token_uri, "redirect_uris": ["http://127.0.0.1"]}}
        ),
        encoding="utf-8",
    )  # fmt: skip
    log = tmp_path / "auth.log"
    with log.open("w", encoding="utf-8") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "media_hub", "--debug", "auth", "youtube",
             "--client-secrets", str(client_file), "--no-browser"],
            stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            consent = _consent_url(log)
            context = ssl.create_default_context(cafile=str(sandbox.ca_cert))
            with urllib.request.urlopen(consent, context=context) as answer:  # noqa: S310
                assert answer.status == 200
            assert process.wait(timeout=60) == 0, log.read_text(encoding="utf-8")
        finally:
            process.kill()
            process.wait()

    saved = json.loads(token.read_text(encoding="utf-8"))
    basic = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
    assert_clean(
        log.read_text(encoding="utf-8"),
        {"access token": saved["token"], "refresh token": saved["refresh_token"],
         "client secret": CLIENT_SECRET, "Basic authorization": basic},
        debug_from="requests_oauthlib",
    )  # fmt: skip


def _consent_url(log: Path) -> str:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        found = re.search(r"https://\S+/o/oauth2/auth\S*", log.read_text(encoding="utf-8"))
        if found:
            return found.group(0)
        time.sleep(0.1)
    raise AssertionError(f"no consent URL: {log.read_text(encoding='utf-8')}")


@pytest.mark.slow  # a process
@SQLITE_ONLY
def test_youtube_calls_print_neither_the_tokens_nor_the_client_secret(
    channel_hub: Hub, tmp_path: Path
) -> None:
    refresh_token = json.loads((tmp_path / "secrets" / "token.json").read_text())["refresh_token"]

    output = media_hub("adopt", "youtube", "--dry-run")  # refreshes the token, then lists

    access_token = json.loads((tmp_path / "secrets" / "token.json").read_text())["token"]
    assert_clean(
        output,
        {"access token": access_token, "refresh token": refresh_token,
         "client secret": "sandbox-client-secret"},
        debug_from="googleapiclient",
    )  # fmt: skip


@pytest.mark.slow  # processes
@SQLITE_ONLY
def test_slideshare_commands_print_neither_the_secret_nor_the_password(
    deck_hub: Hub, sandbox: Sandbox
) -> None:
    account = sandbox.slideshare_account
    secrets = {"shared secret": account["shared_secret"], "password": account["password"]}

    saved = media_hub(
        "auth", "slideshare", "--username", account["username"], "--api-key",
        account["api_key"], "--stdin", stdin=f"{account['shared_secret']}\n{account['password']}\n",
    )  # fmt: skip
    adopted = media_hub("adopt", "slideshare", "--dry-run")

    assert_clean(saved, secrets, debug_from="urllib3")
    assert_clean(adopted, secrets, debug_from="urllib3")


@pytest.mark.slow  # a process
@SQLITE_ONLY
def test_s3_store_prints_no_secret_key(
    hub: Hub, s3_store: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MEDIA_HUB_STORE_SECRET_ACCESS_KEY", SECRET_KEY)

    output = media_hub("ingest", str(DATA / "habibi.pdf"), "--series", "cv-flyers")

    assert_clean(output, {"S3 secret key": SECRET_KEY}, debug_from="botocore")
    assert re.search(r"'Authorization': b'\*\*\*'", output), "botocore's signed header is shown"


@pytest.mark.slow  # a process
@pytest.mark.postgres
@pytest.mark.parametrize("catalog_url", ["postgresql"], indirect=True)
def test_the_catalog_password_is_not_printed(
    hub: Hub, catalog_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The test server trusts loopback, so any password connects: one is given all the same.
    password = "catalog-password-of-the-debug-test"
    url = make_url(catalog_url).set(password=password).render_as_string(hide_password=False)
    monkeypatch.setenv("MEDIA_HUB_CATALOG_URL", url)

    output = media_hub("catalog", "list") + media_hub("db", "current")
    closed = make_url(url).set(port=free_port()).render_as_string(hide_password=False)
    monkeypatch.setenv("MEDIA_HUB_CATALOG_URL", closed)
    refused = media_hub("catalog", "list", code=1)

    assert password not in output
    assert "Traceback" in refused  # --debug shows it
    assert password not in refused
    assert "postgresql+psycopg://postgres:***@127.0.0.1" in refused


def test_secrets_are_masked_in_every_shape_a_library_logs_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The registry is process-wide: another test's loaded 'secret' would mask 'client_secret'.
    monkeypatch.setattr(redaction, "_known", set())
    register("loaded-secret-value")
    shapes = {
        "Obtained token {'access_token': 'ya29.a0Af', 'refresh_token': '1//0g-x'}":
            "Obtained token {'access_token': '***', 'refresh_token': '***'}",
        'content {"access_token": "ya29.a0Af", "token_type": "Bearer", "id_token": "eyJ"}':
            'content {"access_token": "***", "token_type": "Bearer", "id_token": "***"}',
        "body grant_type=refresh_token&client_secret=abc123&refresh_token=1%2F%2F0g":
            "body grant_type=refresh_token&client_secret=***&refresh_token=***",
        "headers {'Authorization': 'Basic bWVkaWE6c2VjcmV0'}": "headers {'Authorization': '***'}",
        "'Authorization': b'AWS4-HMAC-SHA256 Credential=AKIA/x, Signature=ab'":
            "'Authorization': b'***'",
        "Authorization: Bearer ya29.a0Af\r\n": "Authorization: ***\r\n",
        "sent Bearer ya29.a0Af": "sent Bearer ***",
        "GET /api/2/get_user_tags?api_key=k&password=hunter22&ts=1": (
            "GET /api/2/get_user_tags?api_key=k&password=***&ts=1"
        ),
        "postgresql+psycopg://media_hub:s3cr3t@db.internal/media_hub":
            "postgresql+psycopg://media_hub:***@db.internal/media_hub",
        "GET /?code=4%2FqKc&scope=x": "GET /?code=***&scope=x",
        "a loaded-secret-value in any text": "a *** in any text",
        "token_uri=https://oauth2.googleapis.com/token, expires_in=3599, version=3": (
            "token_uri=https://oauth2.googleapis.com/token, expires_in=3599, version=3"
        ),
    }  # fmt: skip
    assert {text: redact(text) for text in shapes} == shapes


@SQLITE_ONLY
def test_loaded_settings_register_their_secrets(
    hub_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MEDIA_HUB_STORE_SECRET_ACCESS_KEY", "registered-s3-secret")
    monkeypatch.setenv("PGPASSWORD", "registered-pg-password")
    load_settings(hub_dir)
    assert redact("x registered-s3-secret registered-pg-password x") == "x *** *** x"
    assert os.environ["PGPASSWORD"] == "registered-pg-password"  # only masked in what is shown

"""The sandbox's own edges: OAuth with google-auth-oauthlib, 401s, admin endpoints, TLS, CLI."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from google_auth_oauthlib.flow import InstalledAppFlow
from hypothesis import given
from hypothesis import strategies as st

from media_hub.sandbox.quota import pacific_day
from media_hub.sandbox.server import Sandbox
from media_hub.sandbox.tls import ensure_certificate
from media_hub.sandbox.validation import tags_length
from tests.sandbox_client import CLIENT_ID, CLIENT_SECRET, SCOPES, youtube


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[Sandbox]:
    with Sandbox(tmp_path / "channel.json", read_timeout=2.0) as running:
        yield running


def fetch(sandbox: Sandbox, path: str, body: Any = None) -> tuple[int, dict[str, str], Any]:
    """A plain HTTPS call trusting only the sandbox's certificate."""
    data = None if body is None else json.dumps(body).encode()
    method = "GET" if data is None else "POST"
    request = urllib.request.Request(sandbox.url + path, data=data, method=method)  # noqa: S310
    context = ssl.create_default_context(cafile=str(sandbox.ca_cert))
    try:
        with urllib.request.urlopen(request, context=context) as response:  # noqa: S310 (loopback)
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read())


def test_installed_app_flow_completes_against_the_sandbox(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(sandbox.ca_cert))
    config = {
        "installed": {
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "auth_uri": sandbox.auth_uri,
            "token_uri": sandbox.token_uri,
            "redirect_uris": ["http://localhost"],
        }
    }
    flow = InstalledAppFlow.from_client_config(config, scopes=list(SCOPES))
    result: dict[str, Any] = {}

    def run() -> None:
        result["credentials"] = flow.run_local_server(
            port=0,
            open_browser=False,
            authorization_prompt_message="AUTH {url}",
            timeout_seconds=20,
        )

    thread = threading.Thread(target=run)
    thread.start()
    printed = ""
    for _ in range(200):
        printed += capsys.readouterr().out
        if "AUTH " in printed:
            break
        time.sleep(0.02)
    url = printed.split("AUTH ", 1)[1].split()[0]
    assert url.startswith(sandbox.auth_uri + "?")
    assert "code_challenge=" in url  # PKCE, checked at the token exchange
    context = ssl.create_default_context(cafile=str(sandbox.ca_cert))
    with urllib.request.urlopen(url, context=context) as consent:  # noqa: S310 (loopback)
        assert consent.status == 200
    thread.join(timeout=20)
    credentials = result["credentials"]
    assert credentials.refresh_token
    assert credentials.token
    channel = youtube(sandbox, credentials).channels().list(part="id", mine=True).execute()
    assert channel["items"][0]["id"].startswith("UC")


def test_a_call_without_a_token_gets_googles_401(sandbox: Sandbox) -> None:
    status, headers, body = fetch(sandbox, "/youtube/v3/channels?part=id&mine=true")
    assert status == 401
    assert headers["WWW-Authenticate"].startswith("Bearer")
    assert body["error"]["status"] == "UNAUTHENTICATED"
    assert body["error"]["errors"][0]["reason"] == "authError"


def test_admin_endpoints_inject_faults_and_move_days(sandbox: Sandbox) -> None:
    status, _, pending = fetch(
        sandbox, "/sandbox/faults", {"spec": "503,path=/youtube/v3/channels"}
    )
    assert status == 200
    assert pending["pending"][0]["kind"] == "503"
    client = youtube(sandbox)
    request = client.channels().list(part="id", mine=True)
    request._sleep = lambda seconds: None  # no backoff wait in tests
    assert request.execute(num_retries=1)["items"]
    assert [r.status for r in sandbox.requests if r.path == "/youtube/v3/channels"] == [503, 200]
    today = sandbox.state.today()
    _, _, moved = fetch(sandbox, "/sandbox/advance-days", {"days": 2})
    assert moved["today"] == (today + dt.timedelta(days=2)).isoformat()
    _, _, state = fetch(sandbox, "/sandbox/state")
    assert state["day_offset"] == 2
    assert isinstance(state["tokens"]["access"], int)  # how many, never the tokens
    status, _, refused = fetch(sandbox, "/sandbox/faults", {"spec": "teapot"})
    assert status == 400
    assert "unknown fault" in refused["error"]["message"]


def test_certificate_covers_loopback_and_keeps_its_key_private(tmp_path: Path) -> None:
    cert_path, key_path = ensure_certificate(tmp_path / "tls")
    assert key_path.stat().st_mode & 0o777 == 0o600
    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert {str(ip) for ip in names.get_values_for_type(x509.IPAddress)} == {"127.0.0.1", "::1"}
    assert names.get_values_for_type(x509.DNSName) == ["localhost"]
    assert 364 <= (cert.not_valid_after_utc - cert.not_valid_before_utc).days <= 366
    first = cert_path.read_bytes()
    assert ensure_certificate(tmp_path / "tls") == (cert_path, key_path)
    assert cert_path.read_bytes() == first  # reused while valid: clients keep trusting it


def serve_command(folder: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "media_hub",
        "sandbox",
        "serve",
        "--state",
        str(folder / "c.json"),
    ]


def test_serve_prints_the_settings_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    command = [*serve_command(tmp_path), "--fault", "quota"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    assert process.stdout is not None
    lines = [process.stdout.readline() for _ in range(7)]
    settings = dict(line.strip().split("=", 1) for line in lines if "=" in line)
    endpoint = settings["MEDIA_HUB_YOUTUBE_API_ENDPOINT"]
    assert endpoint.startswith("https://127.0.0.1:")
    assert settings["MEDIA_HUB_YOUTUBE_TOKEN_URI"] == endpoint + "/token"
    assert Path(settings["MEDIA_HUB_YOUTUBE_CA_BUNDLE"]).is_file()
    context = ssl.create_default_context(cafile=settings["MEDIA_HUB_YOUTUBE_CA_BUNDLE"])
    with urllib.request.urlopen(endpoint + "/sandbox/state", context=context) as response:  # noqa: S310
        state = json.loads(response.read())
    assert state["quota"][state["today"]]["default"] == 10_000  # the --fault applied
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=10)
    assert process.returncode == 0, err
    assert "sandbox stopped" in err


def test_serve_refuses_a_bad_fault_spec(tmp_path: Path) -> None:
    command = [*serve_command(tmp_path), "--fault", "503,colour=red"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=20, check=False)
    assert result.returncode == 2
    assert "--fault" in result.stderr
    assert not (tmp_path / "c.json").exists()  # refused before anything was written


def test_serve_on_a_port_in_use_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        command = [*serve_command(tmp_path), "--port", str(port)]
        result = subprocess.run(command, capture_output=True, text=True, timeout=20, check=False)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"error: sandbox: cannot listen on 127.0.0.1:{port} (Address already in use); "
        "choose another --port, or --port 0 for any free one"
    )


@given(st.lists(st.text(alphabet="ab c", max_size=12), max_size=30))
def test_tags_length_counts_like_the_quoted_comma_list(tags: list[str]) -> None:
    written = ",".join(f'"{tag}"' if " " in tag else tag for tag in tags)
    assert tags_length(tags) == len(written)


@pytest.mark.parametrize(
    ("moment", "day"),
    [
        ("2026-03-08T07:59:59+00:00", "2026-03-07"),  # 23:59:59 PST
        ("2026-03-08T08:00:00+00:00", "2026-03-08"),  # midnight PST, DST starts at 2:00
        ("2026-11-01T06:59:59+00:00", "2026-10-31"),  # 23:59:59 PDT
        ("2026-11-01T07:00:00+00:00", "2026-11-01"),
    ],
)
def test_quota_days_end_at_midnight_in_los_angeles(moment: str, day: str) -> None:
    assert pacific_day(dt.datetime.fromisoformat(moment)).isoformat() == day

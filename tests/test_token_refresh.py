"""A YouTube token refreshed in the middle of a run is saved at once (atomically, mode 0600,
never logged), so the next run starts with it: no 401, no refresh."""

from __future__ import annotations

import json
import logging
import stat

import pytest

from media_hub.hub import Hub
from media_hub.platforms.youtube.auth import token_path
from media_hub.platforms.youtube.platform import connect
from media_hub.sandbox.server import Sandbox

pytestmark = pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)


def _saved_token(hub: Hub) -> str:
    token: str = json.loads(token_path(hub.settings).read_text())["token"]
    return token


def _read_channel(youtube: object) -> None:
    youtube.channels().list(part="id", mine=True).execute()  # type: ignore[attr-defined]


def test_a_token_refreshed_after_a_401_is_saved_for_the_next_run(
    channel_hub: Hub, sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    youtube = connect(channel_hub)  # the first run: its token is refreshed and saved at start
    _read_channel(youtube)
    first = _saved_token(channel_hub)

    sandbox.faults.expire_tokens()  # YouTube stops taking it before its stated expiry
    seen = len(sandbox.requests)
    _read_channel(youtube)  # 401, then google-auth refreshes in place and asks again
    during = [(r.path, r.status) for r in sandbox.requests[seen:]]
    assert during == [("/youtube/v3/channels", 401), ("/token", 200), ("/youtube/v3/channels", 200)]
    refreshed = _saved_token(channel_hub)
    assert refreshed != first
    assert stat.S_IMODE(token_path(channel_hub.settings).stat().st_mode) == 0o600
    assert [p.name for p in token_path(channel_hub.settings).parent.iterdir()] == ["token.json"]

    seen = len(sandbox.requests)
    _read_channel(connect(channel_hub))  # the next run
    assert [(r.path, r.status) for r in sandbox.requests[seen:]] == [("/youtube/v3/channels", 200)]
    for token in (first, refreshed):
        assert token not in caplog.text

"""A fresh hub pointed at a running sandbox, its YouTube token saved: what the benches that
read a big sandbox channel start from. Not a bench itself."""

from __future__ import annotations

import os
from pathlib import Path

from google.oauth2.credentials import Credentials

from media_hub.hub import Hub, init_hub
from media_hub.platforms.youtube import scopes
from media_hub.platforms.youtube.auth import save_credentials
from media_hub.sandbox.server import Sandbox
from media_hub.settings import load_settings


def sandbox_hub(work: Path, sandbox: Sandbox) -> Hub:
    """The hub in `work/hub`, its conventions loaded; this process's MEDIA_HUB_* replaced."""
    hub_dir = work / "hub"
    init_hub(hub_dir)
    for key in [k for k in os.environ if k.startswith("MEDIA_HUB_")]:
        del os.environ[key]
    os.environ.update(
        MEDIA_HUB_YOUTUBE_API_ENDPOINT=sandbox.url,
        MEDIA_HUB_YOUTUBE_TOKEN_URI=sandbox.token_uri,
        MEDIA_HUB_YOUTUBE_CA_BUNDLE=str(sandbox.ca_cert),
        MEDIA_HUB_YOUTUBE_TOKEN_FILE=str(hub_dir / "token.json"),
    )
    hub = Hub(load_settings(hub_dir))
    hub.catalog.load_conventions(hub.settings.definitions_dir)
    save_credentials(
        hub_dir / "token.json",
        Credentials(  # type: ignore[no-untyped-call]
            token=None, refresh_token=sandbox.grant("bench", scopes.ALL),
            token_uri=sandbox.token_uri, client_id="bench", client_secret="bench",
        ),
    )  # fmt: skip
    return hub

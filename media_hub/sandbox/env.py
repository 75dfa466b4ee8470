"""The settings that point media-hub at a running sandbox, kept beside its state file.

`sandbox serve` writes them (and an OAuth client file for the sandbox's consent screen), so
that another shell picks them up with `eval "$(media-hub sandbox env --state FILE)"`, and
`auth youtube --sandbox` runs the installed-app flow with no browser.
"""

from __future__ import annotations

import json
import shlex
from pathlib import Path

from media_hub.sandbox.facebook_page import save_credentials as save_facebook_credentials
from media_hub.sandbox.server import Sandbox
from media_hub.sandbox.slideshare_account import save_credentials

ENV_FILE = "sandbox-env.sh"
CLIENT_FILE = "youtube-client-secret.json"
CLIENT_ID = "media-hub-sandbox"  # the sandbox consents to any client; this one is its own


def write_settings(sandbox: Sandbox) -> dict[str, str]:
    """The settings by environment variable, written as `export` lines to the env file."""
    folder = sandbox.state.path.parent
    client = folder / CLIENT_FILE
    client.write_text(
        json.dumps({"installed": {
            "client_id": CLIENT_ID, "client_secret": "sandbox-client-secret",
            "auth_uri": f"{sandbox.url}/o/oauth2/auth", "token_uri": sandbox.token_uri,
            "redirect_uris": ["http://127.0.0.1"],
        }}, indent=2),
        encoding="utf-8",
    )  # fmt: skip
    credentials = folder / "slideshare-credentials.json"
    save_credentials(sandbox.state, credentials)
    facebook = folder / "facebook-credentials.json"
    save_facebook_credentials(sandbox.app.facebook.page, facebook)
    settings = {
        "MEDIA_HUB_YOUTUBE_API_ENDPOINT": sandbox.url,
        "MEDIA_HUB_YOUTUBE_TOKEN_URI": sandbox.token_uri,
        "MEDIA_HUB_YOUTUBE_CA_BUNDLE": str(sandbox.ca_cert),
        "MEDIA_HUB_YOUTUBE_CLIENT_SECRETS": str(client),
        "MEDIA_HUB_SLIDESHARE_API_BASE": sandbox.slideshare_api_base,
        "MEDIA_HUB_SLIDESHARE_CA_BUNDLE": str(sandbox.ca_cert),
        "MEDIA_HUB_SLIDESHARE_CREDENTIALS_FILE": str(credentials),
        "MEDIA_HUB_FACEBOOK_GRAPH_BASE": sandbox.facebook_graph_base,
        "MEDIA_HUB_FACEBOOK_CA_BUNDLE": str(sandbox.ca_cert),
        "MEDIA_HUB_FACEBOOK_CREDENTIALS_FILE": str(facebook),
    }
    lines = [f"export {name}={shlex.quote(value)}" for name, value in settings.items()]
    (folder / ENV_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return settings


def env_file(state_file: Path) -> Path:
    return state_file.parent / ENV_FILE

"""The Page's credentials: its id, the app's id, a long-lived Page access token and the app
secret (for `appsecret_proof`).

Kept together in one JSON file with mode 0600 outside the repository, never printed or logged:
the dataclass hides its secrets from `repr`, and loading them registers them for redaction.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from media_hub import redaction
from media_hub.errors import ConfigError
from media_hub.platforms.facebook.settings import facebook_settings
from media_hub.private_files import read_private_fields, write_private
from media_hub.settings import Settings

AUTH_HINT = "run 'media-hub auth facebook' first"
FIELDS = ("page_id", "app_id", "page_token", "app_secret")


@dataclass(frozen=True)
class FacebookCredentials:
    page_id: str
    app_id: str
    page_token: str = field(repr=False)
    app_secret: str = field(repr=False)

    def __post_init__(self) -> None:
        for name in FIELDS:
            value = getattr(self, name)
            if not value or value != value.strip() or any(c in value for c in "\r\n\0 "):
                raise ConfigError(
                    f"Facebook {name.replace('_', ' ')} is empty or has spaces or line breaks; "
                    "give it exactly as Meta shows it"
                )
        for name in ("page_id", "app_id"):
            if not getattr(self, name).isdigit():
                raise ConfigError(f"Facebook {name.replace('_', ' ')} must be digits only")
        redaction.register(self.page_token, self.app_secret)


def credentials_path(settings: Settings) -> Path:
    return settings.path(facebook_settings(settings).credentials_file)


def save_credentials(path: Path, credentials: FacebookCredentials) -> None:
    write_private(path, json.dumps(asdict(credentials)))


def load_credentials(settings: Settings) -> FacebookCredentials:
    """The saved credentials; a file readable by others or malformed is refused."""
    path = credentials_path(settings)
    what = "a Facebook credentials file"
    return FacebookCredentials(**read_private_fields(path, FIELDS, what, AUTH_HINT))

"""The SlideShare account's credentials: API key, shared secret, username and password.

Kept together in one JSON file with mode 0600 outside the repository (like the YouTube
token), never printed or logged: the dataclass hides its secrets from `repr`.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from media_hub import redaction
from media_hub.errors import ConfigError
from media_hub.platforms.slideshare.settings import slideshare_settings
from media_hub.private_files import read_private_fields, write_private
from media_hub.settings import Settings

AUTH_HINT = "run 'media-hub auth slideshare' first"
FIELDS = ("username", "api_key", "shared_secret", "password")


@dataclass(frozen=True)
class SlideShareCredentials:
    username: str
    api_key: str
    shared_secret: str = field(repr=False)
    password: str = field(repr=False)

    def __post_init__(self) -> None:
        for name in FIELDS:
            value = getattr(self, name)
            if not value or value != value.strip() or any(c in value for c in "\r\n\0"):
                raise ConfigError(
                    f"SlideShare {name.replace('_', ' ')} is empty or has spaces or line "
                    "breaks around it; give it exactly as SlideShare shows it"
                )
        # Wherever they come from (the file, `auth slideshare`), never in a log line.
        redaction.register(self.shared_secret, self.password)


def credentials_path(settings: Settings) -> Path:
    return settings.path(slideshare_settings(settings).credentials_file)


def save_credentials(path: Path, credentials: SlideShareCredentials) -> None:
    write_private(path, json.dumps(asdict(credentials)))


def load_credentials(settings: Settings) -> SlideShareCredentials:
    """The saved credentials; a file readable by others or malformed is refused."""
    path = credentials_path(settings)
    what = "a SlideShare credentials file"
    return SlideShareCredentials(**read_private_fields(path, FIELDS, what, AUTH_HINT))

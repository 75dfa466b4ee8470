"""`auth slideshare`: the account's credentials, checked with one call, then kept 0600."""

from __future__ import annotations

from pathlib import Path

from media_hub.platforms.slideshare.client import SlideShareClient
from media_hub.platforms.slideshare.credentials import (
    SlideShareCredentials,
    credentials_path,
    save_credentials,
)
from media_hub.platforms.slideshare.settings import slideshare_settings
from media_hub.settings import Settings


def check_and_save(settings: Settings, credentials: SlideShareCredentials) -> Path:
    """Refused here, not at the first upload: nothing is saved unless SlideShare accepts
    the credentials. Returns where they were saved."""
    section = slideshare_settings(settings)
    ca_bundle = settings.path(section.ca_bundle) if section.ca_bundle is not None else None
    client = SlideShareClient(section.api_base, credentials, ca_bundle=ca_bundle)
    try:
        client.get_user_tags()
    finally:
        client.close()
    path = credentials_path(settings)
    save_credentials(path, credentials)
    return path

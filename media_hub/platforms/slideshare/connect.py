"""The configured account's client: the one place settings become a SlideShareClient."""

from __future__ import annotations

from media_hub.platforms.slideshare.client import SlideShareClient
from media_hub.platforms.slideshare.credentials import load_credentials
from media_hub.platforms.slideshare.settings import slideshare_settings
from media_hub.settings import Settings


def slideshare_client(settings: Settings) -> SlideShareClient:
    section = slideshare_settings(settings)
    ca_bundle = settings.path(section.ca_bundle) if section.ca_bundle is not None else None
    return SlideShareClient(section.api_base, load_credentials(settings), ca_bundle=ca_bundle)

"""The `[slideshare]` section of media-hub.toml (or MEDIA_HUB_SLIDESHARE_*): the API's root,
where the account's credentials are kept, and how long a conversion is awaited."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from media_hub.platforms.slideshare import SLIDESHARE
from media_hub.settings import PlatformSettings, Settings


class SlideShareSettings(PlatformSettings):
    api_base: str = Field(
        "https://www.slideshare.net/api/2/",
        description="SlideShare REST API v2 root; the sandbox's URL in tests and the demo.",
    )
    ca_bundle: Path | None = Field(
        None, description="Extra CA certificate to trust (the sandbox's self-signed one)."
    )
    credentials_file: Path = Field(
        Path("~/.config/media-hub/slideshare.json"),
        description="API key, shared secret, username and password (mode 0600).",
    )
    conversion_wait: int = Field(
        600,
        ge=0,
        description="Seconds to wait for SlideShare to convert an upload; a rerun checks again.",
    )


def slideshare_settings(settings: Settings) -> SlideShareSettings:
    return settings.section(SLIDESHARE, SlideShareSettings)

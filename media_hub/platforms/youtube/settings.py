"""The `[youtube]` section of media-hub.toml (or MEDIA_HUB_YOUTUBE_*): where the API is, and
where the channel's token is kept."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from media_hub.platforms.youtube import YOUTUBE
from media_hub.settings import PlatformSettings, Settings


class YouTubeSettings(PlatformSettings):
    api_endpoint: str = Field(
        "https://youtube.googleapis.com",
        description="YouTube Data API root; the sandbox's URL in tests and the demo.",
    )
    token_uri: str = Field(
        "https://oauth2.googleapis.com/token", description="OAuth 2.0 token endpoint."
    )
    ca_bundle: Path | None = Field(
        None, description="Extra CA certificate to trust (the sandbox's self-signed one)."
    )
    client_secrets: Path | None = Field(
        None, description="OAuth client file downloaded from the Google Cloud console."
    )
    token_file: Path = Field(
        Path("~/.config/media-hub/youtube-token.json"),
        description="Where the OAuth token is kept (mode 0600).",
    )
    daily_units: int = Field(
        10_000,
        ge=1,
        description="The project's daily quota in units, as granted in the Google Cloud console.",
    )
    daily_uploads: int = Field(
        100, ge=1, description="videos.insert calls a day (a bucket of its own at Google)."
    )
    language_keys: dict[str, str] = Field(
        default_factory=dict,
        description=(
            'Catalog language: the key YouTube gets it under, or "" to leave it out '
            "(YouTube lists no key for zgh); unmapped ones YouTube does not list are left out."
        ),
    )
    upload_chunk_kib: int = Field(
        32768,
        ge=256,
        multiple_of=256,
        description="Resumable upload chunk, in KiB (a multiple of 256); a retry resends one.",
    )


def youtube_settings(settings: Settings) -> YouTubeSettings:
    return settings.section(YOUTUBE, YouTubeSettings)

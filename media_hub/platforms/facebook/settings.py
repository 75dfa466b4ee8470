"""The `[facebook]` section of media-hub.toml (or MEDIA_HUB_FACEBOOK_*): where the Graph API is,
which version media-hub speaks, where the Page's token is kept, and Facebook's limits."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from media_hub.platforms.facebook import FACEBOOK
from media_hub.settings import PlatformSettings, Settings


class FacebookSettings(PlatformSettings):
    graph_base: str = Field(
        "https://graph.facebook.com",
        description="Graph API root, without the version; the sandbox's URL in tests and demos.",
    )
    graph_version: str = Field(
        "v27.0",
        pattern=r"^v\d+\.\d+$",
        description="The Graph API version media-hub speaks, pinned (v27.0: read 2026-12).",
    )
    ca_bundle: Path | None = Field(
        None, description="Extra CA certificate to trust (the sandbox's self-signed one)."
    )
    dialog_base: str = Field(
        "https://www.facebook.com",
        description="Facebook Login's dialog root (then /<version>/dialog/oauth); the sandbox's "
        "URL in tests and demos. Tokens are exchanged on graph_base.",
    )
    login_port: int = Field(
        8765,
        ge=0,
        le=65535,
        description="Loopback port of `auth facebook --login`'s redirect; Meta matches redirect "
        "URIs exactly (Strict Mode), so http://127.0.0.1:<port>/ must be listed in the app "
        "(0: any free port, for the sandbox).",
    )
    login_timeout: int = Field(
        300, ge=1, description="Seconds `auth facebook --login` waits for the browser's answer."
    )
    credentials_file: Path = Field(
        Path("~/.config/media-hub/facebook.json"),
        description="The Page id, app id, Page access token and app secret (mode 0600).",
    )
    upload_chunk_kib: int = Field(
        16384,
        ge=64,
        description="Bytes sent per Resumable Upload request, in KiB; a retry resends one.",
    )
    title_max_chars: int = Field(
        255, ge=1, description="Longest video title sent (Meta documents none; ours)."
    )
    description_max_chars: int = Field(
        5000, ge=1, description="Longest video description sent (Meta documents none; ours)."
    )
    schedule_min_minutes: int = Field(
        10, ge=0, description="A scheduled video publishes at least this many minutes ahead."
    )
    schedule_max_days: int = Field(
        30, ge=1, description="A scheduled video publishes at most this many days ahead."
    )
    usage_slowdown_percent: int = Field(
        75,
        ge=1,
        le=100,
        description="Above this share of a rate limit (usage headers), calls are spaced out.",
    )
    stats_batch_size: int = Field(
        50,
        ge=1,
        le=50,
        description="Videos whose insights one `stats pull` call reads (Meta's batch: 50).",
    )


def facebook_settings(settings: Settings) -> FacebookSettings:
    return settings.section(FACEBOOK, FacebookSettings)

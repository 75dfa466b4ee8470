"""The configured Page's client: the one place settings become a GraphClient."""

from __future__ import annotations

import time
from collections.abc import Callable

from media_hub.platforms.facebook.client import GraphClient
from media_hub.platforms.facebook.credentials import FacebookCredentials, load_credentials
from media_hub.platforms.facebook.settings import facebook_settings
from media_hub.settings import Settings


def graph_client(
    settings: Settings,
    credentials: FacebookCredentials | None = None,
    *,
    sleep: Callable[[float], None] = time.sleep,
) -> GraphClient:
    """`sleep` is how the client waits (retries, usage slowdowns): a recorder in tests."""
    section = facebook_settings(settings)
    ca_bundle = settings.path(section.ca_bundle) if section.ca_bundle is not None else None
    return GraphClient(
        section.graph_base, section.graph_version, credentials or load_credentials(settings),
        ca_bundle=ca_bundle, slowdown_percent=section.usage_slowdown_percent, sleep=sleep,
    )  # fmt: skip

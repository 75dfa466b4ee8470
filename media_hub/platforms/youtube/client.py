"""The google-api-python-client services, pointed at YouTube or at the sandbox.

Only `youtube.api_endpoint` and `youtube.ca_bundle` differ between the two: the discovery
documents ship with the library (no network at build time), and uploads keep https even when
only the host is swapped, which is why the sandbox serves TLS.
"""

from __future__ import annotations

from typing import Any

from google.oauth2.credentials import Credentials
from google_auth_httplib2 import AuthorizedHttp
from googleapiclient.discovery import build

from media_hub.platforms.youtube.settings import youtube_settings
from media_hub.platforms.youtube.transport import SendOnceHttp
from media_hub.settings import Settings

HTTP_TIMEOUT_S = 120


def authorized_http(settings: Settings, credentials: Credentials) -> Any:
    ca_bundle = youtube_settings(settings).ca_bundle
    http = SendOnceHttp(
        timeout=HTTP_TIMEOUT_S, ca_certs=str(settings.path(ca_bundle)) if ca_bundle else None
    )
    # Resumable uploads answer 308 "resume incomplete", which is not a redirect here.
    http.redirect_codes = http.redirect_codes - {308}
    return AuthorizedHttp(credentials, http=http)


def youtube_service(settings: Settings, credentials: Credentials) -> Any:
    return build(
        "youtube",
        "v3",
        http=authorized_http(settings, credentials),
        static_discovery=True,
        cache_discovery=False,
        client_options={"api_endpoint": youtube_settings(settings).api_endpoint},
    )


def analytics_service(settings: Settings, credentials: Credentials) -> Any:
    return build(
        "youtubeAnalytics",
        "v2",
        http=authorized_http(settings, credentials),
        static_discovery=True,
        cache_discovery=False,
        client_options={"api_endpoint": youtube_settings(settings).api_endpoint},
    )

"""The YouTube OAuth token: obtained once with the installed-app flow, kept private, refreshed.

The token file is written with mode 0600 (atomically, so a crash never leaves half a token)
and is never printed or logged: every token and secret read or obtained is registered with
`redaction`, which masks it in any log line, however a library writes it. google-auth
refreshes credentials in place, on expiry or on a 401 in the middle of a run; each refresh is
written back at once, so the next run starts with the live token rather than a 401 and a
refresh. Production and sandbox differ only by
`youtube.token_uri` and the client secrets' auth URI.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from google.auth import transport
from google.auth.exceptions import RefreshError
from google.auth.transport.requests import Request
from google.oauth2.credentials import Credentials

from media_hub import redaction
from media_hub.errors import ConfigError
from media_hub.platforms.youtube import scopes
from media_hub.platforms.youtube.settings import youtube_settings
from media_hub.private_files import read_private, write_private
from media_hub.settings import Settings

log = logging.getLogger(__name__)

AUTH_HINT = "run 'media-hub auth youtube' first"


class SavedCredentials(Credentials):
    """Credentials that write themselves to their token file each time they are refreshed.

    Copies google-auth makes (`with_quota_project`...) have no file and are not saved.
    """

    def __init__(self, *args: Any, saved_to: Path | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[no-untyped-call]
        self.saved_to = saved_to

    def refresh(self, request: transport.Request) -> None:
        super().refresh(request)  # type: ignore[no-untyped-call]
        redaction.register(self.token)
        if self.saved_to is None:
            return
        try:
            save_credentials(self.saved_to, self)
        except OSError as exc:  # the run goes on; the next one refreshes again
            log.warning(
                "could not save the refreshed YouTube token to %s (%s)",
                self.saved_to, exc.strerror or type(exc).__name__,
            )  # fmt: skip


def token_path(settings: Settings) -> Path:
    return settings.path(youtube_settings(settings).token_file)


def save_credentials(path: Path, credentials: Credentials) -> None:
    """Write the token privately (mode 0600 from the start, then renamed into place)."""
    write_private(path, credentials.to_json())  # type: ignore[no-untyped-call]


def load_credentials(settings: Settings) -> Credentials:
    """The saved token, refreshed when expired (and saved again whenever refreshed); the token
    endpoint is the configured one."""
    path = token_path(settings)
    try:
        info = json.loads(read_private(path, AUTH_HINT))
    except ValueError as exc:
        raise ConfigError(f"{path} is not a media-hub token file; {AUTH_HINT}") from exc
    credentials = _from_saved(info, youtube_settings(settings).token_uri, path)
    if not credentials.valid and credentials.refresh_token:
        try:
            credentials.refresh(_requests_transport(settings))
        except RefreshError as exc:
            raise ConfigError(
                f"the YouTube token was refused ({exc.args[0]}); {AUTH_HINT}"
            ) from exc
    return credentials


def authorize(
    settings: Settings,
    client_secrets: Path,
    requested: Sequence[str] = scopes.ALL,
    *,
    open_browser: bool = True,
    port: int = 0,
    sandbox: bool = False,
) -> Path:
    """Run the installed-app flow on a loopback port and save the token; returns its path.

    With `sandbox`, the consent page (the sandbox's, which consents at once) is fetched here
    instead of in a browser; refused unless youtube.api_endpoint is on this machine."""
    from google_auth_oauthlib.flow import InstalledAppFlow

    if not client_secrets.is_file():
        raise ConfigError(
            f"{client_secrets}: no OAuth client file; download one from the Google Cloud "
            "console (an OAuth client of type 'Desktop app')"
        )
    try:
        flow = InstalledAppFlow.from_client_secrets_file(
            str(client_secrets), scopes=list(requested)
        )
    except (ValueError, KeyError, OSError) as exc:  # not JSON, or not an OAuth client's JSON
        raise ConfigError(
            f"{client_secrets}: not an OAuth client file ({exc}); download the JSON of an OAuth "
            "client of type 'Desktop app' from the Google Cloud console"
        ) from exc
    redaction.register(flow.client_config.get("client_secret"))
    _trust(flow.oauth2session, settings)
    browser = _sandbox_consent(settings) if sandbox else None
    credentials = flow.run_local_server(
        host="127.0.0.1", port=port, open_browser=open_browser or sandbox, browser=browser,
        access_type="offline", prompt="consent",
    )  # fmt: skip
    redaction.register(credentials.token, credentials.refresh_token)
    path = token_path(settings)
    save_credentials(path, credentials)
    return path


def _from_saved(info: dict[str, object], token_uri: str, path: Path) -> SavedCredentials:
    """Credentials from the saved token, with the configured token endpoint.

    (google-auth's `from_authorized_user_info` always puts Google's endpoint back, which would
    send the sandbox's refresh token to Google.)
    """
    refresh_token, client_id = info.get("refresh_token"), info.get("client_id")
    if not (isinstance(refresh_token, str) and isinstance(client_id, str)):
        raise ConfigError(f"{path} lacks a refresh token or client id; {AUTH_HINT}")
    for secret in (info.get("token"), refresh_token, info.get("client_secret")):
        redaction.register(secret if isinstance(secret, str) else None)
    scopes_saved = info.get("scopes")
    expiry_text = info.get("expiry")
    expiry = None
    if isinstance(expiry_text, str):
        expiry = datetime.strptime(expiry_text.rstrip("Z").split(".")[0], "%Y-%m-%dT%H:%M:%S")
    return SavedCredentials(
        token=info.get("token"),
        refresh_token=refresh_token,
        token_uri=token_uri,
        client_id=client_id,
        client_secret=info.get("client_secret"),
        scopes=scopes_saved if isinstance(scopes_saved, list) else None,
        expiry=expiry,
        saved_to=path,
    )


def _requests_transport(settings: Settings) -> Request:
    import requests

    session = requests.Session()
    _trust(session, settings)
    return Request(session)


SANDBOX_BROWSER = "media-hub-sandbox-consent"
_LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


def _sandbox_consent(settings: Settings) -> str:
    """A `webbrowser` name whose `open` fetches the consent URL with the configured CA, as a
    browser would; only for a sandbox on this machine (a real consent needs a person)."""
    import ssl
    import threading
    import urllib.parse
    import urllib.request
    import webbrowser

    youtube = youtube_settings(settings)
    host = urllib.parse.urlsplit(youtube.api_endpoint).hostname or ""
    if host not in _LOOPBACK:
        raise ConfigError(
            f"--sandbox only works against a sandbox on this machine; youtube.api_endpoint is "
            f"{youtube.api_endpoint}"
        )
    ca = str(settings.path(youtube.ca_bundle)) if youtube.ca_bundle else None
    context = ssl.create_default_context(cafile=ca)

    class Consent(webbrowser.BaseBrowser):
        def open(self, url: str, new: int = 0, autoraise: bool = True) -> bool:
            def visit() -> None:
                with urllib.request.urlopen(url, context=context, timeout=30) as answer:  # noqa: S310
                    answer.read()

            threading.Thread(target=visit, daemon=True).start()
            return True

    webbrowser.register(SANDBOX_BROWSER, None, Consent(SANDBOX_BROWSER))
    return SANDBOX_BROWSER


def _trust(session: Any, settings: Settings) -> None:
    """Trust the configured CA (the sandbox's) for the token endpoint.

    requests lets REQUESTS_CA_BUNDLE from the environment win over `session.verify`, so with
    a CA configured the environment is not consulted for this session.
    """
    ca_bundle = youtube_settings(settings).ca_bundle
    if ca_bundle is not None:
        session.verify = str(settings.path(ca_bundle))
        session.trust_env = False

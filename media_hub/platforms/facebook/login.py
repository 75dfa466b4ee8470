"""`auth facebook --login`: a long-lived Page token through Facebook Login on a loopback port.

What it relies on, read in Meta's documentation (2026-12):

- "Manually Build a Login Flow": the dialog `https://www.facebook.com/<version>/dialog/oauth`
  with `client_id`, `redirect_uri`, `state` (to check on return) and `scope`; it redirects to
  `redirect_uri` with `code` and `state`, or, when the person declines, with
  `error=access_denied&error_reason=user_denied`. The code is exchanged at
  `GET graph.facebook.com/<version>/oauth/access_token` with `client_id`, the same
  `redirect_uri`, `client_secret` and `code` for a short-lived user token.
- "Long-Lived Access Tokens": the same endpoint with `grant_type=fb_exchange_token`,
  `client_id`, `client_secret`, `fb_exchange_token` gives a user token of about 60 days.
- Pages API "Access Tokens": `GET /me/accounts?fields=name,access_token` (pages_show_list)
  lists the Pages the user has a task on with their Page tokens; a Page token read with a
  long-lived user token "has no expiration date".

Production and the sandbox differ only by `facebook.dialog_base` and `facebook.graph_base`.
Nothing is saved unless every step succeeds and `check_and_save` finds the Page.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import requests

from media_hub import redaction
from media_hub.errors import ConfigError, MediaHubError, RemoteError
from media_hub.platforms.facebook.auth import check_and_save
from media_hub.platforms.facebook.credentials import FacebookCredentials
from media_hub.platforms.facebook.errors import SERVICE, GraphError, translate
from media_hub.platforms.facebook.loopback import LoopbackServer, visit_in_background
from media_hub.platforms.facebook.settings import FacebookSettings, facebook_settings
from media_hub.settings import Settings

# The Video API publishing guide: a Page token with pages_show_list, pages_read_engagement and
# pages_manage_posts publishes on /{page-id}/videos (publish_video is not asked for there).
# The video_insights reference adds read_insights for `stats pull`.
SCOPES = ("pages_show_list", "pages_read_engagement", "pages_manage_posts", "read_insights")
RERUN = "rerun 'media-hub auth facebook --login'"
TRANSPORT = (requests.ConnectionError, requests.Timeout)
_LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


@dataclass(frozen=True)
class Page:
    id: str
    name: str
    token: str


def login_and_save(
    settings: Settings,
    app_id: str,
    app_secret: str,
    page_id: str | None,
    *,
    tell: Callable[[str], None],
    port: int | None = None,
    open_browser: bool = True,
    sandbox: bool = False,
) -> tuple[Path, str]:
    """Run the login, read the Page's long-lived token, check and save it as the pasted way
    does; returns where it was saved and the Page's name. `tell` shows the dialog's URL;
    `port` (else facebook.login_port) is where the redirect comes back."""
    section = facebook_settings(settings)
    FacebookCredentials("1", app_id, "-", app_secret)  # the same checks as the pasted way
    ca_bundle = str(settings.path(section.ca_bundle)) if section.ca_bundle else None
    if sandbox and urlsplit(section.dialog_base).hostname not in _LOOPBACK:
        raise ConfigError(
            "--sandbox only works against a sandbox on this machine; facebook.dialog_base is "
            f"{section.dialog_base}"
        )
    server = LoopbackServer(section.login_port if port is None else port)
    try:
        state = secrets.token_urlsafe(32)
        url = dialog_url(section, app_id, server.redirect_uri, state)
        tell(f"Log in to Facebook and allow media-hub on the Page: {url}")
        if sandbox:
            visit_in_background(server, url, ca_bundle)
        elif open_browser:
            webbrowser.open(url)
        answer = server.wait(section.login_timeout)
    finally:
        server.server_close()
    code = _code(answer, state, section.login_timeout)
    with _session(ca_bundle) as session:
        graph = Graph(session, f"{section.graph_base.rstrip('/')}/{section.graph_version}")
        short = graph.exchange_code(app_id, app_secret, server.redirect_uri, code)
        long_lived = graph.long_lived(app_id, app_secret, short)
        page = choose_page(graph.pages(long_lived, app_secret), page_id)
    return check_and_save(settings, FacebookCredentials(page.id, app_id, page.token, app_secret))


def dialog_url(section: FacebookSettings, app_id: str, redirect_uri: str, state: str) -> str:
    query = {"client_id": app_id, "redirect_uri": redirect_uri, "state": state,
             "response_type": "code", "scope": ",".join(SCOPES)}  # fmt: skip
    return f"{section.dialog_base.rstrip('/')}/{section.graph_version}/dialog/oauth?" + urlencode(
        query
    )


def _code(answer: dict[str, str] | None, state: str, timeout: int) -> str:
    """The authorization code, once the redirect is known to answer this run's dialog."""
    if answer is None:
        raise ConfigError(
            f"Facebook Login: no answer from the browser within {timeout} s; {RERUN} and finish "
            "the login (or raise facebook.login_timeout)"
        )
    if not secrets.compare_digest(answer.get("state", "").encode(), state.encode()):
        raise ConfigError(
            "Facebook Login: the redirect's state does not match this run's (a stale or forged "
            f"redirect); nothing was saved; {RERUN}"
        )
    error = answer.get("error")
    if error == "access_denied":
        raise ConfigError(
            f"Facebook Login was declined ({answer.get('error_reason') or error}); {RERUN} and "
            f"allow media-hub the permissions asked ({', '.join(SCOPES)}) and the Page"
        )
    if error is not None:
        raise ConfigError(
            f"Facebook Login failed ({error}: {answer.get('error_description', '')}); {RERUN}"
        )
    code = answer.get("code", "")
    redaction.register(code)
    return code


def _session(ca_bundle: str | None) -> requests.Session:
    session = requests.Session()
    if ca_bundle is not None:  # REQUESTS_CA_BUNDLE must not win over the configured CA
        session.verify = ca_bundle
        session.trust_env = False
    return session


class Graph:
    """The login's calls: tokens and the user's Pages, each refused with one line."""

    def __init__(self, session: requests.Session, root: str) -> None:
        self.session = session
        self.root = root

    def exchange_code(self, app_id: str, secret: str, redirect_uri: str, code: str) -> str:
        params = {"client_id": app_id, "client_secret": secret, "redirect_uri": redirect_uri,
                  "code": code}  # fmt: skip
        return self._token(params, "exchanging the login's code")

    def long_lived(self, app_id: str, secret: str, short: str) -> str:
        params = {"grant_type": "fb_exchange_token", "client_id": app_id,
                  "client_secret": secret, "fb_exchange_token": short}  # fmt: skip
        return self._token(params, "asking for a long-lived user token")

    def pages(self, user_token: str, secret: str) -> list[Page]:
        """Every Page the user has a task on, with its Page token (cursor by cursor)."""
        proof = hmac.new(secret.encode(), user_token.encode(), hashlib.sha256).hexdigest()
        params = {"fields": "id,name,access_token", "limit": "100", "appsecret_proof": proof}
        found: list[Page] = []
        while True:
            answer = self._get("me/accounts", params, "listing your Pages", user_token)
            for item in answer.get("data") or []:
                token = str(item.get("access_token") or "")
                redaction.register(token)
                if token and item.get("id"):
                    found.append(Page(str(item["id"]), str(item.get("name") or ""), token))
            paging = answer.get("paging") or {}
            after = (paging.get("cursors") or {}).get("after")
            if not after or not paging.get("next"):
                return found
            params = {**params, "after": str(after)}

    def _token(self, params: dict[str, str], doing: str) -> str:
        answer = self._get("oauth/access_token", params, doing, None)
        token = answer.get("access_token")
        if not isinstance(token, str) or not token:
            raise RemoteError(SERVICE, "noToken", f"{doing}: the answer holds no access_token")
        redaction.register(token)
        return token

    def _get(self, path: str, params: dict[str, str], doing: str, token: str | None) -> Any:
        headers = {"Authorization": f"OAuth {token}"} if token else {}
        try:
            response = self.session.get(
                f"{self.root}/{path}", params=params, headers=headers, timeout=60
            )
        except TRANSPORT as exc:
            raise RemoteError(
                SERVICE, "connection",
                f"{doing}: the connection to Facebook was lost ({type(exc).__name__}); {RERUN}",
            ) from exc  # fmt: skip
        try:
            answer = response.json()
        except ValueError:
            answer = None
        if response.status_code >= 400 or (isinstance(answer, dict) and "error" in answer):
            raise login_error(GraphError.from_body(response.status_code, answer), doing)
        if not isinstance(answer, dict):
            raise RemoteError(SERVICE, "badAnswer", f"{doing}: the answer was not JSON")
        return answer


def login_error(error: GraphError, doing: str) -> MediaHubError:
    """A refusal met during the login, as one line saying what to do."""
    where = f"{SERVICE}: {doing}"
    if error.code == 190:
        return ConfigError(
            f"{where}: the login's user token was refused or has expired (code 190); {RERUN}"
        )
    if error.code == 100 and error.subcode == 36008:
        return ConfigError(
            f"{where}: Meta says the redirect URI differs from the dialog's (code 100, subcode "
            f"36008); list the redirect URI exactly in the app's Valid OAuth Redirect URIs "
            f"and {RERUN}"
        )
    if error.code == 100 and error.subcode in {36007, 36009}:
        return ConfigError(f"{where}: the login's code has expired or was used; {RERUN}")
    if error.code == 101 or (error.code == 1 and "client secret" in error.message.lower()):
        return ConfigError(
            f"{where}: Meta refused the app id or app secret ({error.message}); copy both from "
            f"the app's dashboard (App settings > Basic) and {RERUN}"
        )
    return translate(error, doing)


def choose_page(pages: list[Page], page_id: str | None) -> Page:
    """The asked Page, or the only one; several without `--page-id` are listed, not guessed."""
    listed = ", ".join(f"{page.id} ({page.name})" for page in pages)
    if page_id is not None:
        for page in pages:
            if page.id == page_id:
                return page
        raise ConfigError(
            f"Facebook: this login has no task on Page {page_id} (its Pages: {listed or 'none'});"
            " log in as someone who manages it, or give one of those ids with --page-id"
        )
    if not pages:
        raise ConfigError(
            f"Facebook: this login manages no Page (or pages_show_list was not granted); {RERUN} "
            "and choose the Page in the dialog"
        )
    if len(pages) > 1:
        raise ConfigError(f"Facebook: you manage several Pages: {listed}; rerun with --page-id ID")
    return pages[0]

"""Facebook Login for the sandbox's Page: the dialog, the token endpoint and the user's Pages.

- `GET /www/<version>/dialog/oauth` (client_id, redirect_uri, state, scope) consents at once:
  it redirects to the (loopback only) redirect_uri with `code` and `state`, as Meta's dialog
  does after a person allows the app. `refuse_next()` makes it answer as after "Not now"
  (`error=access_denied&error_reason=user_denied&error_description=Permissions+error`);
  `forge_next_state()` makes it hand back another `state`, as a forged redirect would;
  `expire_next_token()` makes the next user token issued already expired.
- `GET /graph/<version>/oauth/access_token`: a code (with client_id, client_secret and the same
  redirect_uri) for a short-lived user token, or `grant_type=fb_exchange_token` for a
  long-lived one. Refusals have Meta's shapes: a wrong code is code 100 "Invalid verification
  code format.", a used one 100/36009, a redirect_uri other than the dialog's 100/36008, a
  wrong secret code 1 "Error validating client secret.".
- `GET /graph/<version>/me/accounts` with a user token (and its `appsecret_proof`): the Pages
  the user manages with their Page tokens (the sandbox's Page, and any `add_page`).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import threading
from typing import Any
from urllib.parse import urlencode, urlsplit

from media_hub.sandbox.facebook_page import GraphFailureError, invalid
from media_hub.sandbox.state import Data, State
from media_hub.sandbox.wire import Request, Response

DIALOG_PREFIX = "/www/"
_DIALOG = re.compile(r"^/www/v\d+\.\d+/dialog/oauth/?$")
_TOKEN = re.compile(r"^/graph/v\d+\.\d+/oauth/access_token/?$")
_ACCOUNTS = re.compile(r"^/graph/v\d+\.\d+/me/accounts/?$")
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
SHORT_LIVED_S = 3600
LONG_LIVED_S = 60 * 86400  # "about 60 days" (Long-Lived Access Tokens)


class FacebookLogin:
    """The login endpoints over the state's `facebook.login` part."""

    def __init__(self, state: State) -> None:
        self.state = state
        with state.change() as data:
            data["facebook"].setdefault("login", {"codes": {}, "used": [], "users": {}})
            data["facebook"].setdefault("other_pages", [])
        self._lock = threading.Lock()
        self._refuse = 0
        self._forge = 0
        self._expire = 0

    # -- for tests and the demo ----------------------------------------------------------------
    def refuse_next(self) -> None:
        """The next dialog answers as if the person declined."""
        with self._lock:
            self._refuse += 1

    def forge_next_state(self) -> None:
        """The next dialog redirects with a `state` other than the one it was given."""
        with self._lock:
            self._forge += 1

    def expire_next_token(self) -> None:
        """The next user token issued has already expired (its use meets 190/463)."""
        with self._lock:
            self._expire += 1

    def add_page(self, name: str) -> str:
        """Another Page the consenting user manages; returns its id."""
        page_id = str(10**14 + secrets.randbelow(9 * 10**14))
        with self.state.change() as data:
            data["facebook"]["other_pages"].append(
                {"id": page_id, "name": name, "access_token": "EAAB" + secrets.token_urlsafe(48)}
            )
        return page_id

    # -- routing -------------------------------------------------------------------------------
    @staticmethod
    def serves(path: str) -> bool:
        return bool(_DIALOG.match(path) or _TOKEN.match(path) or _ACCOUNTS.match(path))

    def handle(self, request: Request) -> Response:
        try:
            if request.method != "GET":
                raise invalid("(#100) Unsupported method")
            if _DIALOG.match(request.path):
                return self._dialog(request)
            if _TOKEN.match(request.path):
                return Response.json(self._token(request))
            return Response.json(self._accounts(request))
        except GraphFailureError as failure:
            return failure.response()

    # -- the dialog ----------------------------------------------------------------------------
    def _dialog(self, request: Request) -> Response:
        with self.state.read() as data:
            app_id = data["facebook"]["app_id"]
        if request.param("client_id") != app_id:
            raise GraphFailureError("Invalid App ID: the app id is not valid", 101)
        redirect_uri = request.param("redirect_uri") or ""
        parts = urlsplit(redirect_uri)
        if parts.scheme != "http" or parts.hostname not in LOOPBACK_HOSTS:
            raise GraphFailureError(
                "URL Blocked: This redirect failed because the redirect URI is not whitelisted "
                "in the app's Client OAuth Settings.", 191,
            )  # fmt: skip
        with self._lock:
            refuse, self._refuse = self._refuse > 0, max(0, self._refuse - 1)
            forge, self._forge = self._forge > 0, max(0, self._forge - 1)
        answer: dict[str, str]
        if refuse:
            answer = {
                "error": "access_denied",
                "error_code": "200",
                "error_description": "Permissions error",
                "error_reason": "user_denied",
            }
        else:
            code = "AQ" + secrets.token_urlsafe(48)
            scopes = [s for s in re.split(r"[,\s]+", request.param("scope") or "") if s]
            with self.state.change() as data:
                data["facebook"]["login"]["codes"][code] = {
                    "redirect_uri": redirect_uri, "scopes": scopes,
                    "expires": self.state.now().timestamp() + 600,
                }  # fmt: skip
            answer = {"code": code}
        state = request.param("state")
        if state is not None:
            answer["state"] = secrets.token_urlsafe(16) if forge else state
        separator = "&" if parts.query else "?"
        location = redirect_uri + separator + urlencode(answer) + "#_=_"
        return Response(302, b"", {"Location": location})

    # -- tokens --------------------------------------------------------------------------------
    def _token(self, request: Request) -> Data:
        with self.state.read() as data:
            fb = data["facebook"]
            app_id, app_secret = fb["app_id"], fb["app_secret"]
        if request.param("client_id") != app_id:
            raise GraphFailureError("Error validating application. Invalid application ID.", 101)
        if not hmac.compare_digest(request.param("client_secret") or "", app_secret):
            raise GraphFailureError("Error validating client secret.", 1)
        grant = request.param("grant_type")
        if grant == "fb_exchange_token":
            user = self._user(request.param("fb_exchange_token") or "")
            return self._issue(user["scopes"], long_lived=True)
        if grant not in (None, "authorization_code"):
            raise invalid(f"Invalid grant_type: '{grant}'. Supported types: authorization_code, "
                          "client_credentials, fb_exchange_token")  # fmt: skip
        code = request.param("code") or ""
        with self.state.change() as data:
            login = data["facebook"]["login"]
            if code in login["used"]:
                raise invalid("This authorization code has been used.", 36009)
            entry = login["codes"].get(code)
            if entry is None:
                raise invalid("Invalid verification code format.")
            if entry["redirect_uri"] != request.param("redirect_uri"):
                raise invalid(
                    "Error validating verification code. Please make sure your redirect_uri is "
                    "identical to the one you used in the OAuth dialog request", 36008,
                )  # fmt: skip
            if entry["expires"] < self.state.now().timestamp():
                raise invalid("This authorization code has expired.", 36007)
            del login["codes"][code]
            login["used"] = [*login["used"][-99:], code]
        return self._issue(entry["scopes"], long_lived=False)

    def _issue(self, scopes: list[str], *, long_lived: bool) -> Data:
        token = "EAAU" + secrets.token_urlsafe(48)
        lifetime = LONG_LIVED_S if long_lived else SHORT_LIVED_S
        with self._lock:
            expired, self._expire = self._expire > 0, max(0, self._expire - 1)
        with self.state.change() as data:
            data["facebook"]["login"]["users"][token] = {
                "scopes": scopes, "long_lived": long_lived,
                "expires": self.state.now().timestamp() + (0 if expired else lifetime),
            }  # fmt: skip
        return {"access_token": token, "token_type": "bearer", "expires_in": lifetime}

    def _user(self, token: str) -> Any:
        with self.state.read() as data:
            user = data["facebook"]["login"]["users"].get(token)
        if user is None:
            raise GraphFailureError("Invalid OAuth access token - Cannot parse access token", 190)
        if user["expires"] <= self.state.now().timestamp():
            raise GraphFailureError(
                "Error validating access token: Session has expired.", 190, subcode=463
            )
        return user

    # -- the user's Pages ----------------------------------------------------------------------
    def _accounts(self, request: Request) -> Data:
        header = request.header("Authorization") or ""
        token = request.param("access_token") or ""
        if header.startswith(("OAuth ", "Bearer ")):
            token = header.split(" ", 1)[1].strip()
        if not token:
            raise GraphFailureError(
                "An active access token must be used to query information.", 2500
            )
        user = self._user(token)
        with self.state.read() as data:
            fb = data["facebook"]
            secret, page = fb["app_secret"], fb["page"]
            pages = [{"id": page["id"], "name": page["name"], "access_token": fb["page_token"]},
                     *fb["other_pages"]]  # fmt: skip
        proof = hmac.new(secret.encode(), token.encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(request.param("appsecret_proof") or "", proof):
            raise invalid("API calls from the server require an appsecret_proof argument")
        if "pages_show_list" not in user["scopes"]:
            raise GraphFailureError("(#200) Requires pages_show_list permission", 200,
                                    kind="OAuthException")  # fmt: skip
        listed = [{**p, "tasks": ["ANALYZE", "ADVERTISE", "MODERATE", "CREATE_CONTENT", "MANAGE"]}
                  for p in pages]  # fmt: skip
        return {"data": listed, "paging": {"cursors": {"before": "QVFI", "after": "QVFI"}}}

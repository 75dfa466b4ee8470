"""Google's OAuth 2.0 endpoints, enough for google-auth and google-auth-oauthlib to run unchanged.

`/o/oauth2/auth` consents at once and redirects to the (loopback only) redirect URI;
`/token` exchanges codes (with PKCE) and refresh tokens. Access tokens expire on the sandbox's
clock, so simulated days and the "expire tokens" fault make the real client refresh.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from typing import Any
from urllib.parse import unquote_plus, urlencode, urlsplit

from media_hub.sandbox.errors import ApiError
from media_hub.sandbox.state import Data, State
from media_hub.sandbox.wire import Request, Response

SCOPE = "https://www.googleapis.com/auth/"
YOUTUBE = SCOPE + "youtube"
FORCE_SSL = SCOPE + "youtube.force-ssl"
UPLOAD = SCOPE + "youtube.upload"
READONLY = SCOPE + "youtube.readonly"
PARTNER = SCOPE + "youtubepartner"
ANALYTICS = SCOPE + "yt-analytics.readonly"
ANALYTICS_MONETARY = SCOPE + "yt-analytics-monetary.readonly"

WRITE = frozenset({YOUTUBE, FORCE_SSL, PARTNER})
READ = WRITE | {READONLY}
UPLOADS = WRITE | {UPLOAD}
CAPTIONS = frozenset({FORCE_SSL, PARTNER})
REPORTS = frozenset({ANALYTICS, ANALYTICS_MONETARY})

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
CODE_LIFETIME = dt.timedelta(minutes=10)


def _oauth_error(error: str, description: str, status: int = 400) -> Response:
    return Response.json({"error": error, "error_description": description}, status)


def authorize(state: State, request: Request) -> Response:
    """Consent at once: redirect to the loopback redirect URI with a code and the state."""
    redirect_uri = request.param("redirect_uri") or ""
    parts = urlsplit(redirect_uri)
    if parts.scheme != "http" or parts.hostname not in LOOPBACK_HOSTS:
        return _oauth_error("redirect_uri_mismatch", "Only loopback redirect URIs are allowed.")
    if request.param("response_type") != "code" or not request.param("client_id"):
        return _oauth_error("invalid_request", "response_type=code and client_id are required.")
    scopes = (request.param("scope") or "").split()
    if not scopes:
        return _oauth_error("invalid_scope", "Missing required parameter: scope")
    code = "4/" + secrets.token_urlsafe(32)
    with state.change() as data:
        data["tokens"]["codes"][code] = {
            "client_id": request.param("client_id"),
            "redirect_uri": redirect_uri,
            "scopes": scopes,
            "challenge": request.param("code_challenge"),
            "challenge_method": request.param("code_challenge_method", "plain"),
            "expires": (state.now() + CODE_LIFETIME).timestamp(),
        }
    answer = {"code": code, "scope": " ".join(scopes)}
    if request.param("state") is not None:
        answer["state"] = request.param("state") or ""
    separator = "&" if parts.query else "?"
    return Response(302, b"", {"Location": redirect_uri + separator + urlencode(answer)})


def token(state: State, request: Request) -> Response:
    """The token endpoint: authorization_code (with PKCE) and refresh_token grants."""
    form = request.body.form()
    grant = form.get("grant_type")
    client_id = form.get("client_id") or _basic_client_id(request.header("Authorization"))
    if not client_id:
        return _oauth_error("invalid_client", "The OAuth client was not found.", 401)
    with state.change() as data:
        tokens = data["tokens"]
        if grant == "authorization_code":
            entry = tokens["codes"].pop(form.get("code", ""), None)
            problem = _code_problem(entry, form, state)
            if entry is not None and entry["client_id"] != client_id:
                problem = "The code was issued to another client."
            if entry is None or problem:
                return _oauth_error("invalid_grant", problem or "Malformed auth code.")
            refresh = "1//" + secrets.token_urlsafe(40)
            tokens["refresh"][refresh] = {"client_id": client_id, "scopes": entry["scopes"]}
            return Response.json(
                {**_issue(state, data, client_id, entry["scopes"]), "refresh_token": refresh}
            )
        if grant == "refresh_token":
            entry = tokens["refresh"].get(form.get("refresh_token", ""))
            if entry is None or entry["client_id"] != client_id:
                return _oauth_error("invalid_grant", "Token has been expired or revoked.")
            return Response.json(_issue(state, data, client_id, entry["scopes"]))
    return _oauth_error("unsupported_grant_type", f"Invalid grant_type: {grant}")


def _basic_client_id(header: str | None) -> str | None:
    """The client id of HTTP Basic client authentication (RFC 6749 2.3.1), as requests-oauthlib
    sends it when it has a client secret."""
    scheme, _, value = (header or "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode()
    except ValueError:
        return None
    return unquote_plus(decoded.partition(":")[0]) or None


def _code_problem(entry: dict[str, Any] | None, form: dict[str, str], state: State) -> str:
    if entry is None:
        return "Malformed auth code."
    if entry["expires"] < state.now().timestamp():
        return "The authorization code has expired."
    if entry["redirect_uri"] != form.get("redirect_uri"):
        return "The code was issued to another client or redirect URI."
    challenge = entry.get("challenge")
    if challenge:
        verifier = form.get("code_verifier", "")
        if entry.get("challenge_method") == "S256":
            digest = hashlib.sha256(verifier.encode()).digest()
            verifier = base64.urlsafe_b64encode(digest).decode().rstrip("=")
        if not secrets.compare_digest(verifier, challenge):
            return "Invalid code verifier."
    return ""


def _issue(state: State, data: Data, client_id: str, scopes: list[str]) -> dict[str, Any]:
    now = state.now().timestamp()
    lifetime = int(data["config"].get("token_lifetime", 3600))
    access = data["tokens"]["access"]
    for stale in [name for name, info in access.items() if info["expires"] < now - 86400]:
        del access[stale]
    value = "ya29." + secrets.token_urlsafe(48)
    access[value] = {"client_id": client_id, "scopes": scopes, "expires": now + lifetime}
    return {
        "access_token": value,
        "expires_in": lifetime - 1,
        "scope": " ".join(scopes),
        "token_type": "Bearer",
    }


def grant(state: State, client_id: str, scopes: Iterable[str]) -> str:
    """A refresh token as if the owner had consented earlier (for tests and the demo)."""
    refresh = "1//" + secrets.token_urlsafe(40)
    with state.change() as data:
        data["tokens"]["refresh"][refresh] = {"client_id": client_id, "scopes": list(scopes)}
    return refresh


def expire_access_tokens(state: State) -> None:
    """Every access token issued so far stops working now; refresh tokens keep working."""
    with state.change() as data:
        for info in data["tokens"]["access"].values():
            info["expires"] = 0


def authenticate(state: State, request: Request, allowed: frozenset[str]) -> None:
    """Accept a live bearer token carrying one of the `allowed` scopes, else 401 / 403."""
    header = request.header("Authorization") or ""
    scheme, _, value = header.partition(" ")
    with state.read() as data:
        info = data["tokens"]["access"].get(value.strip()) if scheme.lower() == "bearer" else None
        if info is None or info["expires"] <= state.now().timestamp():
            raise ApiError("authError")
        if allowed and not allowed.intersection(info["scopes"]):
            raise ApiError("insufficientPermissions")

"""Sessions in signed cookies: who is signed in, their CSRF token and interface language.

The cookie holds no secret and cannot be forged (itsdangerous signs it with the hub's key).
Signing in always starts a new session with a new token (no fixation); signing out raises
the user's session epoch in the catalog, which ends every cookie issued before.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, replace

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

COOKIE = "media_hub_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


@dataclass(frozen=True)
class Session:
    csrf: str
    user: str | None = None
    epoch: int = 0
    lang: str | None = None

    def signed_in(self, user: str, epoch: int) -> Session:
        """A new session for `user`: a fresh token, only the language carried over."""
        return Session(csrf=new_token(), user=user, epoch=epoch, lang=self.lang)

    def with_lang(self, lang: str) -> Session:
        return replace(self, lang=lang)

    def token_matches(self, given: str | None) -> bool:
        return given is not None and hmac.compare_digest(self.csrf.encode(), given.encode())


def new_token() -> str:
    return secrets.token_urlsafe(32)


class SessionCodec:
    def __init__(self, secret_key: str, max_age_s: int, secure: bool | None) -> None:
        self._serializer = URLSafeTimedSerializer(secret_key, salt="media-hub session")
        self.max_age_s = max_age_s
        self.secure = secure

    def read(self, request: Request) -> Session | None:
        raw = request.cookies.get(COOKIE)
        if not raw:
            return None
        try:
            data = self._serializer.loads(raw, max_age=self.max_age_s)
        except BadSignature:
            return None
        if not isinstance(data, dict) or not isinstance(data.get("c"), str):
            return None
        user, epoch, lang = data.get("u"), data.get("e", 0), data.get("l")
        return Session(
            csrf=data["c"],
            user=user if isinstance(user, str) else None,
            epoch=epoch if isinstance(epoch, int) else 0,
            lang=lang if isinstance(lang, str) else None,
        )

    def write(self, request: Request, response: Response, session: Session) -> None:
        value = self._serializer.dumps(
            {"c": session.csrf, "u": session.user, "e": session.epoch, "l": session.lang}
        )
        response.set_cookie(
            COOKIE, value, max_age=self.max_age_s, httponly=True, samesite="lax",
            secure=self._secure(request), path="/",
        )  # fmt: skip

    def _secure(self, request: Request) -> bool:
        # Behind the TLS proxy, uvicorn sets the scheme from X-Forwarded-Proto, trusted only
        # from the addresses given to `serve --proxy`.
        return self.secure if self.secure is not None else request.url.scheme == "https"

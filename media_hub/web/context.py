"""What one request knows: its session, the signed-in user, and what they may do.

Each page asks for the role it needs (`need`); the user is read again from the catalog on
every request, so a changed role, a disabled account or a sign-out elsewhere takes effect at
once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from media_hub.catalog.user_models import Role
from media_hub.catalog.users import UserRecord
from media_hub.web.proxy import FROM_PROXY
from media_hub.web.sessions import CSRF_FIELD, CSRF_HEADER, Session, new_token
from media_hub.web.state import WebApp


@dataclass
class Visit:
    session: Session
    user: UserRecord | None
    fresh: bool  # the cookie must be (re)written with `session`

    @property
    def role(self) -> Role | None:
        return Role(self.user["role"]) if self.user else None

    @property
    def name(self) -> str:
        """The signed-in user's name, as the audit log records it."""
        if self.user is None:
            raise SignInNeededError
        return self.user["name"]

    def may(self, role: Role) -> bool:
        return self.role is not None and self.role.may(role)

    def replace_session(self, session: Session) -> None:
        self.session = session
        self.fresh = True


class SignInNeededError(Exception):
    """The page needs a signed-in user: the app answers with the sign-in page."""


def web(request: Request) -> WebApp:
    found: WebApp = request.app.state.web
    return found


def visit(request: Request) -> Visit:
    """The request's session and user (looked up once per request)."""
    cached: Visit | None = getattr(request.state, "visit", None)
    if cached is not None:
        return cached
    app = web(request)
    session = app.codec.read(request)
    found = Visit(Session(csrf=new_token()), None, fresh=True)
    proxy_user = _proxy_user(request, app)
    if proxy_user is not None:
        found = Visit(session or found.session, None, fresh=session is None)
        user = app.users.get(proxy_user)
        if user is None or user["disabled"]:
            request.state.visit = found  # the error page is drawn for nobody signed in
            raise HTTPException(
                403, f"{proxy_user!r} may not use media-hub: an admin adds them with "
                f"'media-hub users add NAME --role ROLE' (or enables them)",
            )  # fmt: skip
        found.user = user
    elif session is not None:
        found = Visit(session, None, fresh=False)
        if session.user is not None:
            user = app.users.get(session.user)
            if user is None or user["disabled"] or user["session_epoch"] != session.epoch:
                found = Visit(Session(csrf=new_token(), lang=session.lang), None, fresh=True)
            else:
                found.user = user
    request.state.visit = found
    return found


def _proxy_user(request: Request, app: WebApp) -> str | None:
    """The user the trusted proxy signed in, if the app is told to believe it."""
    header = app.config.proxy_user_header
    if header is None or not request.scope.get(FROM_PROXY):
        return None
    name = request.headers.get(header, "").strip().lower()
    return name or None


def need(request: Request, role: Role) -> Visit:
    """The visit, if its user may act as `role`: else the sign-in page, or 403."""
    found = visit(request)
    if found.user is None:
        raise SignInNeededError
    if not found.may(role):
        raise HTTPException(403, f"this needs the {role.value} role")
    return found


Fields = dict[str, list[str]]


def posted(
    handler: Callable[[Request, Fields], Response],
) -> Callable[[Request], Awaitable[Response]]:
    """An endpoint for a form: the body is read in the event loop, then `handler` (which
    calls the catalog, and so blocks) runs in a worker thread, as Starlette runs plain
    endpoints."""

    async def endpoint(request: Request) -> Response:
        form = await request.form(max_files=0, max_fields=2000)
        fields: Fields = {}
        for key, value in form.multi_items():
            if isinstance(value, str):
                fields.setdefault(key, []).append(value)
        return await run_in_threadpool(handler, request, fields)

    return endpoint


def check_csrf(request: Request, fields: Fields) -> None:
    """Refuse (403) a form whose token is not the session's."""
    token = fields.get(CSRF_FIELD, [request.headers.get(CSRF_HEADER, "")])[0]
    if not visit(request).session.token_matches(token or None):
        raise HTTPException(403, "the form's security token is missing or out of date")


def first(fields: Fields, key: str, default: str = "") -> str:
    return fields.get(key, [default])[0]

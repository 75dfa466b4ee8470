"""Signing in and out, and choosing the interface's language."""

from __future__ import annotations

import re

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from media_hub.web.context import Fields, check_csrf, first, posted, visit, web
from media_hub.web.i18n import N_
from media_hub.web.render import page, redirect
from media_hub.web.sessions import Session, new_token

_LOCAL_PATH = re.compile(r"/(?![/\\])[^\s\\]*")


def _safe_next(target: str) -> str:
    """Only a path of this site (not //host, a scheme, or "/\t/host", which browsers read as
    //host once they drop the tab), so sign-in cannot send anyone elsewhere."""
    return target if _LOCAL_PATH.fullmatch(target) else "/"


def login_form(request: Request) -> Response:
    current = visit(request)
    if current.user is not None:
        return redirect(request, _safe_next(request.query_params.get("next", "/")))
    return page(request, "login.html", next=_safe_next(request.query_params.get("next", "/")))


def login(request: Request, fields: Fields) -> Response:
    check_csrf(request, fields)
    app = web(request)
    name = first(fields, "name").strip().lower()[:64]
    password = first(fields, "password")
    target = _safe_next(first(fields, "next", "/"))
    address = request.client.host if request.client else "unknown"
    keys = (f"name:{name}", f"address:{address}")
    wait = app.limiter.retry_after(*keys)
    if wait:
        minutes = max(1, round(wait / 60))
        raise HTTPException(
            429,
            f"too many failed sign-ins; try again in {minutes} minute{'s' * (minutes > 1)}",
            headers={"Retry-After": str(wait)},
        )
    user = app.users.authenticate(name, password)
    if user is None:
        app.limiter.failed(*keys)
        return page(
            request, "login.html", status=401, next=target, name=name,
            error=N_("Wrong name or password."),
        )  # fmt: skip
    app.limiter.succeeded(keys[0])
    current = visit(request)
    current.replace_session(current.session.signed_in(user["name"], user["session_epoch"]))
    return redirect(request, target)


def logout(request: Request, fields: Fields) -> Response:
    check_csrf(request, fields)
    current = visit(request)
    if current.user is not None:
        web(request).users.end_sessions(current.user["name"])
    current.replace_session(Session(csrf=new_token(), lang=current.session.lang))
    current.user = None
    return redirect(request, "/login")


def choose_language(request: Request, fields: Fields) -> Response:
    check_csrf(request, fields)
    lang = first(fields, "lang")
    if lang not in web(request).config.languages:
        raise HTTPException(400)
    current = visit(request)
    current.replace_session(current.session.with_lang(lang))
    return redirect(request, _safe_next(first(fields, "next", "/")))


routes = [
    Route("/login", login_form, methods=["GET"]),
    Route("/login", posted(login), methods=["POST"]),
    Route("/logout", posted(logout), methods=["POST"]),
    Route("/language", posted(choose_language), methods=["POST"]),
]

"""Errors as pages in the app's look that say what to do; never a traceback."""

from __future__ import annotations

import logging
from urllib.parse import quote

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from media_hub.errors import ConflictError, MediaHubError, NotFoundError, ValidationError
from media_hub.web.context import SignInNeededError
from media_hub.web.i18n import N_
from media_hub.web.render import page, redirect

log = logging.getLogger(__name__)

_ADVICE = {
    400: N_("Check what you typed and try again."),
    403: N_("Your role does not allow this. Ask an administrator if you need it."),
    404: N_("Check the address, or search the catalog."),
    405: N_("Use the page's own buttons and forms."),
    409: N_("Someone else changed it meanwhile: open it again."),
    429: N_("Wait a little, then try again."),
    500: N_(
        "Something went wrong on the server; it was logged. Try again, or tell an "
        "administrator the time it happened."
    ),
}
_TITLES = {
    400: N_("This cannot be done as asked"),
    403: N_("Not allowed"),
    404: N_("Not found"),
    405: N_("Not allowed this way"),
    409: N_("Changed meanwhile"),
    429: N_("Too many attempts"),
    500: N_("Server error"),
}


def error_page(request: Request, status: int, detail: str = "") -> Response:
    status = status if status in _TITLES else (500 if status >= 500 else 400)
    return page(
        request, "error.html", status=status, status_code=status, title=_TITLES[status],
        detail=detail, advice=_ADVICE[status],
    )  # fmt: skip


def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    detail = exc.detail if exc.status_code in (403, 429) else ""
    response = error_page(request, exc.status_code, detail)
    for name, value in (exc.headers or {}).items():
        response.headers[name] = value
    return response


def library_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, MediaHubError)
    if isinstance(exc, NotFoundError):  # without the hint, which names a CLI command
        return error_page(request, 404, f"{exc.record} not found")
    if isinstance(exc, ConflictError):
        return error_page(request, 409, str(exc))
    if isinstance(exc, ValidationError):
        return error_page(request, 400, str(exc))
    return error_page(request, 400, str(exc).splitlines()[0])


def sign_in(request: Request, exc: Exception) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if request.method != "GET":
        target = "/"
    return redirect(request, f"/login?next={quote(target, safe='')}")


def server_error(request: Request, exc: Exception) -> Response:
    log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
    try:
        return error_page(request, 500)
    except Exception:  # the catalog itself may be what failed: a page without the user
        log.exception("the error page failed too")
        from starlette.responses import HTMLResponse

        return HTMLResponse(
            "<!doctype html><title>Server error</title><p>Server error; it was logged.",
            status_code=500,
        )


HANDLERS = {
    HTTPException: http_error,
    MediaHubError: library_error,
    SignInNeededError: sign_in,
    Exception: server_error,
}

"""Pages from templates, with what every page needs: the user, the CSRF token, the language."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from media_hub.web import i18n
from media_hub.web.context import visit, web
from media_hub.web.sessions import CSRF_FIELD


def interface_language(request: Request) -> str:
    chosen = visit(request).session.lang
    offered = web(request).config.languages
    if chosen in offered:
        return chosen
    return i18n.negotiate(request.headers.get("accept-language", ""), offered)


def here(request: Request) -> str:
    """Where switching the language comes back to: this page's path and, for a GET, its query
    (a report's period, a search), re-encoded so the sign-in's check of local paths holds, and
    without any CSRF token. A page answering a POST comes back to its path alone: nothing of a
    form posted travels on."""
    if request.method not in ("GET", "HEAD"):
        return request.url.path
    kept = [(key, value) for key, value in request.query_params.multi_items() if key != CSRF_FIELD]
    return request.url.path + (f"?{urlencode(kept)}" if kept else "")


def page(request: Request, template: str, status: int = 200, **context: object) -> Response:
    current = visit(request)
    lang = interface_language(request)
    html = (
        web(request)
        .env.get_template(template)
        .render(
            request=request,
            here=here(request),
            user=current.user,
            visit=current,
            csrf=current.session.csrf,
            lang=lang,
            dir=i18n.direction(lang),
            _=i18n.translator(lang),
            **context,
        )
    )
    return finish(request, HTMLResponse(html, status_code=status))


def redirect(request: Request, url: str) -> Response:
    return finish(request, RedirectResponse(url, status_code=303))


def finish(request: Request, response: Response) -> Response:
    """Writes the session cookie when the request changed or started the session."""
    current = visit(request)
    if current.fresh:
        web(request).codec.write(request, response, current.session)
    return response

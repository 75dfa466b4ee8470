"""Pages from templates, with what every page needs: the user, the CSRF token, the language."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from media_hub.web import i18n
from media_hub.web.context import visit, web


def interface_language(request: Request) -> str:
    chosen = visit(request).session.lang
    offered = web(request).config.languages
    if chosen in offered:
        return chosen
    return i18n.negotiate(request.headers.get("accept-language", ""), offered)


def page(request: Request, template: str, status: int = 200, **context: object) -> Response:
    current = visit(request)
    lang = interface_language(request)
    html = (
        web(request)
        .env.get_template(template)
        .render(
            request=request,
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

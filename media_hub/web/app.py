"""The ASGI app: routes, error pages, security headers, and the services every page calls."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

import anyio.to_thread
from starlette.applications import Starlette
from starlette.datastructures import MutableHeaders
from starlette.middleware import Middleware
from starlette.routing import Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from media_hub.hub import Hub
from media_hub.web import errors
from media_hub.web.config import WebConfig
from media_hub.web.pages import assets, auth, bulk, catalog, files, thumbnails, users
from media_hub.web.pages import calendar as calendar_page
from media_hub.web.pages import imports as sheet_import_page
from media_hub.web.pages import stats as stats_page
from media_hub.web.pages.jobs import routes as job_routes
from media_hub.web.pages.uploads import routes as upload_routes
from media_hub.web.proxy import TrustedProxy
from media_hub.web.state import WebApp
from media_hub.web.static_files import PackagedStatic

STATIC = Path(__file__).parent / "static"

# Scripts only from this site (htmx), no inline script or framing: an escaped title that
# slipped through would still not run.
SECURITY_HEADERS = {
    "content-security-policy": "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
}


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, with_headers)


def create_app(hub: Hub, config: WebConfig) -> Starlette:
    app = Starlette(
        routes=[
            *auth.routes,
            *catalog.routes,
            *assets.routes,
            *bulk.routes,
            *files.routes,
            *thumbnails.routes,
            *users.routes,
            *sheet_import_page.routes,
            *calendar_page.routes,
            *stats_page.routes,
            *job_routes,
            *upload_routes,
            Mount("/static", PackagedStatic(STATIC), name="static"),
        ],
        middleware=[
            Middleware(TrustedProxy, proxies=config.trusted_proxies),
            Middleware(SecurityHeaders),
        ],
        exception_handlers=errors.HANDLERS,
        lifespan=_threads_of(config),
    )
    app.state.web = WebApp(hub, config)
    return app


def _threads_of(config: WebConfig) -> Callable[[Starlette], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = config.threads
        yield

    return lifespan

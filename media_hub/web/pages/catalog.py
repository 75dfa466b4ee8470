"""The catalog: a search box taking the CLI's query language, facets, a grid or a list."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from media_hub.catalog.query import AssetQuery
from media_hub.catalog.querylang import parse_query
from media_hub.catalog.user_models import Role
from media_hub.catalog.vocabulary import LANGUAGES, AssetKind, AssetStatus
from media_hub.errors import ValidationError
from media_hub.platforms import registry
from media_hub.web.context import need, web
from media_hub.web.facets import named
from media_hub.web.i18n import N_
from media_hub.web.paging import page_query, term_value, with_term
from media_hub.web.render import interface_language, page

MAX_QUERY_CHARS = 2000


def search(request: Request) -> Response:
    need(request, Role.VIEWER)
    app = web(request)
    text = request.query_params.get("q", "").strip()[:MAX_QUERY_CHARS]
    view = "list" if request.query_params.get("view") == "list" else "grid"
    after = _after(request.query_params.get("after", ""))
    error: str | None = None
    assets: list[Any] = []
    more = False
    try:
        query = parse_query([text]) if text else AssetQuery()
        found = app.hub.catalog.find(page_query(query, after, app.config.page_size))
        more = len(found) > app.config.page_size
        assets = found[: app.config.page_size]
    except ValidationError as exc:
        error = str(exc)
    lang = interface_language(request)
    return page(
        request,
        "catalog.html",
        q=text,
        view=view,
        error=error,
        assets=[_card(app.config.thumbnails_dir, record, lang) for record in assets],
        next_after=assets[-1]["id"] if more and assets else None,
        first_page=after is None,
        facets=_facets(request, text),
        with_term=with_term,
    )


def _after(value: str) -> int | None:
    return int(value) if value.isdecimal() and len(value) < 19 else None


def _card(thumbnails: Any, record: Any, lang: str) -> dict[str, Any]:
    titles: dict[str, str] = record["titles"]
    shown = lang if lang in titles else record["default_language"]
    if shown not in titles and titles:
        shown = next(iter(titles))
    return {
        "record": record,
        "title": titles.get(shown, ""),
        "title_lang": shown,
        "thumbnail": (thumbnails / f"asset-{record['id']}.jpg").is_file(),
    }


def _facets(request: Request, text: str) -> list[dict[str, Any]]:
    """Each facet's values as links that set the term (and its current choice); series,
    playlists and topics by their names in the interface's language."""
    known = web(request).facets.values()
    lang = interface_language(request)
    series = [(s["slug"], f"{named(s, lang)} ({s['assets']})") for s in known.series]
    return [
        {"key": key, "label": label, "current": term_value(text, key), "values": values}
        for key, label, values in (
            ("series", N_("Series"), series),
            ("playlist", N_("Playlist"), [(p["slug"], named(p, lang)) for p in known.playlists]),
            ("topic", N_("Topic"), [(t["slug"], named(t, lang)) for t in known.topics]),
            ("platform", N_("Platform"), [(p.name, p.label) for p in registry.every()]),
            ("status", N_("Status"), [(s.value, s.value) for s in AssetStatus]),
            ("kind", N_("Kind"), [(k.value, k.value) for k in AssetKind]),
            ("lang", N_("Language"), list(LANGUAGES.items())),
        )
    ]


routes = [Route("/", search, methods=["GET"])]

"""Bulk set: the assets a query finds, the changes (as `catalog set` takes them), the plan
(old -> new) and, once confirmed, exactly the assets previewed at the versions previewed."""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from media_hub.catalog.bulk import BulkEditError
from media_hub.catalog.querylang import MAX_LISTED_IDS, parse_assignments, parse_query
from media_hub.catalog.user_models import Role
from media_hub.errors import MediaHubError, ValidationError
from media_hub.web.context import Fields, check_csrf, first, need, posted, web
from media_hub.web.render import page, redirect


def form(request: Request) -> Response:
    need(request, Role.LIBRARIAN)
    query = request.query_params.get("q", "")
    ticked = request.query_params.getlist("id")
    chosen = sorted({int(value) for value in ticked if value.isdecimal() and len(value) < 19})
    if chosen and not query:  # ticked in the catalog's list: exactly those assets
        query = "id:" + ",".join(map(str, chosen[:MAX_LISTED_IDS]))
    return page(request, "bulk.html", q=query, changes="")


def run(request: Request, fields: Fields) -> Response:
    current = need(request, Role.LIBRARIAN)
    check_csrf(request, fields)
    text, changes = first(fields, "q").strip(), first(fields, "changes")
    lines = [line.strip() for line in changes.splitlines() if line.strip()]
    librarian = web(request).librarian
    try:
        if not text:
            raise ValidationError("query", "give a query of the assets to change (all: id:1..)")
        query, assignments = parse_query([text]), parse_assignments(lines)
        if first(fields, "step") == "apply":
            versions = _versions(first(fields, "versions"))
            outcome = librarian.set_fields(query, assignments, versions=versions, user=current.name)
            return redirect(request, f"/bulk?applied={len(outcome.changes)}")
        preview = librarian.set_fields(query, assignments, dry_run=True)
    except BulkEditError as exc:
        problems = [str(problem) for problem in exc.problems]
        return page(
            request, "bulk.html", status=400, error=str(exc), problems=problems, q=text,
            changes=changes,
        )  # fmt: skip
    except MediaHubError as exc:
        return page(request, "bulk.html", status=400, error=str(exc), q=text, changes=changes)
    return page(
        request, "bulk.html", plan=preview.changes, unchanged=preview.unchanged,
        versions=json.dumps(preview.versions), q=text, changes=changes,
    )  # fmt: skip


def _versions(text: str) -> dict[int, int]:
    try:
        raw = json.loads(text)
        return {int(key): int(value) for key, value in raw.items()}
    except (ValueError, TypeError, AttributeError) as exc:
        raise ValidationError("plan", "the preview was lost; preview again") from exc


routes = [
    Route("/bulk", form, methods=["GET"]),
    Route("/bulk", posted(run), methods=["POST"]),
]

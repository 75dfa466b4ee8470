"""Users and roles, for administrators."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from media_hub.catalog.user_models import Role
from media_hub.errors import MediaHubError
from media_hub.web.context import Fields, check_csrf, first, need, posted, web
from media_hub.web.render import page, redirect


def users(request: Request, error: str | None = None, status: int = 200) -> Response:
    need(request, Role.ADMIN)
    return page(
        request, "users.html", status=status, people=web(request).users.everyone(),
        roles=list(Role), error=error,
    )  # fmt: skip


def add(request: Request, fields: Fields) -> Response:
    current = need(request, Role.ADMIN)
    check_csrf(request, fields)
    role = first(fields, "role")
    try:
        if role not in {r.value for r in Role}:
            raise MediaHubError(f"role: {role!r} is not a role")
        web(request).users.add(
            first(fields, "name").strip(), Role(role), first(fields, "password"),
            user=current.name,
        )  # fmt: skip
    except MediaHubError as exc:
        return users(request, str(exc), 400)
    return redirect(request, "/users")


def set_role(request: Request, fields: Fields) -> Response:
    current = need(request, Role.ADMIN)
    check_csrf(request, fields)
    role = first(fields, "role")
    if role not in {r.value for r in Role}:
        return users(request, f"role: {role!r} is not a role", 400)
    web(request).users.set_role(request.path_params["name"], Role(role), user=current.name)
    return redirect(request, "/users")


routes = [
    Route("/users", users, methods=["GET"]),
    Route("/users", posted(add), methods=["POST"]),
    Route("/users/{name}/role", posted(set_role), methods=["POST"]),
]

"""The publication calendar: a week or a month of bookings, and for editors the forms that
move a booking or take it off, through the same library calls as `media-hub calendar`."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from media_hub.catalog.user_models import Role
from media_hub.errors import MediaHubError, NotFoundError, ValidationError
from media_hub.platforms import registry
from media_hub.publishing.calendar import book
from media_hub.publishing.calendar.views import Window, entries, window
from media_hub.web import calendar_view
from media_hub.web.context import Fields, check_csrf, first, need, posted, web
from media_hub.web.render import interface_language, page, redirect


def _now() -> datetime:
    return datetime.now(UTC)


def show(request: Request) -> Response:
    need(request, Role.VIEWER)
    hub = web(request).hub
    week, month = request.query_params.get("week"), request.query_params.get("month")
    try:
        shown = window(hub, _now(), week or None, month or None)
        return _calendar(request, shown)
    except ValidationError as exc:  # a hand-typed address: the current week, and why
        return _calendar(request, window(hub, _now()), status=400, error=exc.problem)
    except OverflowError as exc:  # a month or week at the ends of the calendar (9999-12)
        raise HTTPException(400) from exc


def _calendar(
    request: Request,
    shown: Window,
    *,
    status: int = 200,
    error: str | None = None,
    failed: str | None = None,
    typed: dict[str, str] | None = None,
) -> Response:
    """The page of `shown`; `failed` names the publication whose form `error` is about,
    shown open with what was `typed`."""
    hub = web(request).hub
    lang = interface_language(request)
    series_names = {s["slug"]: s.get("names") or {} for s in hub.catalog.series()}
    labels = {platform.name: platform.label for platform in registry.every()}
    found = entries(hub, shown, _now())
    records = [hub.catalog.show(asset_id) for asset_id in {e.asset_id for e in found}]
    titles = {r["id"]: (r["titles"], r["default_language"]) for r in records}
    laid = calendar_view.days(shown, found, lang, series_names, labels, titles)
    return page(
        request, "calendar.html", status=status, days=laid, around=calendar_view.around(shown),
        heading=calendar_view.heading(shown, lang), zone=shown.zone.key, error=error,
        failed=failed, typed=typed or {}, may_change=need(request, Role.VIEWER).may(Role.EDITOR),
        moved=request.query_params.get("moved"),
        unscheduled=request.query_params.get("unscheduled"),
    )  # fmt: skip


def _asset_id(request: Request) -> int:
    value: int = request.path_params["asset_id"]
    if value > 2**63 - 1:
        raise NotFoundError(f"asset {value}")
    return value


def _window_posted(request: Request, fields: Fields) -> Window:
    """The window the form was sent from (the current week if it names none or a wrong one)."""
    hub = web(request).hub
    try:
        return window(hub, _now(), first(fields, "week") or None, first(fields, "month") or None)
    except ValidationError:
        return window(hub, _now())


def _back(shown: Window, **extra: str) -> str:
    kind = "week" if shown.days == 7 else "month"
    return "/calendar?" + urlencode({kind: shown.label, **extra})


def move(request: Request, fields: Fields) -> Response:
    current = need(request, Role.EDITOR)
    check_csrf(request, fields)
    asset_id = _asset_id(request)
    platform = first(fields, "platform") or None
    shown = _window_posted(request, fields)
    typed = {"date": first(fields, "date").strip(), "time": first(fields, "time").strip()}
    to = f"{typed['date']} {typed['time']}".strip()
    try:
        done = book.move(web(request).hub, asset_id, to, _now(), platform=platform,
                         user=current.name)  # fmt: skip
    except NotFoundError:
        raise
    except MediaHubError as exc:
        return _refused(request, shown, exc, f"{asset_id}-{platform}", typed)
    assert done.after is not None
    day = done.after.astimezone(shown.zone).date()
    if shown.days == 7:
        target = {"week": calendar_view.iso_week(day)}
    else:
        target = {"month": calendar_view.month_of(day)}
    return redirect(request, "/calendar?" + urlencode({**target, "moved": str(asset_id)}))


def unschedule(request: Request, fields: Fields) -> Response:
    current = need(request, Role.EDITOR)
    check_csrf(request, fields)
    asset_id = _asset_id(request)
    platform = first(fields, "platform") or None
    shown = _window_posted(request, fields)
    try:
        book.unschedule(web(request).hub, asset_id, _now(), platform=platform, user=current.name)
    except NotFoundError:
        raise
    except MediaHubError as exc:
        return _refused(request, shown, exc, f"{asset_id}-{platform}", None)
    return redirect(request, _back(shown, unscheduled=str(asset_id)))


def _refused(
    request: Request, shown: Window, exc: MediaHubError, key: str, typed: dict[str, str] | None
) -> Response:
    """The page again, the line that says why next to the form; nothing was changed."""
    problem = exc.problem if isinstance(exc, ValidationError) else str(exc).splitlines()[0]
    return _calendar(
        request, shown, status=400, error=problem, failed=key, typed=typed or {},
    )  # fmt: skip


routes = [
    Route("/calendar", show, methods=["GET"]),
    Route("/calendar/{asset_id:int}/move", posted(move), methods=["POST"]),
    Route("/calendar/{asset_id:int}/unschedule", posted(unschedule), methods=["POST"]),
]

"""Work in progress: the job queue as `media-hub jobs list` shows it, with each running
job's progress polled every two seconds, and retry and cancel as `jobs retry|cancel`."""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from media_hub.catalog.query import asset_records_by_id
from media_hub.catalog.user_models import Role
from media_hub.jobs import queue, records
from media_hub.web.context import Fields, check_csrf, need, posted, web
from media_hub.web.i18n import N_
from media_hub.web.render import page, redirect

SHOWN = 100  # the newest jobs, as `jobs list` shows by default
# The states the page shows through _(), named here for `make messages`.
STATES = (
    N_("queued"), N_("running"), N_("done"), N_("failed"), N_("parked"), N_("cancelled"),
)  # fmt: skip


def _jobs(request: Request) -> dict[str, Any]:
    current = need(request, Role.VIEWER)
    catalog = web(request).hub.db
    found = records.list_jobs(catalog, limit=SHOWN)
    subjects = sorted({job["asset_id"] for job in found if job["asset_id"]})
    with catalog.session() as session:
        assets = asset_records_by_id(session, subjects)
    titles = {
        asset_id: record["titles"].get(record["default_language"], "")
        for asset_id, record in assets.items()
    }
    return {
        "jobs": found, "titles": titles, "may_act": current.may(Role.EDITOR),
        "retryable": {str(state) for state in queue.RETRYABLE},
        "cancellable": {str(state) for state in queue.CANCELLABLE},
    }  # fmt: skip


def jobs_page(request: Request) -> Response:
    return page(request, "jobs.html", **_jobs(request))


def rows(request: Request) -> Response:
    """The table alone for htmx's poll; opened by hand (no HX-Request), the whole page."""
    template = "jobs_rows.html" if request.headers.get("hx-request") else "jobs.html"
    response = page(request, template, **_jobs(request))
    response.headers["Vary"] = "HX-Request"
    return response


def _job_id(request: Request) -> int:
    value: int = request.path_params["job_id"]
    if value > 2**63 - 1:
        raise HTTPException(404)
    return value


def retry(request: Request, fields: Fields) -> Response:
    need(request, Role.EDITOR)
    check_csrf(request, fields)
    queue.retry(web(request).hub.db, _job_id(request))
    return redirect(request, "/jobs")


def cancel(request: Request, fields: Fields) -> Response:
    need(request, Role.EDITOR)
    check_csrf(request, fields)
    queue.cancel(web(request).hub.db, _job_id(request))
    return redirect(request, "/jobs")


routes = [
    Route("/jobs", jobs_page, methods=["GET"]),
    Route("/jobs/rows", rows, methods=["GET"]),
    Route("/jobs/{job_id:int}/retry", posted(retry), methods=["POST"]),
    Route("/jobs/{job_id:int}/cancel", posted(cancel), methods=["POST"]),
]

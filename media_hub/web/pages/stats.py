"""Statistics: `stats report` as a page (its tables and its chart), and its CSV, workbook and
HTML page as downloads, each made by the library function the CLI calls for that format."""

from __future__ import annotations

from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from media_hub.catalog.user_models import Role
from media_hub.errors import NotFoundError
from media_hub.stats import html, labels, render
from media_hub.stats.chart import DPI, SIZE_INCHES, views_chart
from media_hub.stats.period import Compare
from media_hub.stats.report import Grouping, Report, ReportQuery, build_report
from media_hub.stats.workbook import to_xlsx
from media_hub.web.context import need, web
from media_hub.web.i18n import N_, direction
from media_hub.web.render import finish, interface_language, page
from media_hub.web.stats_form import StatsForm, StatsFormError, file_stem

PRIVATE = {"Cache-Control": "private, max-age=60"}
# The standalone page as a download: its own inline style and data: chart, nothing else.
DOWNLOAD_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'; sandbox"
)
COMPARISONS = (
    ("", N_("No comparison")),
    (Compare.PREVIOUS.value, N_("The period before")),
    (Compare.YEAR.value, N_("The same period a year earlier")),
)


def _asked(request: Request) -> tuple[StatsForm, ReportQuery | StatsFormError]:
    """The form as typed, and the report query it asks for (or what to fix in it)."""
    form = StatsForm.read(request.query_params, interface_language(request))
    try:
        return form, form.report_query()
    except StatsFormError as problem:
        return form, problem


def _page(
    request: Request,
    form: StatsForm,
    *,
    report: Report | None = None,
    problem: StatsFormError | None = None,
    status: int = 200,
) -> Response:
    lang = interface_language(request)
    return page(
        request, "stats.html", status=status, form=form, problem=problem,
        report=_shown(report) if report is not None else None,
        query=form.query_string(), comparisons=COMPARISONS,
        groupings=[(g.value, labels.text(lang, f"by.{g.value}")) for g in Grouping],
        chart_size=(round(SIZE_INCHES[0] * DPI), round(SIZE_INCHES[1] * DPI)),
    )  # fmt: skip


def _shown(report: Report) -> dict[str, object]:
    """The report as the page lays it out: in its own language and direction, each table's
    cells formatted for that locale beside their kind (text, or a number set left to right)."""
    language = report.query.language
    tables = [
        (
            table,
            [list(zip(table.kinds, row, strict=True)) for row in render.formatted(table, language)],
        )
        for table in render.tables(report)
    ]
    alt = labels.text(
        language, "chart.title", measure=labels.text(language, "chart.heading"),
        by=labels.text(language, f"by.{report.query.by.value}"), period=render.period_text(report),
    )  # fmt: skip
    return {"lang": language, "dir": direction(language), "heading": render.heading(report),
            "tables": tables, "chart_alt": alt}  # fmt: skip


def overview(request: Request) -> Response:
    need(request, Role.VIEWER)
    form, query = _asked(request)
    if isinstance(query, StatsFormError):
        return _page(request, form, problem=query, status=400)
    try:
        report = build_report(web(request).hub.db, query)
    except NotFoundError:  # no pull yet: the page says so, with the form
        return _page(request, form)
    return _page(request, form, report=report)


def chart(request: Request) -> Response:
    need(request, Role.VIEWER)
    form, query = _asked(request)
    if isinstance(query, StatsFormError):
        return _page(request, form, problem=query, status=400)
    png = views_chart(build_report(web(request).hub.db, query))
    return finish(request, Response(png, media_type="image/png", headers=PRIVATE))


def _csv(report: Report) -> bytes:
    """With a byte-order mark, as `stats report --format csv --output F` writes it (Excel)."""
    return ("\ufeff" + render.to_csv(report)).encode("utf-8")


def _html(report: Report) -> bytes:
    return html.to_html(report, views_chart(report)).encode("utf-8")


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS: dict[str, tuple[str, Callable[[Report], bytes]]] = {
    "csv": ("text/csv; charset=utf-8", _csv),
    "xlsx": (XLSX, to_xlsx),
    "html": ("text/html; charset=utf-8", _html),
}


def download(request: Request) -> Response:
    need(request, Role.VIEWER)
    form, query = _asked(request)
    if isinstance(query, StatsFormError):
        return _page(request, form, problem=query, status=400)
    suffix = request.url.path.rsplit(".", 1)[-1]
    media_type, make = FORMATS[suffix]
    headers = {
        **PRIVATE,
        "Content-Disposition": f'attachment; filename="{file_stem(query)}.{suffix}"',
    }
    if suffix == "html":
        headers["Content-Security-Policy"] = DOWNLOAD_CSP
    data = make(build_report(web(request).hub.db, query))
    return finish(request, Response(data, media_type=media_type, headers=headers))


routes = [
    Route("/stats", overview, methods=["GET"]),
    Route("/stats/chart.png", chart, methods=["GET"]),
    *(Route(f"/stats/report.{suffix}", download, methods=["GET"]) for suffix in FORMATS),
]

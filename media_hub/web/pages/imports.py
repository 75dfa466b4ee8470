"""Spreadsheet import (`catalog import` in the browser): upload a CSV or xlsx, see the dry
run's plan (asset, field, old -> new; new assets; warnings; refused rows), then confirm.

The confirmation applies exactly the plan shown: the file is the one uploaded (its SHA-256
is checked, `sheet_uploads`), and the import runs again in one transaction that commits only
if it makes the same changes as the preview (the plan's digest); if the catalog moved
meanwhile, it is rolled back and the new plan shown. Changes are the signed-in user's in
the audit log.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from media_hub.catalog import sheet_import
from media_hub.catalog.bulk import BulkEditError, BulkOutcome
from media_hub.catalog.spreadsheet import Sheet, SpreadsheetError, read_sheet
from media_hub.catalog.user_models import Role
from media_hub.errors import MediaHubError
from media_hub.web import sheet_uploads
from media_hub.web.context import Fields, check_csrf, first, need, posted, web
from media_hub.web.i18n import N_
from media_hub.web.render import page, redirect
from media_hub.web.sheet_uploads import MAX_UPLOAD_BYTES, Upload
from media_hub.web.small_files import FileTooLargeError, read_small_file

PLAN_CHANGED = N_(
    "The catalog changed since the preview; here is the plan now. Check it and confirm again."
)


class _PlanChangedError(Exception):
    def __init__(self, outcome: BulkOutcome) -> None:
        self.outcome = outcome


def form(request: Request) -> Response:
    need(request, Role.LIBRARIAN)
    return page(request, "import.html", applied=request.query_params.get("applied"))


async def upload(request: Request) -> Response:
    """The file, read up to the size limit in the event loop; the rest in a worker thread.
    (A form with a file cannot go through `posted`, which takes none; the CSRF token is
    checked all the same, in `_preview_upload`.)"""
    await run_in_threadpool(need, request, Role.LIBRARIAN)  # before a byte of the file
    try:
        fields, name, data = await read_small_file(request, "sheet", MAX_UPLOAD_BYTES)
    except FileTooLargeError:
        return await run_in_threadpool(_too_big, request)
    return await run_in_threadpool(_preview_upload, request, fields, name, data)


def _too_big(request: Request) -> Response:
    problem = (
        f"the file is larger than {MAX_UPLOAD_BYTES // 2**20} MiB; import it in parts, or "
        "with 'media-hub catalog import'"
    )
    return _refused(request, problem, 413)


def _refused(request: Request, problem: str, status: int = 400) -> Response:
    return page(request, "import.html", status=status, error=problem)


def _preview_upload(request: Request, fields: Fields, name: str, data: bytes) -> Response:
    need(request, Role.LIBRARIAN)
    check_csrf(request, fields)
    if not data:
        return _refused(request, "no file was sent; choose a .csv or .xlsx file to import")
    kept = sheet_uploads.keep(web(request).hub.settings.home, data)
    sheet = _read(request, kept, name)
    if isinstance(sheet, Response):
        return sheet
    return _preview(request, kept, name, sheet, partial=first(fields, "partial") == "1")


def _read(request: Request, kept: Upload, name: str) -> Sheet | Response:
    settings = web(request).hub.settings
    try:
        return read_sheet(kept.path, max_rows=settings.catalog.import_max_rows)
    except SpreadsheetError as exc:
        sheet_uploads.forget(kept)
        return _refused(request, f"{name or 'the file'}: {exc.problem}")


def _preview(
    request: Request, kept: Upload, name: str, sheet: Sheet, *, partial: bool, note: str = ""
) -> Response:
    try:
        outcome = web(request).librarian.import_sheet(sheet, dry_run=True, partial=partial)
    except BulkEditError as exc:
        sheet_uploads.forget(kept)
        return _plan_page(request, name, sheet, None, partial, status=400, refused=exc)
    except MediaHubError as exc:
        sheet_uploads.forget(kept)
        return _refused(request, f"{name or 'the file'}: {exc}")
    return _plan_page(request, name, sheet, outcome, partial, kept=kept, note=note)


def _plan_page(
    request: Request,
    name: str,
    sheet: Sheet,
    outcome: BulkOutcome | None,
    partial: bool,
    *,
    status: int = 200,
    kept: Upload | None = None,
    refused: BulkEditError | None = None,
    note: str = "",
) -> Response:
    problems = refused.problems if refused is not None else (outcome.refused if outcome else [])
    return page(
        request, "import.html", status=status, name=name, outcome=outcome,
        ignored=sheet.ignored_columns, problems=problems,
        error=str(refused) if refused is not None else None, partial=partial,
        upload=kept, digest=plan_digest(outcome) if outcome else "", note=note,
    )  # fmt: skip


def apply(request: Request, fields: Fields) -> Response:
    current = need(request, Role.LIBRARIAN)
    check_csrf(request, fields)
    app = web(request)
    name, partial = first(fields, "name"), first(fields, "partial") == "1"
    try:
        kept = sheet_uploads.find(
            app.hub.settings.home, first(fields, "token"), first(fields, "sha256")
        )
    except MediaHubError as exc:
        return _refused(request, str(exc))
    sheet = _read(request, kept, name)
    if isinstance(sheet, Response):
        return sheet
    try:
        with app.hub.db.session(user=current.name) as session:
            outcome = sheet_import.import_sheet(session, sheet, partial=partial)
            if plan_digest(outcome) != first(fields, "digest"):
                raise _PlanChangedError(outcome)  # rolled back: nothing of it is kept
    except _PlanChangedError:
        return _preview(request, kept, name, sheet, partial=partial, note=PLAN_CHANGED)
    except BulkEditError as exc:
        sheet_uploads.forget(kept)
        return _plan_page(request, name, sheet, None, partial, status=409, refused=exc)
    sheet_uploads.forget(kept)
    done = len(outcome.changes) + len(outcome.created)
    return redirect(request, f"/import?applied={done}")


def plan_digest(outcome: BulkOutcome) -> str:
    """What the plan does, as a hash: the changes, the new assets (not their ids, which a
    dry run does not keep), the merges over others' changes and the refused rows."""
    plan: dict[str, Any] = {
        "changes": [[c.asset_id, c.field, c.old, c.new] for c in outcome.changes],
        "created": [[c.row, c.kind, c.series, c.title] for c in outcome.created],
        "merged": [
            [m.row, m.asset_id, m.read_version, m.version, list(m.kept)] for m in outcome.merged
        ],
        "refused": [str(problem) for problem in outcome.refused],
    }
    canonical = json.dumps(plan, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


routes = [
    Route("/import", form, methods=["GET"]),
    Route("/import", upload, methods=["POST"]),
    Route("/import/apply", posted(apply), methods=["POST"]),
]

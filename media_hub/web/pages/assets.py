"""An asset: its texts side by side, the edit form (with conflicts), history and revert."""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from media_hub.catalog.editable import FIELDS, FieldValue, edit_between, fields_of
from media_hub.catalog.records import AssetRecord
from media_hub.catalog.user_models import Role
from media_hub.errors import ConflictError, ValidationError
from media_hub.web.context import Fields, check_csrf, first, need, posted, web
from media_hub.web.forms import Conflict, decode_base, encode_base, merge_over, read_fields
from media_hub.web.render import interface_language, page, redirect
from media_hub.web.youtube_preview import youtube_preview


def _asset_id(request: Request) -> int:
    value: int = request.path_params["asset_id"]
    if value > 2**63 - 1:
        raise HTTPException(404)
    return value


def show(request: Request) -> Response:
    need(request, Role.VIEWER)
    app = web(request)
    record = app.hub.catalog.show(_asset_id(request))
    known, lang = app.facets.values(), interface_language(request)
    return page(
        request, "asset.html", asset=record,
        series_named=known.names("series", [record["series"]] if record["series"] else [], lang),
        topics_named=known.names("topics", record["topics"], lang),
        playlists_named=known.names("playlists", record.get("playlists") or [], lang),
        thumbnail=(app.config.thumbnails_dir / f"asset-{record['id']}.jpg").is_file(),
        saved=request.query_params.get("saved"),
        youtube=youtube_preview(app.youtube.value(), record),
    )  # fmt: skip


def edit_form(request: Request) -> Response:
    need(request, Role.LIBRARIAN)
    record = web(request).hub.catalog.show(_asset_id(request))
    values = fields_of(record)
    return _form(request, record, values, values, record["version"])


def edit(request: Request, fields: Fields) -> Response:
    current = need(request, Role.LIBRARIAN)
    check_csrf(request, fields)
    asset_id = _asset_id(request)
    catalog = web(request).hub.catalog
    resolution = first(fields, "resolution")
    if resolution == "theirs":  # the conflict's "take all theirs": nothing saved
        return redirect(request, f"/assets/{asset_id}")
    version_text = first(fields, "version")
    base = decode_base(first(fields, "base"))
    if not version_text.isdecimal() or base is None:
        raise HTTPException(400)
    version = int(version_text)
    submitted = read_fields(fields, f"asset {asset_id}")
    for name in FIELDS:  # fields of a conflict where the editor took the other's value
        if resolution != "mine" and first(fields, f"resolve.{name}") == "theirs":
            submitted.values[name] = base.get(name)
            submitted.errors.pop(name, None)
    record = catalog.show(asset_id)
    if submitted.errors:
        return _form(request, record, submitted.values, base, version, submitted.errors)
    try:
        change, changes = edit_between(asset_id, base, submitted.values)
        if changes:
            catalog.edit(asset_id, change, expected_version=version, user=current.name)
    except ValidationError as exc:
        errors = {exc.field if exc.field in FIELDS else "": exc.problem}
        return _form(request, record, submitted.values, base, version, errors)
    except ConflictError:
        return _conflict(request, submitted.values, version)
    return redirect(request, f"/assets/{asset_id}" + ("?saved=1" if changes else ""))


def _conflict(request: Request, mine: dict[str, FieldValue], version: int) -> Response:
    """The form again on the other person's version, with my changes laid on it and, field by
    field, their value and mine where we both changed it."""
    asset_id = _asset_id(request)
    app = web(request)
    record, merged, conflicts = merge_over(app.hub.db, asset_id, version, mine)
    history = app.hub.catalog.history(asset_id)
    by = sorted({e["user"] for e in history if version < (e["version"] or 0) <= record["version"]})
    return _form(
        request, record, merged, fields_of(record), record["version"], status=409,
        conflicts=conflicts, changed_by=by,
    )  # fmt: skip


def _form(
    request: Request,
    record: AssetRecord,
    values: dict[str, FieldValue],
    base: dict[str, FieldValue],
    version: int,
    errors: dict[str, str] | None = None,
    *,
    status: int = 200,
    conflicts: list[Conflict] | None = None,
    changed_by: list[str] | None = None,
) -> Response:
    catalog = web(request).hub.catalog
    return page(
        request, "edit.html", status=400 if errors else status, asset=record, values=values,
        base=encode_base(base), version=version, errors=errors or {},
        conflicts={c.field: c for c in conflicts or []}, changed_by=changed_by or [],
        topics=catalog.topics(), playlists=catalog.playlists(), listed=_listed,
    )  # fmt: skip


def _listed(value: Any) -> list[str]:
    return list(value) if isinstance(value, tuple | list) else []


def history(request: Request) -> Response:
    need(request, Role.VIEWER)
    asset_id = _asset_id(request)
    catalog = web(request).hub.catalog
    record = catalog.show(asset_id)
    versions: dict[int, list[dict[str, Any]]] = {}
    for entry in catalog.history(asset_id):
        versions.setdefault(entry["version"] or 0, []).append(entry)
    return page(
        request, "history.html", asset=record,
        versions=sorted(versions.items(), reverse=True),
        reverted=request.query_params.get("reverted"),
    )  # fmt: skip


def revert(request: Request, fields: Fields) -> Response:
    current = need(request, Role.LIBRARIAN)
    check_csrf(request, fields)
    asset_id = _asset_id(request)
    version = first(fields, "version")
    if not version.isdecimal() or len(version) > 18:
        raise HTTPException(400)
    web(request).librarian.revert(asset_id, int(version), user=current.name)
    return redirect(request, f"/assets/{asset_id}/history?reverted={version}")


routes = [
    Route("/assets/{asset_id:int}", show, methods=["GET"]),
    Route("/assets/{asset_id:int}/edit", edit_form, methods=["GET"]),
    Route("/assets/{asset_id:int}/edit", posted(edit), methods=["POST"]),
    Route("/assets/{asset_id:int}/history", history, methods=["GET"]),
    Route("/assets/{asset_id:int}/revert", posted(revert), methods=["POST"]),
]

"""The audit log: every change to an `Audited` row becomes one entry per field, in the same flush.

Hooked on the session rather than written by each service function, so no code path that
changes the catalog can forget it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session, UOWTransaction

from media_hub.catalog.base import Audited
from media_hub.catalog.models import AuditEntry
from media_hub.catalog.types import utcnow

USER_KEY = "media_hub.user"


def install(session_class: type[Session] | Session) -> None:
    """Record audit entries for every flush of sessions of this class (or this session)."""
    if not event.contains(session_class, "after_flush", _after_flush):
        event.listen(session_class, "after_flush", _after_flush)


def _after_flush(session: Session, flush_context: UOWTransaction) -> None:
    user = session.info.get(USER_KEY, "unknown")
    at = utcnow()
    rows: list[dict[str, Any]] = []
    for obj in session.new:
        if isinstance(obj, Audited):
            rows.extend(_entries(obj, "create", user, at))
    for obj in session.dirty:
        if isinstance(obj, Audited) and session.is_modified(obj, include_collections=False):
            rows.extend(_entries(obj, "update", user, at))
    for obj in _deleted(session, flush_context):
        if isinstance(obj, Audited):
            rows.extend(_entries(obj, "delete", user, at))
    if rows:
        session.connection().execute(insert(AuditEntry), rows)


def _deleted(session: Session, flush_context: UOWTransaction) -> list[object]:
    """Rows deleted by this flush: those given to `session.delete` and the orphans the flush
    found itself (a title dropped from `asset.texts`, a topic from `asset.topic_links`),
    which `session.deleted` does not list."""
    deleted = list(session.deleted)
    for state, (is_delete, list_only) in flush_context.states.items():
        obj = state.obj()
        if is_delete and not list_only and obj is not None and obj not in deleted:
            deleted.append(obj)
    return deleted


def _entries(obj: Audited, action: str, user: str, at: object) -> list[dict[str, Any]]:
    state = inspect(obj)
    record_type, record_id = obj.audit_record()
    version = obj.audit_version()
    entries = []
    for attr in obj.audit_attrs:
        history = state.attrs[attr].history
        if action == "create":
            old, new = None, state.attrs[attr].value
            if new is None or new == "":
                continue
        elif action == "delete":
            old, new = state.attrs[attr].value, None
        elif history.has_changes():
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
        else:
            continue
        old_text, new_text = obj.audit_value(attr, old), obj.audit_value(attr, new)
        if old_text == new_text:
            continue
        entries.append(
            {
                "at": at,
                "user": user,
                "record_type": record_type,
                "record_id": record_id,
                "version": version,
                "action": action,
                "field": obj.audit_field(attr),
                "old_value": old_text,
                "new_value": new_text,
            }
        )
    return entries

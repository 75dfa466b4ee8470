"""The declarative base, its constraint naming (stable names for migrations) and the audit hooks."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, Date, MetaData, String
from sqlalchemy.orm import DeclarativeBase

from media_hub.catalog.types import UTCDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        date: Date(),
        dict[str, str]: JSON(),
        dict[str, Any]: JSON(),
        list[str]: JSON(),
        str: String(),
    }


class Audited:
    """A record whose every change is written to the audit log (see `media_hub.catalog.audit`).

    `audit_attrs` lists the attributes followed; the three hooks say which catalog record a
    row belongs to and how a field and a value read in the log.
    """

    audit_attrs: ClassVar[tuple[str, ...]] = ()

    def audit_record(self) -> tuple[str, int]:
        """(record type, record id) that a change of this row is filed under."""
        raise NotImplementedError

    def audit_field(self, attr: str) -> str:
        return attr

    def audit_value(self, attr: str, value: object) -> str | None:
        if value is None:
            return None
        if isinstance(value, dict | list):
            import json

            return json.dumps(value, ensure_ascii=False, sort_keys=True)
        if isinstance(value, datetime | date):
            return value.isoformat()
        return str(value)

    def audit_version(self) -> int | None:
        """Version of the record after the change, when it has one."""
        return None

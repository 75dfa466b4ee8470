"""The people who sign in to the web app, and what each role may do.

Kept in the catalog beside the audit log, so that adding a user or changing a role is
recorded like any other change, and every web worker sees the same accounts.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from media_hub.catalog.base import Audited, Base
from media_hub.catalog.types import portable_enum, utcnow


class Role(StrEnum):
    """What a web user may do; each role may also do everything of the roles before it."""

    VIEWER = "viewer"  # reads the catalog
    LIBRARIAN = "librarian"  # edits the catalog
    EDITOR = "editor"  # also uploads, publishes and schedules
    ADMIN = "admin"  # also manages users

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    def may(self, needed: Role) -> bool:
        return self.rank >= needed.rank


class User(Audited, Base):
    __tablename__ = "users"
    audit_attrs = ("name", "role", "disabled")

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[Role] = mapped_column(portable_enum(Role, "user_role"))
    password_hash: Mapped[str] = mapped_column(String(255))
    # Raised when the user signs out or their password changes: older sessions stop working.
    session_epoch: Mapped[int] = mapped_column(Integer, default=0)
    disabled: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def audit_record(self) -> tuple[str, int]:
        return ("user", self.id)


class SignInFailure(Base):
    """One failed sign-in to the web app, kept here so that every web worker and every server
    behind one proxy counts the same failures (see `media_hub.catalog.sign_in_failures`).

    Not `Audited`: a wrong password changes nothing in the catalog, and an attacker's guesses
    would otherwise fill the audit log."""

    __tablename__ = "sign_in_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(255))  # "name:<name>" or "address:<client address>"
    # Wall-clock time: the web processes share no other clock. Indexed on its own for the
    # sweep of old rows, which otherwise reads the whole table at each failure.
    failed_at: Mapped[datetime] = mapped_column(index=True)

    __table_args__ = (Index("ix_sign_in_failures_key", "key", "failed_at"),)

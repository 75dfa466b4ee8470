"""Web users: add them, change their role or password, and check a sign-in.

Passwords are kept as Argon2id hashes (argon2-cffi's defaults, RFC 9106's low-memory
profile); a hash made with weaker parameters is replaced at the next sign-in. Like
`CatalogService`, each method is one transaction and returns plain records.
"""

from __future__ import annotations

import re
from typing import TypedDict

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from media_hub.catalog.db import Catalog
from media_hub.catalog.user_models import Role, User
from media_hub.errors import NotFoundError, ValidationError

MIN_PASSWORD_CHARS = 10
MAX_PASSWORD_CHARS = 1024  # hashing a megabyte per attempt would be a cheap attack
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")


class UserRecord(TypedDict):
    id: int
    name: str
    role: str
    disabled: bool
    session_epoch: int
    created_at: str


class UserService:
    """`hasher` sets Argon2's cost (argon2-cffi's defaults, RFC 9106's low-memory profile,
    unless given: tests use a cheap one)."""

    def __init__(self, catalog: Catalog, hasher: PasswordHasher | None = None) -> None:
        self.catalog = catalog
        self.hasher = hasher or PasswordHasher()
        self._dummy_hash: str | None = None

    def _dummy(self) -> str:
        """Verified when the name is unknown, so a wrong name costs what a wrong password does."""
        if self._dummy_hash is None:
            self._dummy_hash = self.hasher.hash("media-hub: no such user")
        return self._dummy_hash

    def add(self, name: str, role: Role, password: str, *, user: str | None = None) -> UserRecord:
        name = check_name(name)
        hashed = self.hasher.hash(check_password(password))
        with self.catalog.session(user=user) as session:
            if _find(session, name) is not None:
                raise ValidationError(
                    "name", f"{name!r} exists; change it with 'media-hub users role' or 'password'"
                )
            added = User(name=name, role=role, password_hash=hashed, session_epoch=0)
            session.add(added)
            session.flush()
            return _record(added)

    def set_role(self, name: str, role: Role, *, user: str | None = None) -> UserRecord:
        with self.catalog.session(user=user) as session:
            found = _existing(session, name)
            found.role = role
            return _record(found)

    def set_password(self, name: str, password: str, *, user: str | None = None) -> UserRecord:
        """A new password; the user's open sessions end."""
        hashed = self.hasher.hash(check_password(password))
        with self.catalog.session(user=user) as session:
            found = _existing(session, name)
            found.password_hash = hashed
            found.session_epoch += 1
            return _record(found)

    def set_disabled(self, name: str, disabled: bool, *, user: str | None = None) -> UserRecord:
        """A disabled user cannot sign in, and their open sessions end."""
        with self.catalog.session(user=user) as session:
            found = _existing(session, name)
            found.disabled = disabled
            found.session_epoch += 1
            return _record(found)

    def end_sessions(self, name: str) -> None:
        """Every session of the user stops working (signing out ends them all)."""
        with self.catalog.session(user=name) as session:
            found = _find(session, name)
            if found is not None:
                found.session_epoch += 1

    def everyone(self) -> list[UserRecord]:
        with self.catalog.session() as session:
            return [_record(u) for u in session.scalars(select(User).order_by(User.name))]

    def get(self, name: str) -> UserRecord | None:
        with self.catalog.session() as session:
            found = _find(session, name)
            return None if found is None else _record(found)

    def authenticate(self, name: str, password: str) -> UserRecord | None:
        """The user, if the name and password match an enabled account; else None."""
        if len(password) > MAX_PASSWORD_CHARS:
            return None
        with self.catalog.session(user=name) as session:
            found = _find(session, name.strip().lower())
            try:
                self.hasher.verify(found.password_hash if found else self._dummy(), password)
            except (VerificationError, InvalidHashError):
                return None
            if found is None or found.disabled:
                return None
            if self.hasher.check_needs_rehash(found.password_hash):
                found.password_hash = self.hasher.hash(password)
            return _record(found)


def check_name(name: str) -> str:
    if not _NAME.match(name):
        raise ValidationError(
            "name",
            f"{name!r} is not a user name; use lowercase letters, digits, '.', '_' or '-' "
            "(at most 64)",
        )
    return name


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_CHARS:
        raise ValidationError(
            "password", f"too short; give at least {MIN_PASSWORD_CHARS} characters"
        )
    if len(password) > MAX_PASSWORD_CHARS:
        raise ValidationError("password", f"too long; give at most {MAX_PASSWORD_CHARS}")
    return password


def _find(session: Session, name: str) -> User | None:
    return session.scalars(select(User).where(User.name == name)).first()


def _existing(session: Session, name: str) -> User:
    found = _find(session, name)
    if found is None:
        raise NotFoundError(f"user {name!r}", "see 'media-hub users list'")
    return found


def _record(user: User) -> UserRecord:
    return {
        "id": user.id,
        "name": user.name,
        "role": user.role.value,
        "disabled": user.disabled,
        "session_epoch": user.session_epoch,
        "created_at": user.created_at.isoformat(),
    }

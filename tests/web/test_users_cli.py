"""`media-hub users`: accounts for the web app, through the CLI as people type it."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner

from media_hub.catalog.models import AuditEntry
from media_hub.catalog.user_models import Role, User
from media_hub.catalog.users import UserService
from media_hub.cli import app
from media_hub.hub import Hub
from tests.web.conftest import CHEAP


def test_add_list_and_change_role(runner: CliRunner, hub: Hub) -> None:
    added = runner.invoke(
        app, ["users", "add", "amina", "--role", "librarian", "--password-stdin"],
        input="a long enough password\n",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    assert added.stdout.strip() == "user amina added (librarian)"
    listed = runner.invoke(app, ["users", "list", "--json"])
    assert '"name": "amina"' in listed.stdout
    assert '"role": "librarian"' in listed.stdout
    assert "password" not in listed.stdout
    changed = runner.invoke(app, ["users", "role", "amina", "editor"])
    assert changed.exit_code == 0
    users = UserService(hub.db, CHEAP)
    assert users.authenticate("amina", "a long enough password") is not None
    assert users.authenticate("amina", "a wrong password") is None
    with hub.db.session() as session:
        hashed = session.scalars(select(User.password_hash)).one()
        assert hashed.startswith("$argon2id$")
        entries = session.scalars(select(AuditEntry).where(AuditEntry.record_type == "user"))
        logged = {(e.field, e.new_value, e.user) for e in entries}
    assert ("role", "editor", "librarian") in logged  # MEDIA_HUB_USER of the test hub
    assert ("name", "amina", "librarian") in logged
    assert not any("argon2" in str(value) for _, value, _ in logged)


def test_prompted_password_is_asked_twice(runner: CliRunner, hub: Hub) -> None:
    added = runner.invoke(
        app, ["users", "add", "karim", "--role", "viewer"],
        input="first password 1\nfirst password 1\n",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    assert UserService(hub.db).get("karim") is not None


def test_refusals_are_one_line(runner: CliRunner, hub: Hub, tmp_path: Path) -> None:
    short = runner.invoke(
        app, ["users", "add", "amina", "--role", "viewer", "--password-stdin"], input="short\n"
    )
    assert short.exit_code == 1
    assert short.stderr.strip() == ("error: password: too short; give at least 10 characters")
    bad_name = runner.invoke(
        app, ["users", "add", "Amina Z", "--role", "viewer", "--password-stdin"],
        input="a long enough password\n",
    )  # fmt: skip
    assert bad_name.exit_code == 1
    assert "is not a user name" in bad_name.stderr
    bad_role = runner.invoke(app, ["users", "add", "amina", "--role", "boss"])
    assert bad_role.exit_code == 2
    missing = runner.invoke(app, ["users", "role", "nobody", "admin"])
    assert missing.exit_code == 3
    assert missing.stderr.count("\n") == 1
    runner.invoke(
        app, ["users", "add", "amina", "--role", "viewer", "--password-stdin"],
        input="a long enough password\n",
    )  # fmt: skip
    twice = runner.invoke(
        app, ["users", "add", "amina", "--role", "viewer", "--password-stdin"],
        input="a long enough password\n",
    )  # fmt: skip
    assert twice.exit_code == 1
    assert "exists" in twice.stderr


def test_disabled_user_cannot_sign_in(runner: CliRunner, hub: Hub) -> None:
    users = UserService(hub.db, CHEAP)
    users.add("amina", Role.VIEWER, "a long enough password")
    assert runner.invoke(app, ["users", "disable", "amina"]).exit_code == 0
    assert users.authenticate("amina", "a long enough password") is None
    assert runner.invoke(app, ["users", "enable", "amina"]).exit_code == 0
    assert users.authenticate("amina", "a long enough password") is not None

"""`media-hub users add|list|role|password|disable|enable`: who may sign in to `serve`."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from media_hub.catalog.user_models import Role
from media_hub.cli import output
from media_hub.cli.options import JsonOpt
from media_hub.cli.state import state

if TYPE_CHECKING:
    from media_hub.catalog.users import UserService

users_app = typer.Typer(help="Who may sign in to 'media-hub serve', and their role.",
                        no_args_is_help=True)  # fmt: skip

NameArg = Annotated[str, typer.Argument(metavar="NAME", help="User name (lowercase).")]
PasswordStdinOpt = Annotated[
    bool,
    typer.Option("--password-stdin", help="Read the password from the first line of stdin."),
]


def _service(ctx: typer.Context) -> UserService:
    from media_hub.catalog.users import UserService

    return UserService(state(ctx).hub.db)


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password: str = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    return password


@users_app.command("add")
def add(
    ctx: typer.Context,
    name: NameArg,
    role: Annotated[Role, typer.Option("--role", help="What the user may do.")],
    password_stdin: PasswordStdinOpt = False,
) -> None:
    """Add a user; the password is asked for (or read with --password-stdin).

    viewer reads; librarian edits the catalog; editor also uploads, publishes and
    schedules; admin also manages users.

    Example: media-hub users add amina --role librarian
    """
    from media_hub.catalog.users import check_name

    service = _service(ctx)
    check_name(name)
    added = service.add(name, role, _password(password_stdin))
    typer.echo(f"user {added['name']} added ({added['role']})")


@users_app.command("list")
def list_users(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """List the users and their roles.

    Example: media-hub users list
    """
    people = _service(ctx).everyone()
    if as_json:
        output.print_json(people)
        return
    output.print_table(
        "users",
        ["name", "role", "state"],
        ([p["name"], p["role"], "disabled" if p["disabled"] else "enabled"] for p in people),
    )


@users_app.command("role")
def set_role(
    ctx: typer.Context,
    name: NameArg,
    role: Annotated[
        Role, typer.Argument(metavar="ROLE", help="viewer, librarian, editor or admin.")
    ],
) -> None:
    """Change a user's role (it takes effect at their next page).

    Example: media-hub users role amina editor
    """
    changed = _service(ctx).set_role(name, role)
    typer.echo(f"user {changed['name']} is now {changed['role']}")


@users_app.command("password")
def set_password(
    ctx: typer.Context, name: NameArg, password_stdin: PasswordStdinOpt = False
) -> None:
    """Set a user's password; their open sessions end.

    Example: media-hub users password amina
    """
    changed = _service(ctx).set_password(name, _password(password_stdin))
    typer.echo(f"user {changed['name']}: password changed; their sessions ended")


@users_app.command("disable")
def disable(ctx: typer.Context, name: NameArg) -> None:
    """Stop a user from signing in; their open sessions end.

    Example: media-hub users disable amina
    """
    _service(ctx).set_disabled(name, True)
    typer.echo(f"user {name} disabled")


@users_app.command("enable")
def enable(ctx: typer.Context, name: NameArg) -> None:
    """Let a disabled user sign in again.

    Example: media-hub users enable amina
    """
    _service(ctx).set_disabled(name, False)
    typer.echo(f"user {name} enabled")

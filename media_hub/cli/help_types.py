"""`--help` without Python types beside the arguments (`QUERY <list[str]>`): an argument's
name (`ID...`, `QUERY`, `FILE... | ID... | QUERY`) already says what it takes, and its help
says the rest. Options keep theirs (`--limit <int>`), as a value type helps there."""

from __future__ import annotations

from typer._click.core import Command as ClickCommand
from typer._click.core import Context as ClickContext
from typer.core import TyperArgument


class _UntypedArgument(TyperArgument):
    def display_type_rich(self, ctx: ClickContext) -> str | None:
        return None


def untyped_arguments(command: ClickCommand) -> ClickCommand:
    """`command`, and each of its subcommands, listing arguments by name alone."""
    for subcommand in getattr(command, "commands", {}).values():
        untyped_arguments(subcommand)
    for param in command.params:
        if type(param) is TyperArgument:
            param.__class__ = _UntypedArgument
    return command

"""Whole numbers on the command line that no catalog column can hold, refused with one line.

An id, `--limit` or `--offset` of 2^63 or more reached SQLite as an OverflowError (a
traceback); a person gets the option's name and the largest number instead. Every command
is checked the same way, at the one place its arguments reach its function.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from typer._click.core import Command as ClickCommand  # typer vendors click as typer._click
from typer._click.core import Parameter

from media_hub.errors import ValidationError

LARGEST = 2**63 - 1  # SQLite's INTEGER and PostgreSQL's bigint
SMALLEST = -(2**63)


def guard_numbers(command: ClickCommand) -> ClickCommand:
    """`command`, and each of its subcommands, refusing whole numbers out of range."""
    for subcommand in getattr(command, "commands", {}).values():
        guard_numbers(subcommand)
    callback = command.callback
    if callback is not None:
        labels = {param.name: _label(param) for param in command.params if param.name}
        command.callback = _checked(callback, labels)
    return command


def _checked(callback: Callable[..., Any], labels: dict[str, str]) -> Callable[..., Any]:
    @functools.wraps(callback)
    def checked(*args: Any, **kwargs: Any) -> Any:
        for name, value in kwargs.items():
            values = value if isinstance(value, list | tuple) else [value]
            for number in values:
                if isinstance(number, int) and not isinstance(number, bool):
                    _check(labels.get(name, name), number)
        return callback(*args, **kwargs)

    return checked


def _check(label: str, number: int) -> None:
    if number > LARGEST:
        raise ValidationError(label, f"{number} is too large; give at most {LARGEST}")
    if number < SMALLEST:
        raise ValidationError(label, f"{number} is too small; give at least {SMALLEST}")


def _label(param: Parameter) -> str:
    """`--limit` for an option, `ID` for an argument, as `--help` shows them."""
    options = [opt for opt in param.opts if opt.startswith("--")]
    if options:
        return options[0]
    return (param.metavar or (param.name or "").upper()).removesuffix("...")

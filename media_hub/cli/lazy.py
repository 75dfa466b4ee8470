"""A command group that knows its subcommands by name and one-line help only.

Importing every command module costs about a second (the catalog's database layer, the
sandbox server, the PDF and image libraries), which `--version`, `--help` and each single
command would pay. Here a subcommand's module is imported when that subcommand is looked
up to run; the group's own `--help` lists the names with the help written beside them.
This is click's "lazily loading subcommands" pattern, on Typer's group class.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, MutableMapping
from dataclasses import dataclass
from gettext import gettext as _
from typing import Any

import typer
import typer.main
from typer._click.core import Command as ClickCommand  # typer vendors click as typer._click
from typer._click.core import Context as ClickContext
from typer._click.formatting import HelpFormatter
from typer.core import TyperCommand, TyperGroup

CommandFunction = Callable[..., Any]
Loader = Callable[[], "typer.Typer | CommandFunction"]


@dataclass(frozen=True)
class LazyCommand:
    """A subcommand as the group's `--help` lists it, and how to import it."""

    name: str
    help: str  # the first paragraph of its help; a test checks it against the command's own
    load: Loader  # imports its module: returns a Typer (a group) or a command function


def loader(module: str, attribute: str) -> Loader:
    """A loader that imports `media_hub.cli.<module>` and returns one of its attributes."""

    def load() -> typer.Typer | CommandFunction:
        from importlib import import_module

        loaded: typer.Typer | CommandFunction = getattr(
            import_module(f"media_hub.cli.{module}"), attribute
        )
        return loaded

    return load


def build_command(entry: LazyCommand, parent: TyperGroup) -> ClickCommand:
    """The click command Typer makes for `entry` registered under `parent`.

    The same calls as an eager `app.add_typer(...)` / `app.command(...)` on a Typer with the
    settings Typer hands down to subcommands (markup mode, suggestions), so names, options
    and help come out exactly as they would without laziness.
    """
    holder = typer.Typer(
        rich_markup_mode=parent.rich_markup_mode, suggest_commands=parent.suggest_commands
    )
    loaded = entry.load()
    if isinstance(loaded, typer.Typer):
        holder.add_typer(loaded, name=entry.name)
    else:
        holder.command(entry.name)(loaded)
    return typer.main.get_group(holder).commands[entry.name]


class LazyCommands(MutableMapping[str, ClickCommand]):
    """A group's name -> command mapping whose commands are built on first lookup.

    Its keys are known up front, so Typer's "Did you mean ...?" still sees every name.
    """

    def __init__(
        self, entries: tuple[LazyCommand, ...], build: Callable[[LazyCommand], ClickCommand]
    ) -> None:
        self.entries = {entry.name: entry for entry in entries}
        self._build = build
        self._built: dict[str, ClickCommand] = {}

    def __getitem__(self, name: str) -> ClickCommand:
        if name not in self._built:
            self._built[name] = self._build(self.entries[name])
        return self._built[name]

    def __setitem__(self, name: str, command: ClickCommand) -> None:
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        if name not in self:
            raise KeyError(name)
        self._built.pop(name, None)
        self.entries.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        yield from self.entries
        yield from (name for name in self._built if name not in self.entries)

    def __len__(self) -> int:
        return len(self.entries) + sum(1 for name in self._built if name not in self.entries)

    def __contains__(self, name: object) -> bool:
        return name in self.entries or name in self._built

    def built(self, name: str) -> ClickCommand | None:
        """The command if it was built already (listing help must not build it)."""
        return self._built.get(name)


class LazyGroup(TyperGroup):
    """A Typer group whose subcommands are imported only when one is about to run."""

    lazy_commands: tuple[LazyCommand, ...] = ()  # set by a subclass, in listing order

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        lazy = LazyCommands(
            self.lazy_commands, lambda entry: self.prepare(build_command(entry, self))
        )
        for name, command in self.commands.items():  # any registered the ordinary way
            lazy[name] = command
        self.commands = lazy

    def prepare(self, command: ClickCommand) -> ClickCommand:
        """A subcommand just built, before its first use (a subclass may wrap it)."""
        return command

    def list_commands(self, ctx: ClickContext) -> list[str]:
        # TyperGroup's own walks .items(), which would import every command.
        return list(self.commands)

    def format_commands(self, ctx: ClickContext, formatter: HelpFormatter) -> None:
        """TyperGroup's listing, with a stand-in carrying the written help for each command
        not imported yet: click shortens it to the same one line."""
        commands = self.commands
        assert isinstance(commands, LazyCommands)
        rows: list[tuple[str, ClickCommand]] = []
        for name in self.list_commands(ctx):
            command = commands.built(name)
            if command is None:
                command = TyperCommand(name=name, help=commands.entries[name].help)
            if not command.hidden:
                rows.append((name, command))
        if not rows:
            return
        limit = formatter.width - 6 - max(len(name) for name, _command in rows)
        with formatter.section(_("Commands")):
            formatter.write_dl(
                [(name, command.get_short_help_str(limit)) for name, command in rows]
            )

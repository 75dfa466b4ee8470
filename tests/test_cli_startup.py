"""A fast start: `media-hub --version` and `--help` import no command module and no heavy
library, and the root's help, written beside each command's name, says what the command
itself says. (The time it takes is bench/bench_startup.py's business, not a test's.)"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import typer.main
from typer.core import TyperCommand, TyperGroup
from typer.testing import CliRunner

from media_hub.cli import ROOT_COMMANDS, app
from media_hub.cli.lazy import LazyCommands

HEAVY = (
    "sqlalchemy",
    "alembic",
    "pydantic_settings",
    "PIL",
    "pypdfium2",
    "matplotlib",
    "boto3",
    "googleapiclient",
    "cryptography",
    "jinja2",
    "media_hub.sandbox",
    "media_hub.catalog.db",
    "media_hub.settings",
)
# What the root group itself needs; every other module under media_hub/cli is a command's.
CLI_CORE = {"media_hub.cli.lazy", "media_hub.cli.state"}


def modules_after(*argv: str) -> set[str]:
    """The modules a fresh interpreter holds after `media-hub ARGV` (none: after the import)."""
    script = (
        "import atexit, json, sys\n"
        "atexit.register(lambda: print(json.dumps(sorted(sys.modules)), file=sys.stderr))\n"
        "import media_hub.cli\n"
        f"sys.argv = ['media-hub', *{list(argv)!r}]\n"
        f"{'media_hub.cli.main()' if argv else ''}\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


@pytest.mark.parametrize("argv", [(), ("--version",), ("--help",)], ids=repr)
def test_starting_imports_nothing_heavy(argv: tuple[str, ...]) -> None:
    loaded = modules_after(*argv)
    assert "media_hub.cli" in loaded
    heavy = sorted(m for m in loaded if m.split(".")[0] in HEAVY or m in HEAVY)
    assert heavy == []
    commands = sorted(m for m in loaded if m.startswith("media_hub.cli.") and m not in CLI_CORE)
    assert commands == []


def root() -> tuple[TyperGroup, typer.Context]:
    group = typer.main.get_command(app)
    assert isinstance(group, TyperGroup)
    return group, typer.Context(group, info_name="media-hub")


def test_root_help_is_written_without_importing_a_command() -> None:
    group, ctx = root()
    group.get_help(ctx)
    assert isinstance(group.commands, LazyCommands)
    assert [name for name in group.commands if group.commands.built(name)] == []


def test_root_help_says_what_each_command_says() -> None:
    """The listing from the written help is the one from the commands themselves."""
    group, ctx = root()
    written = group.get_help(ctx)
    for name in group.list_commands(ctx):
        assert group.get_command(ctx, name) is not None
    assert group.get_help(ctx) == written
    for entry in ROOT_COMMANDS:
        command = group.commands[entry.name]
        stand_in = TyperCommand(name=entry.name, help=entry.help)
        for limit in (10, 30, 45, 60, 80, 200):
            assert stand_in.get_short_help_str(limit) == command.get_short_help_str(limit)


def test_every_command_is_listed_once() -> None:
    names = [entry.name for entry in ROOT_COMMANDS]
    assert len(names) == len(set(names))
    assert {"catalog", "init", "sandbox", "worker", "jobs"} <= set(names)


def test_a_mistyped_command_gets_a_suggestion() -> None:
    result = CliRunner().invoke(app, ["catalg"])
    assert result.exit_code == 2
    assert "Did you mean 'catalog'?" in result.output

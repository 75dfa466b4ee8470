"""Every command's `--help` reads as written for people: no Python types beside arguments,
examples that run on the starter conventions."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import typer
from typer._click.core import Command as ClickCommand
from typer.testing import CliRunner

from media_hub.cli import app


def _command_paths(command: ClickCommand, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    yield path
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield from _command_paths(sub, (*path, name))


COMMANDS = list(_command_paths(typer.main.get_command(app)))


def test_every_command_is_reached() -> None:
    assert ("upload",) in COMMANDS
    assert ("catalog", "list") in COMMANDS
    assert len(COMMANDS) > 40


@pytest.mark.parametrize("path", COMMANDS, ids=[" ".join(p) or "media-hub" for p in COMMANDS])
def test_help_shows_no_python_types(path: tuple[str, ...], runner: CliRunner) -> None:
    shown = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "100"})
    assert shown.exit_code == 0, shown.output
    assert "list[" not in shown.stdout
    assert "<str>" not in shown.stdout.split("Options")[0]  # arguments are named, not typed


def test_the_ingest_example_puts_a_deck_in_a_deck_series(runner: CliRunner) -> None:
    shown = runner.invoke(app, ["ingest", "--help"], env={"COLUMNS": "100"})
    examples = [line.strip() for line in shown.stdout.splitlines() if "media-hub ingest" in line]
    assert examples
    for example in examples:
        assert (".pdf" in example) == ("cv-flyers" in example or "cover-letters" in example)

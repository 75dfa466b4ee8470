"""The README is the user's door: every command and every setting is documented there."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from media_hub.cli import app
from media_hub.platforms import registry
from media_hub.settings import iter_declared_settings

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _commands() -> Iterator[tuple[str, ...]]:
    def walk(command: object, path: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
        children = getattr(command, "commands", None)
        if children:
            for name, child in children.items():
                yield from walk(child, (*path, name))
        else:
            yield path

    yield from walk(typer.main.get_command(app), ())


COMMANDS = sorted(_commands())


def test_there_are_commands_to_check() -> None:
    assert ("catalog", "add") in COMMANDS
    assert ("init",) in COMMANDS


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help_and_a_readme_entry(command: tuple[str, ...]) -> None:
    result = CliRunner().invoke(app, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output
    name = " ".join(command)
    parent, _, last = name.rpartition(" ")
    documented = f"media-hub {name}" in README or (
        f"media-hub {parent} " in README and f"|{last}" in README.replace(" ", "")
    )
    assert documented, f"README has no entry for 'media-hub {name}'"


@pytest.mark.parametrize(
    "key", [declared.key for declared in iter_declared_settings(registry.settings_sections())]
)
def test_every_setting_is_in_the_readme(key: str) -> None:
    assert f"`{key}`" in README


def test_readme_shows_the_two_commands() -> None:
    assert "make demo" in README
    assert "make test" in README

"""Which hub a command works on: --hub, else MEDIA_HUB_HOME, else the current folder or the
nearest parent that is a hub; outside any hub a command refuses and creates nothing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from media_hub.cli import app
from media_hub.hub import init_hub


@pytest.fixture
def no_hub_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("MEDIA_HUB_"):
            monkeypatch.delenv(name)


@pytest.mark.usefixtures("no_hub_env")
def test_outside_a_hub_a_command_refuses_and_creates_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, runner: CliRunner
) -> None:
    media = tmp_path / "media"
    media.mkdir()
    monkeypatch.chdir(media)
    result = runner.invoke(app, ["catalog", "list"])
    assert result.exit_code == 5
    assert result.stderr.strip() == (
        f"error: {media} is not in a hub (no media-hub.toml here or in a parent folder) and "
        "MEDIA_HUB_HOME is not set; create one with 'media-hub init FOLDER', or cd into one"
    )
    assert list(media.iterdir()) == []  # no empty catalog left where the user stood


@pytest.mark.usefixtures("no_hub_env")
def test_a_hub_is_found_from_a_folder_inside_it_and_the_variable_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, runner: CliRunner
) -> None:
    hub, other = tmp_path / "hub", tmp_path / "other"
    init_hub(hub)
    init_hub(other)
    clips = hub / "clips" / "2026"
    clips.mkdir(parents=True)
    monkeypatch.chdir(clips)
    database = Path("catalog") / "media-hub.db"
    assert runner.invoke(app, ["catalog", "list"]).exit_code == 0
    assert (hub / database).is_file()  # the hub's own catalog, not one in clips/2026
    assert not (clips / "catalog").exists()
    assert not (other / database).exists()
    monkeypatch.setenv("MEDIA_HUB_HOME", str(other))
    assert runner.invoke(app, ["catalog", "list"]).exit_code == 0
    assert (other / database).is_file()

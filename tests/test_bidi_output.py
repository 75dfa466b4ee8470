"""Arabic in a terminal that applies the bidi algorithm: each value isolated (FSI ... PDI) so
old and new stay on their sides of the arrow, and right-to-left cells set to the right."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from media_hub.bidi import isolate
from media_hub.catalog.assets import NewAsset
from media_hub.catalog.vocabulary import AssetKind
from media_hub.cli import app
from media_hub.hub import Hub

FSI, PDI = "\u2068", "\u2069"


def test_only_right_to_left_text_is_isolated() -> None:
    assert isolate("السيرة الذاتية") == f"{FSI}السيرة الذاتية{PDI}"
    assert isolate("Rédiger son CV") == "Rédiger son CV"
    assert isolate("ⵜⴰⵎⴰⵣⵉⵖⵜ") == "ⵜⴰⵎⴰⵣⵉⵖⵜ"  # Tifinagh is written left to right


def test_an_arabic_edit_shows_old_then_new_each_isolated(hub: Hub, runner: CliRunner) -> None:
    asset = hub.catalog.add(
        NewAsset(kind=AssetKind.VIDEO, titles={"ar": "مقابلة العمل", "fr": "Entretien"})
    )
    edited = runner.invoke(app, ["catalog", "edit", str(asset["id"]), "-t", "ar=السيرة الذاتية"])
    assert edited.exit_code == 0, edited.output
    assert f"  title.ar: {FSI}مقابلة العمل{PDI} → {FSI}السيرة الذاتية{PDI}" in edited.stdout


def test_right_to_left_cells_are_set_to_the_right(hub: Hub, runner: CliRunner) -> None:
    hub.catalog.add(NewAsset(kind=AssetKind.VIDEO, titles={"ar": "سيرة"}))
    hub.catalog.add(NewAsset(kind=AssetKind.VIDEO, titles={"fr": "Un titre bien plus long"}))
    listed = runner.invoke(app, ["catalog", "list"], env={"COLUMNS": "120"})
    assert listed.exit_code == 0, listed.output
    [arabic] = [line for line in listed.stdout.splitlines() if "سيرة" in line]
    [french] = [line for line in listed.stdout.splitlines() if "Un titre" in line]
    arabic_cell, french_cell = arabic.split("│")[6], french.split("│")[6]
    assert arabic_cell.endswith(f" {FSI}سيرة{PDI} ")  # right-aligned, padded on the left
    assert arabic_cell.startswith("   ")
    assert french_cell.startswith(" Un titre")  # left to right: left-aligned as before


def test_a_topic_added_beside_another_shows_as_added_not_replaced(
    hub: Hub, runner: CliRunner
) -> None:
    asset = hub.catalog.add(NewAsset(kind=AssetKind.VIDEO, titles={"fr": "CV"}, topics=["cv"]))
    edited = runner.invoke(app, ["catalog", "edit", str(asset["id"]), "--add-topic", "job-search"])
    assert edited.exit_code == 0, edited.output
    assert "  topics: + job-search" in edited.stdout  # cv was kept: not "∅ → job-search"
    dropped = runner.invoke(app, ["catalog", "edit", str(asset["id"]), "--remove-topic", "cv"])
    assert "  topics: − cv" in dropped.stdout
    history = runner.invoke(app, ["catalog", "history", str(asset["id"])], env={"COLUMNS": "200"})
    assert "+ job-search" in history.stdout
    assert "− cv" in history.stdout


def test_field_names_stay_whole_in_a_narrow_terminal(hub: Hub, runner: CliRunner) -> None:
    """At 80 columns the long values fold, not the short columns (`description.fr`)."""
    asset = hub.catalog.add(NewAsset(kind=AssetKind.VIDEO, titles={"fr": "CV"}))
    long_text = "Une description assez longue pour remplir la largeur d'un terminal " * 2
    edited = runner.invoke(app, ["catalog", "edit", str(asset["id"]), "-d", f"fr={long_text}"])
    assert edited.exit_code == 0, edited.output
    history = runner.invoke(app, ["catalog", "history", str(asset["id"])], env={"COLUMNS": "80"})
    assert history.exit_code == 0, history.output
    lines = history.stdout.splitlines()
    assert any(re.search(r"│ description\.fr +│", line) for line in lines), history.stdout
    assert all(len(line) <= 80 for line in lines)
    folded = [line for line in lines if re.match(r"│ +│ +│ +│ +│ \S", line)]
    assert folded, history.stdout  # the long value went on over more lines

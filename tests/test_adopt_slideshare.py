"""`adopt slideshare`: the account's existing decks become catalog records, nothing is sent,
a rerun adds nothing, and `publish` then finds nothing to change."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from media_hub.catalog.definitions import read_definitions
from media_hub.catalog.query import AssetQuery
from media_hub.cli import app
from media_hub.hub import Hub
from media_hub.platforms.slideshare.connect import slideshare_client
from media_hub.sandbox.server import Sandbox

DATA = Path(__file__).resolve().parent / "data"


def _adopt(runner: CliRunner, *args: str) -> dict[str, object]:
    result = runner.invoke(app, ["adopt", "slideshare", "--json", *args])
    assert result.exit_code == 0, result.stderr
    adopted: dict[str, object] = json.loads(result.stdout)
    return adopted


@pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)
def test_existing_decks_are_adopted_once_with_their_series(
    deck_hub: Hub, sandbox: Sandbox, runner: CliRunner
) -> None:
    client = slideshare_client(deck_hub.settings)
    tags = "ANAPEC,CV"
    footer = read_definitions(deck_hub.settings.definitions_dir).templates["deck"].footer["fr"]
    flyer = client.upload_slideshow(
        {"slideshow_title": "Le CV en une page | Flyers CV",
         "slideshow_description": f"Un CV clair.\n\n{footer}", "slideshow_tags": tags},
        file=DATA / "pdflatex-4-pages.pdf",
    )  # fmt: skip
    arabic = client.upload_slideshow(
        {"slideshow_title": "إضاءة على المهن", "slideshow_description": "", "slideshow_tags": tags},
        file=DATA / "habibi.pdf",
    )
    by_hand = client.upload_slideshow(  # the series' name typed by hand, no footer
        {"slideshow_title": "Modèle de lettre | Lettres de motivation",
         "slideshow_description": "Un modèle à adapter.", "slideshow_tags": tags},
        file=DATA / "pdflatex-4-pages.pdf",
    )  # fmt: skip
    uploaded = runner.invoke(
        app, ["upload", str(DATA / "google-doc-document.pdf"), "--series", "cover-letters",
              "-t", "fr=Une lettre"],
    )  # fmt: skip
    assert uploaded.exit_code == 0, uploaded.stderr
    before = len(sandbox.state.snapshot()["slideshare"]["slideshows"])

    dry = _adopt(runner, "--dry-run")
    assert (dry["seen"], dry["known"], dry["added"]) == (4, 1, 3)
    assert len(deck_hub.catalog.find(AssetQuery())) == 1  # a dry run writes nothing

    done = _adopt(runner)
    assert done["added"] == 3
    by_id = {item["slideshow_id"]: item for item in done["adopted"]}  # type: ignore[attr-defined]
    assert by_id[flyer]["series"] == "cv-flyers"
    assert by_id[flyer]["title"] == "Le CV en une page"  # the template's suffix taken off
    assert by_id[arabic]["series"] is None
    assert not by_id[flyer]["texts_as_published"]
    assert by_id[by_hand]["series"] == "cover-letters"  # by the name ending its title
    assert by_id[by_hand]["texts_as_published"]
    assert deck_hub.catalog.show(by_id[by_hand]["asset_id"])["titles"] == {
        "fr": "Modèle de lettre | Lettres de motivation"
    }
    record = deck_hub.catalog.show(by_id[flyer]["asset_id"])
    assert record["kind"] == "deck"
    assert record["status"] == "published"
    assert record["descriptions"]["fr"] == "Un CV clair."  # the footer taken off
    assert deck_hub.catalog.show(by_id[arabic]["asset_id"])["default_language"] == "ar"
    assert len(sandbox.state.snapshot()["slideshare"]["slideshows"]) == before  # nothing sent

    assert _adopt(runner)["added"] == 0
    plan = runner.invoke(app, ["publish", "--plan", "--json", "--platform", "slideshare"])
    assert plan.exit_code == 0, plan.stderr
    changes = {c["target"]: c["detail"] for c in json.loads(plan.stdout)["calls"]}
    # title and description re-render exactly; only the template's fuller tag list differs
    assert changes[f"asset {by_id[flyer]['asset_id']} (slideshow {flyer})"] == "tags"
    # Texts kept as published are sent as they are: nothing to change on that deck.
    assert f"asset {by_id[by_hand]['asset_id']} (slideshow {by_hand})" not in changes

"""`catalog revert ID --to VERSION`: the asset as it was, rebuilt from the audit log."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import insert
from typer.testing import CliRunner

from media_hub.catalog.models import Asset, AssetText
from media_hub.catalog.service import CatalogService
from media_hub.catalog.types import utcnow
from media_hub.catalog.vocabulary import AssetKind, AssetStatus
from media_hub.cli import app
from media_hub.hub import Hub
from tests.librarian_helpers import make_shelf, shown
from tests.test_refusals import assert_refused, catalog_state, invoke

SQLITE_ONLY = pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)
RESTORED = ("titles", "descriptions", "season", "episode", "status", "default_language",
            "recorded_date", "topics", "playlists")  # fmt: skip


@pytest.fixture
def shelf(catalog: CatalogService) -> dict[str, int]:
    return make_shelf(catalog)


def editable(asset: dict[str, Any]) -> dict[str, Any]:
    return {field: asset[field] for field in RESTORED}


def test_revert_restores_every_editable_field(
    hub: Hub, shelf: dict[str, int], runner: CliRunner
) -> None:
    asset_id = str(shelf["clip1"])
    versions = {1: shown(runner, {"a": shelf["clip1"]})["a"]}
    edits = [
        ("--title", "ar=كيف تكتب سيرتك", "--description", "ar=نصائح", "--recorded", "2014-03-12"),
        ("--add-topic", "job-search", "--remove-topic", "cv", "--add-playlist", "advisory-cv",
         "--status", "ready", "--title", "en=The CV"),
        ("--drop-language", "fr", "--episode", "9", "--language", "en",
         "--remove-playlist", "advisory-clips"),
    ]  # fmt: skip
    for version, args in enumerate(edits, start=2):
        invoke(runner, "catalog", "edit", asset_id, *args)
        versions[version] = shown(runner, {"a": shelf["clip1"]})["a"]
    assert versions[4]["version"] == 4

    result = invoke(runner, "catalog", "revert", asset_id, "--to", "2")

    assert result.stdout.splitlines()[0] == f"asset {asset_id}: now version 5, as at version 2"
    assert f"asset {asset_id}: episode: 9 → 1" in result.stdout.splitlines()
    now = shown(runner, {"a": shelf["clip1"]})["a"]
    assert now["version"] == 5
    assert editable(now) == editable(versions[2])

    # A revert is an edit like any other: audited, and itself revertible.
    history = json.loads(invoke(runner, "catalog", "history", asset_id, "--json").stdout)
    assert {(e["field"], e["new"]) for e in history if e["version"] == 5} >= {
        ("episode", "1"), ("default_language", "ar"), ("title.fr", "Le CV"), ("status", "draft"),
        ("topics", "cv"), ("playlists", "advisory-clips"),
    }  # fmt: skip
    invoke(runner, "catalog", "revert", asset_id, "--to", "4")
    assert editable(shown(runner, {"a": shelf["clip1"]})["a"]) == editable(versions[4])
    invoke(runner, "catalog", "revert", asset_id, "--to", "1")
    assert editable(shown(runner, {"a": shelf["clip1"]})["a"]) == editable(versions[1])


def test_unknown_versions_are_refused(hub: Hub, shelf: dict[str, int], runner: CliRunner) -> None:
    asset_id = shelf["clip2"]
    invoke(runner, "catalog", "edit", str(asset_id), "--status", "ready")
    before = catalog_state(runner, hub)

    for version in ("3", "0", "-1"):
        result = runner.invoke(app, ["catalog", "revert", str(asset_id), "--to", version])
        assert_refused(
            result,
            3,  # ExitStatus.NOT_FOUND
            f"version {version} of asset {asset_id} not found; it has versions 1 to 2; "
            f"see 'media-hub catalog history {asset_id}'",
            version,
        )
    assert_refused(
        runner.invoke(app, ["catalog", "revert", "999", "--to", "1"]),
        3,
        "asset 999 not found; list assets with 'media-hub catalog list'",
        "no asset",
    )
    assert catalog_state(runner, hub) == before


@SQLITE_ONLY
def test_revert_to_the_current_state_or_as_a_dry_run_changes_nothing(
    hub: Hub, shelf: dict[str, int], runner: CliRunner
) -> None:
    asset_id = str(shelf["show"])
    invoke(runner, "catalog", "edit", asset_id, "--title", "fr=Épisode un")
    invoke(runner, "catalog", "edit", asset_id, "--title", "fr=Épisode 1")
    before = catalog_state(runner, hub)

    same = invoke(runner, "catalog", "revert", asset_id, "--to", "1")
    assert same.stdout == f"asset {asset_id}: already as at version 1; nothing to change\n"

    dry = invoke(runner, "catalog", "revert", asset_id, "--to", "2", "--dry-run")
    assert dry.stdout.splitlines() == [
        f"asset {asset_id}: would be restored as at version 2",
        f"asset {asset_id}: title.fr: Épisode 1 → Épisode un",
    ]
    assert catalog_state(runner, hub) == before


@SQLITE_ONLY
def test_a_revert_the_rules_refuse_changes_nothing(
    hub: Hub, shelf: dict[str, int], runner: CliRunner
) -> None:
    clip1, clip2 = str(shelf["clip1"]), str(shelf["clip2"])
    invoke(runner, "catalog", "edit", clip1, "--episode", "5")
    invoke(runner, "catalog", "edit", clip2, "--episode", "1")  # clip1's first number
    before = catalog_state(runner, hub)

    result = runner.invoke(app, ["catalog", "revert", clip1, "--to", "1"])

    assert_refused(
        result,
        1,
        f"asset {clip1}: episode: episode 1 of series 'advisory-clips' is already asset "
        f"{clip2}; choose another number",
        "taken",
    )
    assert catalog_state(runner, hub) == before


@SQLITE_ONLY
def test_an_asset_without_its_creation_in_the_log_cannot_be_reverted(
    hub: Hub, runner: CliRunner
) -> None:
    now = utcnow()
    with hub.db.session() as session:  # as a bulk load would, bypassing the log
        session.execute(
            insert(Asset),
            [{"id": 500, "kind": AssetKind.VIDEO, "default_language": "ar", "version": 1,
              "status": AssetStatus.DRAFT, "created_at": now, "created_by": "loader",
              "updated_at": now, "updated_by": "loader"}],
        )  # fmt: skip
        session.execute(insert(AssetText), [{"asset_id": 500, "lang": "ar", "title": "قديم"}])
    invoke(runner, "catalog", "edit", "500", "--status", "ready")

    result = runner.invoke(app, ["catalog", "revert", "500", "--to", "1"])

    assert_refused(
        result,
        3,
        "version 1 of asset 500 not found; the audit log does not go back to the asset's "
        "creation, so no version can be rebuilt; see 'media-hub catalog history 500'",
        "no creation",
    )

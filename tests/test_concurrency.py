"""Two people editing the same asset at once: one edit wins, the other is told, nothing is lost.

Once with two real `media-hub` processes racing on the same catalog file or server, once in
process with two sessions interleaved deterministically (SQLAlchemy's version check).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from typing import Any

import pytest
from typer.testing import CliRunner

from media_hub.catalog.assets import AssetEdit, NewAsset, edit_asset
from media_hub.catalog.service import CatalogService
from media_hub.catalog.vocabulary import AssetKind
from media_hub.cli import app
from media_hub.errors import ConflictError
from media_hub.hub import Hub

EDITORS = ("alice", "bruno")


def new_asset(catalog: CatalogService) -> int:
    record = catalog.add(
        NewAsset(
            kind=AssetKind.VIDEO,
            series="advisory-clips",
            episode=1,
            titles={"ar": "السيرة الذاتية", "fr": "Avant"},
        )
    )
    return int(record["id"])


def history_updates(runner: CliRunner, asset_id: int) -> list[tuple[Any, ...]]:
    result = runner.invoke(app, ["catalog", "history", str(asset_id), "--json"])
    assert result.exit_code == 0, result.output
    return [
        (e["user"], e["version"], e["field"], e["old"], e["new"])
        for e in json.loads(result.stdout)
        if e["action"] != "create"
    ]


def conflict_line(asset_id: int, user: str, version: int) -> re.Pattern[str]:
    """The one line a losing editor sees, whether the version check or the UPDATE caught it."""
    return re.compile(
        rf"error: asset {asset_id} was changed by {user} at \d{{4}}-\d\d-\d\d \d\d:\d\d UTC "
        rf"since you read (?:version {version - 1}|it) \(now version {version}\); "
        r"nothing was saved: show it again and redo your edit\n"
    )


def start_edit(asset_id: int, version: int, user: str) -> subprocess.Popen[str]:
    command = [
        sys.executable, "-m", "media_hub", "catalog", "edit", str(asset_id),
        "--if-version", str(version), "--title", f"fr=Titre de {user} {version}",
    ]  # fmt: skip
    return subprocess.Popen(
        command,
        env={**os.environ, "MEDIA_HUB_USER": user},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.slow  # racing CLI processes
def test_two_processes_edit_the_same_asset(catalog: CatalogService, runner: CliRunner) -> None:
    asset_id = new_asset(catalog)
    expected_updates: list[tuple[Any, ...]] = []
    title = "Avant"

    for version in (1, 2):
        processes = {user: start_edit(asset_id, version, user) for user in EDITORS}
        outputs = {user: process.communicate(timeout=120) for user, process in processes.items()}
        codes = {user: process.returncode for user, process in processes.items()}

        assert sorted(codes.values()) == [0, 4], (codes, outputs)
        winner = next(user for user, code in codes.items() if code == 0)
        loser = next(user for user, code in codes.items() if code == 4)
        new_title = f"Titre de {winner} {version}"
        out, err = outputs[winner]
        assert err == ""
        assert (
            out
            == f"asset {asset_id}: now version {version + 1}\n  title.fr: {title} → {new_title}\n"
        )
        out, err = outputs[loser]
        assert out == ""
        assert conflict_line(asset_id, winner, version + 1).fullmatch(err), err
        assert "Traceback" not in err

        shown = catalog.show(asset_id)
        assert shown["titles"] == {"ar": "السيرة الذاتية", "fr": new_title}
        assert (shown["version"], shown["updated_by"]) == (version + 1, winner)
        expected_updates.append((winner, version + 1, "title.fr", title, new_title))
        assert history_updates(runner, asset_id) == expected_updates
        title = new_title


def test_stale_session_cannot_overwrite(
    hub: Hub, catalog: CatalogService, runner: CliRunner
) -> None:
    asset_id = new_asset(catalog)
    sessions = hub.db

    def edit_what_was_read_before_another_edit() -> None:
        with sessions.session() as first:
            # The first editor reads the asset (version 1) and keeps it, as an open form would;
            # a released object would simply be read again, fresh.
            read = edit_asset(first, asset_id, AssetEdit())
            assert read.version == 1
            # ...the second reads it too, edits and saves...
            with sessions.session() as second:
                assert (
                    edit_asset(second, asset_id, AssetEdit(titles={"fr": "Titre de B"})).version
                    == 2
                )
            # ...then the first saves an edit made on what it read.
            edit_asset(first, asset_id, AssetEdit(titles={"fr": "Titre de A"}))

    with pytest.raises(ConflictError) as conflict:
        edit_what_was_read_before_another_edit()

    assert conflict.value.record == f"asset {asset_id}"
    assert conflict_line(asset_id, "librarian", 2).fullmatch(f"error: {conflict.value}\n")
    shown = catalog.show(asset_id)
    assert shown["titles"]["fr"] == "Titre de B"
    assert shown["version"] == 2
    assert history_updates(runner, asset_id) == [
        ("librarian", 2, "title.fr", "Avant", "Titre de B")
    ]

"""One query language in every listing command, options as its shorthands; a language asked
for is the language the titles are shown in."""

from __future__ import annotations

import json
from typing import Any

from typer.testing import CliRunner

from media_hub.catalog.assets import AssetEdit, NewAsset
from media_hub.catalog.vocabulary import AssetKind, AssetStatus
from media_hub.cli import app
from media_hub.hub import Hub


def _ids(runner: CliRunner, *args: str) -> list[int]:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    found: list[dict[str, Any]] = json.loads(result.stdout)
    return [record["id"] for record in found]


def _shelf(hub: Hub) -> dict[str, int]:
    def add(**fields: Any) -> int:
        return int(hub.catalog.add(NewAsset(kind=AssetKind.VIDEO, **fields))["id"])

    ids = {
        "ready": add(series="advisory-clips", episode=1,
                     titles={"ar": "مقابلة العمل", "fr": "L'entretien d'embauche"}),
        "draft": add(series="advisory-clips", episode=2, titles={"ar": "السيرة الذاتية"}),
        "report": add(series="reports", titles={"fr": "Forum de l'emploi"}),
    }  # fmt: skip
    hub.catalog.edit(ids["ready"], AssetEdit(status=AssetStatus.READY))
    return ids


def test_list_takes_the_query_language_and_its_options_are_shorthands(
    hub: Hub, runner: CliRunner
) -> None:
    ids = _shelf(hub)
    assert _ids(runner, "catalog", "list", "status:ready") == [ids["ready"]]
    assert _ids(runner, "catalog", "list", "--status", "ready") == [ids["ready"]]
    assert _ids(runner, "catalog", "list", "series:advisory-clips", "episode:2") == [ids["draft"]]
    assert _ids(runner, "catalog", "list", "series:advisory-clips", "--status", "draft") == [
        ids["draft"]
    ]
    assert _ids(runner, "catalog", "list", "entretien") == [ids["ready"]]  # words search
    clash = runner.invoke(app, ["catalog", "list", "status:ready", "--status", "draft"])
    assert clash.exit_code == 1
    assert clash.stderr.strip() == "error: --status: the query already says status ready"


def test_a_language_asked_for_is_the_language_titles_are_shown_in(
    hub: Hub, runner: CliRunner
) -> None:
    _shelf(hub)
    listed = runner.invoke(app, ["catalog", "list", "-l", "fr"], env={"COLUMNS": "160"})
    assert listed.exit_code == 0, listed.output
    assert "L'entretien d'embauche" in listed.stdout
    assert "مقابلة العمل" not in listed.stdout
    found = runner.invoke(
        app, ["catalog", "search", "entretien", "--language", "fr"], env={"COLUMNS": "160"}
    )
    assert found.exit_code == 0, found.output
    assert "L'entretien d'embauche" in found.stdout
    assert "مقابلة" not in found.stdout


def test_export_takes_the_query_language_too(hub: Hub, runner: CliRunner, tmp_path: Any) -> None:
    ids = _shelf(hub)
    sheet = tmp_path / "ready.csv"
    result = runner.invoke(app, ["catalog", "export", "status:ready", "-o", str(sheet)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"exported 1 asset to {sheet}"
    assert sheet.read_text(encoding="utf-8-sig").splitlines()[1].startswith(f"{ids['ready']},")


def test_every_listing_and_bulk_command_has_json(hub: Hub, runner: CliRunner) -> None:
    ids = _shelf(hub)
    profiles = runner.invoke(app, ["profiles", "list", "--json"])
    assert profiles.exit_code == 0, profiles.output
    assert {"youtube", "web"} <= {p["name"] for p in json.loads(profiles.stdout)}
    loaded = runner.invoke(app, ["conventions", "load", "--json"])
    assert loaded.exit_code == 0, loaded.output
    assert json.loads(loaded.stdout) == {"dry_run": False, "changes": []}  # loaded already
    archived = runner.invoke(app, ["catalog", "archive", str(ids["report"]), "--json"])
    assert archived.exit_code == 0, archived.output
    assert json.loads(archived.stdout)["status"] == "archived"


def test_an_option_value_in_the_wrong_form_is_a_usage_error(hub: Hub, runner: CliRunner) -> None:
    bad_title = runner.invoke(app, ["catalog", "add", "--kind", "video", "-t", "Le CV"])
    assert bad_title.exit_code == 2
    assert bad_title.stderr.strip() == (
        "error: --title: 'Le CV' is not LANG=TEXT, e.g. --title fr=Le CV"
    )
    bad_date = runner.invoke(
        app, ["catalog", "add", "--kind", "video", "-t", "fr=CV", "--recorded", "2014/03/12"]
    )
    assert bad_date.exit_code == 2
    assert "'2014/03/12' is not a date; use YYYY-MM-DD or DD/MM/YYYY" in bad_date.stderr

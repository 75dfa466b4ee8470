"""`catalog import` as librarians use it (issue 16): their own columns, new rows, names
instead of slugs, dates as their spreadsheet writes them, rows edited by two people at once.

Each test runs through the CLI on SQLite and on PostgreSQL, with sheets saved as French Excel
saves CSV (semicolons, a BOM, CRLF) or as an xlsx workbook.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner, Result

from media_hub.catalog.dates import parse_day
from media_hub.catalog.service import CatalogService
from media_hub.cli import app
from media_hub.hub import Hub
from tests.librarian_helpers import make_shelf, read_rows, row_of, shown, write_rows
from tests.test_refusals import catalog_state, invoke, invoke_json

NOW = r"\d{4}-\d\d-\d\d \d\d:\d\d UTC"


@pytest.fixture
def shelf(catalog: CatalogService) -> dict[str, int]:
    return make_shelf(catalog)


def exported(runner: CliRunner, tmp_path: Path) -> list[dict[str, str]]:
    path = tmp_path / "assets.csv"
    invoke(runner, "catalog", "export", "-o", str(path))
    return read_rows(path)


def french_excel(path: Path, rows: list[dict[str, str]]) -> Path:
    """As Excel in a French locale saves 'CSV UTF-8': semicolons, a BOM, CRLF."""
    return write_rows(path, rows, delimiter=";", encoding="utf-8-sig", lineterminator="\r\n")


def new_row(**cells: str) -> dict[str, str]:
    return {"id": "", "version": "", **cells}


def import_(runner: CliRunner, path: Path, *args: str) -> Result:
    return runner.invoke(app, ["catalog", "import", str(path), *args])


def history(runner: CliRunner, asset_id: int) -> list[dict[str, Any]]:
    return list(invoke_json(runner, "catalog", "history", str(asset_id), "--json"))


def test_unknown_columns_are_named_in_one_warning_and_left_alone(
    hub: Hub, shelf: dict[str, int], runner: CliRunner, tmp_path: Path
) -> None:
    rows = exported(runner, tmp_path)
    for row in rows:
        row["notes"] = "à revoir; demander à Amina"
        row["Relu par"] = "Karim"
    row_of(rows, shelf["clip2"])["title.fr"] = "L'entretien d'embauche"
    sheet = french_excel(tmp_path / "edited.csv", rows)

    result = import_(runner, sheet, "--yes")

    assert result.exit_code == 0, result.output
    assert result.stderr == (
        f"warning: {sheet}: columns ignored, not media-hub's: 'notes', 'relu par'\n"
    )
    assert result.stdout.splitlines()[-1] == "changed 1 field of 1 asset (3 assets need no change)"
    assert shown(runner, {"clip2": shelf["clip2"]})["clip2"]["titles"]["fr"] == (
        "L'entretien d'embauche"
    )

    # Still refused: a sheet naming none of media-hub's columns, a column named twice.
    before = catalog_state(runner, hub)
    (tmp_path / "none.csv").write_text("notes;relu par\r\nà revoir;Karim\r\n", encoding="utf-8")
    (tmp_path / "twice.csv").write_text("id;version;title.fr;Title.FR\r\n1;1;a;b\r\n")
    for name, problem in [
        ("none.csv", "the first row names none of media-hub's columns"),
        ("twice.csv", "column 'title.fr' appears twice; keep one"),
    ]:
        refused = import_(runner, tmp_path / name, "--yes")
        assert refused.exit_code == 1, refused.output
        assert refused.stderr.startswith(f"error: {tmp_path / name}: {problem}")
        assert refused.stderr.count("\n") == 1
    assert catalog_state(runner, hub) == before


def test_rows_without_an_id_add_assets_as_catalog_add_does(
    hub: Hub, shelf: dict[str, int], runner: CliRunner, tmp_path: Path
) -> None:
    rows = exported(runner, tmp_path)
    row_of(rows, shelf["flyer"])["title.en"] = "CV flyer"
    rows.append(
        new_row(
            kind="video", series="advisory-clips", episode="3", recorded_date="12/03/2014",
            **{"title.fr": "Comment rédiger son CV ?", "title.ar": "كيف تكتب سيرتك الذاتية؟",
               "topics": "cv; job-search", "description.fr": "Des conseils pratiques."},
        )
    )  # fmt: skip
    rows.append(new_row(kind="deck", series="cover-letters", **{"title.fr": "Modèle de lettre"}))
    sheet = french_excel(tmp_path / "edited.csv", rows)

    result = import_(runner, sheet, "--yes")

    assert result.exit_code == 0, result.output
    first_new = max(shelf.values()) + 1
    assert result.stdout.splitlines() == [
        f"asset {shelf['flyer']}: title.en: ∅ → CV flyer",
        "row 6: new video in advisory-clips: كيف تكتب سيرتك الذاتية؟",  # its default language
        "row 7: new deck in cover-letters: Modèle de lettre",
        f"changed 1 field of 1 asset, created 2 assets: {first_new}, {first_new + 1} "
        "(3 assets need no change)",
    ]
    video = invoke_json(runner, "catalog", "show", str(first_new), "--json")
    assert (video["kind"], video["series"], video["episode"], video["status"]) == (
        "video", "advisory-clips", 3, "draft",
    )  # fmt: skip
    assert video["titles"] == {"ar": "كيف تكتب سيرتك الذاتية؟", "fr": "Comment rédiger son CV ?"}
    assert video["descriptions"]["fr"] == "Des conseils pratiques."
    assert (video["topics"], video["recorded_date"]) == (["cv", "job-search"], "2014-03-12")
    assert video["playlists"] == ["advisory-clips"]  # its series' playlists, as catalog add
    deck = invoke_json(runner, "catalog", "show", str(first_new + 1), "--json")
    assert (deck["kind"], deck["playlists"]) == ("deck", ["cover-letters"])
    created = [entry for entry in history(runner, first_new) if entry["action"] == "create"]
    assert {(e["field"], e["new"], e["user"]) for e in created} >= {
        ("title.fr", "Comment rédiger son CV ?", "librarian"),
        ("episode", "3", "librarian"),
        ("recorded_date", "2014-03-12", "librarian"),
    }

    # Checked as catalog add checks them; one bad new row and nothing is added.
    before = catalog_state(runner, hub)
    bad = [
        new_row(series="advisory-clips", **{"title.fr": "Sans genre"}),
        new_row(kind="video", **{"title.fr": "Sans série"}),
        new_row(kind="video", series="advisory-clips", episode="3", **{"title.fr": "Doublon"}),
        new_row(kind="video", series="reports", **{"title.ar": "تقرير", "status": "ready"}),
        new_row(kind="video", series="reports", **{"title.fr": "Bon"}),
    ]
    columns = dict.fromkeys(key for row in bad for key in row)
    bad = [{column: row.get(column, "") for column in columns} for row in bad]
    refused = import_(runner, french_excel(tmp_path / "bad.csv", bad), "--yes")
    assert refused.exit_code == 1, refused.output
    assert refused.stderr.splitlines() == [
        "row 2: new asset: kind: a new asset (no id) needs one; use video or deck",
        "row 3: new asset: series: a new asset (no id) needs its series; "
        "see 'media-hub series list'",
        f"row 4: new asset: episode: episode 3 of series 'advisory-clips' is already asset "
        f"{first_new}; choose another number",
        "row 5: new asset: status: a new asset starts as a draft, not ready; leave the cell "
        "empty and set the status once the asset is in the catalog",
        "error: 4 problems; nothing was changed",
    ]
    assert catalog_state(runner, hub) == before


def test_series_playlists_and_topics_by_name_or_slug_in_an_xlsx(
    hub: Hub, shelf: dict[str, int], runner: CliRunner, tmp_path: Path
) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["id", "version", "kind", "series", "title.fr", "topics", "playlists"])
    sheet.append([
        shelf["clip1"], 1, "video", "Clips conseils", "Le CV", "CV, ENTRETIEN D’EMBAUCHE",
        "Clips conseils pour les chercheurs d’emploi; Conseils : le CV",
    ])  # fmt: skip
    sheet.append([shelf["clip2"], 1, None, None, None, "مقابلة العمل", None])
    sheet.append(
        [shelf["flyer"], 1, "deck", "cv-flyers", "Flyer CV", None, "cv-flyers;cover-letters"]
    )
    sheet.append([None, None, "video", "Reportages", "Le salon", "Forums de l'emploi", None])
    # A second sheet (as export's list of valid values) is not read.
    values = workbook.create_sheet("values")
    values.append(["id", "version", "title.fr"])
    values.append([shelf["clip2"], 1, "Pas une ligne à importer"])
    path = tmp_path / "edited.xlsx"
    workbook.save(path)

    result = import_(runner, path, "--yes")

    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    after = shown(runner, shelf)
    assert after["clip1"]["topics"] == ["cv", "job-interview"]
    assert after["clip1"]["playlists"] == ["advisory-clips", "advisory-cv"]
    assert after["clip2"]["topics"] == ["job-interview"]
    assert "fr" not in after["clip2"]["titles"]
    assert after["flyer"]["playlists"] == ["cover-letters", "cv-flyers"]
    new = invoke_json(runner, "catalog", "show", str(max(shelf.values()) + 1), "--json")
    assert (new["series"], new["topics"]) == ("reports", ["job-fair"])

    # Unknown names: one line each, with the closest known name.
    before = catalog_state(runner, hub)
    rows = exported(runner, tmp_path)
    row_of(rows, shelf["clip1"])["topics"] = "cv; Entretien d'embauch"
    row_of(rows, shelf["clip2"])["topics"] = "Entretien"
    row_of(rows, shelf["show"])["playlists"] = "kan-kalab-aala-khadma; no-such-list"
    refused = import_(runner, french_excel(tmp_path / "typo.csv", rows), "--yes")
    assert refused.exit_code == 1, refused.output
    assert refused.stderr.splitlines() == [
        f'row 2: asset {shelf["clip1"]}: topics: unknown topic "Entretien d\'embauch"; '
        "did you mean 'job-interview' (Entretien d'embauche)?",
        f"row 3: asset {shelf['clip2']}: topics: unknown topic 'Entretien'; "
        "did you mean 'job-interview' (Entretien d'embauche)?",
        f"row 4: asset {shelf['show']}: playlists: unknown playlist 'no-such-list'; "
        "see 'media-hub playlists list' or add it to catalog/playlists.toml",
        "error: 3 problems; nothing was changed",
    ]
    assert catalog_state(runner, hub) == before


@pytest.mark.parametrize(
    ("text", "day"),
    [("2014-03-12", "2014-03-12"), ("12/03/2014", "2014-03-12"), ("1/2/2014", "2014-02-01")],
)
def test_one_date_parser_for_the_command_line_and_the_sheet(
    hub: Hub, shelf: dict[str, int], runner: CliRunner, tmp_path: Path, text: str, day: str
) -> None:
    added = invoke_json(
        runner, "catalog", "add", "--kind", "video", "-s", "reports", "-t", "fr=Reportage",
        "--recorded", text, "--json",
    )  # fmt: skip
    assert added["recorded_date"] == day
    rows = exported(runner, tmp_path)
    row_of(rows, shelf["clip1"])["recorded_date"] = text
    invoke(runner, "catalog", "import", str(french_excel(tmp_path / "d.csv", rows)), "--yes")
    assert shown(runner, {"clip1": shelf["clip1"]})["clip1"]["recorded_date"] == day

    # The same texts are refused by both, with the same words.
    before = catalog_state(runner, hub)
    for wrong in ("2014/03/12", "12/03/14", "31/02/2014", "20140312", "2014-03-12T10:00"):
        with pytest.raises(ValueError, match="use YYYY-MM-DD or DD/MM/YYYY") as raised:
            parse_day(wrong)
        on_the_command_line = runner.invoke(
            app, ["catalog", "edit", str(shelf["show"]), "--recorded", wrong]
        )
        assert on_the_command_line.exit_code == 2  # a usage error, as README says
        assert on_the_command_line.stderr == f"error: --recorded: {raised.value}\n"
        row_of(rows, shelf["show"])["recorded_date"] = wrong
        in_a_sheet = import_(runner, french_excel(tmp_path / "wrong.csv", rows), "--yes")
        assert in_a_sheet.exit_code == 1
        assert in_a_sheet.stderr.splitlines()[0] == (
            f"row 4: asset {shelf['show']}: recorded_date: {raised.value}"
        )
    assert catalog_state(runner, hub) == before


def test_a_stale_row_is_merged_unless_the_same_field_changed_and_partial_keeps_the_rest(
    hub: Hub,
    shelf: dict[str, int],
    runner: CliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rows = exported(runner, tmp_path)
    monkeypatch.setenv("MEDIA_HUB_USER", "amina")
    invoke(runner, "catalog", "edit", str(shelf["clip1"]), "--title", "fr=Le CV, par Amina")
    invoke(runner, "catalog", "edit", str(shelf["clip2"]), "--title", "fr=Par Amina")
    invoke(runner, "catalog", "edit", str(shelf["clip2"]), "--add-topic", "job-interview")
    monkeypatch.setenv("MEDIA_HUB_USER", "librarian")
    row_of(rows, shelf["clip1"])["title.fr"] = "Rédiger son CV"  # amina changed it too
    row_of(rows, shelf["clip1"])["status"] = "ready"
    row_of(rows, shelf["clip2"])["status"] = "ready"  # amina changed other fields
    row_of(rows, shelf["clip2"])["title.ar"] = "مقابلة العمل: نصائح"
    row_of(rows, shelf["flyer"])["title.en"] = "CV flyer"  # a fresh row
    rows.append(new_row(kind="video", series="reports", **{"title.fr": "Nouveau"}))
    sheet = french_excel(tmp_path / "edited.csv", rows)
    before = catalog_state(runner, hub)
    clip1, clip2, flyer = shelf["clip1"], shelf["clip2"], shelf["flyer"]
    conflict = (
        rf"row 2: asset {clip1}: title\.fr: changed by amina at {NOW} since you read version 1 "
        r"\(now version 2\): the catalog has 'Le CV, par Amina', the sheet 'Rédiger son CV'; "
        r"nothing of this row was saved: export the asset again and redo your edit"
    )

    # All or nothing, the default: refused, exit 4 (a conflicting edit), nothing changed.
    for args in (["--yes"], ["--dry-run"]):
        result = import_(runner, sheet, *args)
        assert result.exit_code == 4, result.output
        lines = result.stderr.splitlines()
        assert len(lines) == 2, result.stderr
        assert re.fullmatch(conflict, lines[0]), lines[0]
        assert lines[1] == (
            "error: 1 problem (1 changed by someone else since read); nothing was changed"
        )
        assert catalog_state(runner, hub) == before

    # --partial: the other rows are applied, the refused one listed, exit 4 still.
    result = import_(runner, sheet, "--partial", "--yes", "--json")
    assert result.exit_code == 4, result.output
    report = json.loads(result.stdout)
    assert report["applied"] is True
    assert {(c["asset"], c["field"], c["new"]) for c in report["changes"]} == {
        (clip2, "status", "ready"),
        (clip2, "title.ar", "مقابلة العمل: نصائح"),
        (flyer, "title.en", "CV flyer"),
    }
    assert report["merged"] == [
        {"row": 3, "asset": clip2, "read_version": 1, "version": 3,
         "kept": ["title.fr", "topics"]},
    ]  # fmt: skip
    assert [new["row"] for new in report["created"]] == [6]
    assert [problem["row"] for problem in report["refused"]] == [2]
    lines = result.stderr.splitlines()
    assert re.fullmatch(conflict, lines[0]), lines[0]
    assert lines[1:] == [
        "error: 1 problem (1 changed by someone else since read); the other rows were applied"
    ]
    after = shown(runner, shelf)
    assert (after["clip1"]["titles"]["fr"], after["clip1"]["status"]) == (
        "Le CV, par Amina", "draft",
    )  # fmt: skip
    assert after["clip2"]["titles"] == {"ar": "مقابلة العمل: نصائح", "fr": "Par Amina"}
    assert (after["clip2"]["status"], after["clip2"]["topics"]) == ("ready", ["job-interview"])
    assert after["flyer"]["titles"]["en"] == "CV flyer"
    merged = [e for e in history(runner, clip2) if e["version"] == 4]
    assert {(e["field"], e["user"]) for e in merged} == {
        ("status", "librarian"),
        ("title.ar", "librarian"),
    }


def test_dry_run_previews_new_merged_and_refused_rows_and_changes_nothing(
    hub: Hub,
    shelf: dict[str, int],
    runner: CliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rows = exported(runner, tmp_path)
    monkeypatch.setenv("MEDIA_HUB_USER", "amina")
    invoke(runner, "catalog", "edit", str(shelf["clip2"]), "--title", "fr=Par Amina")
    monkeypatch.setenv("MEDIA_HUB_USER", "librarian")
    row_of(rows, shelf["clip2"])["status"] = "ready"
    row_of(rows, shelf["flyer"])["topics"] = "nope"
    rows.append(new_row(kind="video", series="Événements", **{"title.fr": "Le forum"}))
    sheet = french_excel(tmp_path / "edited.csv", rows)
    before = catalog_state(runner, hub)

    result = import_(runner, sheet, "--dry-run", "--partial")

    clip2, flyer = shelf["clip2"], shelf["flyer"]
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines() == [
        f"asset {clip2}: status: draft → ready",
        f"asset {clip2}: row 3 read at version 1, merged over version 2: title.fr kept as "
        "changed since",
        "row 6: new video in events: Le forum",
        "1 field of 1 asset and 1 new asset (2 assets need no change); nothing was changed "
        "(dry run)",
    ]
    assert result.stderr.splitlines() == [
        f"row 5: asset {flyer}: topics: unknown topic 'nope'; see 'media-hub topics list' or "
        "add it to catalog/topics.toml",
        "error: 1 problem; nothing was changed",
    ]
    assert catalog_state(runner, hub) == before

    # Confirmed: the preview, a question naming the refused rows, then the same applied.
    answered = runner.invoke(app, ["catalog", "import", str(sheet), "--partial"], input="y\n")
    assert answered.exit_code == 1, answered.output
    assert "Apply 1 field of 1 asset and 1 new asset (2 assets need no change) (1 row " in (
        answered.stderr
    )
    # (PostgreSQL does not take back the ids a rolled-back preview drew: read the new one.)
    done = re.fullmatch(
        r"changed 1 field of 1 asset, created 1 asset: (\d+) \(2 assets need no change\)",
        answered.stdout.splitlines()[-1],
    )
    assert done, answered.stdout
    created = int(done[1])
    # (CliRunner does not echo the answer on stderr: the prompt and the error share a line.)
    assert answered.stderr.endswith(":error: 1 problem; the other rows were applied\n")
    assert shown(runner, {"clip2": clip2})["clip2"]["status"] == "ready"
    assert invoke_json(runner, "catalog", "show", str(created), "--json")["series"] == "events"


@pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)
def test_a_version_the_asset_never_had_is_refused(
    hub: Hub, shelf: dict[str, int], runner: CliRunner, tmp_path: Path
) -> None:
    rows = exported(runner, tmp_path)
    row_of(rows, shelf["clip1"])["version"] = "9"
    row_of(rows, shelf["clip1"])["status"] = "ready"
    row_of(rows, shelf["clip2"])["version"] = "0"
    row_of(rows, shelf["clip2"])["status"] = "ready"
    before = catalog_state(runner, hub)

    result = import_(runner, french_excel(tmp_path / "edited.csv", rows), "--yes")

    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == [
        f"row 2: asset {shelf['clip1']}: version: the asset has versions 1 to 1, not 9; keep "
        "the exported one",
        f"row 3: asset {shelf['clip2']}: version: the asset has versions 1 to 1, not 0; keep "
        "the exported one",
        "error: 2 problems; nothing was changed",
    ]
    assert catalog_state(runner, hub) == before

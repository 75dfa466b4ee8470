"""The spreadsheet round trip: export, edit as Excel and LibreOffice save, import all or nothing.

The round trip, the stale export and the refusals run on SQLite and PostgreSQL (savepoints
behave differently on each); the other catalog tests on SQLite only, since each PostgreSQL
test creates a database.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from typer.testing import CliRunner

from media_hub.catalog.editable import edit_between, fields_of, parse_value
from media_hub.catalog.service import CatalogService
from media_hub.catalog.spreadsheet import COLUMNS, SpreadsheetError, read_sheet
from media_hub.cli import app
from media_hub.csv_cells import inert
from media_hub.errors import ValidationError
from media_hub.hub import Hub
from tests.librarian_helpers import make_shelf, read_rows, row_of, shown, write_rows
from tests.test_refusals import catalog_state, invoke

SQLITE_ONLY = pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)
NEW_AR = "كيف تكتب سيرتك الذاتية؟"


@pytest.fixture
def shelf(catalog: CatalogService) -> dict[str, int]:
    return make_shelf(catalog)


def export(runner: CliRunner, path: Path, *args: str) -> list[dict[str, str]]:
    result = invoke(runner, "catalog", "export", "-o", str(path), *args)
    assert result.stdout.startswith("exported ")
    return read_rows(path) if path.suffix == ".csv" else []


def without_version(asset: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in asset.items() if k not in ("version", "updated_at", "updated_by")}


def test_round_trip_changes_exactly_the_edited_fields(
    hub: Hub, shelf: dict[str, int], runner: CliRunner, tmp_path: Path
) -> None:
    rows = export(runner, tmp_path / "assets.csv")
    assert [int(row["id"]) for row in rows] == sorted(shelf.values())
    before = shown(runner, shelf)
    clip1, clip2 = row_of(rows, shelf["clip1"]), row_of(rows, shelf["clip2"])
    clip1["title.ar"] = NEW_AR
    clip1["description.fr"] = "Des conseils.\nEt un exemple ; avec un point-virgule."
    clip1["topics"] = ""
    clip2["title.fr"] = "L'entretien d'embauche"
    clip2["topics"] = "job-interview cv"
    # As French Excel saves it: a BOM, semicolons, CRLF.
    edited = write_rows(
        tmp_path / "edited.csv", rows, delimiter=";", encoding="utf-8-sig", lineterminator="\r\n"
    )
    assert edited.read_bytes().startswith(b"\xef\xbb\xbfid;version;")
    assert b"\r\n" in edited.read_bytes()

    result = invoke(runner, "catalog", "import", str(edited), "--yes")

    assert result.stdout.splitlines()[-1] == (
        "changed 5 fields of 2 assets (2 assets need no change)"
    )
    after = shown(runner, shelf)
    expected = {name: without_version(asset) for name, asset in before.items()}
    expected["clip1"]["titles"]["ar"] = NEW_AR
    expected["clip1"]["descriptions"]["fr"] = clip1["description.fr"]
    expected["clip1"]["topics"] = []
    expected["clip2"]["titles"]["fr"] = "L'entretien d'embauche"
    expected["clip2"]["topics"] = ["cv", "job-interview"]
    assert {name: without_version(asset) for name, asset in after.items()} == expected
    assert [after[name]["version"] for name in shelf] == [2, 2, 1, 1]
    logged = {
        name: {
            (e["field"], e["old"], e["new"], e["user"])
            for e in invoke_history(runner, shelf[name])
            if e["version"] == 2
        }
        for name in ("clip1", "clip2")
    }
    assert logged == {
        "clip1": {
            ("title.ar", "السيرة الذاتية", NEW_AR, "librarian"),
            ("description.fr", "Des conseils.", clip1["description.fr"], "librarian"),
            ("topics", "cv", None, "librarian"),
        },
        "clip2": {
            ("title.fr", None, "L'entretien d'embauche", "librarian"),
            ("topics", None, "cv", "librarian"),
            ("topics", None, "job-interview", "librarian"),
        },
    }


def invoke_history(runner: CliRunner, asset_id: int) -> list[dict[str, Any]]:
    import json

    return list(json.loads(invoke(runner, "catalog", "history", str(asset_id), "--json").stdout))


def test_a_field_changed_since_the_export_is_refused_and_nothing_is_applied(
    hub: Hub,
    shelf: dict[str, int],
    runner: CliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rows = export(runner, tmp_path / "assets.csv")
    monkeypatch.setenv("MEDIA_HUB_USER", "amina")
    invoke(runner, "catalog", "edit", str(shelf["clip2"]), "--title", "fr=Changé par Amina")
    monkeypatch.setenv("MEDIA_HUB_USER", "librarian")
    before = catalog_state(runner, hub)
    row_of(rows, shelf["clip1"])["title.fr"] = "Rédiger son CV"  # fresh row
    row_of(rows, shelf["clip2"])["title.fr"] = "L'entretien"  # stale row, the same field
    edited = write_rows(tmp_path / "edited.csv", rows, delimiter=";", encoding="utf-8-sig")

    for args in (["--yes"], ["--dry-run"], []):
        result = runner.invoke(app, ["catalog", "import", str(edited), *args])

        assert result.exit_code == 4, result.output  # ExitStatus.CONFLICT
        assert result.stdout == ""
        lines = result.stderr.splitlines()
        assert len(lines) == 2, result.stderr
        assert re.fullmatch(
            rf"row 3: asset {shelf['clip2']}: title.fr: changed by amina at "
            r"\d{4}-\d\d-\d\d \d\d:\d\d UTC since you read version 1 \(now version 2\): "
            r"the catalog has 'Changé par Amina', the sheet 'L'entretien'; nothing of this "
            r"row was saved: export the asset again and redo your edit",
            lines[0],
        ), lines[0]
        assert lines[1] == (
            "error: 1 problem (1 changed by someone else since read); nothing was changed"
        )
        assert catalog_state(runner, hub) == before


@SQLITE_ONLY
def test_a_row_as_it_is_in_the_catalog_is_not_a_conflict(
    hub: Hub, shelf: dict[str, int], runner: CliRunner, tmp_path: Path
) -> None:
    """A stale row that does not change its record is left alone: only edits are checked."""
    rows = export(runner, tmp_path / "assets.csv")
    invoke(runner, "catalog", "edit", str(shelf["show"]), "--status", "ready")
    row = row_of(rows, shelf["show"])
    row["status"] = "ready"
    row_of(rows, shelf["flyer"])["title.fr"] = "Flyer : le CV"
    edited = write_rows(tmp_path / "edited.csv", rows)

    result = invoke(runner, "catalog", "import", str(edited), "--yes")

    assert result.stdout.splitlines() == [
        f"asset {shelf['flyer']}: title.fr: Flyer CV → Flyer : le CV",
        "changed 1 field of 1 asset (3 assets need no change)",
    ]


@SQLITE_ONLY
def test_dry_run_shows_the_diff_and_changes_nothing(
    hub: Hub, shelf: dict[str, int], runner: CliRunner, tmp_path: Path
) -> None:
    rows = export(runner, tmp_path / "assets.csv")
    row_of(rows, shelf["clip1"])["title.ar"] = NEW_AR
    row_of(rows, shelf["clip1"])["episode"] = "7"
    row_of(rows, shelf["flyer"])["title.en"] = "CV flyer"
    edited = write_rows(tmp_path / "edited.csv", rows)
    before = catalog_state(runner, hub)

    result = invoke(runner, "catalog", "import", str(edited), "--dry-run")

    clip1, flyer = shelf["clip1"], shelf["flyer"]
    assert result.stdout.splitlines() == [
        f"asset {clip1}: episode: 1 → 7",
        f"asset {clip1}: title.ar: السيرة الذاتية → {NEW_AR}",
        f"asset {flyer}: title.en: ∅ → CV flyer",
        "3 fields of 2 assets (2 assets need no change); nothing was changed (dry run)",
    ]
    assert result.stderr == ""
    assert catalog_state(runner, hub) == before


@SQLITE_ONLY
def test_confirmation_is_asked_unless_yes(
    hub: Hub, shelf: dict[str, int], runner: CliRunner, tmp_path: Path
) -> None:
    rows = export(runner, tmp_path / "assets.csv")
    row_of(rows, shelf["clip2"])["title.fr"] = "L'entretien"
    edited = write_rows(tmp_path / "edited.csv", rows)
    before = catalog_state(runner, hub)

    declined = runner.invoke(app, ["catalog", "import", str(edited)], input="n\n")

    assert declined.exit_code == 1
    # (CliRunner echoes the typed answer on stdout, as a terminal would.)
    assert declined.stdout.splitlines()[0] == f"asset {shelf['clip2']}: title.fr: ∅ → L'entretien"
    assert "Apply 1 field of 1 asset (3 assets need no change)? [y/N]" in declined.stderr
    assert declined.stderr.endswith("nothing was changed\n")
    assert catalog_state(runner, hub) == before

    accepted = runner.invoke(app, ["catalog", "import", str(edited)], input="y\n")

    assert accepted.exit_code == 0, accepted.output
    assert (
        accepted.stdout.splitlines()[-1] == "changed 1 field of 1 asset (3 assets need no change)"
    )
    assert shown(runner, {"clip2": shelf["clip2"]})["clip2"]["titles"]["fr"] == "L'entretien"


def test_every_row_is_checked_and_nothing_is_applied(
    hub: Hub, shelf: dict[str, int], runner: CliRunner, tmp_path: Path
) -> None:
    rows = export(runner, tmp_path / "assets.csv")
    row_of(rows, shelf["clip1"])["title.fr"] = "é" * 101
    row_of(rows, shelf["clip1"])["status"] = "done"
    row_of(rows, shelf["clip2"])["topics"] = "cv no-such-topic"
    row_of(rows, shelf["show"])["series"] = "reports"
    row_of(rows, shelf["flyer"])["title.fr"] = "Un flyer très bien"  # a good row
    rows.append({**row_of(rows, shelf["flyer"]), "title.fr": "Doublon"})
    rows.append({**row_of(rows, shelf["flyer"]), "id": "9999"})
    edited = write_rows(tmp_path / "edited.csv", rows)
    before = catalog_state(runner, hub)

    result = runner.invoke(app, ["catalog", "import", str(edited), "--yes"])

    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    clip1, clip2, show, flyer = (shelf[name] for name in ("clip1", "clip2", "show", "flyer"))
    assert result.stderr.splitlines() == [
        f"row 2: asset {clip1}: status: 'done' is not a status; "
        "use one of draft, ready, published, archived",
        f"row 2: asset {clip1}: title.fr: 101 characters, YouTube allows 100; shorten it",
        f"row 3: asset {clip2}: topics: unknown topic 'no-such-topic'; "
        "see 'media-hub topics list' or add it to catalog/topics.toml",
        f"row 4: asset {show}: series: cannot be changed by an import (it is "
        "'kan-kalab-aala-khadma', the sheet says 'reports'); put it back",
        f"row 6: asset {flyer} is also on row 5; keep one row",
        "row 7: asset 9999 not found",
        "error: 6 problems; nothing was changed",
    ]
    assert catalog_state(runner, hub) == before


@SQLITE_ONLY
def test_xlsx_round_trip(
    hub: Hub, shelf: dict[str, int], runner: CliRunner, tmp_path: Path
) -> None:
    formula_like = "=Flyer, pas une formule"
    invoke(runner, "catalog", "edit", str(shelf["flyer"]), "--title", f"fr={formula_like}")
    path = tmp_path / "assets.xlsx"
    export(runner, path)
    workbook = load_workbook(path)
    sheet = workbook.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert tuple(header) == COLUMNS
    by_id = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    flyer_title = by_id[shelf["flyer"]][header.index("title.fr")]
    assert (flyer_title.value, flyer_title.data_type) == (formula_like, "s")  # text, no formula
    clip1 = by_id[shelf["clip1"]]
    clip1[header.index("title.ar")].value = NEW_AR
    clip1[header.index("recorded_date")].value = datetime(2014, 3, 12)  # a date cell
    by_id[shelf["clip2"]][header.index("episode")].value = 5.0  # as LibreOffice may store it
    workbook.save(path)

    result = invoke(runner, "catalog", "import", str(path), "--yes")

    assert result.stdout.splitlines()[-1] == (
        "changed 3 fields of 2 assets (2 assets need no change)"
    )
    after = shown(runner, shelf)
    assert after["clip1"]["titles"]["ar"] == NEW_AR
    assert after["clip1"]["recorded_date"] == "2014-03-12"
    assert after["clip2"]["episode"] == 5
    assert after["flyer"]["titles"]["fr"] == formula_like


@SQLITE_ONLY
def test_export_takes_the_list_filters(
    hub: Hub, shelf: dict[str, int], runner: CliRunner, tmp_path: Path
) -> None:
    rows = export(runner, tmp_path / "clips.csv", "--series", "advisory-clips")
    assert [int(row["id"]) for row in rows] == [shelf["clip1"], shelf["clip2"]]
    assert row_of(rows, shelf["clip1"])["playlists"] == "advisory-clips"
    assert row_of(rows, shelf["clip1"])["topics"] == "cv"
    assert (tmp_path / "clips.csv").read_bytes().startswith(b"\xef\xbb\xbfid,version,kind")
    assert export(runner, tmp_path / "decks.csv", "--kind", "deck", "-f", "csv")[0]["id"] == str(
        shelf["flyer"]
    )


# Reading sheets, without a catalog

# No lone CR: Python's csv writer leaves it unquoted with LF line ends (and cells' line ends
# are normalised to LF anyway, see test_cells_are_read_as_people_type_them).
cell_text = st.text(
    st.characters(exclude_characters="\x00\r", exclude_categories=["Cs"]), max_size=30
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(st.tuples(st.integers(1, 10**6), cell_text, cell_text), min_size=1, max_size=8),
    separator=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
    line_end=st.sampled_from(["\n", "\r\n"]),
)
def test_csv_cells_read_back_as_written(
    tmp_path: Path,
    rows: list[tuple[int, str, str]],
    separator: str,
    encoding: str,
    line_end: str,
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator, lineterminator=line_end)
    writer.writerow(["id", "version", "title.ar", "description.fr"])
    # As export writes them: a text a spreadsheet would run goes behind an apostrophe.
    writer.writerows(
        [[asset_id, 1, inert(title), inert(description)] for asset_id, title, description in rows]
    )
    path = tmp_path / "sheet.csv"
    path.write_bytes(buffer.getvalue().encode(encoding))

    sheet = read_sheet(path)

    assert sheet.columns == ("id", "version", "title.ar", "description.fr")
    assert [
        (row.cells["id"], row.cells["title.ar"], row.cells["description.fr"]) for row in sheet.rows
    ] == [(str(asset_id), title, description) for asset_id, title, description in rows]
    assert [row.number for row in sheet.rows] == list(range(2, len(rows) + 2))


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (
            "id,version,title.fr\n1,1,Caf\xe9\n".encode("cp1252"),
            "not UTF-8 text (byte 0xe9 at offset 27); save it as 'CSV UTF-8' in Excel, or "
            "choose the Unicode (UTF-8) character set in LibreOffice",
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest",
            "an old .xls workbook; save it as .xlsx or as CSV UTF-8 and import that",
        ),
        (
            b"identifiant;titre\n1;Le CV\n",
            "the first row names none of media-hub's columns (id, version, kind, series, "
            "title.fr...) with commas, semicolons or tabs between cells; start from a sheet "
            "made by 'media-hub catalog export'",
        ),
        (b"id,version,id\n1,1,1\n", "column 'id' appears twice; keep one"),
        (
            b"id,version,,title.fr\n1,1,x,Le CV\n",
            "column 3 has no name; name or remove it",
        ),
        (
            b"id,version\n1,1,oops\n",
            "row 2 has more cells than the header has columns; remove them",
        ),
        (b"", "empty; start from a sheet made by 'media-hub catalog export'"),
        (b"PK\x03\x04 not really a zip", "not a readable xlsx workbook: File is not a zip file"),
    ],
    ids=[
        "cp1252", "xls", "no known column", "twice", "unnamed", "extra cells",
        "empty", "broken xlsx",
    ],
)  # fmt: skip
def test_unreadable_sheets_are_refused(tmp_path: Path, content: bytes, problem: str) -> None:
    path = tmp_path / "sheet.csv"
    path.write_bytes(content)
    with pytest.raises(SpreadsheetError) as raised:
        read_sheet(path)
    assert str(raised.value) == f"{path}: {problem}"


def test_blank_rows_and_unnamed_empty_columns_are_ignored(tmp_path: Path) -> None:
    path = tmp_path / "sheet.csv"
    path.write_text(" ID ;Version;;\r\n3;2;;\r\n;;;\r\n\r\n", encoding="utf-8")
    sheet = read_sheet(path)
    assert sheet.columns == ("id", "version")
    assert [(row.number, dict(row.cells)) for row in sheet.rows] == [
        (2, {"id": "3", "version": "2"})
    ]


@pytest.mark.parametrize(
    ("field", "text", "value"),
    [
        ("recorded_date", "12/03/2014", "2014-03-12"),
        ("recorded_date", "2014-03-12", "2014-03-12"),
        ("recorded_date", " ", None),
        ("episode", "3.0", 3),
        ("season", "", None),
        ("status", "Ready", "ready"),
        ("topics", "cv, job-search cv", ("cv", "job-search")),
        ("topics", "cv; job-search، cv", ("cv", "job-search")),  # as `catalog set` takes
        ("title.fr", "  Le CV\r\n", "Le CV"),
        ("title.fr", "", None),
        ("description.fr", "Ligne 1\r\nLigne 2", "Ligne 1\nLigne 2"),
        ("description.fr", "", ""),
    ],
)
def test_cells_are_read_as_people_type_them(field: str, text: str, value: object) -> None:
    assert parse_value(field, text) == value


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        (
            "recorded_date",
            "31/02/2014",
            "recorded_date: '31/02/2014' is not a date (day is out of range for month); "
            "use YYYY-MM-DD or DD/MM/YYYY",
        ),
        ("episode", "trois", "episode: 'trois' is not a whole number"),
        ("default_language", " ", "default_language: empty; give a language code"),
        ("series", "x", "series: not a field one can edit; use " + ", ".join(COLUMNS[4:9])),
    ],
)
def test_cells_that_mean_nothing_are_refused(field: str, text: str, message: str) -> None:
    with pytest.raises(ValidationError) as raised:
        parse_value(field, text)
    assert str(raised.value).startswith(message)


def test_a_description_needs_its_title() -> None:
    record: dict[str, Any] = {
        "status": "draft", "season": None, "episode": None, "default_language": "fr",
        "recorded_date": None, "titles": {"fr": "Le CV"}, "descriptions": {}, "topics": [],
    }  # fmt: skip
    with pytest.raises(ValidationError) as raised:
        edit_between(7, fields_of(record), {"description.en": "An English text"})
    assert str(raised.value) == (
        "asset 7: description.en: there is no title in 'en'; give title.en too, "
        "or clear the description"
    )
    # Dropping a language drops its description with it.
    edit, changes = edit_between(7, fields_of(record), {"title.fr": None, "description.fr": ""})
    assert dict(edit.titles) == {"fr": None}
    assert dict(edit.descriptions) == {}
    assert [(c.field, c.old, c.new) for c in changes] == [("title.fr", "Le CV", None)]

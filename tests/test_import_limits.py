"""`catalog import` checks what a file is and its size before reading it, reads rows one at a
time, and stops at `catalog.import_max_rows`.

The files that once ran without end (`/dev/zero`, a pipe, a small xlsx unpacking to
2,000,000 rows) are imported by a real process with its address space capped and a time
limit, so a regression fails the test instead of eating the machine.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from media_hub.catalog.service import CatalogService
from media_hub.catalog.spreadsheet import MAX_SHEET_BYTES, SpreadsheetError, read_sheet
from media_hub.cli import app
from tests.librarian_helpers import make_shelf, read_rows, write_rows
from tests.test_refusals import assert_refused, invoke

SQLITE_ONLY = pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)
MEMORY_CAP = 1536 * 2**20  # address space; the import of the xlsx below peaks at 116 MiB resident


def import_process(path: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    def capped() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))

    return subprocess.run(
        [sys.executable, "-m", "media_hub", "catalog", "import", str(path), "--dry-run"],
        capture_output=True, text=True, timeout=timeout, preexec_fn=capped, check=False,
    )  # fmt: skip


def assert_one_line(result: subprocess.CompletedProcess[str], message: str) -> None:
    assert (result.returncode, result.stdout) == (1, ""), result.stderr[-2000:]
    assert result.stderr == f"error: {message}\n"


@SQLITE_ONLY
def test_dev_zero_and_a_pipe_are_refused_before_a_byte_is_read(
    hub_dir: Path, tmp_path: Path
) -> None:
    pipe = tmp_path / "sheet.csv"
    os.mkfifo(pipe)  # nobody writes: reading it would wait for ever
    for path in (Path("/dev/zero"), pipe):
        assert_one_line(
            import_process(path, timeout=30),
            f"{path}: not a regular file (a device or a pipe); give a .csv or .xlsx file",
        )


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SpreadsheetError) as raised:
        read_sheet(tmp_path)
    assert str(raised.value) == f"{tmp_path}: a folder; give the .csv or .xlsx file to import"


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "sheet.csv"
    with path.open("wb") as sparse:  # no disk taken: reading it would give zeros
        sparse.truncate(MAX_SHEET_BYTES + 2**20)
    started = time.monotonic()
    with pytest.raises(SpreadsheetError) as raised:
        read_sheet(path)
    assert time.monotonic() - started < 1
    assert str(raised.value) == (
        f"{path}: 257 MiB; a sheet may hold 256 MiB: export and import the assets in parts "
        "(catalog export takes the list filters)"
    )


def small_xlsx_of_many_rows(path: Path, rows: int) -> Path:
    """A valid workbook whose one sheet has `rows` rows under its header, packed small."""
    xml = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    relationships = "http://schemas.openxmlformats.org/package/2006/relationships"
    office = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            f'{xml}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
            'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.worksheet+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            f'{xml}<Relationships xmlns="{relationships}"><Relationship Id="rId1" '
            f'Type="{office}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'{xml}<workbook xmlns="{main}" xmlns:r="{office}"><sheets><sheet name="assets" '
            'sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'{xml}<Relationships xmlns="{relationships}"><Relationship Id="rId1" '
            f'Type="{office}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(f'{xml}<worksheet xmlns="{main}"><sheetData>'.encode())
            sheet.write(
                b'<row><c t="inlineStr"><is><t>id</t></is></c>'
                b'<c t="inlineStr"><is><t>version</t></is></c></row>'
            )
            block = b"<row><c><v>1</v></c><c><v>1</v></c></row>" * 10_000
            for _ in range(rows // 10_000):
                sheet.write(block)
            sheet.write(b"</sheetData></worksheet>")
    return path


@pytest.mark.slow  # seconds: 100,001 rows are parsed before the refusal
@SQLITE_ONLY
def test_a_small_xlsx_of_two_million_rows_is_refused_at_the_row_limit(
    hub_dir: Path, tmp_path: Path
) -> None:
    path = small_xlsx_of_many_rows(tmp_path / "rows.xlsx", 2_000_000)
    assert path.stat().st_size < 300 * 2**10

    started = time.monotonic()
    result = import_process(path)

    assert time.monotonic() - started < 30  # measured: 2.5 s, 116 MiB (was: over 60 s, 740 MB)
    assert_one_line(
        result,
        f"{path}: more than 100,000 rows; import it in parts, or raise the setting "
        "catalog.import_max_rows",
    )


@SQLITE_ONLY
def test_the_row_limit_is_a_setting(
    catalog: CatalogService, runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_shelf(catalog)  # four assets
    invoke(runner, "catalog", "export", "-o", str(tmp_path / "assets.csv"))
    rows = read_rows(tmp_path / "assets.csv")
    rows.append(dict.fromkeys(rows[0], ""))  # a blank row counts: it is a row to read
    sheet = write_rows(tmp_path / "edited.csv", rows)

    monkeypatch.setenv("MEDIA_HUB_CATALOG_IMPORT_MAX_ROWS", "5")
    assert invoke(runner, "catalog", "import", str(sheet), "--dry-run").stdout == (
        "nothing to change: 4 assets already as asked\n"
    )
    monkeypatch.setenv("MEDIA_HUB_CATALOG_IMPORT_MAX_ROWS", "4")
    assert_refused(
        runner.invoke(app, ["catalog", "import", str(sheet), "--dry-run"]),
        1,
        f"{sheet}: more than 4 rows; import it in parts, or raise the setting "
        "catalog.import_max_rows",
        "4 rows",
    )


@SQLITE_ONLY
def test_a_long_csv_is_refused_at_the_row_limit(
    hub_dir: Path, runner: CliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "rows.csv"
    path.write_text("id,version\n" + "1,1\n" * 150_000, encoding="utf-8")

    assert_refused(
        runner.invoke(app, ["catalog", "import", str(path), "--dry-run"]),
        1,
        f"{path}: more than 100,000 rows; import it in parts, or raise the setting "
        "catalog.import_max_rows",
        "150,000 rows",
    )


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (
            b"id,version\n1," + b"x" * (2**20 + 10),
            "line 2 is longer than 1,048,576 characters, which no exported sheet is; start "
            "from a sheet made by 'media-hub catalog export'",
        ),
        (
            b'id,version,title.fr\n1,1,"' + b"x" * 200_000 + b'"\n',
            "line 2: field larger than field limit (131072); save the sheet again as CSV UTF-8",
        ),
        (
            "id,version\n1,1\n".encode("utf-16") + b"\x00\xd8\x41",  # a lone surrogate
            "not UTF-16 text (byte 0x00 at offset 32); save it as 'CSV UTF-8' in Excel, or "
            "choose the Unicode (UTF-8) character set in LibreOffice",
        ),
        (
            b"\xef\xbb\xbfid,version,title.fr\n1,1,Caf\xe9\n",
            "not UTF-8 text (byte 0xe9 at offset 30); save it as 'CSV UTF-8' in Excel, or "
            "choose the Unicode (UTF-8) character set in LibreOffice",
        ),
        (b"\n \n\r\n", "empty; start from a sheet made by 'media-hub catalog export'"),
    ],
    ids=["long line", "long cell", "utf-16", "utf-8 offset after a BOM", "blank lines"],
)
def test_csv_that_cannot_be_read_is_one_line(tmp_path: Path, content: bytes, problem: str) -> None:
    path = tmp_path / "sheet.csv"
    path.write_bytes(content)
    with pytest.raises(SpreadsheetError) as raised:
        read_sheet(path)
    assert str(raised.value) == f"{path}: {problem}"

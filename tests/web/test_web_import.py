"""The import page: a sheet made by the catalog's own export, edited as librarians edit it
(openpyxl for xlsx, csv for CSV), previewed as a plan table with the catalog unchanged, then
applied exactly as shown under the web user's name; bad files and bad rows are refused."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from starlette.testclient import TestClient

from media_hub.catalog.assets import AssetEdit
from media_hub.catalog.librarian import LibrarianService
from media_hub.catalog.query import AssetQuery
from media_hub.catalog.service import CatalogService
from media_hub.catalog.spreadsheet import SheetFormat
from media_hub.hub import Hub
from media_hub.web.pages import imports
from media_hub.web.upload_store import FOLDER, SHEETS
from tests.librarian_helpers import make_shelf, read_rows, row_of, write_rows
from tests.web.conftest import csrf_of, sign_in

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def shelf(catalog: CatalogService) -> dict[str, int]:
    return make_shelf(catalog)


def exported_xlsx(hub: Hub, tmp_path: Path, edits: dict[int, dict[str, str]]) -> bytes:
    """The catalog's own xlsx export with some cells changed, a `notes` column and a new row."""
    path = tmp_path / "assets.xlsx"
    LibrarianService(hub.db).export(AssetQuery(), path, SheetFormat.XLSX)
    book = load_workbook(path)
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    notes = len(header) + 1
    sheet.cell(1, notes, "notes")
    for row in range(2, sheet.max_row + 1):
        asset_id = int(str(sheet.cell(row, header.index("id") + 1).value))
        for column, value in edits.get(asset_id, {}).items():
            sheet.cell(row, header.index(column) + 1, value)
        sheet.cell(row, notes, "à revoir")
    new = sheet.max_row + 1
    for column, value in {"kind": "video", "series": "advisory-clips", "episode": "9",
                          "title.fr": "Le projet professionnel"}.items():  # fmt: skip
        sheet.cell(new, header.index(column) + 1, value)
    book.save(path)
    return path.read_bytes()


def upload(
    client: TestClient, data: bytes, name: str = "assets.xlsx", *, partial: bool = False
) -> str:
    token = csrf_of(client.get("/import").text)
    fields = {"csrf_token": token, **({"partial": "1"} if partial else {})}
    answer = client.post("/import", data=fields, files={"sheet": (name, data, XLSX)})
    return f"{answer.status_code}\n{answer.text}"


def plan_rows(page: str) -> list[tuple[str, ...]]:
    table = re.search(r'<table class="plan">(.*?)</table>', page, re.S)
    assert table, "no plan table"
    return [
        tuple(html.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in cells)
        for cells in (
            re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
            for row in re.findall(r"<tr>(.*?)</tr>", table[1], re.S)
        )
        if cells
    ]


def confirm_fields(page: str) -> dict[str, str]:
    found = re.search(r'<form method="post" action="/import/apply".*?</form>', page, re.S)
    assert found, "no confirm form"
    return {
        name: html.unescape(value)
        for name, value in re.findall(r'name="([^"]+)" value="([^"]*)"', found[0])
    }


def test_dry_run_table_then_confirm_applies_it_as_the_web_user(
    client: TestClient, hub: Hub, catalog: CatalogService, shelf: dict[str, int], tmp_path: Path
) -> None:
    clip1, show = shelf["clip1"], shelf["show"]
    data = exported_xlsx(hub, tmp_path, {
        clip1: {"title.fr": "Rédiger son CV", "status": "ready"},
        show: {"description.ar": "الحلقة التي تفتتح البرنامج"},
    })  # fmt: skip
    before = {asset_id: catalog.show(asset_id) for asset_id in shelf.values()}
    logged = len(catalog.history(clip1))
    sign_in(client, "librarian")
    status, page = upload(client, data).split("\n", 1)
    assert status == "200", page
    assert plan_rows(page) == [
        (str(clip1), "status", "draft", "ready"),
        (str(clip1), "title.fr", "Le CV", "Rédiger son CV"),
        (str(show), "description.ar", "", "الحلقة التي تفتتح البرنامج"),
    ]
    created = re.search(r'<table class="created">(.*?)</table>', page, re.S)
    assert created
    assert "Le projet professionnel" in created[1]
    assert "Columns ignored (not media-hub columns): notes" in page
    assert {a: catalog.show(a) for a in shelf.values()} == before  # a dry run
    assert len(catalog.history(clip1)) == logged
    assert catalog.find(AssetQuery(text="projet professionnel")) == []

    applied = client.post("/import/apply", data=confirm_fields(page))
    assert applied.status_code == 303
    assert applied.headers["location"] == "/import?applied=4"
    record = catalog.show(clip1)
    assert (record["titles"]["fr"], record["status"]) == ("Rédiger son CV", "ready")
    assert catalog.show(show)["descriptions"]["ar"] == "الحلقة التي تفتتح البرنامج"
    assert {e["user"] for e in catalog.history(clip1) if e["version"] == 2} == {"librarian"}
    assert not list((hub.settings.home / FOLDER / SHEETS.folder).glob("*.sheet"))  # forgotten
    again = client.post("/import/apply", data=confirm_fields(page))  # a second click
    assert again.status_code == 400
    assert "gone" in again.text


def test_rows_refused_name_the_row_and_field_and_nothing_is_applied(
    client: TestClient, hub: Hub, catalog: CatalogService, shelf: dict[str, int], tmp_path: Path
) -> None:
    path = tmp_path / "assets.csv"
    LibrarianService(hub.db).export(AssetQuery(), path, SheetFormat.CSV)
    rows = read_rows(path)
    row_of(rows, shelf["clip1"])["status"] = "finished"
    row_of(rows, shelf["clip2"])["episode"] = "two"
    row_of(rows, shelf["show"])["title.fr"] = "Épisode un"
    write_rows(path, rows, delimiter=";", encoding="utf-8-sig", lineterminator="\r\n")
    sign_in(client, "librarian")
    status, page = upload(client, path.read_bytes(), "assets.csv").split("\n", 1)
    assert status == "400"
    problems = re.findall(r"<tr><td>(\d+)</td><td[^>]*>(.*?)</td></tr>", page)
    numbers = {int(asset_row["id"]): n + 2 for n, asset_row in enumerate(rows)}
    by_row = {int(row): html.unescape(message) for row, message in problems}
    assert "status" in by_row[numbers[shelf["clip1"]]]
    assert "finished" in by_row[numbers[shelf["clip1"]]]
    assert "episode" in by_row[numbers[shelf["clip2"]]]
    assert 'action="/import/apply"' not in page
    assert catalog.show(shelf["show"])["titles"]["fr"] == "Épisode 1"

    status, page = upload(client, path.read_bytes(), "assets.csv", partial=True).split("\n", 1)
    assert status == "200"
    assert plan_rows(page) == [(str(shelf["show"]), "title.fr", "Épisode 1", "Épisode un")]
    assert client.post("/import/apply", data=confirm_fields(page)).status_code == 303
    assert catalog.show(shelf["show"])["titles"]["fr"] == "Épisode un"
    assert catalog.show(shelf["clip1"])["status"] == "draft"


def test_the_catalog_moving_after_the_preview_shows_the_new_plan_first(
    client: TestClient, hub: Hub, catalog: CatalogService, shelf: dict[str, int], tmp_path: Path
) -> None:
    clip1 = shelf["clip1"]
    data = exported_xlsx(hub, tmp_path, {clip1: {"title.fr": "Rédiger son CV"}})
    sign_in(client, "librarian")
    page = upload(client, data).split("\n", 1)[1]
    catalog.edit(clip1, AssetEdit(descriptions={"fr": "Par Karim."}), user="karim")
    moved = client.post("/import/apply", data=confirm_fields(page))
    assert moved.status_code == 200
    assert "The catalog changed since the preview" in moved.text
    assert catalog.show(clip1)["titles"]["fr"] == "Le CV"  # rolled back
    assert "read at version 1, now 2" in moved.text
    assert client.post("/import/apply", data=confirm_fields(moved.text)).status_code == 303
    record = catalog.show(clip1)
    assert (record["titles"]["fr"], record["descriptions"]["fr"]) == (
        "Rédiger son CV",
        "Par Karim.",
    )


def test_a_swapped_or_foreign_upload_is_refused(
    client: TestClient, hub: Hub, shelf: dict[str, int], tmp_path: Path
) -> None:
    data = exported_xlsx(hub, tmp_path, {shelf["clip1"]: {"title.fr": "Autre"}})
    sign_in(client, "librarian")
    fields = confirm_fields(upload(client, data).split("\n", 1)[1])
    kept = hub.settings.home / FOLDER / SHEETS.folder / f"{fields['token']}.sheet"
    assert kept.stat().st_mode & 0o077 == 0  # the hub's private files are the owner's
    for bad, expected in (
        ({"token": "../../media-hub.toml"}, "not one of ours"),
        ({"token": "A" * 32}, "gone"),
        ({"sha256": "0" * 64}, "not the one whose plan was shown"),
        ({"sha256": "é" * 64}, "not the one whose plan was shown"),  # not ASCII: no 500
    ):
        answer = client.post("/import/apply", data={**fields, **bad})
        assert answer.status_code == 400
        assert expected in answer.text
    kept.write_bytes(data + b"\0")
    assert "not the one" in client.post("/import/apply", data=fields).text


def test_bad_and_oversized_files_are_one_line_errors(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, catalog: CatalogService
) -> None:
    sign_in(client, "librarian")
    for data, name, expected in (
        (b"\xd0\xcf\x11\xe0" + b"\0" * 100, "old.xls", "old.xls: an old .xls workbook"),
        (b"PK\x03\x04 not really a zip", "broken.xlsx", "broken.xlsx: "),
        (b"", "empty.csv", "no file was sent"),
    ):
        status, page = upload(client, data, name).split("\n", 1)
        assert status == "400"
        line = re.search(r'<p class="problem" role="alert"[^>]*>(.*?)</p>', page, re.S)
        assert line
        assert html.unescape(line[1]).startswith(expected)
        assert "\n" not in line[1]
    monkeypatch.setattr(imports, "MAX_UPLOAD_BYTES", 1000)
    for size in (1001, 400_000):  # just over: the file's size; far over: the body's, cut short
        status, page = upload(client, b"id,version\n".ljust(size, b"\n"), "big.csv").split("\n", 1)
        assert status == "413"
        assert "larger than 0 MiB" in page
    status, page = upload(client, b"id,version\n".ljust(1000, b"\n"), "ok.csv").split("\n", 1)
    assert status == "200", page  # at the limit: read (no rows, so nothing to change)
    assert "Nothing to change." in page


def test_viewers_may_not_import(client: TestClient) -> None:
    sign_in(client, "viewer")
    assert client.get("/import").status_code == 403
    assert 'href="/import"' not in client.get("/").text


def test_an_upload_without_the_csrf_token_is_refused_and_not_kept(
    client: TestClient, hub: Hub, shelf: dict[str, int], tmp_path: Path
) -> None:
    data = exported_xlsx(hub, tmp_path, {shelf["clip1"]: {"title.fr": "Autre"}})
    sign_in(client, "librarian")
    for token in ({}, {"csrf_token": "forged"}):
        answer = client.post("/import", data=token, files={"sheet": ("a.xlsx", data, XLSX)})
        assert answer.status_code == 403
    assert not list(hub.settings.home.glob(f"{FOLDER}/{SHEETS.folder}/*.sheet"))

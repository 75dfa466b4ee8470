"""Input that once ended in a traceback: each is now one line naming what to fix, with the
right status, and nothing changed (issue 15, point 9).
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from media_hub.catalog.assets import NewAsset
from media_hub.catalog.service import CatalogService
from media_hub.catalog.vocabulary import AssetKind
from media_hub.cli import app
from media_hub.hub import Hub
from tests.test_refusals import assert_refused, catalog_state, invoke

DATA = Path(__file__).resolve().parent / "data"
SQLITE_ONLY = pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)
HUGE = str(2**63)
LARGEST = "9223372036854775807"


def refused(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(app, list(args))


@pytest.fixture
def clip(catalog: CatalogService) -> int:
    return int(
        catalog.add(NewAsset(kind=AssetKind.VIDEO, series="reports", titles={"fr": "Un"}))["id"]
    )


# Point 9: numbers no column can hold, searches no query can run


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["catalog", "show", HUGE], "ID"),
        (["catalog", "list", "--limit", HUGE], "--limit"),
        (["catalog", "search", "cv", "--offset", HUGE], "--offset"),
        (["catalog", "history", HUGE], "ID"),
        (["jobs", "show", HUGE], "ID"),
        (["jobs", "add", "transcode", "1", HUGE], "ID"),
        (["export", HUGE, "--to", "bundle"], "ID"),
    ],
    ids=["show", "list --limit", "search --offset", "history", "jobs show", "jobs add", "export"],
)
def test_a_number_of_2_63_is_one_line(
    hub: Hub, runner: CliRunner, args: list[str], field: str
) -> None:
    before = catalog_state(runner, hub)
    assert_refused(
        refused(runner, *args), 1, f"{field}: {HUGE} is too large; give at most {LARGEST}", field
    )
    assert catalog_state(runner, hub) == before


def test_numbers_too_large_for_the_catalog_are_one_line(
    hub: Hub, clip: int, runner: CliRunner
) -> None:
    """Seasons and episodes are integers on PostgreSQL: 2^31 overflowed there, 2^63 on SQLite."""
    before = catalog_state(runner, hub)
    for number in (str(2**31), HUGE):
        assert_refused(
            refused(runner, "catalog", "edit", str(clip), "--episode", number),
            1,
            f"asset {clip}: episode: {number} is too large; give at most 2147483647"
            if number != HUGE
            else f"--episode: {HUGE} is too large; give at most {LARGEST}",
            number,
        )
    assert_refused(
        refused(runner, "catalog", "set", f"id:..{HUGE}9", "status=ready", "--yes"),
        1,
        f"query: id: too large a number; give at most {LARGEST}",
        "query",
    )
    assert catalog_state(runner, hub) == before


def test_searches_no_query_can_run_are_one_line(hub: Hub, clip: int, runner: CliRunner) -> None:
    words = " ".join(f"mot{n}" for n in range(1000))
    assert_refused(
        refused(runner, "catalog", "search", words),
        1,
        "search: 1,000 words; search for at most 32 at once",
        "1,000 words",
    )
    assert_refused(
        refused(runner, "catalog", "search", "a" * 60_000),
        1,
        "search: a word of 60,000 characters; search for words of at most 1,000",
        "one long word",
    )
    assert_refused(
        refused(runner, "catalog", "set", *words.split()[:40], "status=ready", "--yes"),
        1,
        "search: 40 words; search for at most 32 at once",
        "set",
    )
    thirty_two = " ".join(["un", *(f"mot{n}" for n in range(31))])
    assert invoke(runner, "catalog", "search", thirty_two).stdout.strip() == "nothing found"


@SQLITE_ONLY
def test_an_xlsx_with_a_dtd_is_one_line(
    hub: Hub, clip: int, runner: CliRunner, tmp_path: Path
) -> None:
    exported = tmp_path / "assets.xlsx"
    invoke(runner, "catalog", "export", "-o", str(exported))
    laughs = tmp_path / "laughs.xlsx"
    with zipfile.ZipFile(exported) as source, zipfile.ZipFile(laughs, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(
                    b"<worksheet",
                    b'<!DOCTYPE worksheet [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
                    b"<worksheet",
                    1,
                )
            target.writestr(item, data)

    assert_refused(
        refused(runner, "catalog", "import", str(laughs), "--dry-run"),
        1,
        f"{laughs}: its XML declares a DTD or entities, which media-hub does not read (they "
        "can expand without end); save it again as .xlsx from Excel or LibreOffice",
        "DTD",
    )


@SQLITE_ONLY
def test_export_to_a_link_or_a_folder_one_cannot_write_is_one_line(
    hub: Hub, runner: CliRunner, tmp_path: Path
) -> None:
    ingested = invoke(
        runner, "ingest", "--json", str(DATA / "pdflatex-4-pages.pdf"), "--series", "cv-flyers"
    )
    asset_id = str(json.loads(ingested.stdout)[0]["asset_id"])
    (tmp_path / "empty").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "empty")
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere" / "bundle")
    cases = {
        tmp_path / "link": f"{tmp_path / 'link'} is a symbolic link; give the path of a new folder",
        tmp_path / "dangling": (
            f"{tmp_path / 'dangling'} is a symbolic link; give the path of a new folder"
        ),
        Path("/proc/x"): (
            "cannot write in /proc (No such file or directory); give a folder of yours"
        ),
        DATA / "habibi.pdf" / "x": (
            f"cannot write in {DATA / 'habibi.pdf'} (not a folder); give a folder of yours"
        ),
    }  # fmt: skip
    before = sorted(tmp_path.rglob("*"))
    for destination, message in cases.items():
        assert_refused(
            refused(runner, "export", asset_id, "--to", str(destination)),
            1,
            f"--to: {message}",
            str(destination),
        )
    assert sorted(tmp_path.rglob("*")) == before
    assert not (tmp_path / "nowhere").exists()
    assert not list(Path("/proc").glob(".x.*"))


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "mysql://librarian:secret@db.internal/media_hub",
            "catalog.url 'mysql://librarian:***@db.internal/media_hub': mysql is not a database "
            "media-hub runs on; use sqlite:///path or postgresql+psycopg://user@host/db",
        ),
        (
            "postgresql+psycopg2://librarian@db.internal/media_hub",
            "catalog.url 'postgresql+psycopg2://librarian@db.internal/media_hub': its driver "
            "is not installed (No module named 'psycopg2'); use sqlite:///path or "
            "postgresql+psycopg://user@host/db",
        ),
    ],
    ids=["mysql", "another driver"],
)
@pytest.mark.parametrize("command", [["catalog", "list"], ["db", "current"], ["db", "upgrade"]])
@SQLITE_ONLY
def test_a_catalog_url_media_hub_cannot_use_is_one_line(
    hub_dir: Path,
    runner: CliRunner,
    monkeypatch: pytest.MonkeyPatch,
    url: str,
    message: str,
    command: list[str],
) -> None:
    monkeypatch.setenv("MEDIA_HUB_CATALOG_URL", url)
    assert_refused(refused(runner, *command), 5, message, url)


@pytest.mark.parametrize("command", [["catalog", "list"], ["db", "current"], ["db", "upgrade"]])
@SQLITE_ONLY
def test_a_catalog_url_naming_a_file_that_is_not_sqlite_is_one_line(
    hub_dir: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    folder = hub_dir / "notes"
    folder.mkdir()
    notes = folder / "notes.txt"
    notes.write_text("Not a catalog: the team's notes.\n" * 10, encoding="utf-8")
    monkeypatch.setenv("MEDIA_HUB_CATALOG_URL", f"sqlite:///{notes}")

    assert_refused(
        refused(runner, *command),
        5,
        f"cannot open the catalog at sqlite:///{notes}: file is not a database; catalog.url "
        "must name a media-hub catalog (or a new file)",
        " ".join(command),
    )
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]
    assert notes.read_text(encoding="utf-8") == "Not a catalog: the team's notes.\n" * 10


@SQLITE_ONLY
def test_a_catalog_url_naming_a_folder_is_one_line(
    hub_dir: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MEDIA_HUB_CATALOG_URL", f"sqlite:///{hub_dir}")
    assert_refused(
        refused(runner, "catalog", "list"),
        1,
        f"cannot open the catalog at sqlite:///{hub_dir}: unable to open database file; check "
        "catalog.url and that the database server is running",
        "folder",
    )

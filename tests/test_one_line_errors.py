"""Input that once ended in a traceback, a line split in two, a temporary path or the wrong
exit status: each is now one line naming what to fix, with the right status, and nothing
changed (issue 15, points 9 and 10).
"""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from media_hub.catalog.assets import NewAsset
from media_hub.catalog.service import CatalogService
from media_hub.catalog.vocabulary import AssetKind
from media_hub.cli import app
from media_hub.cli.errors import one_line
from media_hub.errors import MediaError
from media_hub.hub import Hub
from media_hub.pipeline.asset_errors import named_by_asset
from tests.media_fixtures import ffmpeg
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


# Point 10: what the line says


def test_a_line_break_in_a_file_name_stays_on_the_line(hub_dir: Path, runner: CliRunner) -> None:
    name = Path(hub_dir / "cv\nflyer.csv")
    result = refused(runner, "catalog", "import", str(name))
    assert_refused(
        result, 1, f"{hub_dir}/cv\\nflyer.csv: cannot read: No such file or directory", "csv"
    )
    assert one_line("a\r\nb\x1b[31m\u2028c\td") == "a\\r\\nb\\x1b[31m\\u2028c\\td"


@SQLITE_ONLY
def test_ingest_names_a_file_with_a_line_break_on_one_line(
    hub: Hub, runner: CliRunner, tmp_path: Path
) -> None:
    clip = tmp_path / "clip\nsuite.mp4"
    shutil.copyfile(DATA / "in.mp4", clip)
    result = refused(runner, "ingest", str(clip), "--series", "reports")
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()  # one line, no blank line before it
    assert line.startswith("error: ")
    assert "clip\\nsuite.mp4" in line


def test_a_media_error_about_the_stored_file_names_the_asset(tmp_path: Path) -> None:
    stored = tmp_path / "sha256" / "ab" / "cd" / "abcd.mkv"
    with pytest.raises(MediaError) as raised, named_by_asset(12, stored):
        raise MediaError(
            str(stored),
            "ffmpeg failed (exit 1): [libx264 @ 0x55d0c8a1e2c0] width not divisible by 2",
        )
    assert str(raised.value) == "asset 12: ffmpeg failed (exit 1): width not divisible by 2"
    intro = tmp_path / "branding" / "intro.mp4"
    with pytest.raises(MediaError) as left, named_by_asset(12, stored):
        raise MediaError(str(intro), "no video stream")
    assert str(left.value) == f"{intro}: no video stream"  # another file keeps its name


@pytest.mark.slow  # makes a clip, transcodes it
@SQLITE_ONLY
def test_a_1x1_clip_that_cannot_be_thumbnailed_is_named_by_its_asset(
    hub: Hub, runner: CliRunner, tmp_path: Path
) -> None:
    tiny = tmp_path / "tiny.mkv"
    ffmpeg("-f", "lavfi", "-i", "color=c=blue:s=16x16:d=1,scale=1:1", "-c:v", "ffv1",
           "-pix_fmt", "yuv420p", str(tiny))  # fmt: skip
    ingested = invoke(runner, "ingest", "--json", str(tiny), "--series", "reports")
    asset_id = json.loads(ingested.stdout)[0]["asset_id"]

    result = refused(runner, "export", str(asset_id), "--to", str(tmp_path / "bundle"))

    assert result.exit_code == 1, result.output
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"error: asset {asset_id}: "), line
    assert str(hub.settings.home) not in line
    assert "/tmp" not in line
    assert " @ 0x" not in line
    assert not (tmp_path / "bundle").exists()


@pytest.mark.parametrize(
    "broken",
    ["series = 3\n", "a folder", "[series.reports\n"],
    ids=["not a table", "a folder", "bad TOML"],
)
@SQLITE_ONLY
def test_upload_plan_with_a_broken_series_file_says_what_conventions_load_says(
    hub: Hub, runner: CliRunner, broken: str
) -> None:
    series = hub.settings.definitions_dir / "series.toml"
    series.unlink()
    if broken == "a folder":
        series.mkdir()
    else:
        series.write_text(broken, encoding="utf-8")
    loaded = refused(runner, "conventions", "load")
    planned = refused(runner, "upload", str(DATA / "in.mp4"), "--series", "reports", "--plan")

    assert loaded.exit_code == 5, loaded.output
    (line,) = loaded.stderr.splitlines()
    assert line.startswith(f"error: {series}: ")
    assert (planned.exit_code, planned.stderr) == (5, loaded.stderr)


@SQLITE_ONLY
def test_a_batch_exits_with_the_status_of_its_errors(hub: Hub, runner: CliRunner) -> None:
    """A template error found while rendering (an unknown filter) is a conventions error:
    `upload --plan` exits 5 with it, as `conventions load` does with one it finds."""
    template = hub.settings.definitions_dir / "templates" / "report.toml"
    text = template.read_text(encoding="utf-8")
    broken = text.replace("{{ title }} | Reportage", "{{ 1 | nosuchfilter }}{{ title }}", 1)
    template.write_text(broken, "utf-8")

    planned = refused(runner, "upload", str(DATA / "in.mp4"), "--series", "reports", "--plan")

    assert planned.exit_code == 5, planned.output
    (line,) = planned.stderr.splitlines()
    assert "No filter named 'nosuchfilter'" in line


@SQLITE_ONLY
@pytest.mark.parametrize(
    "content", ["not json at all", '{"web": {}}', '{"installed": {"client_id": "x"}}', "[]"],
    ids=["text", "no client", "half a client", "a list"],
)  # fmt: skip
def test_a_client_file_that_is_not_an_oauth_client_is_one_line(
    hub: Hub, runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str
) -> None:
    """The file is named as typed from the current folder (not taken from the hub's)."""
    elsewhere = tmp_path / "downloads"
    elsewhere.mkdir()
    (elsewhere / "client.json").write_text(content, encoding="utf-8")
    monkeypatch.chdir(elsewhere)
    result = refused(runner, "auth", "youtube", "--client-secrets", "client.json", "--no-browser")
    assert result.exit_code == 5, result.output  # a configuration error
    [line] = result.stderr.splitlines()
    assert line.startswith(f"error: {elsewhere / 'client.json'}: not an OAuth client file (")
    assert "Traceback" not in result.output

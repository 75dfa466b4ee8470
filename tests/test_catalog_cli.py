"""The `media-hub` command in process (Typer's CliRunner), on SQLite and PostgreSQL.

Exit code, stdout and stderr are checked apart; one smoke test runs the installed script.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from typer.core import TyperGroup
from typer.main import get_group
from typer.testing import CliRunner, Result

from media_hub import __version__
from media_hub.catalog.assets import AssetEdit, NewAsset
from media_hub.catalog.service import CatalogService
from media_hub.catalog.vocabulary import AssetKind, AssetStatus
from media_hub.cli import app
from media_hub.hub import Hub

AR_TITLE = "كَيْفَ تَكْتُبُ سِيرَتَكَ الذَّاتِيَّةَ؟"
FR_TITLE = "Réussir l’entretien d’embauche : à vous de jouer, cœur et façon !"
ZGH_TITLE = "ⴰⵙⴳⵯⴰⵙ ⴰⵎⴰⵢⵏⵓ ⵏ ⵜⵡⵓⵔⵉ"
AR_DESCRIPTION = "نَصَائِحُ عملية لإعداد سيرة ذاتية واضحة.\nمدة الكبسولة: دقيقتان."
FR_DESCRIPTION = "Être prêt le jour J : où, quand, à qui s’adresser ?"
WIDE = {"COLUMNS": "200"}  # Rich tables would fold long cells at 80 columns


def invoke(
    runner: CliRunner, *args: str | int, code: int = 0, env: Mapping[str, str] | None = None
) -> Result:
    """Run `media-hub ARGS` in process; fail with both streams when the exit code differs."""
    result = runner.invoke(app, [str(arg) for arg in args], env=env)
    assert result.exit_code == code, (
        f"media-hub {' '.join(map(str, args))} exited {result.exit_code}, expected {code}\n"
        f"stdout: {result.stdout}\nstderr: {result.stderr}\nexception: {result.exception!r}"
    )
    return result


def invoke_json(runner: CliRunner, *args: str | int) -> Any:
    return json.loads(invoke(runner, *args).stdout)


def listed_ids(runner: CliRunner, *args: str) -> list[int]:
    return [record["id"] for record in invoke_json(runner, "catalog", "list", "--json", *args)]


def toml_slugs(hub: Hub, name: str) -> set[str]:
    with (hub.settings.definitions_dir / f"{name}.toml").open("rb") as stream:
        return set(tomllib.load(stream)[name])


# Adding and showing


def test_add_prints_the_new_id(hub: Hub, runner: CliRunner) -> None:
    first = invoke(
        runner, "catalog", "add", "--kind", "video", "--series", "advisory-clips",
        "--episode", "1", "--title", f"ar={AR_TITLE}", "--title", f"fr={FR_TITLE}",
    )  # fmt: skip
    second = invoke(runner, "catalog", "add", "--kind", "deck", "--title", "fr=Le CV en 5 points")

    assert first.stdout.strip().isdigit()
    assert first.stdout == f"{first.stdout.strip()}\n"
    assert second.stdout.strip().isdigit()
    assert first.stderr == second.stderr == ""
    first_id, second_id = int(first.stdout), int(second.stdout)
    assert first_id != second_id
    shown = invoke_json(runner, "catalog", "show", first_id, "--json")
    assert shown["id"] == first_id
    assert shown["titles"] == {"ar": AR_TITLE, "fr": FR_TITLE}
    assert invoke_json(runner, "catalog", "show", second_id, "--json")["kind"] == "deck"


def test_show_json_round_trips_texts_exactly(hub: Hub, runner: CliRunner) -> None:
    added = invoke_json(
        runner, "catalog", "add", "--kind", "video", "--series", "kan-kalab-aala-khadma",
        "--season", "2", "--episode", "7", "--topic", "job-search", "--topic", "cv",
        "--title", f"ar={AR_TITLE}", "--title", f"fr={FR_TITLE}", "--title", f"zgh={ZGH_TITLE}",
        "--description", f"ar={AR_DESCRIPTION}", "--description", f"fr={FR_DESCRIPTION}",
        "--recorded", "2014-03-09", "--json",
    )  # fmt: skip

    shown = invoke_json(runner, "catalog", "show", added["id"], "--json")

    assert shown == added
    assert shown["titles"] == {"ar": AR_TITLE, "fr": FR_TITLE, "zgh": ZGH_TITLE}
    assert shown["descriptions"] == {"ar": AR_DESCRIPTION, "fr": FR_DESCRIPTION}
    assert (shown["series"], shown["season"], shown["episode"]) == ("kan-kalab-aala-khadma", 2, 7)
    assert shown["topics"] == ["cv", "job-search"]
    assert shown["default_language"] == "ar"  # the series' language
    assert shown["recorded_date"] == "2014-03-09"
    assert shown["status"] == "draft"
    assert shown["version"] == 1
    assert shown["created_by"] == shown["updated_by"] == "librarian"
    assert shown["playlists"] == ["kan-kalab-aala-khadma"]
    # The table view shows the same texts, unescaped.
    table = invoke(runner, "catalog", "show", added["id"], env=WIDE).stdout
    for text in (AR_TITLE, FR_TITLE, ZGH_TITLE, FR_DESCRIPTION):
        assert text in table


# Listing and filtering


@pytest.fixture
def shelf(catalog: CatalogService) -> dict[str, int]:
    """Six assets across series, topics, statuses, kinds and languages; one archived."""

    def add(**fields: Any) -> int:
        return int(catalog.add(NewAsset(**fields))["id"])

    ids = {
        "clip1": add(
            kind=AssetKind.VIDEO, series="advisory-clips", episode=1, topics=["cv"],
            titles={"ar": "السيرة الذاتية", "fr": "Le CV"},
        ),
        "clip2": add(
            kind=AssetKind.VIDEO, series="advisory-clips", episode=2, topics=["job-interview"],
            titles={"ar": "مقابلة العمل"},
        ),
        "show": add(
            kind=AssetKind.VIDEO, series="kan-kalab-aala-khadma", season=1, episode=1,
            topics=["job-search"], titles={"ar": "الحلقة الأولى"},
        ),
        "flyer": add(
            kind=AssetKind.DECK, series="cv-flyers", topics=["cv"], titles={"fr": "Flyer CV"}
        ),
        "old": add(
            kind=AssetKind.VIDEO, series="reports", titles={"ar": "تقرير", "zgh": "ⴰⵏⵇⵇⴰⵙ"}
        ),
        "loose": add(kind=AssetKind.VIDEO, titles={"en": "Open day"}),
    }  # fmt: skip
    catalog.edit(ids["clip2"], AssetEdit(status=AssetStatus.READY))
    catalog.archive(ids["old"])
    return ids


def test_list_json_leaves_archived_out(shelf: dict[str, int], runner: CliRunner) -> None:
    records = invoke_json(runner, "catalog", "list", "--json")

    live = [shelf[name] for name in ("clip1", "clip2", "show", "flyer", "loose")]
    assert [record["id"] for record in records] == live
    first = records[0]
    assert first["titles"] == {"ar": "السيرة الذاتية", "fr": "Le CV"}
    assert (first["series"], first["episode"], first["topics"]) == ("advisory-clips", 1, ["cv"])
    assert listed_ids(runner, "--all") == sorted(shelf.values())
    assert listed_ids(runner, "--status", "archived") == [shelf["old"]]
    assert listed_ids(runner, "--limit", "2") == live[:2]
    assert listed_ids(runner, "--limit", "2", "--offset", "2") == live[2:4]
    assert listed_ids(runner, "--offset", "4") == live[4:]
    assert listed_ids(runner, "--offset", "9") == []


def test_each_change_is_recorded_as_the_user_the_call_names(
    catalog: CatalogService, shelf: dict[str, int]
) -> None:
    """A web app serves many people through one catalog: the call says who acts."""
    asset_id = shelf["clip1"]
    catalog.edit(asset_id, AssetEdit(episode=7), user="amina")
    catalog.edit(asset_id, AssetEdit(episode=8))
    added = catalog.add(NewAsset(kind=AssetKind.VIDEO, titles={"fr": "Salon"}), user="karim")
    catalog.archive(added["id"], user="salma")
    users = [entry["user"] for entry in catalog.history(asset_id)][-2:]
    assert users == ["amina", "librarian"]  # the hub's own user when the call names none
    assert {entry["user"] for entry in catalog.history(added["id"])} == {"karim", "salma"}
    assert (catalog.show(added["id"])["created_by"], catalog.show(asset_id)["updated_by"]) == (
        "karim",
        "librarian",
    )


def test_list_filters(shelf: dict[str, int], runner: CliRunner) -> None:
    cases: list[tuple[list[str], list[str]]] = [
        (["--series", "advisory-clips"], ["clip1", "clip2"]),
        (["--series", "reports"], []),
        (["--series", "reports", "--all"], ["old"]),
        (["--topic", "cv"], ["clip1", "flyer"]),
        (["--status", "ready"], ["clip2"]),
        (["--status", "draft"], ["clip1", "show", "flyer", "loose"]),
        (["--kind", "deck"], ["flyer"]),
        (["--kind", "video"], ["clip1", "clip2", "show", "loose"]),
        (["--language", "fr"], ["clip1", "flyer"]),
        (["-l", "en"], ["loose"]),
        (["--language", "zgh"], []),
        (["--language", "zgh", "--all"], ["old"]),
        (["--series", "advisory-clips", "--topic", "cv"], ["clip1"]),
        (["--topic", "cv", "--kind", "video", "--language", "fr"], ["clip1"]),
        (["--series", "advisory-clips", "--status", "draft"], ["clip1"]),
    ]
    for args, names in cases:
        assert listed_ids(runner, *args) == sorted(shelf[name] for name in names), args


def test_list_csv(shelf: dict[str, int], runner: CliRunner) -> None:
    result = invoke(runner, "catalog", "list", "--format", "csv", "--series", "advisory-clips")

    reader = csv.DictReader(io.StringIO(result.stdout))
    rows = list(reader)
    assert reader.fieldnames == [
        "id", "kind", "series", "season", "episode", "status", "default_language",
        "title.ar", "title.fr", "topics", "version",
    ]  # fmt: skip
    assert rows == [
        {
            "id": str(shelf["clip1"]), "kind": "video", "series": "advisory-clips", "season": "",
            "episode": "1", "status": "draft", "default_language": "ar",
            "title.ar": "السيرة الذاتية", "title.fr": "Le CV", "topics": "cv", "version": "1",
        },
        {
            "id": str(shelf["clip2"]), "kind": "video", "series": "advisory-clips", "season": "",
            "episode": "2", "status": "ready", "default_language": "ar",
            "title.ar": "مقابلة العمل", "title.fr": "", "topics": "job-interview", "version": "2",
        },
    ]  # fmt: skip


def test_list_csv_has_a_column_per_language_present(
    shelf: dict[str, int], runner: CliRunner
) -> None:
    result = invoke(runner, "catalog", "list", "-f", "csv", "--all")

    rows = list(csv.reader(io.StringIO(result.stdout)))
    header = rows[0]
    assert [column for column in header if column.startswith("title.")] == [
        "title.ar", "title.fr", "title.en", "title.zgh",
    ]  # fmt: skip
    assert [int(row[0]) for row in rows[1:]] == sorted(shelf.values())
    old = next(row for row in rows[1:] if int(row[0]) == shelf["old"])
    assert old[header.index("title.zgh")] == "ⴰⵏⵇⵇⴰⵙ"
    assert old[header.index("status")] == "archived"


# Editing, archiving, history


def test_edit_changes_exactly_the_given_fields(shelf: dict[str, int], runner: CliRunner) -> None:
    asset_id = shelf["clip1"]
    before = invoke_json(runner, "catalog", "show", asset_id, "--json")

    result = invoke_json(
        runner, "catalog", "edit", asset_id, "--title", "fr=Rédiger son CV",
        "--description", "ar=وَصْفٌ جديد", "--add-topic", "job-search", "--status", "ready",
        "--json",
    )  # fmt: skip

    after = invoke_json(runner, "catalog", "show", asset_id, "--json")
    assert result["asset"] == after
    assert after["version"] == before["version"] + 1
    assert datetime.fromisoformat(after["updated_at"]) > datetime.fromisoformat(
        before["updated_at"]
    )
    expected = {
        **before,
        "titles": {"ar": "السيرة الذاتية", "fr": "Rédiger son CV"},
        "descriptions": {"ar": "وَصْفٌ جديد"},
        "topics": ["cv", "job-search"],
        "status": "ready",
        "version": before["version"] + 1,
        "updated_at": after["updated_at"],
    }
    assert after == expected
    changes = {(c["field"], c["old"], c["new"]) for c in result["changes"]}
    assert changes == {
        ("title.fr", "Le CV", "Rédiger son CV"),
        ("description.ar", "", "وَصْفٌ جديد"),
        ("topics", None, "job-search"),
        ("status", "draft", "ready"),
    }
    assert {c["version"] for c in result["changes"]} == {after["version"]}


def test_edit_text_output_lists_the_changes(shelf: dict[str, int], runner: CliRunner) -> None:
    result = invoke(runner, "catalog", "edit", shelf["show"], "--episode", "4")

    assert result.stdout.splitlines() == [
        f"asset {shelf['show']}: now version 2",
        "  episode: 1 → 4",
    ]


def test_edit_that_changes_nothing_keeps_the_version(
    shelf: dict[str, int], runner: CliRunner
) -> None:
    asset_id = shelf["clip1"]
    before = invoke_json(runner, "catalog", "show", asset_id, "--json")
    history = invoke_json(runner, "catalog", "history", asset_id, "--json")

    result = invoke(
        runner, "catalog", "edit", asset_id, "--title", "fr=  Le CV ", "--add-topic", "cv",
        "--status", "draft", "--episode", "1",
    )  # fmt: skip

    assert result.stdout == f"asset {asset_id}: nothing to change (version 1)\n"
    assert invoke_json(runner, "catalog", "show", asset_id, "--json") == before
    assert invoke_json(runner, "catalog", "history", asset_id, "--json") == history
    as_json = invoke_json(runner, "catalog", "edit", asset_id, "--title", "fr=Le CV", "--json")
    assert as_json == {"asset": before, "changes": []}


def test_archive(shelf: dict[str, int], runner: CliRunner) -> None:
    asset_id = shelf["clip1"]

    result = invoke(runner, "catalog", "archive", asset_id)

    assert result.stdout == f"asset {asset_id}: archived (version 2)\n"
    assert asset_id not in listed_ids(runner)
    assert asset_id not in listed_ids(runner, "--series", "advisory-clips")
    assert asset_id in listed_ids(runner, "--all")
    assert listed_ids(runner, "--status", "archived") == sorted([shelf["old"], asset_id])
    shown = invoke_json(runner, "catalog", "show", asset_id, "--json")
    assert (shown["status"], shown["version"]) == ("archived", 2)
    last = invoke_json(runner, "catalog", "history", asset_id, "--json")[-1]
    assert (last["field"], last["old"], last["new"]) == ("status", "draft", "archived")


def test_history_lists_who_field_old_new(shelf: dict[str, int], runner: CliRunner) -> None:
    asset_id = shelf["flyer"]
    invoke(
        runner, "catalog", "edit", asset_id, "--title", "fr=Flyer : le CV",
        env={"MEDIA_HUB_USER": "amina"},
    )  # fmt: skip

    entries = invoke_json(runner, "catalog", "history", asset_id, "--json")

    created = [e for e in entries if e["action"] == "create"]
    updated = [e for e in entries if e["action"] == "update"]
    assert {e["user"] for e in created} == {"librarian"}
    assert {e["version"] for e in created} == {1}
    assert {e["record"] for e in entries} == {f"asset {asset_id}"}
    created_fields = {e["field"]: e["new"] for e in created}
    assert created_fields["title.fr"] == "Flyer CV"
    assert created_fields["series"] == "cv-flyers"
    assert created_fields["topics"] == "cv"
    assert all(e["old"] is None for e in created)
    assert [(e["user"], e["version"], e["field"], e["old"], e["new"]) for e in updated] == [
        ("amina", 2, "title.fr", "Flyer CV", "Flyer : le CV")
    ]
    assert [e["version"] for e in entries] == sorted(e["version"] for e in entries)
    times = [datetime.fromisoformat(e["at"]) for e in entries]
    assert times == sorted(times)
    table = invoke(runner, "catalog", "history", asset_id, env=WIDE).stdout
    assert "amina" in table
    assert "Flyer : le CV" in table


# Series, playlists, topics


def test_series_list_and_show(shelf: dict[str, int], hub: Hub, runner: CliRunner) -> None:
    rows = invoke_json(runner, "series", "list", "--json")

    by_slug = {row["slug"]: row for row in rows}
    assert set(by_slug) == toml_slugs(hub, "series")
    assert [row["slug"] for row in rows] == sorted(by_slug)
    assert by_slug["advisory-clips"]["assets"] == 2
    assert by_slug["reports"]["assets"] == 0  # its only asset is archived
    assert by_slug["events"]["assets"] == 0
    assert by_slug["kan-kalab-aala-khadma"]["numbering"] == "season-episode"
    assert by_slug["cv-flyers"]["kind"] == "deck"

    table = invoke(runner, "series", "list", env=WIDE).stdout
    assert all(slug in table for slug in by_slug)

    shown = invoke(runner, "series", "show", "kan-kalab-aala-khadma").stdout.splitlines()
    assert "slug: kan-kalab-aala-khadma" in shown
    assert "numbering: season-episode" in shown
    assert "names.ar: كان كالب على خدمة" in shown
    assert "names.fr: Kan Kalab Aala Khadma" in shown
    assert "playlists: kan-kalab-aala-khadma" in shown
    assert "assets: 1" in shown
    detail = invoke_json(runner, "series", "show", "advisory-clips", "--json")
    assert detail == by_slug["advisory-clips"]


def test_playlists_list_and_show(shelf: dict[str, int], hub: Hub, runner: CliRunner) -> None:
    rows = invoke_json(runner, "playlists", "list", "--json")
    assert {row["slug"] for row in rows} == toml_slugs(hub, "playlists")
    table = invoke(runner, "playlists", "list", env=WIDE).stdout
    assert "advisory-job-interview" in table

    clips = invoke_json(runner, "playlists", "show", "advisory-clips", "--json")
    assert clips["assets"] == [shelf["clip1"], shelf["clip2"]]
    assert clips["kind"] == "video"
    show = invoke_json(runner, "playlists", "show", "kan-kalab-aala-khadma", "--json")
    assert show["assets"] == [shelf["show"]]
    assert invoke_json(runner, "playlists", "show", "cv-flyers", "--json")["assets"] == [
        shelf["flyer"]
    ]
    assert invoke_json(runner, "playlists", "show", "advisory-cv", "--json")["assets"] == []

    # An extra playlist, beside the series' own, at the end of its order.
    added = invoke_json(
        runner, "catalog", "add", "--kind", "video", "--series", "advisory-clips",
        "--episode", "3", "--playlist", "advisory-cv", "--title", "fr=CV 3", "--json",
    )  # fmt: skip
    assert added["playlists"] == ["advisory-clips", "advisory-cv"]
    clips = invoke_json(runner, "playlists", "show", "advisory-clips", "--json")
    assert clips["assets"] == [shelf["clip1"], shelf["clip2"], added["id"]]
    lines = invoke(runner, "playlists", "show", "advisory-cv").stdout.splitlines()
    assert f"assets: {added['id']}" in lines
    assert "names.ar: نصائح: السيرة الذاتية" in lines


def test_topics_list(hub: Hub, runner: CliRunner) -> None:
    rows = invoke_json(runner, "topics", "list", "--json")
    assert {row["slug"] for row in rows} == toml_slugs(hub, "topics")
    cv = next(row for row in rows if row["slug"] == "cv")
    assert cv["names"] == {"ar": "السيرة الذاتية", "fr": "CV"}

    table = invoke(runner, "topics", "list", env=WIDE).stdout
    for slug in toml_slugs(hub, "topics"):
        assert slug in table
    assert "مقابلة العمل / Entretien d'embauche" in table


def test_unknown_series_and_playlist_exit_3(hub: Hub, runner: CliRunner) -> None:
    for group, hint in (("series", "media-hub series list"), ("playlists", "playlists list")):
        result = invoke(runner, group, "show", "no-such-slug", code=3)
        assert result.stdout == ""
        assert result.stderr.count("\n") == 1
        assert "'no-such-slug' not found" in result.stderr
        assert hint in result.stderr


# Version, help, errors


def test_version(runner: CliRunner) -> None:
    result = invoke(runner, "--version")
    assert result.stdout == f"media-hub {__version__}\n"


def _command_paths(group: TyperGroup, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    yield prefix
    for name, command in sorted(group.commands.items()):
        if isinstance(command, TyperGroup):
            yield from _command_paths(command, (*prefix, name))
        else:
            yield (*prefix, name)


COMMAND_PATHS = list(_command_paths(get_group(app)))


def test_every_command_is_covered() -> None:
    assert ("catalog", "add") in COMMAND_PATHS
    assert ("catalog", "history") in COMMAND_PATHS
    assert ("conventions", "load") in COMMAND_PATHS
    assert len(COMMAND_PATHS) > 20


@pytest.mark.parametrize("path", COMMAND_PATHS, ids=lambda path: " ".join(path) or "media-hub")
def test_help(runner: CliRunner, path: tuple[str, ...]) -> None:
    result = invoke(runner, *path, "--help")

    assert result.stdout.startswith("Usage: ")
    assert " ".join(path) in result.stdout.splitlines()[0]
    assert result.stderr == ""
    body = "\n".join(result.stdout.splitlines()[1:])
    assert body.strip(), "no help text"


@pytest.mark.parametrize(
    "args",
    [
        ["catalog", "show", "999999"],
        ["catalog", "history", "999999"],
        ["catalog", "archive", "999999"],
        ["catalog", "edit", "999999", "--title", "fr=Nouveau"],
    ],
    ids=lambda args: args[1],
)
def test_unknown_asset_exits_3_with_one_line(hub: Hub, runner: CliRunner, args: list[str]) -> None:
    result = invoke(runner, *args, code=3)

    assert result.stdout == ""
    assert result.stderr == (
        "error: asset 999999 not found; list assets with 'media-hub catalog list'\n"
    )
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)


def test_debug_shows_the_traceback(hub: Hub, runner: CliRunner) -> None:
    result = invoke(runner, "--debug", "catalog", "show", "999999", code=3)

    assert result.stdout == ""
    assert "Traceback (most recent call last)" in result.stderr
    assert "NotFoundError" in result.stderr
    assert result.stderr.splitlines()[-1] == (
        "error: asset 999999 not found; list assets with 'media-hub catalog list'"
    )


def test_installed_entry_point_runs() -> None:
    script = shutil.which("media-hub", path=str(Path(sys.executable).parent))
    assert script is not None, f"no media-hub script beside {sys.executable}"

    completed = subprocess.run(
        [script, "--version"], capture_output=True, text=True, timeout=60, check=False
    )

    assert completed.returncode == 0, completed.stderr
    assert completed.stdout == f"media-hub {__version__}\n"
    assert completed.stderr == ""

"""Refused input at the catalog boundary, through the CLI, on both engines.

Each refusal is one line on stderr naming the field and what to do, a non-zero exit status,
no traceback, and a catalog exactly as it was: same assets, same audit log.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner, Result

from media_hub.catalog.assets import NewAsset
from media_hub.catalog.models import AuditEntry, PlaylistItem
from media_hub.catalog.service import CatalogService
from media_hub.catalog.vocabulary import AssetKind
from media_hub.cli import app
from media_hub.errors import ExitStatus
from media_hub.hub import Hub

LANGUAGES_HINT = "use one of ar, fr, en, zgh"


def invoke(runner: CliRunner, *args: str, code: int = 0) -> Result:
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, (
        f"media-hub {' '.join(args)} exited {result.exit_code}, expected {code}\n"
        f"stdout: {result.stdout}\nstderr: {result.stderr}\nexception: {result.exception!r}"
    )
    return result


def invoke_json(runner: CliRunner, *args: str) -> Any:
    return json.loads(invoke(runner, *args).stdout)


def audit_count(hub: Hub) -> int:
    with hub.db.session() as session:
        return int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def catalog_state(runner: CliRunner, hub: Hub) -> dict[str, Any]:
    """Everything a refused command could have touched: the assets as the CLI lists them, and
    the whole audit log and playlist membership as stored."""
    with hub.db.session() as session:
        audit_log = session.execute(
            select(
                AuditEntry.id, AuditEntry.user, AuditEntry.record_type, AuditEntry.record_id,
                AuditEntry.version, AuditEntry.action, AuditEntry.field, AuditEntry.old_value,
                AuditEntry.new_value,
            ).order_by(AuditEntry.id)
        ).all()  # fmt: skip
        items = session.execute(
            select(PlaylistItem.playlist_id, PlaylistItem.asset_id, PlaylistItem.position).order_by(
                PlaylistItem.playlist_id, PlaylistItem.asset_id
            )
        ).all()
    return {
        "assets": invoke_json(runner, "catalog", "list", "--all", "--json"),
        "audit_log": [tuple(row) for row in audit_log],
        "playlist_items": [tuple(row) for row in items],
    }


def assert_refused(result: Result, code: int, message: str, case: str) -> None:
    """Exactly `error: MESSAGE` on one line of stderr, nothing on stdout, no traceback."""
    assert result.exit_code == code, (case, result.exit_code, result.stdout, result.stderr)
    assert result.stderr == f"error: {message}\n", case
    assert result.stdout == "", case
    assert "Traceback" not in result.output, case
    assert isinstance(result.exception, SystemExit), (case, result.exception)


@pytest.fixture
def shelf(catalog: CatalogService) -> dict[str, int]:
    def add(**fields: Any) -> int:
        return int(catalog.add(NewAsset(kind=AssetKind.VIDEO, **fields))["id"])

    return {
        "clip1": add(series="advisory-clips", episode=1, titles={"ar": "السيرة", "fr": "Le CV"}),
        "clip2": add(series="advisory-clips", episode=2, titles={"ar": "مقابلة العمل"}),
        "show": add(series="kan-kalab-aala-khadma", season=1, episode=1, titles={"ar": "الحلقة"}),
    }


@dataclass(frozen=True)
class Refusal:
    args: tuple[str, ...]
    message: str  # with {clip1}, {clip2}, {show} for the shelf's ids
    code: int = int(ExitStatus.ERROR)


ADD = ("catalog", "add", "--kind", "video")
ARABIC_101 = "ب" * 101
ARABIC_2501 = "ب" * 2501  # 5,002 bytes in UTF-8

UNKNOWN_TOPIC = (
    "topic: unknown topic 'no-such-topic'; see 'media-hub topics list' "
    "or add it to catalog/topics.toml"
)
TAKEN = "is already asset {clip1}; choose another number"

# Grouped by theme, one test (one fresh catalog) per theme and engine; every refusal in a
# group starts from the same state, which the test checks is still there after each one.
REFUSALS: dict[str, dict[str, Refusal]] = {
    "unknown names": {
        "unknown series": Refusal(
            (*ADD, "--series", "no-such-series", "--title", "fr=Le CV"),
            "series: unknown series 'no-such-series'; see 'media-hub series list' "
            "or add it to catalog/series.toml",
        ),
        "unknown topic on add": Refusal(
            (*ADD, "-s", "advisory-clips", "--episode", "3", "--topic", "cv",
             "--topic", "no-such-topic", "--title", "fr=Le CV"),
            UNKNOWN_TOPIC,
        ),
        "unknown topic on edit": Refusal(
            ("catalog", "edit", "{clip1}", "--title", "fr=Changé", "--add-topic", "no-such-topic"),
            UNKNOWN_TOPIC,
        ),
    },
    "languages": {
        "bad title language": Refusal(
            (*ADD, "--title", "fr=Le CV", "--title", "xx=Bonjour"),
            f"title.xx: unknown language code 'xx'; {LANGUAGES_HINT}",
        ),
        "bad description language": Refusal(
            ("catalog", "edit", "{clip1}", "--title", "fr=Changé", "--description", "de=Hallo"),
            f"asset {{clip1}}: description.de: unknown language code 'de'; {LANGUAGES_HINT}",
        ),
        "bad default language": Refusal(
            ("catalog", "edit", "{clip1}", "--language", "es"),
            f"asset {{clip1}}: default_language: unknown language code 'es'; {LANGUAGES_HINT}",
        ),
    },
    "markup": {
        "title with <": Refusal(
            (*ADD, "--title", "fr=Le <b>CV</b>"),
            "title.fr: contains '<' or '>', which YouTube refuses; remove them",
        ),
        "title with >": Refusal(
            ("catalog", "edit", "{clip1}", "--title", "ar=السيرة > الرسالة"),
            "asset {clip1}: title.ar: contains '<' or '>', which YouTube refuses; remove them",
        ),
    },
    "lengths": {
        "title of 101 characters": Refusal(
            (*ADD, "--title", f"ar={ARABIC_101}"),
            "title.ar: 101 characters, YouTube allows 100; shorten it",
        ),
        "title of 101 characters on edit": Refusal(
            ("catalog", "edit", "{clip2}", "--title", f"fr={'é' * 101}"),
            "asset {clip2}: title.fr: 101 characters, YouTube allows 100; shorten it",
        ),
        "description of 5002 bytes": Refusal(
            (*ADD, "--title", "ar=السيرة", "--description", f"ar={ARABIC_2501}"),
            "description.ar: 5002 bytes in UTF-8, YouTube allows 5000; shorten it "
            "(an Arabic letter takes 2 bytes)",
        ),
        "description of 5002 bytes on edit": Refusal(
            ("catalog", "edit", "{clip1}", "--description", f"ar={ARABIC_2501}"),
            "asset {clip1}: description.ar: 5002 bytes in UTF-8, YouTube allows 5000; "
            "shorten it (an Arabic letter takes 2 bytes)",
        ),
    },
    "numbering": {
        "episode taken": Refusal(
            (*ADD, "-s", "advisory-clips", "--episode", "1", "--title", "ar=نسخة"),
            f"episode: episode 1 of series 'advisory-clips' {TAKEN}",
        ),
        "episode taken on edit": Refusal(
            ("catalog", "edit", "{clip2}", "--episode", "1", "--title", "fr=Deux"),
            f"asset {{clip2}}: episode: episode 1 of series 'advisory-clips' {TAKEN}",
        ),
        "episode taken in its season": Refusal(
            (*ADD, "-s", "kan-kalab-aala-khadma", "--season", "1", "--episode", "1",
             "--title", "ar=الحلقة"),
            "episode: season 1 episode 1 of series 'kan-kalab-aala-khadma' is already "
            "asset {show}; choose another number",
        ),
        "season in a series without seasons": Refusal(
            (*ADD, "-s", "advisory-clips", "--season", "1", "--episode", "5", "--title", "ar=x"),
            "season: series 'advisory-clips' has no seasons; remove --season",
        ),
        "season in a series without seasons on edit": Refusal(
            ("catalog", "edit", "{clip1}", "--season", "2"),
            "asset {clip1}: season: series 'advisory-clips' has no seasons; remove --season",
        ),
    },
}  # fmt: skip


@pytest.mark.parametrize("theme", REFUSALS)
def test_refused_and_nothing_changed(
    hub: Hub, shelf: dict[str, int], runner: CliRunner, theme: str
) -> None:
    ids = {name: str(asset_id) for name, asset_id in shelf.items()}
    before = catalog_state(runner, hub)

    for case, refusal in REFUSALS[theme].items():
        result = runner.invoke(app, [arg.format(**ids) for arg in refusal.args])

        assert_refused(result, refusal.code, refusal.message.format(**ids), case)
        assert catalog_state(runner, hub) == before, f"{case}: the catalog changed"


def test_limits_themselves_are_accepted(hub: Hub, shelf: dict[str, int], runner: CliRunner) -> None:
    title, description = "ب" * 100, "ب" * 2500  # 200 and 5,000 bytes
    added = invoke_json(
        runner, *ADD, "--title", f"ar={title}", "--title", f"fr={'é' * 100}",
        "--description", f"ar={description}", "--json",
    )  # fmt: skip
    assert added["titles"] == {"ar": title, "fr": "é" * 100}
    assert added["descriptions"] == {"ar": description}
    shown = invoke_json(runner, "catalog", "show", str(added["id"]), "--json")
    assert shown["descriptions"]["ar"].encode() == description.encode()
    assert len(shown["descriptions"]["ar"].encode()) == 5000

    edited = invoke_json(
        runner, "catalog", "edit", str(shelf["clip2"]), "--title", f"fr={'ⵣ' * 100}", "--json"
    )
    assert edited["asset"]["titles"]["fr"] == "ⵣ" * 100


def test_same_episode_in_another_season_is_accepted(
    hub: Hub, shelf: dict[str, int], runner: CliRunner
) -> None:
    second = invoke_json(
        runner, *ADD, "--series", "kan-kalab-aala-khadma", "--season", "2", "--episode", "1",
        "--title", "ar=الموسم الثاني", "--json",
    )  # fmt: skip
    assert (second["season"], second["episode"]) == (2, 1)

    # And the number is free again once an episode moves elsewhere.
    invoke(runner, "catalog", "edit", str(shelf["show"]), "--season", "3", "--episode", "9")
    again = invoke_json(
        runner, *ADD, "--series", "kan-kalab-aala-khadma", "--season", "1", "--episode", "1",
        "--title", "ar=مكرر", "--json",
    )  # fmt: skip
    assert (again["season"], again["episode"]) == (1, 1)
    ids = [
        a["id"]
        for a in invoke_json(runner, "catalog", "list", "--json", "-s", "kan-kalab-aala-khadma")
    ]
    assert ids == sorted([shelf["show"], second["id"], again["id"]])


def test_stale_if_version_is_a_conflict(hub: Hub, shelf: dict[str, int], runner: CliRunner) -> None:
    asset_id = str(shelf["clip1"])
    invoke(runner, "catalog", "edit", asset_id, "--title", "fr=Version deux")
    before = catalog_state(runner, hub)
    history = invoke_json(runner, "catalog", "history", asset_id, "--json")

    for args in (
        ("catalog", "edit", asset_id, "--if-version", "1", "--title", "fr=Version trois"),
        ("catalog", "archive", asset_id, "--if-version", "1"),
    ):
        result = runner.invoke(app, list(args))
        assert result.exit_code == 4, result.output  # ExitStatus.CONFLICT
        assert result.stdout == ""
        assert re.fullmatch(
            rf"error: asset {asset_id} was changed by librarian at \d{{4}}-\d\d-\d\d \d\d:\d\d "
            r"UTC since you read version 1 \(now version 2\); nothing was saved: "
            r"show it again and redo your edit\n",
            result.stderr,
        ), result.stderr
        assert "Traceback" not in result.output
        assert catalog_state(runner, hub) == before
        assert invoke_json(runner, "catalog", "history", asset_id, "--json") == history

    # The version the editor really read is accepted.
    result = invoke(
        runner, "catalog", "edit", asset_id, "--if-version", "2", "--title", "fr=Version trois"
    )
    assert result.stdout.splitlines()[0] == f"asset {asset_id}: now version 3"


# The conventions under catalog/


def _edit_file(path: Path, replacements: Mapping[str, str], appended: str) -> None:
    text = path.read_text(encoding="utf-8")
    for old, new in replacements.items():
        assert old in text, f"{old!r} not in {path}"
        text = text.replace(old, new)
    path.write_text(text + appended, encoding="utf-8")


def conventions_state(runner: CliRunner) -> dict[str, Any]:
    return {
        group: invoke_json(runner, group, "list", "--json")
        for group in ("series", "playlists", "topics")
    }


NEW_TOPIC = '\n[topics.remote-work]\nnames = { ar = "العمل عن بعد", fr = "Télétravail" }\n'

CONVENTION_REFUSALS: dict[str, tuple[str, dict[str, str], str, str]] = {
    # name: (file, replacements, appended text, expected problem after "FILE: ")
    "bad topic slug": (
        "topics.toml",
        {'fr = "CV" }': 'fr = "Curriculum vitæ" }'},
        NEW_TOPIC + '\n[topics."Bad Slug"]\nnames = { ar = "سيئ", fr = "Mauvais" }\n',
        "topics.Bad Slug: 'Bad Slug' is not a slug; use lowercase letters, digits and single "
        "hyphens (at most 64 characters)",
    ),
    "bad playlist slug": (
        "playlists.toml",
        {'privacy = "public"\norder = "recorded"': 'privacy = "unlisted"\norder = "recorded"'},
        '\n[playlists.Advisory_CV]\nkind = "video"\nnames = { ar = "نصائح", fr = "Conseils" }\n',
        "playlists.Advisory_CV: 'Advisory_CV' is not a slug; use lowercase letters, digits and "
        "single hyphens (at most 64 characters)",
    ),
    "duplicate topic slug": (
        "topics.toml",
        {'fr = "CV" }': 'fr = "Curriculum vitæ" }'},
        NEW_TOPIC + '\n[topics.cv]\nnames = { ar = "السيرة", fr = "CV bis" }\n',
        "not valid TOML: Cannot declare ('topics', 'cv') twice",
    ),
}


@pytest.mark.parametrize(
    ("file", "replacements", "appended", "problem"),
    CONVENTION_REFUSALS.values(),
    ids=CONVENTION_REFUSALS.keys(),
)
def test_conventions_load_refuses_and_changes_nothing(
    hub: Hub,
    runner: CliRunner,
    file: str,
    replacements: dict[str, str],
    appended: str,
    problem: str,
) -> None:
    path = hub.settings.definitions_dir / file
    before = conventions_state(runner)
    entries = audit_count(hub)
    _edit_file(path, replacements, appended)

    for args in (["conventions", "load"], ["conventions", "load", "--dry-run"]):
        result = runner.invoke(app, args)

        assert result.exit_code == 5, result.output  # ExitStatus.CONFIG
        assert result.stdout == ""
        assert result.stderr.startswith(f"error: {path}: {problem}")
        assert result.stderr.count("\n") == 1
        assert "Traceback" not in result.output
    assert conventions_state(runner) == before
    assert audit_count(hub) == entries

"""The weekly publication calendar through the CLI, on SQLite and PostgreSQL: calendar.toml's
checks, plans (episode order, what is not ready, Morocco's Ramadan hour, the day quota),
move and unschedule, and the week as JSON, a grid and an iCalendar file (issue 19)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from typer.testing import CliRunner

from media_hub.cli import app
from media_hub.hub import Hub
from tests.media_fixtures import make_clip

CASABLANCA = ZoneInfo("Africa/Casablanca")
TUESDAY_SLOTS = """\
timezone = "Africa/Casablanca"
skip = []

[[slots]]
series = "advisory-clips"
weekday = "tuesday"
time = "10:00"
"""


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Five small clips, each its own bytes (an asset a file)."""
    folder = tmp_path_factory.mktemp("clips")
    return [
        make_clip(folder / f"clip{n}.mp4", size="160x90", fps=10, seconds=0.5 + n / 10,
                  audio=None)
        for n in range(5)
    ]  # fmt: skip


def invoke(runner: CliRunner, *args: str, code: int = 0) -> Any:
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, (result.stdout, result.stderr)
    return result


def ingest(runner: CliRunner, clip: Path, series: str, episode: int | None) -> int:
    """A ready asset of `series` with its file (`episode` None: a series without numbers)."""
    numbered = ["--episode", str(episode)] if episode is not None else []
    done = invoke(
        runner, "ingest", "--json", str(clip), "--series", series, *numbered,
        "-t", f"fr=Conseil {episode or clip.stem}", "-t", f"ar=نصيحة {episode or clip.stem}",
    )  # fmt: skip
    [record] = json.loads(done.stdout)
    asset_id: int = record["asset_id"]
    invoke(runner, "catalog", "edit", str(asset_id), "--status", "ready")
    return asset_id


def write_calendar(hub: Hub, text: str) -> Path:
    path = hub.settings.definitions_dir / "calendar.toml"
    path.write_text(text, encoding="utf-8")
    return path


def plan_json(runner: CliRunner, *args: str) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(invoke(runner, "calendar", "plan", "--json", *args).stdout)
    return found


def ramadan_change(first: date, days: int) -> date:
    """The day Casablanca's offset changes within [first, first + days), read from tzdata."""
    noon = [datetime.combine(first + timedelta(days=n), datetime.min.time().replace(hour=12),
                             tzinfo=CASABLANCA) for n in range(days)]  # fmt: skip
    for before, after in pairwise(noon):
        if before.utcoffset() != after.utcoffset():
            return after.date()
    raise AssertionError(f"no offset change in Africa/Casablanca from {first} for {days} days")


# -- calendar.toml ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('timezone = "Africa/Casablance"\n', "timezone: 'Africa/Casablance' is not an IANA"),
        (TUESDAY_SLOTS.replace("tuesday", "tusday"), "slots[0].weekday: 'tusday' is not a "),
        (TUESDAY_SLOTS.replace('"10:00"', '"25:00"'), "slots[0].time: '25:00' is not a local"),
        (TUESDAY_SLOTS + TUESDAY_SLOTS.split("\n\n")[1].replace("advisory-clips", "reports"),
         "slots[1]: tuesday 10:00 on youtube is already slots[0]'s"),
        (TUESDAY_SLOTS.replace("advisory-clips", "nowhere"), "slots[0].series: no series"),
        (TUESDAY_SLOTS.replace("skip = []", 'skip = ["2026-13-01"]'), "skip[0]: '2026-13-01'"),
        (TUESDAY_SLOTS + 'platform = ["youtube"]\n', "slots[0].platform: unknown key"),
    ],
)  # fmt: skip
def test_a_wrong_calendar_is_one_line_naming_file_and_key(
    hub: Hub, runner: CliRunner, text: str, expected: str
) -> None:
    path = write_calendar(hub, text)
    result = invoke(runner, "calendar", "plan", code=5)
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"error: {path}: ")
    assert expected in line
    assert result.stdout == ""


def test_a_new_hub_gets_the_starter_calendar(hub: Hub, runner: CliRunner) -> None:
    found = plan_json(runner, "--weeks", "5")
    assert found["timezone"] == "Africa/Casablanca"
    assert {slot["series"] for slot in found["slots"]} <= {
        "advisory-clips", "kan-kalab-aala-khadma", "cv-flyers",
    }  # fmt: skip
    assert {slot["kind"] for slot in found["slots"]} == {"empty"}


# -- plans -----------------------------------------------------------------------------------


def test_a_four_week_plan_across_ramadan_keeps_the_local_time(
    hub: Hub, runner: CliRunner, clips: list[Path]
) -> None:
    write_calendar(hub, TUESDAY_SLOTS)
    # Episodes ingested out of order: the plan follows the episode numbers.
    ids = {episode: ingest(runner, clips[n], "advisory-clips", episode)
           for n, episode in enumerate((3, 1, 4, 2))}  # fmt: skip
    draft = json.loads(
        invoke(
            runner,
            "catalog",
            "add",
            "--json",
            "--kind",
            "video",
            "--series",
            "advisory-clips",
            "--episode",
            "5",
            "-t",
            "fr=Pas prêt",
        ).stdout
    )
    first = date(2027, 1, 25)  # a Monday; Ramadan 2027 begins mid-February
    change = ramadan_change(first, 28)

    shown = plan_json(runner, "--from", first.isoformat(), "--weeks", "4")
    slots = shown["slots"]
    assert [slot["asset_id"] for slot in slots] == [ids[1], ids[2], ids[3], ids[4]]
    assert {slot["kind"] for slot in slots} == {"new"}
    assert [slot["local"][11:16] for slot in slots] == ["10:00"] * 4  # wall clock stays
    instants = [datetime.fromisoformat(slot["at"]) for slot in slots]
    offsets = [instant.astimezone(CASABLANCA).utcoffset() for instant in instants]
    before = [instant.date() < change for instant in instants]
    assert any(before)
    assert not all(before)
    for instant, offset, early in zip(instants, offsets, before, strict=True):
        assert offset == (instants[0].astimezone(CASABLANCA).utcoffset() if early else offsets[-1])
        assert instant.astimezone(CASABLANCA).hour == 10
    assert {i.hour for i in instants if i.date() < change} != {
        i.hour for i in instants if i.date() >= change
    }  # the UTC instant moves by the change  # fmt: skip
    assert [(n["asset_id"], n["reason"].split(":")[0]) for n in shown["not_ready"]] == [
        (draft["id"], "status draft")
    ]

    invoke(runner, "calendar", "plan", "--from", first.isoformat(), "--weeks", "4", "--apply")
    for slot, instant in zip(slots, instants, strict=True):
        record = json.loads(invoke(runner, "catalog", "show", str(slot["asset_id"]),
                                   "--json").stdout)  # fmt: skip
        [publication] = record["publications"]
        assert publication["status"] == "planned"
        assert publication["privacy"] == "private"
        assert datetime.fromisoformat(publication["scheduled_at"]) == instant
    again = plan_json(runner, "--from", first.isoformat(), "--weeks", "4")
    assert [slot["kind"] for slot in again["slots"]] == ["booked"] * 4  # never booked twice


def test_a_slot_over_the_days_upload_quota_moves_to_the_next_day(
    hub: Hub, runner: CliRunner, clips: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MEDIA_HUB_YOUTUBE_DAILY_UPLOADS", "2")
    write_calendar(
        hub,
        "\n".join(
            f'[[slots]]\nseries = "{series}"\nweekday = "tuesday"\ntime = "{clock}"\n'
            for series, clock in (("advisory-clips", "10:00"), ("reports", "11:00"),
                                  ("events", "12:00"))
        ),
    )  # fmt: skip
    ingest(runner, clips[0], "advisory-clips", 1)
    ingest(runner, clips[1], "reports", None)
    events = ingest(runner, clips[2], "events", None)
    first = date(2027, 3, 1)
    slots = plan_json(runner, "--from", first.isoformat())["slots"]
    moved = next(slot for slot in slots if slot["asset_id"] == events)
    local = datetime.fromisoformat(moved["local"])
    assert (local.date(), local.hour) == (date(2027, 3, 3), 12)  # Wednesday, same time
    assert "moved from Tue 2027-03-02 to Wed 2027-03-03" in moved["note"]
    assert "YouTube's daily quota is full" in moved["note"]
    table = invoke(runner, "calendar", "plan", "--from", first.isoformat()).stdout
    assert "moved from Tue 2027-03-02" in table


# -- move, unschedule, show ------------------------------------------------------------------


def test_move_and_unschedule_a_booking(hub: Hub, runner: CliRunner, clips: list[Path]) -> None:
    write_calendar(hub, TUESDAY_SLOTS)
    first_id = ingest(runner, clips[0], "advisory-clips", 1)
    second_id = ingest(runner, clips[1], "advisory-clips", 2)
    invoke(runner, "calendar", "plan", "--from", "2027-01-04", "--weeks", "2", "--apply")

    moved = invoke(runner, "calendar", "move", str(first_id), "--to", "2027-01-06 18:30")
    assert "2027-01-05 10:00+01:00 → 2027-01-06 18:30+01:00" in moved.stdout
    shown = json.loads(invoke(runner, "catalog", "show", str(first_id), "--json").stdout)
    expected = datetime(2027, 1, 6, 18, 30, tzinfo=CASABLANCA).astimezone(UTC)
    assert datetime.fromisoformat(shown["publications"][0]["scheduled_at"]) == expected
    history = json.loads(invoke(runner, "catalog", "history", str(first_id), "--json").stdout)
    [logged] = [entry for entry in history if entry["field"] == "calendar.youtube"]
    assert datetime.fromisoformat(logged["new"]) == expected

    past = invoke(runner, "calendar", "move", str(first_id), "--to", "2020-01-06 18:30", code=1)
    assert "is in the past" in past.stderr
    assert len(past.stderr.strip().splitlines()) == 1
    taken = invoke(runner, "calendar", "move", str(second_id), "--to", "2027-01-06 18:30", code=1)
    assert f"asset {first_id} is booked at that time on youtube" in taken.stderr

    invoke(runner, "calendar", "unschedule", str(second_id))
    shown = json.loads(invoke(runner, "catalog", "show", str(second_id), "--json").stdout)
    assert shown["publications"] == []
    again = invoke(runner, "calendar", "unschedule", str(second_id), code=1)
    assert "it has no booking" in again.stderr
    invoke(runner, "calendar", "move", "999", "--to", "2027-01-06 18:30", code=3)


def test_the_month_as_json_grid_and_ics_matches_the_catalog(
    hub: Hub, runner: CliRunner, clips: list[Path], tmp_path: Path
) -> None:
    write_calendar(hub, TUESDAY_SLOTS)
    ids = [ingest(runner, clips[n], "advisory-clips", n + 1) for n in range(3)]
    invoke(runner, "calendar", "plan", "--from", "2027-02-01", "--weeks", "3", "--apply")

    listed = json.loads(invoke(runner, "calendar", "show", "--month", "2027-02", "--json").stdout)
    assert [p["asset_id"] for p in listed["publications"]] == ids
    grid = invoke(runner, "calendar", "show", "--week", "2027-W06").stdout
    assert "Tue 09" in grid
    assert "Conseil 2" in grid or "نصيحة 2" in grid

    target = tmp_path / "february.ics"
    invoke(runner, "calendar", "show", "--month", "2027-02", "--format", "ics", "-o", str(target))
    parsed = Calendar.from_ical(target.read_bytes())
    events = sorted(parsed.walk("VEVENT"), key=lambda event: event.decoded("dtstart"))
    assert len(events) == 3
    for event, asset_id in zip(events, ids, strict=True):
        record = json.loads(invoke(runner, "catalog", "show", str(asset_id), "--json").stdout)
        [publication] = record["publications"]
        assert event.decoded("dtstart") == datetime.fromisoformat(publication["scheduled_at"])
        assert str(event["uid"]) == f"media-hub-asset-{asset_id}-youtube"
        assert str(event["summary"]).startswith(record["titles"]["ar"])

    page = invoke(runner, "calendar", "show", "--month", "2027-02", "--format", "html").stdout
    assert page.count("<tr><td>") == 3
    bad = invoke(runner, "calendar", "show", "--week", "2027-W60", code=2)
    assert "is not an ISO week" in bad.stderr


def test_a_slot_on_a_platform_that_cannot_be_scheduled_is_refused(
    hub: Hub, runner: CliRunner
) -> None:
    series = hub.settings.definitions_dir / "series.toml"
    text = series.read_text(encoding="utf-8")
    series.write_text(text.replace('platforms = ["youtube"]', 'platforms = ["youtube", "folder"]',
                                   1), encoding="utf-8")  # fmt: skip
    path = write_calendar(hub, TUESDAY_SLOTS + 'platforms = ["folder"]\n')
    result = invoke(runner, "calendar", "plan", code=5)
    assert result.stderr.strip() == (
        f"error: {path}: slots[0].platforms: a folder can neither schedule a publication nor "
        "be made public by media-hub; give the slot other platforms"
    )

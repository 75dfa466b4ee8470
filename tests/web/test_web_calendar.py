"""The calendar page: a week and a month of bookings made by the library (`calendar plan`),
moves and unschedules by editors through the same calls as the CLI, refusals shown in the
page with nothing changed, and who may do what."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text
from starlette.testclient import TestClient
from typer.testing import CliRunner

from media_hub.catalog.service import CatalogService
from media_hub.hub import Hub
from media_hub.publishing.calendar.plan import apply_plan, plan_calendar
from tests.media_fixtures import make_clip
from tests.test_calendar import TUESDAY_SLOTS, ingest, write_calendar
from tests.web.conftest import csrf_of, sign_in
from tests.web.test_web_security import IMG, SCRIPT

CASABLANCA = ZoneInfo("Africa/Casablanca")
PLANNED_AT = datetime(2027, 1, 1, tzinfo=UTC)  # the plan is made as if on this day


def two_clips(folder: Path) -> list[Path]:
    """Two small clips, each its own bytes (an asset a file)."""
    return [
        make_clip(folder / f"clip{n}.mp4", size="160x90", fps=10, seconds=0.5 + n / 10, audio=None)
        for n in range(2)
    ]


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return two_clips(tmp_path_factory.mktemp("clips"))


def book_two_episodes(hub: Hub, runner: CliRunner, clips: list[Path]) -> list[int]:
    """Two episodes booked on YouTube by the library's plan: Tuesdays 5 and 12 January 2027,
    10:00 in Casablanca."""
    write_calendar(hub, TUESDAY_SLOTS)
    ids = [ingest(runner, clips[n], "advisory-clips", n + 1) for n in range(2)]
    plan = plan_calendar(hub, PLANNED_AT, weeks=2, start=date(2027, 1, 4))
    assert len(apply_plan(hub, plan)) == 2
    return ids


@pytest.fixture
def booked(hub: Hub, runner: CliRunner, clips: list[Path]) -> list[int]:
    return book_two_episodes(hub, runner, clips)


def scheduled(catalog: CatalogService, asset_id: int) -> list[datetime]:
    return [
        datetime.fromisoformat(p["scheduled_at"])
        for p in catalog.show(asset_id)["publications"]
        if p["scheduled_at"]
    ]


def day_of(page: str, day: str) -> str:
    """The part of the page listing `day` (YYYY-MM-DD); empty when the day is not shown."""
    start = page.find(f'data-day="{day}"')
    if start < 0:
        return ""
    end = page.find('<li class="day"', start)
    return page[start : end if end > 0 else len(page)]


def local(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2027, 1, day, hour, minute, tzinfo=CASABLANCA).astimezone(UTC)


def test_the_week_and_the_month_list_the_bookings(client: TestClient, booked: list[int]) -> None:
    first, second = booked
    sign_in(client, "viewer")
    week = client.get("/calendar?week=2027-W01")
    assert week.status_code == 200
    tuesday = day_of(week.text, "2027-01-05")
    assert "Tuesday, January 5, 2027" in tuesday
    assert f'href="/assets/{first}" dir="auto" lang=' in tuesday
    assert re.search(r"10:00\sAM", tuesday)  # Babel's narrow no-break space
    assert "YouTube" in tuesday
    assert "planned" in tuesday
    assert "Africa/Casablanca" in week.text
    assert week.text.count('class="publication"') == 1  # the second is the week after
    assert day_of(week.text, "2027-01-10") != ""  # a week shows its empty days too
    assert 'href="/calendar?week=2026-W53"' in week.text
    assert 'href="/calendar?week=2027-W02"' in week.text
    assert "/move" not in week.text  # a viewer reads only

    month = client.get("/calendar?month=2027-01")
    assert month.status_code == 200
    assert f'href="/assets/{first}"' in day_of(month.text, "2027-01-05")
    assert f'href="/assets/{second}"' in day_of(month.text, "2027-01-12")
    assert day_of(month.text, "2027-01-06") == ""  # a month shows the days with a booking
    assert 'href="/calendar?month=2027-02"' in month.text

    french = client.get("/calendar?week=2027-W01", headers={"Accept-Language": "fr"}).text
    assert "mardi 5 janvier 2027" in french
    assert f'href="/assets/{first}" dir="auto" lang="fr">Conseil 1<' in french
    assert "prévu" in day_of(french, "2027-01-05")
    arabic = client.get("/calendar?week=2027-W01", headers={"Accept-Language": "ar"}).text
    assert '<html lang="ar" dir="rtl">' in arabic
    assert "الثلاثاء، 5 يناير 2027" in arabic
    assert f'href="/assets/{first}" dir="auto" lang="ar">نصيحة 1<' in arabic
    assert "مخطط" in day_of(arabic, "2027-01-05")


def test_a_wrong_week_in_the_address_shows_this_week_and_why(
    client: TestClient, booked: list[int]
) -> None:
    sign_in(client, "viewer")
    answer = client.get("/calendar?week=2027-W60")
    assert answer.status_code == 400
    assert "&#39;2027-W60&#39; is not an ISO week; e.g. 2026-W50" in answer.text
    assert "Traceback" not in answer.text
    assert answer.text.count('class="day"') == 7
    for address in ("?week=0001-W01", "?week=9999-W52", "?month=0001-01", "?month=9999-12"):
        answer = client.get(f"/calendar{address}")
        assert answer.status_code in (200, 400), address  # at the ends: no server error
        assert "Traceback" not in answer.text


def _move(when: str, page: str) -> dict[str, str]:
    day, _, clock = when.partition(" ")
    return {
        "csrf_token": csrf_of(page), "platform": "youtube", "week": "2027-W01",
        "date": day, "time": clock,
    }  # fmt: skip


def test_an_editor_moves_and_unschedules(
    client: TestClient, booked: list[int], catalog: CatalogService
) -> None:
    first, second = booked
    sign_in(client, "editor")
    page = client.get("/calendar?week=2027-W01").text
    assert f'action="/calendar/{first}/move"' in page
    assert f'action="/calendar/{first}/unschedule"' in page
    assert 'value="2027-01-05"' in page
    assert 'value="10:00"' in page

    moved = client.post(f"/calendar/{first}/move", data=_move("2027-01-07 18:30", page))
    assert moved.status_code == 303
    assert moved.headers["location"] == f"/calendar?week=2027-W01&moved={first}"
    assert scheduled(catalog, first) == [local(7, 18, 30)]
    after = client.get(moved.headers["location"]).text
    assert f'href="/assets/{first}"' in day_of(after, "2027-01-07")
    assert f'href="/assets/{first}"' not in day_of(after, "2027-01-05")
    assert re.search(r"6:30\sPM", day_of(after, "2027-01-07"))
    assert "Moved." in after

    # Moved into another week: the page follows it there.
    later = client.post(f"/calendar/{first}/move", data=_move("2027-01-20 09:15", page))
    assert later.headers["location"] == f"/calendar?week=2027-W03&moved={first}"
    assert scheduled(catalog, first) == [local(20, 9, 15)]

    form = {"csrf_token": csrf_of(page), "platform": "youtube", "month": "2027-01"}
    gone = client.post(f"/calendar/{second}/unschedule", data=form)
    assert gone.status_code == 303
    assert gone.headers["location"] == f"/calendar?month=2027-01&unscheduled={second}"
    assert catalog.show(second)["publications"] == []
    assert f'href="/assets/{second}"' not in client.get(gone.headers["location"]).text

    logged = [e for e in catalog.history(first) if e["field"] == "calendar.youtube"]
    assert [(e["user"], e["old"], e["new"]) for e in logged] == [
        ("editor", local(5, 10).isoformat(), local(7, 18, 30).isoformat()),
        ("editor", local(7, 18, 30).isoformat(), local(20, 9, 15).isoformat()),
    ]
    [taken_off] = [e for e in catalog.history(second) if e["field"] == "calendar.youtube"]
    assert (taken_off["user"], taken_off["new"]) == ("editor", None)


@pytest.mark.parametrize(
    ("when", "problem"),
    [
        ("2020-01-06 18:30", "2020-01-06 18:30 is in the past; give a later time"),
        ("2027-02-30 10:00", "is not a date and time; write it as"),
        (" ", "is not a date and time; write it as"),
        ("2027-01-12 10:00", "is booked at that time on youtube; move it first"),
    ],
)
def test_a_refused_move_is_shown_in_the_page_and_changes_nothing(
    client: TestClient, booked: list[int], catalog: CatalogService, when: str, problem: str
) -> None:
    first, _ = booked
    sign_in(client, "admin")
    page = client.get("/calendar?week=2027-W01").text
    answer = client.post(f"/calendar/{first}/move", data=_move(when, page))
    assert answer.status_code == 400
    shown = html.unescape(answer.text)
    assert problem in shown
    assert "Traceback" not in shown
    alert = re.search(r'<p class="problem" role="alert">(.*?)</p>', shown, re.S)
    assert alert is not None
    assert "\n" not in alert[1]
    assert '<details class="change" open>' in day_of(answer.text, "2027-01-05")
    assert scheduled(catalog, first) == [local(5, 10)]
    assert not [e for e in catalog.history(first) if e["field"] == "calendar.youtube"]


def test_unscheduling_what_has_no_booking_is_refused_in_the_page(
    client: TestClient, booked: list[int], catalog: CatalogService
) -> None:
    first, _ = booked
    sign_in(client, "editor")
    token = csrf_of(client.get("/calendar").text)
    form = {"csrf_token": token, "platform": "youtube", "week": "2027-W01"}
    assert client.post(f"/calendar/{first}/unschedule", data=form).status_code == 303
    again = client.post(f"/calendar/{first}/unschedule", data=form)
    assert again.status_code == 400
    assert "it has no booking" in again.text
    assert client.post("/calendar/999/unschedule", data=form).status_code == 404


@pytest.mark.parametrize("role", ["viewer", "librarian"])
def test_only_editors_and_admins_change_the_calendar(
    client: TestClient, booked: list[int], catalog: CatalogService, role: str
) -> None:
    first, second = booked
    sign_in(client, role)
    page = client.get("/calendar?month=2027-01")
    assert page.status_code == 200
    assert "/move" not in page.text
    assert "/unschedule" not in page.text
    refused = client.post(f"/calendar/{first}/move", data=_move("2027-01-07 18:30", page.text))
    assert refused.status_code == 403
    token = csrf_of(page.text)
    refused = client.post(
        f"/calendar/{second}/unschedule", data={"csrf_token": token, "platform": "youtube"}
    )
    assert refused.status_code == 403
    assert scheduled(catalog, first) == [local(5, 10)]
    assert scheduled(catalog, second) == [local(12, 10)]


def test_a_move_without_the_right_token_is_refused(
    client: TestClient, booked: list[int], catalog: CatalogService
) -> None:
    first, _ = booked
    sign_in(client, "editor")
    form = _move("2027-01-07 18:30", client.get("/calendar").text)
    for token in (None, "", "forged-token"):
        sent = {k: v for k, v in form.items() if k != "csrf_token"}
        if token is not None:
            sent["csrf_token"] = token
        answer = client.post(f"/calendar/{first}/move", data=sent)
        assert answer.status_code == 403
        assert "security token" in answer.text
    assert scheduled(catalog, first) == [local(5, 10)]


def test_a_hostile_title_is_shown_escaped(client: TestClient, booked: list[int], hub: Hub) -> None:
    # Texts from before the catalog refused angle brackets (or written by another tool).
    with hub.db.engine.begin() as connection:
        connection.execute(text("UPDATE asset_texts SET title = :t"), {"t": SCRIPT + IMG})
    sign_in(client, "editor")
    page = client.get("/calendar?month=2027-01").text
    assert SCRIPT not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page

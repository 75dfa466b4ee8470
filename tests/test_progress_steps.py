"""Long steps report their progress: to a bar on a terminal, to a few lines elsewhere (a quick
step to none), and to nobody when nobody watches (a worker's jobs)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from media_hub import progress
from media_hub.catalog.assets import NewAsset
from media_hub.catalog.librarian import LibrarianService
from media_hub.catalog.spreadsheet import read_sheet
from media_hub.catalog.vocabulary import AssetKind
from media_hub.cli.steps import StepWatcher
from media_hub.hub import Hub
from media_hub.platforms.slideshare.adopt import adopt_slideshare
from media_hub.platforms.slideshare.connect import slideshare_client
from media_hub.platforms.slideshare.conversion import wait_for_conversion
from media_hub.sandbox.server import Sandbox

DATA = Path(__file__).resolve().parent / "data"


class Recorder:
    def __init__(self) -> None:
        self.events: list[tuple[str, str, int | None, str]] = []

    def begin(self, label: str, total: int | None) -> None:
        self.events.append(("begin", label, total, ""))

    def update(self, label: str, done: int, note: str) -> None:
        self.events.append(("update", label, done, note))

    def end(self, label: str, done: int) -> None:
        self.events.append(("end", label, done, ""))


def _plain_console() -> tuple[Console, io.StringIO]:
    stream = io.StringIO()
    return Console(file=stream, force_terminal=False, width=100), stream


def test_a_quick_step_off_a_terminal_prints_nothing() -> None:
    console, stream = _plain_console()
    with progress.watched_by(StepWatcher(console)):
        list(progress.counted("reading", range(3), 3))
    assert stream.getvalue() == ""


def test_a_long_step_off_a_terminal_prints_its_count_then_its_end() -> None:
    console, stream = _plain_console()
    with (
        progress.watched_by(StepWatcher(console, every_s=0, quiet_s=0)),
        progress.step("applying the changes on YouTube", 2) as current,
    ):
        current.advance()
        current.note("videos.update")
        current.advance()
    lines = stream.getvalue().splitlines()
    assert lines[0] == "applying the changes on YouTube: 1/2"
    assert lines[-1] == "applying the changes on YouTube: 2/2 in 0 s"
    assert "applying the changes on YouTube: 1/2, videos.update" in lines


def test_on_a_terminal_the_step_is_a_bar_and_one_inside_it_shows_too() -> None:
    stream = io.StringIO()
    console = Console(file=stream, force_terminal=True, width=100)
    with (
        progress.watched_by(StepWatcher(console)),
        progress.step("cataloguing the videos", 4) as current,
    ):
        current.advance(3)
    drawn = stream.getvalue()
    assert "cataloguing the videos" in drawn
    assert "3/4" in drawn  # its last state, drawn as it stopped, then erased (transient)
    stream.seek(0)
    stream.truncate(0)
    with (
        progress.watched_by(StepWatcher(console)),  # a transfer's bar inside a step's
        progress.step("outer", 1),
        progress.step("inner", 1) as inner,
    ):
        inner.advance()
    assert "outer" in stream.getvalue()
    assert "inner" in stream.getvalue()


def test_nobody_watching_costs_nothing_and_says_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    assert list(progress.counted("alone", [1, 2])) == [1, 2]
    assert capsys.readouterr() == ("", "")


@pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)
def test_adopting_and_converting_report_their_steps(deck_hub: Hub, sandbox: Sandbox) -> None:
    client = slideshare_client(deck_hub.settings)
    sent = [
        client.upload_slideshow(
            {"slideshow_title": f"Deck {n}", "slideshow_description": "", "slideshow_tags": ""},
            file=DATA / "pdflatex-4-pages.pdf",
        )
        for n in range(2)
    ]
    recorder = Recorder()
    with progress.watched_by(recorder):
        wait_for_conversion(client, sent[0], timeout_s=60, sleep=lambda _s: None)
        adopt_slideshare(deck_hub, lambda: slideshare_client(deck_hub.settings))
    converting = [e for e in recorder.events if e[1].startswith("SlideShare converting")]
    assert converting[0][0] == "begin"
    assert converting[-2][3] == "converted"  # the last note before the end
    assert converting[-1][0] == "end"
    assert ("begin", "reading the SlideShare account", None, "") in recorder.events
    assert ("end", "reading the SlideShare account", 2, "") in recorder.events
    cataloguing = [e for e in recorder.events if e[1] == "cataloguing the decks"]
    assert [(kind, count) for kind, _, count, _ in cataloguing] == [
        ("begin", 2), ("update", 1), ("update", 2), ("end", 2)
    ]  # fmt: skip


def test_an_import_reports_the_rows_it_checks(hub: Hub, tmp_path: Path) -> None:
    first = hub.catalog.add(NewAsset(kind=AssetKind.VIDEO, series="reports", titles={"fr": "Un"}))
    second = hub.catalog.add(NewAsset(kind=AssetKind.VIDEO, series="reports", titles={"fr": "De"}))
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(
        f"id,version,title.fr\n{first['id']},1,Un bis\n{second['id']},1,Deux\n", encoding="utf-8"
    )
    recorder = Recorder()
    with progress.watched_by(recorder):
        LibrarianService(hub.db).import_sheet(read_sheet(sheet))
    checking = [(kind, count) for kind, label, count, _ in recorder.events
                if label == "checking the rows"]  # fmt: skip
    assert checking == [("begin", 2), ("update", 1), ("update", 2), ("end", 2)]
    assert hub.catalog.show(second["id"])["titles"]["fr"] == "Deux"

"""The SlideShare API v2 sandbox over real HTTPS with `requests`: signatures, uploads,
conversion, listing, edits, counts, the daily limit, faults and `sandbox serve`."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, tostring

import pytest
import requests
from defusedxml import ElementTree as SafeXml
from hypothesis import given, settings
from hypothesis import strategies as st

from media_hub.platforms.slideshare.codes import SERVICE_ERRORS
from media_hub.sandbox.growth import DeckDaily, deck_daily
from media_hub.sandbox.quota import pacific_day
from media_hub.sandbox.server import Sandbox
from media_hub.sandbox.slideshare_account import calls_today
from media_hub.sandbox.slideshare_form import parse_multipart
from media_hub.sandbox.state import State

DATA = Path(__file__).parent / "data"
FOUR_PAGES = DATA / "pdflatex-4-pages.pdf"
ENCRYPTED = DATA / "libreoffice-writer-password.pdf"
PPTX = DATA / "prs-properties.pptx"
START = dt.datetime(2026, 3, 10, 20, 0, tzinfo=dt.UTC)  # noon in Los Angeles: no midnight near
ARABIC = "كيف تكتب سيرتك الذاتية"
USER = "anapec-sandbox"


class Clock:
    """A clock the tests move by hand."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> dt.datetime:
        return self.now


class SlideShare:
    """Signed calls as a client makes them, answers parsed with defusedxml."""

    def __init__(
        self, api_base: str, ca_cert: str, account: dict[str, str], now: Callable[[], dt.datetime]
    ) -> None:
        self.api_base = api_base
        self.account = account
        self.now = now
        self.session = requests.Session()
        self.session.trust_env = False  # this machine sets REQUESTS_CA_BUNDLE
        self.session.verify = ca_cert

    @classmethod
    def of(cls, sandbox: Sandbox) -> SlideShare:
        """A client of `sandbox` whose clock agrees with the sandbox's real clock."""
        return cls(
            sandbox.slideshare_api_base,
            str(sandbox.ca_cert),
            sandbox.slideshare_account,
            sandbox.state.wall_clock,
        )

    def signed(
        self, params: dict[str, str], *, user: bool, ts: int | None = None
    ) -> dict[str, str]:
        stamp = str(int(self.now().timestamp()) if ts is None else ts)
        digest = hashlib.sha1((self.account["shared_secret"] + stamp).encode()).hexdigest()  # noqa: S324
        signed = {**params, "api_key": self.account["api_key"], "ts": stamp, "hash": digest}
        if user:
            signed.update(username=self.account["username"], password=self.account["password"])
        return signed

    def get(self, method: str, *, user: bool = False, **params: str) -> requests.Response:
        signed = self.signed(params, user=user)
        return self.session.get(self.api_base + method, params=signed, timeout=10)

    def get_raw(self, method: str, params: dict[str, str]) -> requests.Response:
        return self.session.get(self.api_base + method, params=params, timeout=10)

    def call(self, method: str, *, user: bool = False, **params: str) -> Element:
        return parsed(self.get(method, user=user, **params))

    def upload(self, path: Path, filename: str | None = None, **fields: str) -> Element:
        fields.setdefault("slideshow_title", "Writing a CV")
        with path.open("rb") as media:
            response = self.session.post(
                self.api_base + "upload_slideshow",
                data=self.signed(fields, user=True),
                files={"slideshow_srcfile": (filename or path.name, media, "application/pdf")},
                timeout=10,
            )
        return parsed(response)

    def uploaded(self, path: Path, filename: str | None = None, **fields: str) -> str:
        root = self.upload(path, filename, **fields)
        assert root.tag == "SlideShowUploaded", tostring(root, encoding="unicode")
        return root.findtext("SlideShowID") or ""

    def status(self, slideshow_id: str) -> int:
        return int(self.call("get_slideshow", slideshow_id=slideshow_id).findtext("Status") or -1)


def parsed(response: requests.Response, status: int = 200) -> Element:
    assert response.status_code == status
    assert response.headers["Content-Type"] == "application/xml; charset=utf-8"
    root: Element = SafeXml.fromstring(response.content)
    return root


def code(root: Element) -> int:
    """The code of a SlideShareServiceError answer (its text checked against the table)."""
    assert root.tag == "SlideShareServiceError", tostring(root, encoding="unicode")
    message = root.find("Message")
    assert message is not None
    number = int(message.get("ID", "-1"))
    assert message.text == SERVICE_ERRORS[number]
    return number


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def sandbox(tmp_path: Path, clock: Clock) -> Iterator[Sandbox]:
    with Sandbox(tmp_path / "channel.json", clock=clock, read_timeout=5.0) as running:
        yield running


@pytest.fixture
def client(sandbox: Sandbox) -> SlideShare:
    return SlideShare.of(sandbox)


@pytest.fixture
def file_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A plain HTTP file server on loopback: its URL and the folder it serves."""
    folder = tmp_path / "served"
    folder.mkdir()

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server's name
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", folder
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


# -- signature, login, errors -----------------------------------------------------------------
def test_the_signature_is_checked_first_and_refusals_are_not_counted(
    sandbox: Sandbox, client: SlideShare
) -> None:
    now = int(START.timestamp())
    assert client.call("get_user_tags", user=True).tag == "Tags"
    near = client.signed({}, user=True, ts=now - 3599)
    assert parsed(client.get_raw("get_user_tags", near)).tag == "Tags"
    good = client.signed({}, user=True)
    bad: list[dict[str, str]] = [
        {**good, "hash": "0" * 40},
        {**good, "api_key": "someone-else"},
        client.signed({}, user=True, ts=now - 3601),
        client.signed({}, user=True, ts=now + 3601),
        {**good, "ts": "soon"},
        {key: value for key, value in good.items() if key != "hash"},
    ]
    counted = calls_today(sandbox.state)
    assert counted == 2
    for params in bad:
        assert code(parsed(client.get_raw("get_user_tags", params))) == 1
    unsigned = client.get_raw("get_user_tags", {})
    assert unsigned.content == (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<SlideShareServiceError>\n'
        b'  <Message ID="0">No API Key Provided</Message>\n</SlideShareServiceError>\n'
    )
    assert calls_today(sandbox.state) == counted


def test_simulated_days_do_not_move_the_signature_clock(
    sandbox: Sandbox, client: SlideShare
) -> None:
    sandbox.advance_days(2)
    assert client.call("get_user_tags", user=True).tag == "Tags"


def test_the_login_is_required_or_checked(client: SlideShare) -> None:
    slideshow_id = client.uploaded(FOUR_PAGES)
    client.account = {**client.account, "password": "guess"}
    assert code(client.call("get_user_tags", user=True)) == 2
    assert code(client.call("get_slideshow", user=True, slideshow_id=slideshow_id)) == 2
    assert code(client.upload(FOUR_PAGES)) == 2
    assert code(client.call("get_user_tags")) == 14  # neither username nor password
    assert client.call("get_slideshow", slideshow_id=slideshow_id).tag == "Slideshow"


def test_an_unknown_method_is_a_404_with_an_xml_error(sandbox: Sandbox, client: SlideShare) -> None:
    assert code(parsed(client.get("get_slideshow_by_magic"), status=404)) == 17
    put = client.session.put(sandbox.slideshare_api_base + "get_user_tags", timeout=10)
    assert code(parsed(put, status=404)) == 17


def test_requests_are_logged_without_their_query(
    client: SlideShare, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        assert client.call("get_user_tags", user=True).tag == "Tags"
    sandbox_records = [r for r in caplog.records if r.name.startswith("media_hub.")]
    logged = "\n".join(record.getMessage() for record in sandbox_records)  # not urllib3's
    assert "GET /api/2/get_user_tags -> 200" in logged
    assert client.account["password"] not in logged
    assert client.account["api_key"] not in logged


# -- uploads and conversion -------------------------------------------------------------------
def test_a_pdf_converts_in_steps_and_counts_its_pages(sandbox: Sandbox, client: SlideShare) -> None:
    slideshow_id = client.uploaded(FOUR_PAGES, slideshow_tags="cv, job search,cv")
    assert slideshow_id.isdecimal()
    assert len(slideshow_id) >= 8
    assert [client.status(slideshow_id) for _ in range(3)] == [0, 1, 2]
    show = client.call("get_slideshow", slideshow_id=slideshow_id, detailed="1")
    assert show.findtext("NumSlides") == "4"
    assert show.findtext("Format") == "pdf"
    assert show.findtext("Created") == "Tue Mar 10 20:00:00 +0000 2026"
    assert [tag.text for tag in show.iter("Tag")] == ["cv", "job search"]
    url = show.findtext("URL") or ""
    assert url == f"{sandbox.url}/slideshare/{USER}/writing-a-cv-{slideshow_id}"
    by_url = client.call("get_slideshow", slideshow_url=url, exclude_tags="1", detailed="1")
    assert by_url.findtext("ID") == slideshow_id
    assert by_url.find("Tags") is None
    assert client.call("get_slideshow", slideshow_id=slideshow_id).find("NumSlides") is None
    stored = sandbox.state.media_dir / "slideshows" / f"{slideshow_id}.pdf"
    assert stored.read_bytes() == FOUR_PAGES.read_bytes()
    assert [path.name for path in stored.parent.iterdir()] == [stored.name]  # no spool left


@pytest.mark.parametrize(
    ("source", "filename", "final"),
    [
        (ENCRYPTED, "locked.pdf", 3),
        (PPTX, "deck.pptx", 2),
        (FOUR_PAGES, "not-really.pptx", 3),  # a .pptx must be a zip
        (PPTX, "fake.pdf", 3),  # a .pdf must start with %PDF-
    ],
)
def test_conversion_fails_for_files_that_are_not_what_they_say(
    client: SlideShare, source: Path, filename: str, final: int
) -> None:
    slideshow_id = client.uploaded(source, filename)
    assert [client.status(slideshow_id) for _ in range(3)] == [0, 1, final]


def test_conversion_reads_are_configurable(tmp_path: Path) -> None:
    with Sandbox(
        tmp_path / "c.json", slideshare_queued_reads=2, slideshare_converting_reads=0
    ) as sandbox:
        client = SlideShare.of(sandbox)
        slideshow_id = client.uploaded(FOUR_PAGES)
        assert [client.status(slideshow_id) for _ in range(3)] == [0, 0, 2]


@pytest.mark.parametrize(
    ("fields", "filename", "expected"),
    [
        ({"slideshow_title": "CV"}, "notes.txt", 7),
        ({"slideshow_title": "CV"}, "no-extension", 7),
        ({"slideshow_title": "   "}, "deck.pdf", 5),
        ({"slideshow_title": "CV", "make_slideshow_private": "maybe"}, "deck.pdf", 17),
    ],
)
def test_uploads_are_refused_with_the_documented_codes(
    sandbox: Sandbox, client: SlideShare, fields: dict[str, str], filename: str, expected: int
) -> None:
    assert code(client.upload(FOUR_PAGES, filename, **fields)) == expected
    assert not sandbox.state.snapshot()["slideshare"]["slideshows"]


def test_an_upload_needs_a_title_and_a_file(sandbox: Sandbox, client: SlideShare) -> None:
    url = sandbox.slideshare_api_base + "upload_slideshow"
    files = {"slideshow_srcfile": ("deck.pdf", FOUR_PAGES.read_bytes())}
    signed = client.signed({}, user=True)
    no_title = client.session.post(url, data=signed, files=files, timeout=10)
    assert code(parsed(no_title)) == 3
    assert code(client.call("upload_slideshow", user=True, slideshow_title="CV")) == 4
    as_text = client.call(
        "upload_slideshow", user=True, slideshow_title="CV", slideshow_srcfile="deck.pdf"
    )
    assert code(as_text) == 6
    assert not sandbox.state.snapshot()["slideshare"]["slideshows"]


def test_a_file_over_the_limit_is_refused(tmp_path: Path) -> None:
    with Sandbox(tmp_path / "c.json", slideshare_max_upload_bytes=10_000) as sandbox:
        client = SlideShare.of(sandbox)
        assert code(client.upload(FOUR_PAGES)) == 8  # found once read: 24 kB > 10 kB
        big = tmp_path / "big.pdf"
        big.write_bytes(b"%PDF-1.4\n" + bytes(2 * 1024 * 1024))
        assert code(client.upload(big)) == 8  # refused on its Content-Length
        small = tmp_path / "small.pdf"
        small.write_bytes(b"%PDF-1.4\n" + bytes(9_000))
        assert client.uploaded(small)  # under the limit: taken (its conversion will fail)


def test_uploads_can_be_closed_as_the_live_service_did(tmp_path: Path) -> None:
    with Sandbox(tmp_path / "c.json", slideshare_uploads_closed=True) as sandbox:
        client = SlideShare.of(sandbox)
        assert code(client.upload(FOUR_PAGES)) == 25
        assert client.call("get_user_tags", user=True).tag == "Tags"  # the rest still works


def test_an_arabic_title_and_markup_round_trip(client: SlideShare) -> None:
    description = 'Tips & <tricks> "quoted"'
    slideshow_id = client.uploaded(
        FOUR_PAGES, slideshow_title=ARABIC, slideshow_description=description
    )
    show = client.call("get_slideshow", slideshow_id=slideshow_id, detailed="1")
    assert show.findtext("Title") == ARABIC
    assert show.findtext("Description") == description
    assert show.findtext("StrippedTitle") == "كيف-تكتب-سيرتك-الذاتية"
    assert (show.findtext("URL") or "").endswith(f"%D8%A9-{slideshow_id}")


# -- upload_url -------------------------------------------------------------------------------
def test_upload_url_is_fetched_from_loopback(
    sandbox: Sandbox, client: SlideShare, file_server: tuple[str, Path]
) -> None:
    base, folder = file_server
    key = folder / "ab" / "cd" / (hashlib.sha256(b"deck").hexdigest() + ".pdf")
    key.parent.mkdir(parents=True)
    key.write_bytes(FOUR_PAGES.read_bytes())
    presigned = f"{base}/ab/cd/{key.name}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=00"
    root = client.call("upload_slideshow", user=True, slideshow_title="CV", upload_url=presigned)
    assert root.tag == "SlideShowUploaded"
    slideshow_id = root.findtext("SlideShowID") or ""
    stored = sandbox.state.media_dir / "slideshows" / f"{slideshow_id}.pdf"
    assert stored.read_bytes() == FOUR_PAGES.read_bytes()
    assert [client.status(slideshow_id) for _ in range(3)] == [0, 1, 2]
    missing = client.call(
        "upload_slideshow", user=True, slideshow_title="CV", upload_url=f"{base}/nothing.pdf"
    )
    assert code(missing) == 6


def test_upload_url_off_loopback_is_refused_without_a_lookup(
    client: SlideShare, monkeypatch: pytest.MonkeyPatch
) -> None:
    looked_up: list[str] = []
    real = socket.getaddrinfo

    def recording(host: Any, *args: Any, **kwargs: Any) -> Any:
        looked_up.append(str(host))
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", recording)
    for url in ["http://example.com/deck.pdf", "ftp://127.0.0.1/deck.pdf", "http://10.0.0.1/d.pdf"]:
        answer = client.call("upload_slideshow", user=True, slideshow_title="CV", upload_url=url)
        assert code(answer) == 17
    assert looked_up  # the client's own lookups were seen: the hook was live
    assert "example.com" not in looked_up


def test_upload_url_to_a_closed_port_is_not_a_source(client: SlideShare) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    closed = f"http://localhost:{port}/deck.pptx"
    answer = client.call("upload_slideshow", user=True, slideshow_title="CV", upload_url=closed)
    assert code(answer) == 6
    wrong = f"http://127.0.0.1:{port}/deck.exe?name=deck.pdf"  # the name is the path's
    answer = client.call("upload_slideshow", user=True, slideshow_title="CV", upload_url=wrong)
    assert code(answer) == 7


# -- listing, editing, deleting ---------------------------------------------------------------
def test_slideshows_by_user_are_paged_in_upload_order(client: SlideShare) -> None:
    ids = [client.uploaded(FOUR_PAGES, slideshow_title=f"Deck {n}") for n in range(4)]
    broken = client.uploaded(ENCRYPTED, slideshow_title="Locked")
    first = client.call("get_slideshows_by_user", username_for=USER)
    assert first.findtext("Name") == USER
    assert first.findtext("Count") == "0"  # all queued, and only converted ones are listed
    everything = client.call("get_slideshows_by_user", username_for=USER, get_unconverted="1")
    assert [show.findtext("Status") for show in everything.iter("Slideshow")] == ["1"] * 5
    page = client.call("get_slideshows_by_user", username_for=USER, limit="2", offset="1")
    assert page.findtext("Count") == "4"  # the failed one is not converted
    assert [show.findtext("ID") for show in page.iter("Slideshow")] == ids[1:3]
    rest = client.call(
        "get_slideshows_by_user", username_for=USER, offset="3", get_unconverted="1", detailed="1"
    )
    assert rest.findtext("Count") == "5"
    shown = list(rest.iter("Slideshow"))
    assert [show.findtext("ID") for show in shown] == [ids[3], broken]
    assert [show.findtext("Status") for show in shown] == ["2", "3"]
    assert [show.findtext("NumSlides") for show in shown] == ["4", "0"]
    assert code(client.call("get_slideshows_by_user", username_for="someone")) == 10
    assert code(client.call("get_slideshows_by_user")) == 14
    assert code(client.call("get_slideshows_by_user", username_for=USER, limit="0")) == 17


def test_edit_changes_the_text_and_the_updated_time(client: SlideShare, clock: Clock) -> None:
    slideshow_id = client.uploaded(FOUR_PAGES, slideshow_tags="cv")
    clock.now += dt.timedelta(minutes=5)
    edited = client.call(
        "edit_slideshow",
        user=True,
        slideshow_id=slideshow_id,
        slideshow_title="Interviews",
        slideshow_description="New text",
        slideshow_tags="interview,job",
        make_slideshow_private="Y",
    )
    assert edited.tag == "SlideShowEdited"
    assert edited.findtext("SlideShowID") == slideshow_id
    show = client.call("get_slideshow", slideshow_id=slideshow_id, detailed="1")
    assert show.findtext("Title") == "Interviews"
    assert show.findtext("Description") == "New text"
    assert [tag.text for tag in show.iter("Tag")] == ["interview", "job"]
    assert show.findtext("PrivacyLevel") == "1"
    assert show.findtext("Created") == "Tue Mar 10 20:00:00 +0000 2026"
    assert show.findtext("Updated") == "Tue Mar 10 20:05:00 +0000 2026"
    blank = client.call("edit_slideshow", user=True, slideshow_id=slideshow_id, slideshow_title=" ")
    assert code(blank) == 5
    assert code(client.call("edit_slideshow", user=True, slideshow_id="99999999")) == 9
    assert code(client.call("edit_slideshow", user=True)) == 14


def test_delete_removes_the_slideshow_and_its_bytes(sandbox: Sandbox, client: SlideShare) -> None:
    slideshow_id = client.uploaded(FOUR_PAGES)
    stored = sandbox.state.media_dir / "slideshows" / f"{slideshow_id}.pdf"
    assert stored.exists()
    deleted = client.call("delete_slideshow", user=True, slideshow_id=slideshow_id)
    assert deleted.tag == "SlideShowDeleted"
    assert deleted.findtext("SlideShowID") == slideshow_id
    assert not stored.exists()
    assert code(client.call("get_slideshow", slideshow_id=slideshow_id)) == 9
    assert code(client.call("delete_slideshow", user=True, slideshow_id=slideshow_id)) == 9
    assert client.uploaded(FOUR_PAGES) != slideshow_id  # ids are never reused


def test_user_tags_count_the_slideshows_using_them(client: SlideShare) -> None:
    client.uploaded(FOUR_PAGES, slideshow_tags="cv,interview")
    client.uploaded(FOUR_PAGES, slideshow_tags="cv")
    tags = client.call("get_user_tags", user=True)
    assert {tag.text: tag.get("Count") for tag in tags.iter("Tag")} == {"cv": "2", "interview": "1"}


def test_parameters_may_come_in_a_urlencoded_post(sandbox: Sandbox, client: SlideShare) -> None:
    slideshow_id = client.uploaded(FOUR_PAGES)
    params = client.signed({"slideshow_id": slideshow_id, "detailed": "1"}, user=False)
    url = sandbox.slideshare_api_base + "get_slideshow"
    answer = parsed(client.session.post(url, data=params, timeout=10))
    assert answer.findtext("ID") == slideshow_id
    assert answer.findtext("NumSlides") == "4"


# -- counts, limits, faults -------------------------------------------------------------------
def test_counts_grow_by_the_deck_series_once_days_end(sandbox: Sandbox, client: SlideShare) -> None:
    slideshow_id = client.uploaded(FOUR_PAGES)
    assert [client.status(slideshow_id) for _ in range(3)] == [0, 1, 2]
    names = ("NumViews", "NumDownloads", "NumFavorites", "NumComments")
    show = client.call("get_slideshow", slideshow_id=slideshow_id, detailed="1")
    assert [show.findtext(name) for name in names] == ["0"] * 4
    sandbox.advance_days(3)
    first = pacific_day(START)
    expected = DeckDaily()
    for offset in range(3):
        expected = expected + deck_daily(int(slideshow_id), first + dt.timedelta(days=offset))
    show = client.call("get_slideshow", slideshow_id=slideshow_id, detailed="1")
    got = DeckDaily(*(int(show.findtext(name) or -1) for name in names))
    assert got == expected
    assert got.views > got.downloads > got.favorites >= got.comments


def test_the_daily_limit_answers_99_until_the_next_day(tmp_path: Path, clock: Clock) -> None:
    with Sandbox(tmp_path / "c.json", clock=clock, slideshare_calls_per_day=3) as sandbox:
        client = SlideShare.of(sandbox)
        answers = [client.call("get_user_tags", user=True).tag for _ in range(3)]
        assert answers == ["Tags"] * 3
        assert code(client.call("get_user_tags", user=True)) == 99
        assert code(client.upload(FOUR_PAGES)) == 99
        sandbox.advance_days(1)
        assert client.call("get_user_tags", user=True).tag == "Tags"


def test_the_daily_limit_fault_uses_up_the_day(sandbox: Sandbox, client: SlideShare) -> None:
    assert client.call("get_user_tags", user=True).tag == "Tags"
    sandbox.faults.add_spec("daily-limit")
    assert code(client.call("get_user_tags", user=True)) == 99
    assert sandbox.faults.pending() == []  # applied at once, like quota
    sandbox.advance_days(1)
    assert client.call("get_user_tags", user=True).tag == "Tags"


def test_faults_on_the_api_path_apply_to_slideshare(sandbox: Sandbox, client: SlideShare) -> None:
    sandbox.faults.add("503", path="/api/2/")
    assert client.get("get_user_tags", user=True).status_code == 503
    sandbox.faults.add("drop", path="/api/2/get_user_tags")
    with pytest.raises(requests.ConnectionError):
        client.get("get_user_tags", user=True)
    assert client.call("get_user_tags", user=True).tag == "Tags"
    served = [(served.path, served.status) for served in sandbox.requests]
    path = "/api/2/get_user_tags"
    assert served == [(path, 503), (path, 0), (path, 200)]


# -- state, snapshot, serve -------------------------------------------------------------------
def test_the_state_snapshot_hides_the_secrets(sandbox: Sandbox, client: SlideShare) -> None:
    response = client.session.get(sandbox.url + "/sandbox/state", timeout=10)
    account = response.json()["slideshare"]["account"]
    assert account["username"] == USER
    assert account["api_key"] == client.account["api_key"]
    assert client.account["shared_secret"] not in response.text
    assert client.account["password"] not in response.text
    assert sandbox.slideshare_account["password"] == client.account["password"]  # still kept


def test_a_state_file_from_before_slideshare_still_loads(tmp_path: Path) -> None:
    path = tmp_path / "old.json"
    State(path)
    old = json.loads(path.read_text(encoding="utf-8"))
    del old["slideshare"]
    path.write_text(json.dumps(old), encoding="utf-8")
    with Sandbox(path) as sandbox:
        assert sandbox.slideshare_account["username"] == USER
        assert SlideShare.of(sandbox).call("get_user_tags", user=True).tag == "Tags"
    assert "slideshare" in json.loads(path.read_text(encoding="utf-8"))


def test_serve_prints_the_slideshare_settings_and_writes_private_credentials(
    tmp_path: Path,
) -> None:
    state = tmp_path / "c.json"
    command = [sys.executable, "-m", "media_hub", "sandbox", "serve", "--state", str(state)]
    command += ["--slideshare-calls-per-day", "2", "--slideshare-uploads-closed"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    assert process.stdout is not None
    try:
        lines = [process.stdout.readline() for _ in range(11)]
        settings = dict(line.strip().split("=", 1) for line in lines if "=" in line)
        path = Path(settings["MEDIA_HUB_SLIDESHARE_CREDENTIALS_FILE"])
        assert path == tmp_path / "slideshare-credentials.json"
        assert path.stat().st_mode & 0o777 == 0o600
        account = json.loads(path.read_text(encoding="utf-8"))
        assert sorted(account) == ["api_key", "password", "shared_secret", "username"]
        assert account["shared_secret"] not in "".join(lines)
        assert account["password"] not in "".join(lines)
        base = settings["MEDIA_HUB_SLIDESHARE_API_BASE"]
        assert base == settings["MEDIA_HUB_YOUTUBE_API_ENDPOINT"] + "/api/2/"
        ca_cert = settings["MEDIA_HUB_SLIDESHARE_CA_BUNDLE"]
        assert ca_cert == settings["MEDIA_HUB_YOUTUBE_CA_BUNDLE"]
        client = SlideShare(base, ca_cert, account, lambda: dt.datetime.now(dt.UTC))
        assert code(client.upload(FOUR_PAGES)) == 25  # --slideshare-uploads-closed
        assert client.call("get_user_tags", user=True).tag == "Tags"
        assert code(client.call("get_user_tags", user=True)) == 99  # --slideshare-calls-per-day
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=10)
    assert process.returncode == 0, err


# -- the multipart parser ---------------------------------------------------------------------
@settings(max_examples=40, deadline=None)
@given(
    fields=st.dictionaries(
        st.text(alphabet="abcdefgh_", min_size=1, max_size=8), st.text(max_size=30), max_size=4
    ),
    content=st.binary(max_size=300),
    piece=st.integers(min_value=1, max_value=64),
)
def test_multipart_bodies_split_back_into_their_parts(
    tmp_path_factory: pytest.TempPathFactory, fields: dict[str, str], content: bytes, piece: int
) -> None:
    folder = tmp_path_factory.mktemp("multipart")
    boundary = "xYz-boundary"
    body = b"preamble\r\n"
    for name, value in fields.items():
        body += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
        body += value.encode() + b"\r\n"
    body += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="slideshow_srcfile"; '
        f'filename="{ARABIC}.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
    ).encode()
    body += content + b"\r\n--" + boundary.encode() + b"--\r\n"
    source = folder / "body"
    source.write_bytes(body)
    form = parse_multipart(source, boundary.encode(), folder, piece=piece)
    assert form.fields == fields
    upload = form.files["slideshow_srcfile"]
    assert upload.filename == f"{ARABIC}.pdf"
    assert upload.path.read_bytes() == content

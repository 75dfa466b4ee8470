"""The SlideShare client against the sandbox on loopback: upload, conversion, edit, counts,
delete, and every refusal as a clear error that leaks no secret."""

from __future__ import annotations

import logging
import socket
from dataclasses import replace
from pathlib import Path

import pytest

from media_hub.errors import ExitStatus, QuotaError, RemoteError
from media_hub.platforms.slideshare.client import ConversionStatus, SlideShareClient
from media_hub.platforms.slideshare.conversion import wait_for_conversion
from media_hub.platforms.slideshare.credentials import SlideShareCredentials
from media_hub.platforms.slideshare.errors import SlideShareServiceError
from media_hub.sandbox import growth
from media_hub.sandbox.server import Sandbox

DATA = Path(__file__).resolve().parent / "data"
FIELDS = {
    "slideshow_title": "Le CV en quatre pages | Flyers CV",
    "slideshow_description": "Des conseils pour un CV clair.",
    "slideshow_tags": "CV,emploi,السيرة الذاتية",
}


def _client(sandbox: Sandbox, **changes: str) -> SlideShareClient:
    credentials = replace(SlideShareCredentials(**sandbox.slideshare_account), **changes)
    return SlideShareClient(
        sandbox.slideshare_api_base, credentials, ca_bundle=sandbox.ca_cert, sleep=lambda _: None
    )


def test_upload_poll_edit_count_and_delete(sandbox: Sandbox) -> None:
    client = _client(sandbox)
    sent: list[int] = []
    slideshow_id = client.upload_slideshow(
        FIELDS, file=DATA / "pdflatex-4-pages.pdf", progress=lambda done, _total: sent.append(done)
    )
    assert sent[-1] == (DATA / "pdflatex-4-pages.pdf").stat().st_size
    seen: list[ConversionStatus] = []
    slept: list[float] = []
    done = wait_for_conversion(
        client, slideshow_id, timeout_s=60, on_status=seen.append, sleep=slept.append
    )
    assert seen == [
        ConversionStatus.QUEUED,
        ConversionStatus.CONVERTING,
        ConversionStatus.CONVERTED,
    ]
    assert slept == [2.0, 4.0]  # the delay grows between polls
    assert done.num_slides == 4
    assert done.title == FIELDS["slideshow_title"]
    assert set(done.tags) == {"CV", "emploi", "السيرة الذاتية"}
    assert (done.num_views, done.num_downloads) == (0, 0)  # no day has ended yet

    client.edit_slideshow(slideshow_id, {"slideshow_title": "كتابة السيرة الذاتية"})
    assert client.get_slideshow(slideshow_id).title == "كتابة السيرة الذاتية"

    sandbox.advance_days(3)
    counted = client.get_slideshow(slideshow_id)
    assert counted.num_views > counted.num_downloads > 0
    listed = {s.id: s for s in client.slideshows()}
    assert listed[slideshow_id].num_views == counted.num_views

    client.delete_slideshow(slideshow_id)
    with pytest.raises(SlideShareServiceError) as missing:
        client.get_slideshow(slideshow_id)
    assert missing.value.code == 9
    assert missing.value.exit_status == ExitStatus.NOT_FOUND


def test_counts_are_the_sum_of_the_days_that_ended(sandbox: Sandbox) -> None:
    client = _client(sandbox)
    slideshow_id = client.upload_slideshow(FIELDS, file=DATA / "habibi.pdf")
    wait_for_conversion(client, slideshow_id, timeout_s=60, sleep=lambda _: None)
    first = sandbox.state.today()
    sandbox.advance_days(4)
    counted = client.get_slideshow(slideshow_id)
    days = list(growth.counted_days(first, sandbox.state.today()))
    assert len(days) == 4
    assert counted.num_views == sum(growth.deck_daily(slideshow_id, d).views for d in days)


def test_a_wrong_secret_is_refused_as_a_configuration_error(sandbox: Sandbox) -> None:
    with pytest.raises(SlideShareServiceError) as refused:
        _client(sandbox, shared_secret="not-the-secret").get_user_tags()
    assert refused.value.code == 1
    assert refused.value.exit_status == ExitStatus.CONFIG
    assert "shared secret" in str(refused.value)
    assert "not-the-secret" not in str(refused.value)


def test_a_wrong_password_is_refused_and_nothing_is_created(sandbox: Sandbox) -> None:
    with pytest.raises(SlideShareServiceError) as refused:
        _client(sandbox, password="wrong-password").upload_slideshow(
            FIELDS, file=DATA / "habibi.pdf"
        )
    assert refused.value.code == 2
    assert "username or password" in str(refused.value)
    assert list(_client(sandbox).slideshows()) == []


def test_a_file_slideshare_does_not_take_is_refused(sandbox: Sandbox, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not a deck")
    with pytest.raises(SlideShareServiceError) as refused:
        _client(sandbox).upload_slideshow(FIELDS, file=notes)
    assert refused.value.code == 7
    assert "pdf, ppt, pptx" in str(refused.value)


def test_the_daily_limit_stops_like_a_quota(sandbox: Sandbox) -> None:
    client = _client(sandbox)
    sandbox.faults.add("daily-limit")
    with pytest.raises(QuotaError) as stopped:
        client.get_user_tags()
    assert isinstance(stopped.value, SlideShareServiceError)
    assert stopped.value.code == 99
    assert "tomorrow" in str(stopped.value)
    sandbox.advance_days(1)
    assert client.get_user_tags() == {}


def test_transient_errors_are_retried_on_reads(sandbox: Sandbox) -> None:
    client = _client(sandbox)
    sandbox.faults.add("503", path="/api/2/get_user_tags", count=2)
    assert client.get_user_tags() == {}


def test_an_unreachable_endpoint_names_it_without_the_password(
    sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    credentials = SlideShareCredentials(**sandbox.slideshare_account)
    client = SlideShareClient(
        f"https://127.0.0.1:{port}/api/2/", credentials, attempts=1, sleep=lambda _: None
    )
    with caplog.at_level(logging.DEBUG), pytest.raises(RemoteError) as refused:
        client.get_user_tags()
    assert f"127.0.0.1:{port}/api/2/" in str(refused.value)
    assert credentials.password not in str(refused.value)
    assert credentials.password not in caplog.text


def test_request_logs_never_show_the_password(
    sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    credentials = SlideShareCredentials(**sandbox.slideshare_account)
    with caplog.at_level(logging.DEBUG):
        _client(sandbox).get_user_tags()
    assert "get_user_tags" in caplog.text  # urllib3 did log the request
    assert credentials.password not in caplog.text
    assert credentials.shared_secret not in caplog.text
    assert credentials.password not in repr(credentials)

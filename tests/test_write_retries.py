"""SlideShare's writes through 5xx answers and dropped connections: retried with backoff and
jitter, and an upload is sent again only once the account's list shows it did not land.

Faults are placed on the sandbox's SlideShare paths, where the live service was seen to fail.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from media_hub.errors import MediaError, RemoteError
from media_hub.hub import Hub
from media_hub.pipeline.ingest import IngestRequest
from media_hub.platforms.publisher import UploadOptions
from media_hub.platforms.slideshare.client import SlideShareClient
from media_hub.platforms.slideshare.credentials import SlideShareCredentials
from media_hub.platforms.slideshare.publisher import SlideShareUpload
from media_hub.sandbox.server import Sandbox
from media_hub.settings import load_settings

SQLITE = pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)

DATA = Path(__file__).resolve().parent / "data"
FLYER = DATA / "pdflatex-4-pages.pdf"
UPLOAD = "/api/2/upload_slideshow"
LIST = "/api/2/get_slideshows_by_user"


def _client(sandbox: Sandbox, slept: list[float], timeout: float = 30.0) -> SlideShareClient:
    return SlideShareClient(
        sandbox.slideshare_api_base, SlideShareCredentials(**sandbox.slideshare_account),
        ca_bundle=sandbox.ca_cert, timeout=timeout, sleep=slept.append,
    )  # fmt: skip


def _publish(hub: Hub, client: SlideShareClient) -> Any:
    job = SlideShareUpload(hub, lambda: client)
    return job.publish(IngestRequest(FLYER, "cv-flyers", {"fr": "Le CV"}), UploadOptions())


def _slideshows(sandbox: Sandbox) -> dict[str, Any]:
    slideshows: dict[str, Any] = sandbox.state.snapshot()["slideshare"]["slideshows"]
    return slideshows


def _api_paths(sandbox: Sandbox) -> list[str]:
    served = [*sandbox.requests, *sandbox.app.holding]  # a held answer is logged when sent
    return [r.path for r in served if r.path.startswith("/api/2/")]


@SQLITE
@pytest.mark.parametrize(
    ("spec", "failures"),
    [
        ("500,path=/api/2/upload_slideshow", 1),
        ("502,path=/api/2/upload_slideshow", 1),
        ("503,path=/api/2/upload_slideshow,count=2", 2),
        ("504,path=/api/2/upload_slideshow", 1),
        ("drop,path=/api/2/upload_slideshow,count=2", 2),
    ],
)
def test_an_upload_that_failed_is_looked_for_then_sent_again(
    deck_hub: Hub, sandbox: Sandbox, spec: str, failures: int
) -> None:
    sandbox.faults.add_spec(spec)
    slept: list[float] = []
    done = _publish(deck_hub, _client(sandbox, slept))
    assert done.finished
    assert list(_slideshows(sandbox)) == [done.remote_id]  # one slideshow, never two
    paths = _api_paths(sandbox)
    assert paths[: 2 * failures + 1] == [UPLOAD, LIST] * failures + [UPLOAD]
    # Exponential backoff with jitter: attempt n waits 2**(n-1) s scaled by 0.5-1.
    assert len(slept) == failures
    for attempt, delay in enumerate(slept, start=1):
        assert 0.5 * 2 ** (attempt - 1) <= delay <= 2 ** (attempt - 1)


@SQLITE
def test_an_upload_whose_answer_was_lost_is_found_not_sent_again(
    deck_hub: Hub, sandbox: Sandbox
) -> None:
    # SlideShare makes the slideshow and the answer never comes (the client times out).
    sandbox.faults.add("hold", method="POST", path=UPLOAD, seconds=4)
    slept: list[float] = []
    done = _publish(deck_hub, _client(sandbox, slept, timeout=1.0))
    assert done.finished
    assert list(_slideshows(sandbox)) == [done.remote_id]
    paths = _api_paths(sandbox)  # in the order answered: the held upload's comes late
    assert paths.count(UPLOAD) == 1
    assert LIST in paths  # it was looked for


def test_the_upload_is_not_retried_when_no_one_can_look(sandbox: Sandbox) -> None:
    sandbox.faults.add_spec("503,path=/api/2/upload_slideshow")
    client = _client(sandbox, [])
    with pytest.raises(RemoteError, match="HTTP 503"):
        client.upload_slideshow({"slideshow_title": "CV"}, file=FLYER)
    assert _api_paths(sandbox) == [UPLOAD]


@SQLITE
@pytest.mark.parametrize(
    "spec",
    ["drop,path=/api/2/edit_slideshow", "503,path=/api/2/edit_slideshow,count=2"],
)
def test_an_edit_is_retried(deck_hub: Hub, sandbox: Sandbox, spec: str) -> None:
    slept: list[float] = []
    client = _client(sandbox, slept)
    done = _publish(deck_hub, client)
    sandbox.faults.add_spec(spec)
    client.edit_slideshow(done.remote_id, {"slideshow_title": "Un CV clair"})
    assert _slideshows(sandbox)[done.remote_id]["title"] == "Un CV clair"
    assert slept


@SQLITE
@pytest.mark.parametrize(
    "fault",
    [
        {"kind": "drop", "count": 2},  # not carried out: the retry deletes it
        {"kind": "hold", "seconds": 4},  # carried out, answer lost: the retry finds it gone
    ],
    ids=["dropped", "answer-lost"],
)
def test_a_failed_conversion_is_deleted_through_a_lost_connection(
    deck_hub: Hub, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, fault: dict[str, Any]
) -> None:
    sandbox.state.configure(slideshare_queued_reads=50)
    monkeypatch.setenv("MEDIA_HUB_SLIDESHARE_CONVERSION_WAIT", "0")
    hub = Hub(load_settings(deck_hub.settings.home))
    client = _client(sandbox, [], timeout=1.0)
    first = _publish(hub, client)
    assert not first.finished  # still queued when the wait ended
    with sandbox.state.change() as data:
        broken = data["slideshare"]["slideshows"][first.remote_id]
        broken["queued_reads"], broken["final_status"] = 0, 3
    with pytest.raises(MediaError, match="could not convert"):
        _publish(hub, client)
    sandbox.state.configure(slideshare_queued_reads=0)
    sandbox.faults.add(path="/api/2/delete_slideshow", **fault)
    again = _publish(hub, client)
    assert again.finished
    assert list(_slideshows(sandbox)) == [again.remote_id]  # the failed one is gone
    assert again.remote_id != first.remote_id

"""The sign-in limiter's counts live in the catalog: two web workers (or two servers behind one
proxy) over one catalog share them, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from starlette.testclient import TestClient

from media_hub.catalog.models import AuditEntry
from media_hub.catalog.sign_in_failures import MAX_KEY_CHARS
from media_hub.catalog.user_models import Role, SignInFailure
from media_hub.fence import Fence, LeaseLostError, LeaseState, holding
from media_hub.hub import Hub
from media_hub.settings import load_settings
from media_hub.web.app import create_app
from media_hub.web.config import WebConfig
from media_hub.web.limiter import LoginLimiter
from tests.web.conftest import PASSWORD, csrf_of

START = 1_800_000_000.0  # 2027-01-15, wall-clock seconds


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def other_hub(hub: Hub) -> Iterator[Hub]:
    """A second process's view of the same hub: its own settings, engine and connections."""
    opened = Hub(load_settings(hub.settings.home))
    yield opened
    opened.close()


def _failures(hub: Hub) -> list[tuple[str, float]]:
    with hub.db.engine.connect() as connection:
        rows = connection.execute(
            select(SignInFailure.key, SignInFailure.failed_at).order_by(
                SignInFailure.failed_at, SignInFailure.key
            )
        )
        return [(key, at.timestamp()) for key, at in rows]


def test_two_workers_share_the_counts(hub: Hub, other_hub: Hub) -> None:
    clock = Clock()
    first = LoginLimiter(hub.db, attempts=3, window_s=60, clock=clock)
    second = LoginLimiter(other_hub.db, attempts=3, window_s=60, clock=clock)
    first.failed("name:a", "address:x")
    clock.now += 1
    second.failed("name:a", "address:y")
    assert first.retry_after("name:a") == 0
    clock.now += 1
    first.failed("name:a", "address:x")
    assert second.retry_after("name:a") == 58  # the first failure leaves the window at +60
    assert second.retry_after("name:b", "address:x") == 0  # two failures from x: not yet
    assert first.retry_after("name:b", "address:y") == 0


def test_the_window_slides(hub: Hub) -> None:
    clock = Clock()
    limiter = LoginLimiter(hub.db, attempts=2, window_s=60, clock=clock)
    limiter.failed("name:a")
    clock.now += 30
    limiter.failed("name:a")
    assert limiter.retry_after("name:a") == 30
    clock.now += 30  # the first failure leaves the window; the second stays 30 s more
    assert limiter.retry_after("name:a") == 0
    limiter.failed("name:a")
    assert limiter.retry_after("name:a") == 30
    clock.now += 29.5
    assert limiter.retry_after("name:a") == 1  # rounded up: never "try again in 0 s"


def test_recording_a_failure_sweeps_those_out_of_the_window(hub: Hub) -> None:
    clock = Clock()
    limiter = LoginLimiter(hub.db, attempts=5, window_s=60, clock=clock)
    limiter.failed("name:old", "address:x")
    clock.now += 59
    limiter.failed("name:recent")
    assert [key for key, _ in _failures(hub)] == ["address:x", "name:old", "name:recent"]
    clock.now += 1  # the first two are now a full window old
    limiter.failed("name:new")
    assert _failures(hub) == [("name:recent", START + 59), ("name:new", START + 60)]


def test_more_failures_than_allowed_wait_for_enough_of_them_to_expire(hub: Hub) -> None:
    """Workers checking at once can each let a guess through: the wait then lasts until the
    count is below the limit again, not until the oldest failure leaves."""
    clock = Clock()
    limiter = LoginLimiter(hub.db, attempts=2, window_s=60, clock=clock)
    for _ in range(4):
        limiter.failed("name:a")
        clock.now += 10
    # Failures at +0, +10, +20 and +30; now +40. Below 2 once the one at +20 leaves, at +80
    # (not at +60, when the oldest leaves and three remain).
    assert limiter.retry_after("name:a") == 40


def test_success_clears_the_names_failures_not_the_addresss(hub: Hub, other_hub: Hub) -> None:
    clock = Clock()
    first = LoginLimiter(hub.db, attempts=2, window_s=60, clock=clock)
    second = LoginLimiter(other_hub.db, attempts=2, window_s=60, clock=clock)
    first.failed("name:a", "address:x")
    first.failed("name:a", "address:x")
    first.failed("name:b", "address:y")
    assert second.retry_after("name:a") == 60
    second.succeeded("name:a")
    assert first.retry_after("name:a") == 0
    assert first.retry_after("address:x") == 60
    assert [key for key, _ in _failures(hub)] == ["address:x", "address:x", "address:y", "name:b"]


def test_a_long_key_is_counted_under_its_first_characters(hub: Hub) -> None:
    clock = Clock()
    limiter = LoginLimiter(hub.db, attempts=1, window_s=60, clock=clock)
    long_key = "address:" + "9" * 400
    limiter.failed(long_key)
    assert limiter.retry_after(long_key) == 60
    assert [len(key) for key, _ in _failures(hub)] == [MAX_KEY_CHARS]
    limiter.succeeded(long_key)
    assert _failures(hub) == []


def _audit_entries(hub: Hub) -> int:
    with hub.db.engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(AuditEntry)).scalar_one()


def test_failures_are_neither_audited_nor_fenced(hub: Hub) -> None:
    """Recorded even inside a job whose lease another worker took (where a catalog write is
    refused), and never as catalog changes in the audit log."""
    taken = Fence(job_id=1, confirm_held=lambda: LeaseState.TAKEN, guard=lambda _: LeaseState.TAKEN)
    limiter = LoginLimiter(hub.db, attempts=1, window_s=60)
    before = _audit_entries(hub)
    with holding(taken):
        with pytest.raises(LeaseLostError), hub.db.session() as session:  # the fence holds...
            session.add(SignInFailure(key="name:fenced", failed_at=datetime.now(UTC)))
        limiter.failed("name:a", "address:x")  # ...but not for the limiter
        limiter.succeeded("name:a")
    assert [key for key, _ in _failures(hub)] == ["address:x"]
    assert _audit_entries(hub) == before


def _fail(client: TestClient) -> int:
    token = csrf_of(client.get("/login").text)
    answer = client.post("/login", data={"name": "admin", "password": "nope", "csrf_token": token})
    return answer.status_code


def test_the_sixth_failure_is_refused_by_another_app(
    hub: Hub, other_hub: Hub, web_config: WebConfig, people: dict[Role, str]
) -> None:
    """Two apps (as two uvicorn workers) over one hub: five failures spread over both are
    all the limit allows, and the right password is then refused on either."""
    apps = [create_app(hub, web_config), create_app(other_hub, web_config)]
    clients = [
        TestClient(app, raise_server_exceptions=False, follow_redirects=False,
                   headers={"Accept-Language": "en"})
        for app in apps
    ]  # fmt: skip
    with clients[0] as first, clients[1] as second:
        assert [_fail(first), _fail(second), _fail(first), _fail(second), _fail(first)] == [401] * 5
        token = csrf_of(second.get("/login").text)
        refused = second.post(
            "/login", data={"name": "admin", "password": PASSWORD, "csrf_token": token}
        )
        assert refused.status_code == 429
        assert 0 < int(refused.headers["retry-after"]) <= web_config.login_window_s
        assert second.get("/").status_code == 303  # not signed in
        token = csrf_of(first.get("/login").text)
        assert (
            first.post(
                "/login", data={"name": "admin", "password": PASSWORD, "csrf_token": token}
            ).status_code
            == 429
        )

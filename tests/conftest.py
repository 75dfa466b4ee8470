"""Fixtures: a fresh hub per test, on SQLite and on a real PostgreSQL server.

The PostgreSQL server is started once per run; each test gets a database of its own.
Set MEDIA_HUB_TEST_POSTGRES=skip to run without it (CI never does).

Migrating a catalog costs 0.25-0.5 s, and some 300 tests need one: the run migrates one
template per engine with the project's own code, and each test gets a copy of it (a file
copy on SQLite, CREATE DATABASE ... TEMPLATE on PostgreSQL). Tests marked `empty_catalog`
(the migration tests) get an empty database instead.

A hub's `youtube` profile is the built-in one with a fast preset and one loudness pass,
since most tests publish a rendition without looking at it; tests marked `real_profile`
(those that examine renditions) get the built-in profile.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from google.oauth2.credentials import Credentials
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from media_hub.catalog.db import open_catalog
from media_hub.catalog.service import CatalogService
from media_hub.hub import Hub, init_hub
from media_hub.platforms.slideshare.credentials import SlideShareCredentials
from media_hub.platforms.slideshare.credentials import (
    save_credentials as save_slideshare_credentials,
)
from media_hub.platforms.youtube import scopes
from media_hub.platforms.youtube.auth import save_credentials, token_path
from media_hub.sandbox.server import Sandbox
from media_hub.settings import load_settings
from tests.pg_server import postgres_server
from tests.s3_server import drop_bucket, new_bucket, s3_client, s3_server

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    if os.environ.get("MEDIA_HUB_TEST_POSTGRES") == "skip":
        pytest.skip("MEDIA_HUB_TEST_POSTGRES=skip")
    with postgres_server() as url:
        yield url


@pytest.fixture(scope="session")
def postgres_admin(postgres_admin_url: str) -> Iterator[Engine]:
    """One autocommit engine on the server's `postgres` database, to create and drop others."""
    admin = create_engine(postgres_admin_url, isolation_level="AUTOCOMMIT")
    yield admin
    admin.dispose()


def _database_url(admin_url: str, name: str) -> str:
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite catalog migrated once for the run; tests copy the file."""
    path = tmp_path_factory.mktemp("template") / "media-hub.db"
    open_catalog(f"sqlite:///{path}", "template").close()
    # Closing the last connection checkpoints the WAL into the file and removes it: the one
    # file then holds the whole database. Were it left, a copy of the file alone would lose it.
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise RuntimeError(f"{wal} survived closing the template catalog")
    return path


@pytest.fixture(scope="session")
def postgres_template(postgres_admin: Engine, postgres_admin_url: str) -> str:
    """The name of a PostgreSQL catalog migrated once for the run; tests clone it."""
    name = "media_hub_template"
    with postgres_admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    # Disposed on close: CREATE DATABASE ... TEMPLATE refuses a template with open sessions.
    open_catalog(_database_url(postgres_admin_url, name), "template").close()
    with postgres_admin.connect() as connection:
        # Nothing may connect to it by mistake from now on, which would stop the cloning.
        connection.execute(text(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false'))
    return name


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def catalog_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a catalog database of the test's own, on each engine in turn: migrated and
    holding no rows, or empty (not even migrated) for a test marked `empty_catalog`."""
    empty = request.node.get_closest_marker("empty_catalog") is not None
    if request.param == "sqlite":
        path = tmp_path / "catalog" / "media-hub.db"
        if not empty:
            path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    admin_url: str = request.getfixturevalue("postgres_admin_url")
    admin: Engine = request.getfixturevalue("postgres_admin")
    name = f"test_{uuid.uuid4().hex[:12]}"
    template = "" if empty else f' TEMPLATE "{request.getfixturevalue("postgres_template")}"'
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"{template}'))
    try:
        yield _database_url(admin_url, name)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))


# The built-in youtube profile made cheap: x264's fastest preset and no measuring run of
# ffmpeg. Measured here: tests/data/in.mp4 (320x240, 7 s) 1.2 s -> 1.0 s, a 720p30 clip of
# 2 s 3.1 s -> 0.8 s. Only the encoder's speed and the loudness method change.
FAST_YOUTUBE_PROFILE = """\
extends = "youtube"
[video]
preset = "ultrafast"
[loudness]
two_pass = false
"""


@pytest.fixture
def hub_dir(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    catalog_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> Path:
    """A hub folder with the starter conventions, its catalog at `catalog_url`, env isolated;
    its youtube profile is the fast one unless the test is marked `real_profile`."""
    for name in list(os.environ):
        if name.startswith("MEDIA_HUB_"):
            monkeypatch.delenv(name)
    folder = tmp_path / "hub"
    init_hub(folder)
    if request.node.get_closest_marker("real_profile") is None:
        profiles = folder / "catalog" / "profiles"
        profiles.mkdir()
        (profiles / "youtube.toml").write_text(FAST_YOUTUBE_PROFILE, encoding="utf-8")
    monkeypatch.setenv("MEDIA_HUB_HOME", str(folder))
    monkeypatch.setenv("MEDIA_HUB_CATALOG_URL", catalog_url)
    monkeypatch.setenv("MEDIA_HUB_USER", "librarian")
    # Progress lines show when a step outlasts 2 s, which a loaded machine decides: tests that
    # read stderr whole would depend on it (tests/test_progress_steps.py shows the lines).
    monkeypatch.setenv("MEDIA_HUB_NO_PROGRESS", "1")
    return folder


@pytest.fixture
def hub(hub_dir: Path) -> Iterator[Hub]:
    """An open hub with the conventions loaded."""
    opened = Hub(load_settings(hub_dir))
    opened.catalog.load_conventions(opened.settings.definitions_dir)
    yield opened
    opened.close()


@pytest.fixture
def catalog(hub: Hub) -> CatalogService:
    return hub.catalog


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    with s3_server() as url:
        yield url


@pytest.fixture(scope="session")
def s3_admin(s3_endpoint: str) -> S3Client:
    """One client for the run: building one costs ~0.4 s. Tests that hook events unhook them."""
    return s3_client(s3_endpoint)


@pytest.fixture
def s3_bucket(s3_admin: S3Client) -> Iterator[tuple[S3Client, str]]:
    bucket = new_bucket(s3_admin)
    yield s3_admin, bucket
    drop_bucket(s3_admin, bucket)


@pytest.fixture
def s3_store(
    monkeypatch: pytest.MonkeyPatch, s3_bucket: tuple[S3Client, str], s3_endpoint: str
) -> tuple[S3Client, str]:
    """The hub's store set to a fresh bucket on the loopback S3 server, under `channel/`."""
    _, bucket = s3_bucket
    monkeypatch.setenv("MEDIA_HUB_STORE_URL", f"s3://{bucket}/channel")
    monkeypatch.setenv("MEDIA_HUB_STORE_ENDPOINT_URL", s3_endpoint)
    monkeypatch.setenv("MEDIA_HUB_STORE_REGION", "us-east-1")
    monkeypatch.setenv("MEDIA_HUB_STORE_ACCESS_KEY_ID", "testing-access-key")
    monkeypatch.setenv("MEDIA_HUB_STORE_SECRET_ACCESS_KEY", "testing-secret-key")
    return s3_bucket


YOUTUBE_CLIENT_ID = "media-hub-tests.apps.googleusercontent.com"


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[Sandbox]:
    with Sandbox(tmp_path / "sandbox" / "state.json") as running:
        yield running


@pytest.fixture
def channel_hub(hub: Hub, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Hub:
    """The hub pointed at the sandbox by the three settings that differ from production."""
    monkeypatch.setenv("MEDIA_HUB_YOUTUBE_API_ENDPOINT", sandbox.url)
    monkeypatch.setenv("MEDIA_HUB_YOUTUBE_TOKEN_URI", sandbox.token_uri)
    monkeypatch.setenv("MEDIA_HUB_YOUTUBE_CA_BUNDLE", str(sandbox.ca_cert))
    monkeypatch.setenv("MEDIA_HUB_YOUTUBE_TOKEN_FILE", str(tmp_path / "secrets" / "token.json"))
    settings = load_settings(hub.settings.home)
    credentials = Credentials(  # type: ignore[no-untyped-call]
        token=None,
        refresh_token=sandbox.grant(YOUTUBE_CLIENT_ID, scopes.ALL),
        token_uri=sandbox.token_uri,
        client_id=YOUTUBE_CLIENT_ID,
        client_secret="sandbox-client-secret",
    )
    save_credentials(token_path(settings), credentials)
    return Hub(settings)


@pytest.fixture
def deck_hub(hub: Hub, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Hub:
    """The hub pointed at the sandbox's SlideShare, with the account's credentials saved;
    decks convert on the first read, so no test waits on the polling's backoff."""
    sandbox.state.configure(slideshare_queued_reads=0, slideshare_converting_reads=0)
    monkeypatch.setenv("MEDIA_HUB_SLIDESHARE_API_BASE", sandbox.slideshare_api_base)
    monkeypatch.setenv("MEDIA_HUB_SLIDESHARE_CA_BUNDLE", str(sandbox.ca_cert))
    path = tmp_path / "secrets" / "slideshare.json"
    monkeypatch.setenv("MEDIA_HUB_SLIDESHARE_CREDENTIALS_FILE", str(path))
    save_slideshare_credentials(path, SlideShareCredentials(**sandbox.slideshare_account))
    return Hub(load_settings(hub.settings.home))

"""A media-hub.toml that holds a secret is refused while others can read it, as token files
are: one line with the chmod that fixes it, status 5, and nothing run (issue 15, point 12)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from media_hub.cli import app
from media_hub.errors import ConfigError
from media_hub.platforms import registry
from media_hub.private_files import read_private
from media_hub.settings import CONFIG_FILE, load_settings
from tests.test_refusals import assert_refused

S3_SECRET = '[store]\nurl = "s3://anapec-media/hub"\nsecret_access_key = "s3-secret-value"\n'
PG_PASSWORD = '[catalog]\nurl = "postgresql+psycopg://hub:pg-password@db.internal/hub"\n'


@pytest.fixture
def hub_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in list(os.environ):
        if name.startswith("MEDIA_HUB_"):
            monkeypatch.delenv(name)
    return tmp_path


def config(folder: Path, text: str, mode: int) -> Path:
    path = folder / CONFIG_FILE
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


@pytest.mark.parametrize(
    ("text", "secret"),
    [(S3_SECRET, "store.secret_access_key"), (PG_PASSWORD, "catalog.url")],
    ids=["s3 secret", "catalog password"],
)
@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604], ids=oct)
def test_a_config_with_a_secret_others_can_read_is_refused(
    hub_folder: Path, text: str, secret: str, mode: int
) -> None:
    path = config(hub_folder, text, mode)

    result = CliRunner().invoke(app, ["--hub", str(hub_folder), "config", "show"])

    assert_refused(
        result,
        5,
        f"{path} holds {secret} and is readable by others; run 'chmod 600 {path}'",
        oct(mode),
    )
    assert oct(path.stat().st_mode & 0o777) == oct(mode)  # refused, not changed behind one's back


def test_the_refusal_reads_as_a_token_files(hub_folder: Path) -> None:
    path = config(hub_folder, S3_SECRET, 0o644)
    token = hub_folder / "youtube-token.json"
    token.write_text("{}", encoding="utf-8")
    token.chmod(0o644)
    with pytest.raises(ConfigError) as settings_refused:
        load_settings(hub_folder, registry.settings_sections())
    with pytest.raises(ConfigError) as token_refused:
        read_private(token, "run 'media-hub auth youtube' first")
    assert str(token_refused.value) == f"{token} is readable by others; run 'chmod 600 {token}'"
    assert str(settings_refused.value) == (
        f"{path} holds store.secret_access_key and is readable by others; run 'chmod 600 {path}'"
    )


@pytest.mark.parametrize("text", [S3_SECRET, S3_SECRET + PG_PASSWORD], ids=["one", "two"])
def test_a_private_config_with_secrets_is_read(hub_folder: Path, text: str) -> None:
    config(hub_folder, text, 0o600)
    settings = load_settings(hub_folder, registry.settings_sections())
    secret = settings.store.secret_access_key
    assert secret is not None
    assert secret.get_secret_value() == "s3-secret-value"


@pytest.mark.parametrize(
    "text",
    [
        '[catalog]\nurl = "postgresql+psycopg://hub@db.internal/hub"\n',
        '[store]\nurl = "s3://anapec-media/hub"\naccess_key_id = "AKIA-not-a-secret"\n',
        '[store]\nsecret_access_key = ""\n',
        "",
    ],
    ids=["url without password", "key id only", "empty secret", "empty file"],
)
def test_a_config_without_a_secret_may_be_readable(hub_folder: Path, text: str) -> None:
    config(hub_folder, text, 0o644)
    load_settings(hub_folder, registry.settings_sections())


def test_secrets_from_the_environment_leave_a_readable_config_alone(
    hub_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config(hub_folder, '[thumbnails]\ndir = "thumbs"\n', 0o644)
    monkeypatch.setenv("MEDIA_HUB_STORE_SECRET_ACCESS_KEY", "from-the-environment")
    monkeypatch.setenv("MEDIA_HUB_CATALOG_URL", "postgresql://hub:pg-password@db.internal/hub")
    settings = load_settings(hub_folder, registry.settings_sections())
    assert settings.catalog.url.endswith("@db.internal/hub")

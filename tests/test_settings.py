"""Settings: file, environment, defaults, masking, and the hub a new user creates."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from media_hub.cli import app
from media_hub.errors import ConfigError
from media_hub.hub import default_config_text, init_hub
from media_hub.platforms import registry
from media_hub.platforms.youtube.settings import youtube_settings
from media_hub.settings import CONFIG_FILE, iter_declared_settings, load_settings


@pytest.fixture
def bare_env(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    for name in list(os.environ):
        if name.startswith("MEDIA_HUB_"):
            monkeypatch.delenv(name)


@pytest.mark.usefixtures("bare_env")
def test_defaults_give_an_embedded_hub(tmp_path: Path) -> None:
    settings = load_settings(tmp_path)
    assert settings.catalog_url == f"sqlite:///{tmp_path / 'catalog' / 'media-hub.db'}"
    assert settings.path(settings.thumbnails.dir) == tmp_path / "thumbnails"
    assert settings.store.url == "assets"


@pytest.mark.usefixtures("bare_env")
def test_environment_overrides_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / CONFIG_FILE).write_text(
        '[catalog]\nurl = "sqlite:///from-file.db"\n[store]\nurl = "s3://bucket/file"\n'
    )
    monkeypatch.setenv("MEDIA_HUB_STORE_URL", "s3://bucket/env")
    monkeypatch.setenv("MEDIA_HUB_YOUTUBE_API_ENDPOINT", "https://127.0.0.1:8443")
    settings = load_settings(tmp_path)
    assert settings.catalog.url == "sqlite:///from-file.db"
    assert settings.store.url == "s3://bucket/env"
    assert youtube_settings(settings).api_endpoint == "https://127.0.0.1:8443"


@pytest.mark.usefixtures("bare_env")
def test_hub_folder_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MEDIA_HUB_HOME", str(tmp_path))
    monkeypatch.chdir("/")
    assert load_settings().home == tmp_path


@pytest.mark.usefixtures("bare_env")
@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("[catalog\n", "not valid TOML"),
        ("[catalog]\nurll = 'x'\n", "catalog.urll"),
        ("[youtube]\nca_bundle = 3\n", "youtube.ca_bundle"),
    ],
)
def test_a_bad_file_names_the_key(tmp_path: Path, content: str, expected: str) -> None:
    (tmp_path / CONFIG_FILE).write_text(content)
    with pytest.raises(ConfigError, match=expected) as caught:
        load_settings(tmp_path, registry.settings_sections())
    assert str(tmp_path / CONFIG_FILE) in str(caught.value)


@pytest.mark.usefixtures("bare_env")
def test_config_show_masks_secrets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / CONFIG_FILE).write_text('[store]\nsecret_access_key = "s3-secret-value"\n')
    (tmp_path / CONFIG_FILE).chmod(0o600)  # it holds a secret (test_config_permissions.py)
    monkeypatch.setenv("MEDIA_HUB_CATALOG_URL", "postgresql://hub:pg-password@db.example/hub")
    result = CliRunner().invoke(app, ["--hub", str(tmp_path), "config", "show", "--json"])
    assert result.exit_code == 0, result.stderr
    for secret in ("pg-password", "s3-secret-value"):
        assert secret not in result.stdout
    assert '"store.secret_access_key": "********"' in result.stdout
    assert "postgresql://hub:***@db.example/hub" in result.stdout


@pytest.mark.usefixtures("bare_env")
def test_config_show_says_where_values_come_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / CONFIG_FILE).write_text('[thumbnails]\ndir = "thumbs"\n')
    monkeypatch.setenv("MEDIA_HUB_USER", "amina")
    result = CliRunner().invoke(app, ["--hub", str(tmp_path), "config", "show"])
    assert result.exit_code == 0, result.stderr
    lines = {line.split("│")[1].strip(): line for line in result.stdout.splitlines() if "│" in line}
    assert "file" in lines["thumbnails.dir"]
    assert "environment" in lines["user"]
    assert "default" in lines["catalog.url"]


@pytest.mark.usefixtures("bare_env")
def test_init_creates_a_private_config_that_documents_every_setting(tmp_path: Path) -> None:
    created = init_hub(tmp_path / "hub", registry.settings_sections())
    config = tmp_path / "hub" / CONFIG_FILE
    assert config in created
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    text = config.read_text()
    for declared in iter_declared_settings(registry.settings_sections()):
        assert f"# {declared.name} = " in text
    # All commented out: the file means "the defaults", and parses.
    assert load_settings(tmp_path / "hub").catalog.url == "sqlite:///catalog/media-hub.db"
    assert text == default_config_text(registry.settings_sections())


@pytest.mark.usefixtures("bare_env")
def test_init_twice_keeps_what_exists(tmp_path: Path) -> None:
    init_hub(tmp_path)
    series = tmp_path / "catalog" / "series.toml"
    series.write_text(series.read_text() + "\n# a librarian's note\n")
    assert init_hub(tmp_path) == []
    assert series.read_text().endswith("# a librarian's note\n")


def test_a_file_in_the_way_of_the_hub_is_refused(tmp_path: Path) -> None:
    (tmp_path / "hub").write_text("not a folder")
    with pytest.raises(ConfigError, match="not a folder"):
        init_hub(tmp_path / "hub")

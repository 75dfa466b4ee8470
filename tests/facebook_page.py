"""Helpers for the Facebook tests: a hub pointed at the sandbox's Page, and what it holds."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from media_hub.hub import Hub
from media_hub.platforms.facebook.credentials import FacebookCredentials, save_credentials
from media_hub.sandbox.server import Sandbox
from media_hub.settings import load_settings


def point_at_page(
    hub_dir: Path, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, secrets: Path
) -> Path:
    """Settings and saved credentials for the sandbox's Page; `reports` goes to Facebook."""
    monkeypatch.setenv("MEDIA_HUB_FACEBOOK_GRAPH_BASE", sandbox.facebook_graph_base)
    monkeypatch.setenv("MEDIA_HUB_FACEBOOK_CA_BUNDLE", str(sandbox.ca_cert))
    path = secrets / "facebook.json"
    monkeypatch.setenv("MEDIA_HUB_FACEBOOK_CREDENTIALS_FILE", str(path))
    save_credentials(path, FacebookCredentials(**sandbox.app.facebook.page.account))
    series = hub_dir / "catalog" / "series.toml"
    text = series.read_text(encoding="utf-8")
    marker = "[series.reports]"
    head, _, tail = text.partition(marker)
    tail = tail.replace('platforms = ["youtube"]', 'platforms = ["facebook"]', 1)
    series.write_text(head + marker + tail, encoding="utf-8")
    return path


def page_hub(hub: Hub) -> Hub:
    opened = Hub(load_settings(hub.settings.home))
    opened.catalog.load_conventions(opened.settings.definitions_dir)
    return opened


def videos(sandbox: Sandbox) -> dict[str, Any]:
    found: dict[str, Any] = sandbox.state.snapshot()["facebook"]["videos"]
    return found


def page_environment(hub_dir: Path, sandbox: Sandbox, **more: str) -> dict[str, str]:
    """The environment of a `media-hub` subprocess on `hub_dir` with the sandbox's Page (its
    credentials saved as `hub_dir/facebook.json`), none of this process's MEDIA_HUB_ settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEDIA_HUB_")}
    env.update(
        MEDIA_HUB_HOME=str(hub_dir),
        MEDIA_HUB_USER="uploader",
        MEDIA_HUB_FACEBOOK_GRAPH_BASE=sandbox.facebook_graph_base,
        MEDIA_HUB_FACEBOOK_CA_BUNDLE=str(sandbox.ca_cert),
        MEDIA_HUB_FACEBOOK_CREDENTIALS_FILE=str(hub_dir / "facebook.json"),
        **more,
    )
    return env

"""The app that `media-hub serve` runs, built the same way in one process or in each of
several uvicorn workers: a worker is a fresh process that gets only an import string, so the
hub folder and the serve options reach it through the environment."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from starlette.applications import Starlette

from media_hub.hub import Hub
from media_hub.publishing.hubs import open_hub
from media_hub.settings import HOME_ENV
from media_hub.web.app import create_app
from media_hub.web.config import WebConfig, hub_secret

OPTIONS_ENV = "MEDIA_HUB_SERVE_OPTIONS"
FACTORY = f"{__name__}:app_from_environment"


@dataclass(frozen=True)
class ServeOptions:
    """What `serve`'s options set for the app (the address and the workers are uvicorn's)."""

    trusted_proxies: tuple[str, ...] = ("127.0.0.1",)
    proxy_user_header: str | None = None
    upload_max_bytes: int = 8 * 1024**3
    threads: int = 4

    def to_environment(self) -> dict[str, str]:
        return {OPTIONS_ENV: json.dumps(asdict(self))}

    @classmethod
    def from_environment(cls) -> ServeOptions:
        values = json.loads(os.environ.get(OPTIONS_ENV) or "{}")
        values["trusted_proxies"] = tuple(values.get("trusted_proxies", cls.trusted_proxies))
        return cls(**values)


def serve_app(hub: Hub, options: ServeOptions) -> Starlette:
    settings = hub.settings
    config = WebConfig(
        secret_key=hub_secret(settings.home),
        thumbnails_dir=settings.path(settings.thumbnails.dir),
        trusted_proxies=options.trusted_proxies,
        proxy_user_header=options.proxy_user_header,
        upload_max_bytes=options.upload_max_bytes,
        threads=options.threads,
    )
    return create_app(hub, config)


def app_from_environment() -> Starlette:
    """The app of one uvicorn worker (uvicorn calls this factory in each worker process)."""
    home = os.environ.get(HOME_ENV)
    return serve_app(open_hub(Path(home) if home else None), ServeOptions.from_environment())

"""`auth facebook`: the Page's token and the app secret, checked with one call, then kept 0600."""

from __future__ import annotations

from pathlib import Path

from media_hub.errors import ConfigError
from media_hub.platforms.facebook.connect import graph_client
from media_hub.platforms.facebook.credentials import (
    FacebookCredentials,
    credentials_path,
    save_credentials,
)
from media_hub.platforms.facebook.errors import GraphError, translate
from media_hub.settings import Settings


def check_and_save(settings: Settings, credentials: FacebookCredentials) -> tuple[Path, str]:
    """Refused here, not at the first upload: nothing is saved unless the Page answers to the
    token (and the app secret's proof). Returns where they were saved and the Page's name."""
    client = graph_client(settings, credentials)
    try:
        page = client.get(credentials.page_id, {"fields": "id,name"}, doing="checking the token")
    except GraphError as error:
        raise translate(error, "checking the Page access token") from error
    finally:
        client.close()
    if str(page.get("id")) != credentials.page_id:
        raise ConfigError(f"Facebook: the token does not reach Page {credentials.page_id}")
    path = credentials_path(settings)
    save_credentials(path, credentials)
    return path, str(page.get("name") or credentials.page_id)

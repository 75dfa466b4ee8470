"""`media-hub init [PATH]`: a new hub, its conventions loaded."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def init(
    path: Annotated[Path, typer.Argument(help="Folder of the new hub.")] = Path(),
) -> None:
    """Create a hub (settings, conventions, catalog, asset and thumbnail folders) and load it.

    Safe to run again: existing files are kept. Example: media-hub init ~/channel-hub
    """
    from media_hub.hub import Hub, init_hub
    from media_hub.settings import load_settings, mask_url_password

    folder = path.expanduser().resolve()
    for created in init_hub(folder):
        typer.echo(f"created {created}")
    hub = Hub(load_settings(folder))
    try:
        changes = hub.catalog.load_conventions(hub.settings.definitions_dir)
    finally:
        hub.close()
    added = sum(1 for change in changes if change.action == "added")
    typer.echo(
        f"hub ready in {folder}: catalog at {mask_url_password(hub.settings.catalog_url)}, "
        f"{added} conventions added"
    )

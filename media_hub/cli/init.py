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
    from media_hub.publishing.hubs import create_hub
    from media_hub.settings import mask_url_password

    made = create_hub(path.expanduser().resolve())
    for created in made.created:
        typer.echo(f"created {created}")
    added = sum(1 for change in made.changes if change.action == "added")
    typer.echo(
        f"hub ready in {made.folder}: catalog at {mask_url_password(made.catalog_url)}, "
        f"{added} conventions added"
    )

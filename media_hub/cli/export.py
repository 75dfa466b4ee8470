"""`media-hub export ID --to DIR`: a bundle to publish by hand."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from media_hub.cli import output
from media_hub.cli.progress import fraction_progress
from media_hub.cli.state import state


def export_command(
    ctx: typer.Context,
    asset_id: Annotated[int, typer.Argument(metavar="ID", help="The asset to export.")],
    to: Annotated[
        Path,
        typer.Option("--to", help="A new (or empty) folder for the bundle.", show_default=False),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Write a ready-to-upload bundle: the file, its thumbnail, captions and metadata to paste.

    For when a platform's API is closed or an account is not connected: open
    metadata.txt beside the upload form. Example: media-hub export 12 --to ~/Desktop/flyer-12
    """
    from media_hub.platforms.folder.bundle import export_bundle

    cli_state = state(ctx)
    with fraction_progress(f"transcode asset {asset_id}") as advance:
        bundle = export_bundle(cli_state.hub, asset_id, to, on_transcode=advance)
    if as_json:
        output.print_json({"folder": str(bundle.folder), "platform": bundle.platform,
                           "files": bundle.files})  # fmt: skip
        return
    typer.echo(f"asset {asset_id}: bundle for {bundle.platform} in {bundle.folder}")
    for name in bundle.files:
        typer.echo(f"  {name}")

"""`media-hub thumbs make|list|pick|set`: an asset's thumbnail, chosen or picked."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

from media_hub.cli import output
from media_hub.cli.options import JsonOpt
from media_hub.cli.state import CliState, state
from media_hub.pipeline.thumbnails import (
    DEFAULT_CANDIDATES,
    ThumbnailPlace,
    ThumbnailSet,
    list_thumbnails,
    make_thumbnails,
    pick_thumbnail,
    use_own_thumbnail,
    weak_choice,
)

app = typer.Typer(
    help="Thumbnails: candidate frames, the chosen one, the branded image.", no_args_is_help=True
)
AssetArg = Annotated[int, typer.Argument(metavar="ID", help="Asset id.")]


def _place(cli_state: CliState) -> ThumbnailPlace:
    settings = cli_state.settings
    return ThumbnailPlace(settings.definitions_dir, settings.path(settings.thumbnails.dir))


def _report(result: ThumbnailSet, as_json: bool) -> None:
    if as_json:
        output.print_json(
            {
                "asset_id": result.asset_id,
                "thumbnail": str(result.branded),
                "bytes": result.branded_bytes,
                "contact_sheet": str(result.contact_sheet) if result.contact_sheet else None,
                "candidates": [asdict(c) for c in result.candidates],
            }
        )
        return
    chosen = next((c for c in result.candidates if c.chosen), None)
    which = f"candidate {chosen.index}" if chosen and chosen.role == "candidate" else "own picture"
    typer.echo(f"asset {result.asset_id}: {result.branded} ({which})")
    if result.contact_sheet:
        typer.echo(f"  candidates: {result.contact_sheet}")


@app.command("make")
def make(
    ctx: typer.Context,
    asset_id: AssetArg,
    count: Annotated[
        int, typer.Option("--count", min=1, max=48, help="Candidate frames to consider.")
    ] = DEFAULT_CANDIDATES,
    again: Annotated[bool, typer.Option("--again", help="Extract the candidates anew.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Find candidate frames, choose the best, render the branded 1280x720 JPEG.

    A rerun reuses the candidates and a librarian's pick, and renders the current title.
    Example: media-hub thumbs make 12
    """
    cli_state = state(ctx)
    result = make_thumbnails(
        cli_state.hub.db, cli_state.hub.store, _place(cli_state), asset_id, count,
        again=again,
    )  # fmt: skip
    _report(result, as_json)


@app.command("list")
def list_(ctx: typer.Context, asset_id: AssetArg, as_json: JsonOpt = False) -> None:
    """List an asset's candidate frames with their times and scores; * marks the chosen one.

    Example: media-hub thumbs list 12
    """
    rows = list_thumbnails(state(ctx).hub.db, asset_id)
    if as_json:
        output.print_json([asdict(row) for row in rows])
        return
    output.print_table(
        f"asset {asset_id}",
        ["", "candidate", "time", "score", "kind"],
        (
            [
                "*" if row.chosen else "",
                row.index if row.role == "candidate" else "",
                f"{row.time:.1f} s" if row.time is not None else "",
                f"{row.score:.2f}" if row.score is not None else "",
                row.role,
            ]
            for row in rows
        ),
    )


@app.command("pick")
def pick(ctx: typer.Context, asset_id: AssetArg, index: int, as_json: JsonOpt = False) -> None:
    """Choose candidate N (see 'thumbs list' or the contact sheet) and render again.

    Example: media-hub thumbs pick 12 5
    """
    cli_state = state(ctx)
    result = pick_thumbnail(
        cli_state.hub.db, cli_state.hub.store, _place(cli_state), asset_id, index
    )
    weak = weak_choice(result)
    if weak is not None:
        typer.echo(
            f"warning: asset {asset_id}: candidate {index} scores {weak.score:.2f}, a dark, flat "
            "or blurred frame; it is used as asked (see 'media-hub thumbs list "
            f"{asset_id}' for better ones)",
            err=True,
        )
    _report(result, as_json)


@app.command("set")
def set_(
    ctx: typer.Context,
    asset_id: AssetArg,
    picture: Annotated[Path, typer.Argument(help="A JPEG or PNG of your own.")],
    as_json: JsonOpt = False,
) -> None:
    """Use a picture of your own as the thumbnail's frame.

    Example: media-hub thumbs set 12 ~/Pictures/cv-workshop.jpg
    """
    cli_state = state(ctx)
    result = use_own_thumbnail(
        cli_state.hub.db, cli_state.hub.store, _place(cli_state), asset_id, picture
    )
    _report(result, as_json)

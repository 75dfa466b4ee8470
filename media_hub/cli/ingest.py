"""`media-hub ingest FILE...`: files into the store and the catalog."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from media_hub.cli import output
from media_hub.cli.errors import batch_status, error_line
from media_hub.cli.options import AssetOpt, ReplaceOpt, check_asset_options
from media_hub.cli.parsing import language_texts
from media_hub.cli.progress import byte_progress
from media_hub.cli.state import state
from media_hub.errors import MediaHubError

if TYPE_CHECKING:  # ingest reads PDFs and images: imported when a command runs
    from media_hub.pipeline.ingest import IngestResult


def ingest_command(
    ctx: typer.Context,
    files: Annotated[
        list[Path],
        typer.Argument(metavar="FILE...", help="Video or deck files.", show_default=False),
    ],
    series: Annotated[str | None, typer.Option("--series", "-s", help="Series slug.")] = None,
    title: Annotated[
        list[str] | None,
        typer.Option("--title", "-t", metavar="LANG=TEXT", help="Title (default: the file name)."),
    ] = None,
    topic: Annotated[
        list[str] | None, typer.Option("--topic", metavar="SLUG", help="Topic slug.")
    ] = None,
    language: Annotated[
        str | None, typer.Option("--language", "-l", help="Default language of the asset.")
    ] = None,
    season: Annotated[int | None, typer.Option("--season", help="Season number.")] = None,
    episode: Annotated[int | None, typer.Option("--episode", help="Episode number.")] = None,
    asset: AssetOpt = None,
    replace_file: ReplaceOpt = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Ingest files: copy each master into the store, probe it, and catalog it.

    The same bytes ingested again find their asset. A file for an asset the librarians
    catalogued first goes to it: --asset ID, or the asset's --series and --episode. Files
    that fail are reported one line each; the others go on. Examples:

    media-hub ingest guide.pdf --series cv-flyers

    media-hub ingest cv-ep3.mp4 --asset 12
    """
    from media_hub.pipeline.ingest import IngestRequest, ingest

    check_asset_options(files, asset, replace_file)

    cli_state = state(ctx)
    catalog, store = cli_state.hub.db, cli_state.hub.store
    titles = language_texts("--title", title or [])
    results: list[IngestResult] = []
    failures: list[MediaHubError] = []
    for path in files:
        request = IngestRequest(
            path, series, titles, topics=topic or [], season=season, episode=episode,
            language=language, asset_id=asset, replace=replace_file,
        )  # fmt: skip
        try:
            size = path.stat().st_size if path.is_file() else 0
            with byte_progress(f"ingest {path.name}", size) as advance:
                results.append(ingest(catalog, store, request, advance))
        except MediaHubError as exc:
            failures.append(exc)
            typer.echo(error_line(exc, ctx.command_path), err=True)
    if as_json:
        output.print_json([_record(result) for result in results])
    else:
        for result in results:
            verb = (
                "added as" if result.created
                else "attached to the catalogued" if result.attached
                else "now the file of" if result.replaced
                else "already"
            )  # fmt: skip
            typer.echo(f"{result.path.name}: {verb} asset {result.asset_id} ({_summary(result)})")
    if failures:
        raise typer.Exit(batch_status(failures))


def _record(result: IngestResult) -> dict[str, object]:
    return {
        "file": str(result.path),
        "asset_id": result.asset_id,
        "created": result.created,
        "attached": result.attached,
        "replaced": result.replaced,
        "kind": result.kind.value,
        "sha256": result.sha256,
        "size": result.size,
        "source_key": result.source_key,
        "media": result.media_info,
    }


def _summary(result: IngestResult) -> str:
    info = result.media_info
    if result.kind.value == "deck":
        pages = info.get("page_count")
        return f"deck, {pages} page{'' if pages == 1 else 's'}"
    video = info.get("video") or {}
    duration = info.get("duration") or 0
    return f"video, {video.get('width')}x{video.get('height')}, {float(duration):.1f} s"

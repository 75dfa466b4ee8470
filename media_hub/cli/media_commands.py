"""`media-hub ingest`, `transcode` and `profiles`: files into the store, renditions out."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from media_hub.cli import output
from media_hub.cli.parsing import language_texts
from media_hub.cli.progress import byte_progress, fraction_progress
from media_hub.cli.state import state
from media_hub.errors import MediaHubError

if TYPE_CHECKING:  # ingest reads PDFs and images: imported when a command runs
    from media_hub.pipeline.ingest import IngestResult


def ingest_command(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(help="Video or deck files.", show_default=False)],
    series: Annotated[str | None, typer.Option("--series", "-s", help="Series slug.")] = None,
    title: Annotated[
        list[str] | None,
        typer.Option("--title", "-t", metavar="LANG=TEXT", help="Title (default: the file name)."),
    ] = None,
    topic: Annotated[list[str] | None, typer.Option("--topic", help="Topic slug.")] = None,
    language: Annotated[
        str | None, typer.Option("--language", "-l", help="Default language of the asset.")
    ] = None,
    season: Annotated[int | None, typer.Option("--season", help="Season number.")] = None,
    episode: Annotated[int | None, typer.Option("--episode", help="Episode number.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Ingest files: copy each master into the store, probe it, and catalog it.

    The same bytes ingested again find their asset. Files that fail are reported one line
    each; the others go on. Example: media-hub ingest clip.mp4 guide.pdf --series cv-flyers
    """
    from media_hub.pipeline.ingest import IngestRequest, ingest

    cli_state = state(ctx)
    catalog, store = cli_state.hub.db, cli_state.hub.store
    titles = language_texts("--title", title or [])
    results: list[IngestResult] = []
    failures = 0
    for path in files:
        request = IngestRequest(
            path, series, titles, topics=topic or [], season=season, episode=episode,
            language=language,
        )  # fmt: skip
        try:
            size = path.stat().st_size if path.is_file() else 0
            with byte_progress(f"ingest {path.name}", size) as advance:
                results.append(ingest(catalog, store, request, advance))
        except MediaHubError as exc:
            failures += 1
            typer.echo(f"error: {exc}", err=True)
    if as_json:
        output.print_json([_record(result) for result in results])
    else:
        for result in results:
            verb = "added as" if result.created else "already"
            typer.echo(f"{result.path.name}: {verb} asset {result.asset_id} ({_summary(result)})")
    if failures:
        raise typer.Exit(1)


def _record(result: IngestResult) -> dict[str, object]:
    return {
        "file": str(result.path),
        "asset_id": result.asset_id,
        "created": result.created,
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


def transcode_command(
    ctx: typer.Context,
    asset_ids: Annotated[list[int], typer.Argument(metavar="ID...", help="Asset ids.")],
    profile: Annotated[
        str, typer.Option("--profile", "-p", help="Transcoding profile (see 'profiles list').")
    ] = "youtube",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Make each asset's rendition with a profile; a rendition already made is reused.

    Example: media-hub transcode 12 13 --profile youtube
    """
    from media_hub.pipeline.renditions import ensure_rendition

    cli_state = state(ctx)
    catalog, store = cli_state.hub.db, cli_state.hub.store
    definitions = cli_state.settings.definitions_dir
    results = []
    for asset_id in asset_ids:
        with fraction_progress(f"transcode asset {asset_id} ({profile})") as advance:
            results.append(
                ensure_rendition(catalog, store, definitions, asset_id, profile, advance)
            )
    if as_json:
        output.print_json([asdict(result) for result in results])
        return
    for result in results:
        verb = "made" if result.created else "already made"
        typer.echo(
            f"asset {result.asset_id}: {result.profile} rendition {verb}, "
            f"{result.width}x{result.height}, {result.size / 1e6:.1f} MB ({result.store_key})"
        )


def profiles_list(ctx: typer.Context) -> None:
    """List the transcoding profiles: built-in ones and the hub's own (catalog/profiles/).

    Example: media-hub profiles list
    """
    from media_hub.media.profiles import load_profile, profile_names

    user_dir = state(ctx).settings.definitions_dir / "profiles"
    for name in profile_names(user_dir):
        loaded = load_profile(name, user_dir)
        typer.echo(f"{name}: {loaded.description}")


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

    For when a platform's API is closed (SlideShare) or a channel is not connected: open
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

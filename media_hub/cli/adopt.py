"""`media-hub adopt PLATFORM`: bring what is already published into the catalog."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Annotated, Any

import typer

from media_hub.cli import output
from media_hub.cli.state import state

if TYPE_CHECKING:
    from media_hub.platforms.base import AdoptReport


def adopt(
    ctx: typer.Context,
    platform: Annotated[
        str, typer.Argument(help="The platform to read, by name (see series.toml).")
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would be added; write nothing.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Create catalog records for what is already published and the catalog does not know;
    upload nothing.

    Reads the platform in pages (50 videos, 100 slideshows per call), matches series by
    playlist, then by title; a rerun adds only what is new.
    Example: media-hub adopt youtube --dry-run
    """
    from media_hub.platforms import registry

    found = registry.get(platform)
    report = found.adopt(state(ctx).hub, dry_run)
    _print(report, dry_run, as_json, found.home_word)


def _print(report: AdoptReport, dry_run: bool, as_json: bool, where: str) -> None:
    if as_json:
        output.print_json(_record(report))
        return
    for item in report.adopted:
        done = f"asset {item.asset_id}" if item.asset_id is not None else "would add"
        kept = f" (texts kept as on the {where})" if item.texts_as_published else ""
        typer.echo(f"{item.remote_id}: {done}, {item.series or 'no series'}: {item.title}{kept}")
    for video_id, why in report.skipped.items():
        typer.echo(f"{video_id}: skipped: {why}", err=True)
    verb = "would add" if dry_run else "added"
    series = ", ".join(f"{slug} {count}" for slug, count in report.by_series.items())
    typer.echo(
        f"{report.seen} item(s) on the {where}, {report.known} already known, {verb} "
        f"{report.added}" + (f" ({series})" if series else "")
    )
    calls = ", ".join(f"{method} {count}" for method, count in sorted(report.list_calls.items()))
    typer.echo(f"read the {where} in {sum(report.list_calls.values())} list call(s): {calls}")


def _record(report: AdoptReport) -> dict[str, Any]:
    return {
        "dry_run": report.dry_run,
        "seen": report.seen,
        "added": report.added,
        "known": report.known,
        "by_series": report.by_series,
        "list_calls": dict(sorted(report.list_calls.items())),
        "playlists": report.playlists,
        "skipped": report.skipped,
        "adopted": [asdict(item) for item in report.adopted],  # type: ignore[call-overload]
    }

"""`media-hub publish --plan|--apply`: keep the platforms in line with the catalog."""

from __future__ import annotations

from typing import Annotated

import typer

from media_hub.cli import output
from media_hub.cli.state import state


def publish(
    ctx: typer.Context,
    apply: Annotated[
        bool, typer.Option("--apply/--plan", help="Apply the changes, or only list them.")
    ] = False,
    platform: Annotated[
        list[str] | None,
        typer.Option(
            "--platform",
            metavar="NAME",
            help="A platform by name (default: each with publications).",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Keep the platforms in line with the catalog: texts, thumbnails, playlists.

    Reads the platforms in pages (50 videos, 100 slideshows per call) and changes only what
    differs, in a stable order, within the day's quota; a rerun continues.
    Example: media-hub publish --plan
    """
    from media_hub.publishing.sync import sync_platforms

    report = sync_platforms(state(ctx).hub, platform or [], apply)
    calls = [
        {"platform": c.platform, "method": c.method, "units": c.units, "target": c.target,
         "detail": c.detail, "changes": list(c.changes)}
        for c in report.calls
    ]  # fmt: skip
    if as_json:
        output.print_json(
            {"reads": report.reads, "calls": calls, "units": report.units, "applied": apply,
             "left": report.left, "missing": report.missing}
        )  # fmt: skip
    else:
        for call in report.calls:
            typer.echo(f"{call.method:<22}{call.units:>4}  {call.target}: {call.detail}")
            for change in call.changes:
                typer.echo(f"{'':<28}{change}")
        for line in report.missing:
            typer.echo(f"warning: {line}", err=True)
        verb = "applied" if apply else "to apply"
        typer.echo(
            f"{len(calls)} change(s) {verb}, {report.units} quota units; read the platforms in "
            f"{report.reads} list call(s)"
        )
    for stopped in report.stopped:
        typer.echo(f"error: {stopped}", err=True)
    if report.stopped:
        raise typer.Exit(1)

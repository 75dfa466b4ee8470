"""`media-hub series|playlists|topics ...` and `media-hub conventions load`."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any

import typer

from media_hub.cli import output
from media_hub.cli.options import JsonOpt
from media_hub.cli.state import state

series_app = typer.Typer(
    help="The series of the channel (from catalog/series.toml).", no_args_is_help=True
)
playlists_app = typer.Typer(
    help="The playlists (from catalog/playlists.toml).", no_args_is_help=True
)
topics_app = typer.Typer(
    help="The topic vocabulary (from catalog/topics.toml).", no_args_is_help=True
)
conventions_app = typer.Typer(
    help="The channel's conventions under catalog/.", no_args_is_help=True
)


def _names(names: dict[str, Any]) -> str:
    return " / ".join(str(names[lang]) for lang in ("ar", "fr", "en", "zgh") if lang in names)


@series_app.command("list")
def series_list(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """List the series with their numbering and asset counts.

    Example: media-hub series list
    """
    rows = state(ctx).catalog.series()
    if as_json:
        output.print_json(rows)
        return
    output.print_table(
        None,
        ["slug", "kind", "numbering", "assets", "name"],
        ([s["slug"], s["kind"], s["numbering"], s["assets"], _names(s["names"])] for s in rows),
    )


@series_app.command("show")
def series_show(
    ctx: typer.Context,
    slug: Annotated[str, typer.Argument(help="Series slug.")],
    as_json: JsonOpt = False,
) -> None:
    """Show a series: names, default language, numbering, playlists, topics, template.

    Example: media-hub series show kan-kalab-aala-khadma
    """
    record = state(ctx).catalog.series_detail(slug)
    if as_json:
        output.print_json(record)
        return
    _print_fields(record)


@playlists_app.command("list")
def playlists_list(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """List the playlists.

    Example: media-hub playlists list
    """
    rows = state(ctx).catalog.playlists()
    if as_json:
        output.print_json(rows)
        return
    output.print_table(
        None,
        ["slug", "kind", "privacy", "order", "name"],
        ([p["slug"], p["kind"], p["privacy"], p["order"], _names(p["names"])] for p in rows),
    )


@playlists_app.command("show")
def playlists_show(
    ctx: typer.Context,
    slug: Annotated[str, typer.Argument(help="Playlist slug.")],
    as_json: JsonOpt = False,
) -> None:
    """Show a playlist and the ids of its assets, in order.

    Example: media-hub playlists show advisory-cv
    """
    record = state(ctx).catalog.playlist_detail(slug)
    if as_json:
        output.print_json(record)
        return
    _print_fields(record)


@topics_app.command("list")
def topics_list(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """List the topic vocabulary.

    Example: media-hub topics list
    """
    rows = state(ctx).catalog.topics()
    if as_json:
        output.print_json(rows)
        return
    output.print_table(None, ["slug", "name"], ([t["slug"], _names(t["names"])] for t in rows))


@conventions_app.command("load")
def conventions_load(
    ctx: typer.Context,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change, change nothing.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Apply catalog/*.toml to the catalog; prints what changed (nothing, the second time).

    Example: media-hub conventions load --dry-run
    """
    from dataclasses import asdict

    from media_hub.publishing.hubs import load_conventions

    cli_state = state(ctx)
    folder = cli_state.settings.definitions_dir
    changes = load_conventions(cli_state.hub, dry_run=dry_run)
    if as_json:
        output.print_json({"dry_run": dry_run, "changes": [asdict(c) for c in changes]})
        return
    prefix = "would be " if dry_run else ""
    applied = [c for c in changes if c.action != "not in files"]
    for change in changes:
        if change.action == "changed":
            typer.echo(
                f"{prefix}changed {change.record}: {change.field}: "
                f"{_shown(change.old)} → {_shown(change.new)}"
            )
        elif change.action == "added":
            typer.echo(f"{prefix}added {change.record}")
        else:
            typer.echo(f"kept {change.record}: no longer in {folder}, assets may refer to it")
    if not applied:
        typer.echo(f"conventions in {folder}: no changes")


def _shown(value: object) -> str:
    """A value as written in the files: `'episode'`, not `<Numbering.EPISODE: 'episode'>`."""
    return repr(value.value if isinstance(value, Enum) else value)


def _print_fields(record: dict[str, Any]) -> None:
    for key, value in record.items():
        if isinstance(value, dict):
            for lang, text in value.items():
                typer.echo(f"{key}.{lang}: {text}")
        elif isinstance(value, list):
            typer.echo(f"{key}: {', '.join(str(v) for v in value)}")
        else:
            typer.echo(f"{key}: {'' if value is None else value}")

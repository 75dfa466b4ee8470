"""`media-hub config show`: the effective settings and where each comes from."""

from __future__ import annotations

from typing import Annotated

import typer

from media_hub.cli import output
from media_hub.cli.state import state

config_app = typer.Typer(help="The hub's settings.", no_args_is_help=True)


@config_app.command("show")
def config_show(
    ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False
) -> None:
    """Print the effective settings, where each comes from, secrets masked.

    Example: media-hub config show
    """
    from media_hub.publishing.hubs import describe_settings

    rows = list(describe_settings(state(ctx).settings))
    if as_json:
        output.print_json({declared.key: value for declared, value, _origin in rows})
        return
    output.print_table(
        f"hub {state(ctx).settings.home}",
        ["key", "value", "from"],
        ([declared.key, value, origin] for declared, value, origin in rows),
    )
    typer.echo("Any key can be set in media-hub.toml or as MEDIA_HUB_<SECTION>_<KEY>.")

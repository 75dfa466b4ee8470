"""`media-hub profiles list`: the transcoding profiles."""

from __future__ import annotations

from typing import Annotated

import typer

from media_hub.cli import output
from media_hub.cli.state import state


def profiles_list(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List the transcoding profiles: built-in ones and the hub's own (catalog/profiles/).

    Example: media-hub profiles list
    """
    from media_hub.media.profiles import load_profile, profile_names

    user_dir = state(ctx).settings.definitions_dir / "profiles"
    found = [(name, load_profile(name, user_dir).description) for name in profile_names(user_dir)]
    if as_json:
        output.print_json([{"name": name, "description": text} for name, text in found])
        return
    for name, description in found:
        typer.echo(f"{name}: {description}")

"""`media-hub profiles list`: the transcoding profiles."""

from __future__ import annotations

import typer

from media_hub.cli.state import state


def profiles_list(ctx: typer.Context) -> None:
    """List the transcoding profiles: built-in ones and the hub's own (catalog/profiles/).

    Example: media-hub profiles list
    """
    from media_hub.media.profiles import load_profile, profile_names

    user_dir = state(ctx).settings.definitions_dir / "profiles"
    for name in profile_names(user_dir):
        loaded = load_profile(name, user_dir)
        typer.echo(f"{name}: {loaded.description}")

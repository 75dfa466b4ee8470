"""`media-hub init`, `config show` and `db upgrade|current`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from media_hub.cli import output
from media_hub.cli.state import state

config_app = typer.Typer(help="The hub's settings.", no_args_is_help=True)
db_app = typer.Typer(help="The catalog database's schema.", no_args_is_help=True)


def init(
    path: Annotated[Path, typer.Argument(help="Folder of the new hub.")] = Path(),
) -> None:
    """Create a hub (settings, conventions, catalog, asset and thumbnail folders) and load it.

    Safe to run again: existing files are kept. Example: media-hub init ~/channel-hub
    """
    from media_hub.hub import Hub, init_hub
    from media_hub.settings import load_settings, mask_url_password

    folder = path.expanduser().resolve()
    for created in init_hub(folder):
        typer.echo(f"created {created}")
    hub = Hub(load_settings(folder))
    try:
        changes = hub.catalog.load_conventions(hub.settings.definitions_dir)
    finally:
        hub.close()
    added = sum(1 for change in changes if change.action == "added")
    typer.echo(
        f"hub ready in {folder}: catalog at {mask_url_password(hub.settings.catalog_url)}, "
        f"{added} conventions added"
    )


@config_app.command("show")
def config_show(
    ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False
) -> None:
    """Print the effective settings, where each comes from, secrets masked.

    Example: media-hub config show
    """
    from media_hub.settings import effective_settings

    rows = list(effective_settings(state(ctx).settings))
    if as_json:
        output.print_json({declared.key: value for declared, value, _origin in rows})
        return
    output.print_table(
        f"hub {state(ctx).settings.home}",
        ["key", "value", "from"],
        ([declared.key, value, origin] for declared, value, origin in rows),
    )
    typer.echo("Any key can be set in media-hub.toml or as MEDIA_HUB_<SECTION>_<KEY>.")


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Bring the catalog's schema to this version of media-hub (also done on first use).

    Example: media-hub db upgrade
    """
    from media_hub.catalog import migrations
    from media_hub.catalog.db import create_catalog_engine

    settings = state(ctx).settings
    engine = create_catalog_engine(settings.catalog_url)
    try:
        with engine.connect() as connection:
            before = migrations.current_revision(connection)
        migrations.upgrade(engine)
    finally:
        engine.dispose()
    if before == migrations.HEAD:
        typer.echo(f"catalog schema already at {migrations.HEAD}")
    else:
        typer.echo(f"catalog schema upgraded from {before or 'empty'} to {migrations.HEAD}")


@db_app.command("current")
def db_current(ctx: typer.Context) -> None:
    """Print the catalog's schema revision and the one this media-hub expects.

    Example: media-hub db current
    """
    from media_hub.catalog import migrations
    from media_hub.catalog.db import create_catalog_engine

    settings = state(ctx).settings
    engine = create_catalog_engine(settings.catalog_url)
    try:
        with engine.connect() as connection:
            current = migrations.current_revision(connection)
    finally:
        engine.dispose()
    typer.echo(f"catalog: {current or 'empty'}; media-hub expects: {migrations.HEAD}")

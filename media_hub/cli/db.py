"""`media-hub db upgrade|current`: the catalog database's schema."""

from __future__ import annotations

import typer

from media_hub.cli.state import state

db_app = typer.Typer(help="The catalog database's schema.", no_args_is_help=True)


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Bring the catalog's schema to this version of media-hub (also done on first use).

    Example: media-hub db upgrade
    """
    from media_hub.catalog import migrations
    from media_hub.catalog.db import create_catalog_engine, reaching

    settings = state(ctx).settings
    engine = create_catalog_engine(settings.catalog_url)
    try:
        with reaching(settings.catalog_url, engine), engine.connect() as connection:
            before = migrations.current_revision(connection)
        with reaching(settings.catalog_url, engine):
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
    from media_hub.catalog.db import create_catalog_engine, reaching

    settings = state(ctx).settings
    engine = create_catalog_engine(settings.catalog_url)
    try:
        with reaching(settings.catalog_url, engine), engine.connect() as connection:
            current = migrations.current_revision(connection)
    finally:
        engine.dispose()
    typer.echo(f"catalog: {current or 'empty'}; media-hub expects: {migrations.HEAD}")

"""The `media-hub` command: a thin layer that parses, calls the library, and renders.

`main()` and `HubGroup.invoke` are the one boundary where a `MediaHubError` becomes a one-line
message and an exit status; `--debug` shows the traceback as well.
"""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path
from typing import Annotated, Any

import typer
from typer._click.core import Context as ClickContext  # typer.Context's base
from typer.core import TyperGroup

from media_hub import __version__
from media_hub.cli import (
    admin_commands,
    adopt_commands,
    catalog_commands,
    conventions_commands,
    jobs_commands,
    librarian_commands,
    media_commands,
    sandbox_commands,
    stats_commands,
    thumbs_commands,
    upload_commands,
)
from media_hub.cli.state import CliState, state
from media_hub.errors import ExitStatus, MediaHubError


class HubGroup(TyperGroup):
    """Turns library errors into `error: ...` on stderr and their exit status."""

    def invoke(self, ctx: ClickContext) -> Any:
        try:
            return super().invoke(ctx)
        except MediaHubError as exc:
            if state(ctx).debug:
                traceback.print_exc(file=sys.stderr)
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(int(exc.exit_status)) from None
        except KeyboardInterrupt:
            typer.echo("interrupted; rerun the command to finish", err=True)
            raise typer.Exit(130) from None
        finally:
            state(ctx).close()


app = typer.Typer(
    cls=HubGroup,
    name="media-hub",
    help="Catalog, transcode, thumbnail and publish the channel's videos and slide decks.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"media-hub {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    hub: Annotated[
        Path | None,
        typer.Option(
            "--hub",
            help="Hub folder (default: $MEDIA_HUB_HOME, else the current folder).",
            show_default=False,
        ),
    ] = None,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks and debug logging.")
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_show_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    ctx.obj = CliState(hub_folder=hub, debug=debug)
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


app.add_typer(catalog_commands.app, name="catalog")
catalog_commands.app.command("export")(librarian_commands.export)
catalog_commands.app.command("import")(librarian_commands.import_sheet)
catalog_commands.app.command("set")(librarian_commands.set_fields)
catalog_commands.app.command("lint")(librarian_commands.lint)
catalog_commands.app.command("revert")(librarian_commands.revert)
app.add_typer(conventions_commands.series_app, name="series")
app.add_typer(conventions_commands.playlists_app, name="playlists")
app.add_typer(conventions_commands.topics_app, name="topics")
app.add_typer(conventions_commands.conventions_app, name="conventions")
app.add_typer(admin_commands.config_app, name="config")
app.add_typer(admin_commands.db_app, name="db")
app.command("init")(admin_commands.init)
app.command("ingest")(media_commands.ingest_command)
app.command("transcode")(media_commands.transcode_command)
app.command("export")(media_commands.export_command)
profiles_app = typer.Typer(help="Transcoding profiles.", no_args_is_help=True)
profiles_app.command("list")(media_commands.profiles_list)
app.add_typer(profiles_app, name="profiles")
app.add_typer(thumbs_commands.app, name="thumbs")
app.add_typer(sandbox_commands.app, name="sandbox")
app.command("upload")(upload_commands.upload)
app.command("publish")(upload_commands.publish)
app.add_typer(upload_commands.auth_app, name="auth")
app.command("adopt")(adopt_commands.adopt)
app.add_typer(stats_commands.app, name="stats")
app.command("worker")(jobs_commands.worker)
app.add_typer(jobs_commands.jobs_app, name="jobs")


def main() -> None:
    """Entry point of the `media-hub` script."""
    try:
        app()
    except MediaHubError as exc:  # raised before a command ran (e.g. while parsing)
        typer.echo(f"error: {exc}", err=True)
        sys.exit(int(exc.exit_status))
    sys.exit(int(ExitStatus.OK))

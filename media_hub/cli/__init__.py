"""The `media-hub` command: a thin layer that parses, calls the library, and renders.

`main()` and `HubGroup.invoke` are the one boundary where a `MediaHubError` becomes a one-line
message and an exit status; `--debug` shows the traceback as well. SIGTERM (systemd, `kill`,
a CI timeout) is raised as `Terminated`, a KeyboardInterrupt, so that whatever Ctrl-C cleans
up (a partial copy in the store, a transcode's temporary folder, its ffmpeg) is cleaned up;
`worker` installs its own handlers while it runs.
"""

from __future__ import annotations

import functools
import logging
import signal
import sys
import traceback
from pathlib import Path
from types import FrameType
from typing import Annotated, Any

import typer
from typer._click.core import Command as ClickCommand
from typer._click.core import Context as ClickContext  # typer.Context's base

from media_hub import __version__
from media_hub.cli.lazy import LazyCommand, LazyGroup, loader
from media_hub.cli.state import CliState, state
from media_hub.errors import ExitStatus, MediaHubError
from media_hub.redaction import guard, redact


@functools.cache
def _catalog_app() -> typer.Typer:
    """`catalog`, with the librarian's commands added (once: tests build the app many times)."""
    from media_hub.cli import catalog, catalog_bulk

    catalog.app.command("export")(catalog_bulk.export)
    catalog.app.command("import")(catalog_bulk.import_sheet)
    catalog.app.command("set")(catalog_bulk.set_fields)
    catalog.app.command("lint")(catalog_bulk.lint)
    catalog.app.command("revert")(catalog_bulk.revert)
    return catalog.app


@functools.cache
def _profiles_app() -> typer.Typer:
    from media_hub.cli import profiles

    profiles_app = typer.Typer(help="Transcoding profiles.", no_args_is_help=True)
    profiles_app.command("list")(profiles.profiles_list)
    return profiles_app


# Every command, in the order `--help` lists them (commands, then groups, as Typer does), with
# the first paragraph of its help: tests/test_cli_startup.py checks these against the modules.
ROOT_COMMANDS = (
    LazyCommand(
        "init",
        "Create a hub (settings, conventions, catalog, asset and thumbnail folders) and load it.",
        loader("init", "init"),
    ),
    LazyCommand(
        "ingest",
        "Ingest files: copy each master into the store, probe it, and catalog it.",
        loader("ingest", "ingest_command"),
    ),
    LazyCommand(
        "transcode",
        "Make each asset's rendition with a profile; a rendition already made is reused.",
        loader("transcode", "transcode_command"),
    ),
    LazyCommand(
        "export",
        "Write a ready-to-upload bundle: the file, its thumbnail, captions and metadata to paste.",
        loader("export", "export_command"),
    ),
    LazyCommand(
        "upload",
        "Publish videos and decks (pdf, pptx, odp, ppt) to the platforms of their series.",
        loader("upload", "upload"),
    ),
    LazyCommand(
        "publish",
        "Keep the platforms in line with the catalog: texts, thumbnails, playlists.",
        loader("publish", "publish"),
    ),
    LazyCommand(
        "adopt",
        "Create catalog records for what is already published and the catalog does not know;\n"
        "upload nothing.",
        loader("adopt", "adopt"),
    ),
    LazyCommand(
        "serve",
        "Serve the web app: the catalog, asset pages and edits, for signed-in users.",
        loader("serve", "serve"),
    ),
    LazyCommand(
        "worker",
        "Run queued jobs until SIGTERM or Ctrl-C, which finish the jobs in hand, then exit;\n"
        "a second one hands them back unrecorded instead and exits with status 1.",
        loader("worker", "worker"),
    ),
    LazyCommand("catalog", "Add, find and edit the assets of the catalog.", _catalog_app),
    LazyCommand(
        "series",
        "The series of the channel (from catalog/series.toml).",
        loader("conventions", "series_app"),
    ),
    LazyCommand(
        "playlists",
        "The playlists (from catalog/playlists.toml).",
        loader("conventions", "playlists_app"),
    ),
    LazyCommand(
        "topics",
        "The topic vocabulary (from catalog/topics.toml).",
        loader("conventions", "topics_app"),
    ),
    LazyCommand(
        "conventions",
        "The channel's conventions under catalog/.",
        loader("conventions", "conventions_app"),
    ),
    LazyCommand("config", "The hub's settings.", loader("config", "config_app")),
    LazyCommand(
        "users",
        "Who may sign in to 'media-hub serve', and their role.",
        loader("users", "users_app"),
    ),
    LazyCommand("db", "The catalog database's schema.", loader("db", "db_app")),
    LazyCommand("profiles", "Transcoding profiles.", _profiles_app),
    LazyCommand(
        "thumbs",
        "Thumbnails: candidate frames, the chosen one, the branded image.",
        loader("thumbs", "app"),
    ),
    LazyCommand(
        "sandbox",
        "A local HTTPS stand-in of the YouTube Data, Analytics and OAuth APIs and of "
        "SlideShare's API v2.",
        loader("sandbox", "app"),
    ),
    LazyCommand(
        "auth",
        "Connect media-hub to the channel's accounts.",
        loader("auth", "auth_app"),
    ),
    LazyCommand(
        "stats",
        "View statistics: dated snapshots of the platforms' counts, and reports on them.",
        loader("stats", "app"),
    ),
    LazyCommand(
        "calendar",
        "The weekly publication calendar: slots in catalog/calendar.toml, filled and kept.",
        loader("calendar", "calendar_app"),
    ),
    LazyCommand(
        "jobs",
        "The job queue: pipeline steps waiting, running, done, or parked.",
        loader("jobs", "jobs_app"),
    ),
)


class HubGroup(LazyGroup):
    """Turns library errors into `error: ...` on stderr and their exit status; imports a
    command's module only when that command runs (see `lazy`)."""

    lazy_commands = ROOT_COMMANDS

    def prepare(self, command: ClickCommand) -> ClickCommand:
        from media_hub.cli.help_types import untyped_arguments
        from media_hub.cli.numbers import guard_numbers

        return untyped_arguments(guard_numbers(command))

    def invoke(self, ctx: ClickContext) -> Any:
        try:
            return super().invoke(ctx)
        except MediaHubError as exc:
            from media_hub.cli.errors import error_line  # only when there is one to show

            if state(ctx).debug:
                sys.stderr.write(redact(traceback.format_exc()))
            command = " ".join(filter(None, [ctx.command_path, ctx.invoked_subcommand]))
            typer.echo(error_line(exc, command), err=True)
            raise typer.Exit(int(exc.exit_status)) from None
        except KeyboardInterrupt as exc:
            terminated = isinstance(exc, Terminated)
            typer.echo(
                f"{'terminated' if terminated else 'interrupted'}; rerun the command to finish",
                err=True,
            )
            raise typer.Exit(128 + (signal.SIGTERM if terminated else signal.SIGINT)) from None
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
    no_progress: Annotated[
        bool,
        typer.Option(
            "--no-progress",
            envvar="MEDIA_HUB_NO_PROGRESS",
            help="No progress bars or lines for long steps (errors and results still show).",
        ),
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_show_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    ctx.obj = CliState(hub_folder=hub, debug=debug)
    from media_hub.cli.steps import StepWatcher
    from media_hub.progress import watched_by

    if not no_progress:
        ctx.with_resource(watched_by(StepWatcher()))
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    # Libraries log tokens and passwords at DEBUG: every line printed goes through the mask.
    guard(logging.getLogger())


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the program stands, as Ctrl-C is."""


def _raise_terminated(_signum: int, _frame: FrameType | None) -> None:
    signal.signal(signal.SIGTERM, _ignore)  # a second SIGTERM must not cut the cleanup short
    raise Terminated


def _ignore(_signum: int, _frame: FrameType | None) -> None:
    """A handler that does nothing (not SIG_IGN, which the tools started later would inherit)."""


def main() -> None:
    """Entry point of the `media-hub` script."""
    signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        app()
    except MediaHubError as exc:  # raised before a command ran (e.g. while parsing)
        from media_hub.cli.errors import one_line

        typer.echo(one_line(f"error: {exc}"), err=True)
        sys.exit(int(exc.exit_status))
    except Exception:  # a bug: its traceback, without the secrets it may carry
        sys.stderr.write(redact(traceback.format_exc()))
        sys.exit(int(ExitStatus.ERROR))
    sys.exit(int(ExitStatus.OK))

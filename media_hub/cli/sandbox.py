"""`media-hub sandbox serve`: the local stand-in of YouTube's and SlideShare's APIs, for the
demo and training."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Annotated

import typer

from media_hub.errors import MediaHubError

ENV_WAIT_S = 10.0

app = typer.Typer(
    help="A local HTTPS stand-in of the YouTube Data, Analytics and OAuth APIs and of "
    "SlideShare's API v2.",
    no_args_is_help=True,
)


@app.command("serve")
def serve(
    port: Annotated[
        int, typer.Option("--port", min=0, max=65535, help="Port on 127.0.0.1 (0: any free one).")
    ] = 0,
    state_file: Annotated[
        Path, typer.Option("--state", help="The channel's state file; kept between runs.")
    ] = Path("sandbox/channel.json"),
    fault: Annotated[
        list[str] | None,
        typer.Option(
            "--fault",
            metavar="SPEC",
            help="Inject a fault, e.g. '503,path=/upload/,count=2', 'drop,method=PUT', "
            "'partial,fraction=0.5', 'quota', 'expire-tokens', '503,path=/api/2/', "
            "'daily-limit'. Repeatable.",
        ),
    ] = None,
    unverified: Annotated[
        bool, typer.Option("--unverified", help="Act as an unverified channel (no thumbnails).")
    ] = False,
    uploads_per_day: Annotated[
        int | None, typer.Option("--uploads-per-day", min=0, help="Channel upload cap a day.")
    ] = None,
    quota: Annotated[
        int | None, typer.Option("--quota", min=0, help="Daily quota units (Google: 10000).")
    ] = None,
    slideshare_calls_per_day: Annotated[
        int | None,
        typer.Option(
            "--slideshare-calls-per-day", min=0, help="Signed SlideShare calls a day (1000)."
        ),
    ] = None,
    slideshare_uploads_closed: Annotated[
        bool,
        typer.Option(
            "--slideshare-uploads-closed",
            help="Answer upload_slideshow with code 25, as the live service was seen to.",
        ),
    ] = False,
    start_days_ago: Annotated[
        int,
        typer.Option(
            "--start-days-ago",
            min=0,
            metavar="N",
            help="A new state file starts N days in the past (an existing one keeps its days); "
            "POST /sandbox/advance-days then lives through them.",
        ),
    ] = 0,
) -> None:
    """Serve the sandbox until Ctrl-C and print the settings that point media-hub at it.

    YouTube's APIs are at the root; SlideShare's API v2 is at /api/2/, its account written to
    slideshare-credentials.json (mode 0600) beside the state file.
    """
    from media_hub.sandbox.env import env_file, write_settings
    from media_hub.sandbox.faults import parse_spec
    from media_hub.sandbox.server import Sandbox  # TLS, cryptography: only when serving
    from media_hub.sandbox.state import DEFAULT_CONFIG

    for spec in fault or []:  # all checked before the state file is touched
        try:
            parse_spec(spec)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--fault") from exc
    try:
        sandbox = Sandbox(
            state_file.resolve(),
            port,
            start_days_ago=start_days_ago,
            verified=not unverified,  # every run states the channel's settings afresh
            uploads_per_day=DEFAULT_CONFIG["uploads_per_day"]
            if uploads_per_day is None
            else uploads_per_day,
            limits={} if quota is None else {"default": quota},
            slideshare_calls_per_day=DEFAULT_CONFIG["slideshare_calls_per_day"]
            if slideshare_calls_per_day is None
            else slideshare_calls_per_day,
            slideshare_uploads_closed=slideshare_uploads_closed,
        )
    except OSError as exc:
        raise MediaHubError(
            f"sandbox: cannot listen on 127.0.0.1:{port} ({exc.strerror or exc}); choose "
            "another --port, or --port 0 for any free one"
        ) from exc
    try:
        for spec in fault or []:
            sandbox.faults.add_spec(spec)
        typer.echo(f"sandbox serving {sandbox.url}")
        typer.echo(f"CA certificate: {sandbox.ca_cert}")
        typer.echo(f"channel state:  {sandbox.state.path}")
        typer.echo("settings:")
        for name, value in write_settings(sandbox).items():
            typer.echo(f"  {name}={value}")
        typer.echo(
            f'in another shell: eval "$(media-hub sandbox env --state {state_file})", then '
            "media-hub auth youtube --sandbox; Ctrl-C stops it.",
            err=True,
        )
        threading.Event().wait()
    except KeyboardInterrupt:
        typer.echo("sandbox stopped", err=True)
    finally:
        sandbox.stop()
        env_file(state_file.resolve()).unlink(missing_ok=True)  # its settings end with it


@app.command("env")
def env(
    state_file: Annotated[
        Path,
        typer.Option("--state", help="The state file the sandbox serves (as given to serve)."),
    ] = Path("sandbox/channel.json"),
) -> None:
    """Print the settings of the sandbox that serves STATE, as shell `export` lines.

    Example: eval "$(media-hub sandbox env --state sandbox/channel.json)"
    """
    import time

    from media_hub.sandbox.env import env_file

    found = env_file(state_file)
    deadline = time.monotonic() + ENV_WAIT_S  # a sandbox started a moment ago writes it soon
    while not found.is_file() and time.monotonic() < deadline:
        time.sleep(0.1)
    if not found.is_file():
        raise MediaHubError(
            f"{found}: no settings; start the sandbox first with 'media-hub sandbox serve "
            f"--state {state_file}'"
        )
    typer.echo(found.read_text(encoding="utf-8"), nl=False)

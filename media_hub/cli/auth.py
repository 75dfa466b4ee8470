"""`media-hub auth PLATFORM`: connect media-hub to the team's accounts."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from media_hub.cli.state import state
from media_hub.errors import ValidationError
from media_hub.platforms.youtube.settings import youtube_settings

auth_app = typer.Typer(help="Connect media-hub to the channel's accounts.", no_args_is_help=True)


@auth_app.command("youtube")
def auth_youtube(
    ctx: typer.Context,
    client_secrets: Annotated[
        Path | None,
        typer.Option(
            "--client-secrets", help="OAuth client file (default: youtube.client_secrets)."
        ),
    ] = None,
    no_browser: Annotated[
        bool, typer.Option("--no-browser", help="Print the URL to open instead of opening it.")
    ] = False,
    port: Annotated[int, typer.Option("--port", help="Loopback port for the redirect.")] = 0,
    sandbox: Annotated[
        bool,
        typer.Option(
            "--sandbox", help="Against 'media-hub sandbox serve': consent without a browser."
        ),
    ] = False,
) -> None:
    """Authorize media-hub on the YouTube channel; the token is saved with mode 0600.

    Example: media-hub auth youtube --client-secrets ~/Downloads/client_secret.json
    """
    from media_hub.errors import ConfigError
    from media_hub.platforms.youtube.auth import authorize

    settings = state(ctx).settings
    # A path typed on the command line is the shell's (the current folder's); a setting's is
    # the hub's, as every path in media-hub.toml.
    secrets = client_secrets.absolute() if client_secrets else None
    secrets = secrets or youtube_settings(settings).client_secrets
    if secrets is None:
        raise ConfigError(
            "no OAuth client file: give --client-secrets or set youtube.client_secrets"
        )
    path = authorize(
        settings, settings.path(secrets), open_browser=not no_browser, port=port, sandbox=sandbox
    )
    typer.echo(f"authorized; token saved in {path} (readable by you only)")


@auth_app.command("slideshare")
def auth_slideshare(
    ctx: typer.Context,
    username: Annotated[str, typer.Option("--username", help="The SlideShare account name.")],
    api_key: Annotated[str, typer.Option("--api-key", help="The API key SlideShare issued.")],
    stdin: Annotated[
        bool,
        typer.Option(
            "--stdin", help="Read the shared secret and the password as two lines of stdin."
        ),
    ] = False,
) -> None:
    """Save the SlideShare account's credentials (mode 0600) after checking them with a call.

    The shared secret and the password are asked without echo (or read from stdin), never
    given as options, so they stay out of shell history. Example:
    media-hub auth slideshare --username anapec --api-key AbCd1234
    """
    from media_hub.platforms.slideshare.auth import check_and_save
    from media_hub.platforms.slideshare.credentials import SlideShareCredentials

    settings = state(ctx).settings
    if stdin:
        lines = sys.stdin.read().splitlines()
        if len(lines) < 2:
            raise ValidationError("stdin", "give the shared secret and the password on two lines")
        secret, password = lines[0], lines[1]
    else:
        secret = typer.prompt("Shared secret", hide_input=True)
        password = typer.prompt("Password", hide_input=True)
    credentials = SlideShareCredentials(username, api_key, secret, password)
    path = check_and_save(settings, credentials)
    typer.echo(f"checked and saved in {path} (readable by you only)")


@auth_app.command("facebook")
def auth_facebook(
    ctx: typer.Context,
    app_id: Annotated[str, typer.Option("--app-id", help="The Meta app's numeric id.")],
    page_id: Annotated[
        str | None,
        typer.Option("--page-id", "--page", help="The Page's numeric id (--login: optional)."),
    ] = None,
    stdin: Annotated[
        bool,
        typer.Option(
            "--stdin",
            help="Read the Page access token and the app secret as two lines of stdin "
            "(--login: the app secret alone).",
        ),
    ] = False,
    login: Annotated[
        bool,
        typer.Option("--login", help="Get the Page's token through Facebook Login in a browser."),
    ] = False,
    port: Annotated[
        int | None,
        typer.Option("--port", help="--login: loopback port (default: facebook.login_port)."),
    ] = None,
    no_browser: Annotated[
        bool, typer.Option("--no-browser", help="--login: print the URL instead of opening it.")
    ] = False,
    sandbox: Annotated[
        bool,
        typer.Option(
            "--sandbox",
            help="--login against 'media-hub sandbox serve': consent without a browser.",
        ),
    ] = False,
) -> None:
    """Save the Page's long-lived access token and the app secret (mode 0600) after checking
    them with a call.

    Both are asked without echo (or read from stdin), never given as options, so they stay out
    of shell history. An institution's token comes from a System User of its Business Manager.
    With --login, the token comes from Facebook Login instead: the app secret is asked, a
    browser opens Meta's dialog, and the Page's token is read for the Page given (or the only
    one managed). Examples: media-hub auth facebook --page-id 123456789 --app-id 987654321;
    media-hub auth facebook --login --app-id 987654321 --port 8765
    """
    from media_hub.platforms.facebook.auth import check_and_save
    from media_hub.platforms.facebook.credentials import FacebookCredentials

    settings = state(ctx).settings
    if login:
        from media_hub.platforms.facebook.login import login_and_save

        if stdin:
            secret = (sys.stdin.readline() or "").strip()
        else:
            secret = typer.prompt("App secret", hide_input=True).strip()
        path, page = login_and_save(
            settings, app_id, secret, page_id, tell=typer.echo, port=port,
            open_browser=not no_browser, sandbox=sandbox,
        )  # fmt: skip
        typer.echo(f"Page {page!r} checked; saved in {path} (readable by you only)")
        return
    if page_id is None:
        raise ValidationError("--page-id", "give the Page's numeric id (or use --login)")
    if stdin:
        lines = sys.stdin.read().splitlines()
        if len(lines) < 2:
            raise ValidationError(
                "stdin", "give the Page access token and the app secret on two lines"
            )
        token, secret = lines[0].strip(), lines[1].strip()
    else:
        token = typer.prompt("Page access token", hide_input=True).strip()
        secret = typer.prompt("App secret", hide_input=True).strip()
    credentials = FacebookCredentials(page_id, app_id, token, secret)
    path, page = check_and_save(settings, credentials)
    typer.echo(f"Page {page!r} checked; saved in {path} (readable by you only)")

"""`media-hub serve`: the team's web app on uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer

from media_hub.cli.state import state


def serve(
    ctx: typer.Context,
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on; keep loopback behind a proxy.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port.")] = 8080,
    proxy: Annotated[
        list[str] | None,
        typer.Option(
            "--proxy",
            metavar="ADDRESS",
            help="Address of the TLS proxy in front, whose X-Forwarded-For and -Proto are "
            "trusted (default: 127.0.0.1).",
        ),
    ] = None,
    proxy_user_header: Annotated[
        str | None,
        typer.Option(
            "--proxy-user-header",
            metavar="HEADER",
            help="Header in which the proxy names the user it signed in (its single "
            "sign-on, e.g. X-Remote-User); believed only from --proxy addresses.",
        ),
    ] = None,
    upload_max_mib: Annotated[
        int,
        typer.Option(
            "--upload-max-mib",
            min=1,
            metavar="MIB",
            help="Largest file editors may send from the browser, in MiB.",
        ),
    ] = 8192,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            min=1,
            max=64,
            help="Processes serving requests: about one per core this machine gives the app.",
        ),
    ] = 1,
    threads: Annotated[
        int,
        typer.Option(
            "--threads",
            min=1,
            max=64,
            help="Requests each process works on at once (the others wait their turn).",
        ),
    ] = 4,
) -> None:
    """Serve the web app: the catalog, asset pages and edits, for signed-in users.

    Behind nginx or Caddy with TLS, the session cookie is marked Secure; with
    --proxy-user-header, the proxy's single sign-on names the user. Add users first
    with 'media-hub users add NAME --role admin'.

    Example: media-hub serve --port 8080 --workers 2
    """
    import os

    import uvicorn
    from starlette.applications import Starlette

    from media_hub.catalog.users import UserService
    from media_hub.errors import UsageError
    from media_hub.settings import HOME_ENV
    from media_hub.web.config import hub_secret
    from media_hub.web.proxy import proxy_networks
    from media_hub.web.served import FACTORY, ServeOptions, serve_app

    proxies = tuple(proxy or ["127.0.0.1"])
    try:
        proxy_networks(proxies)
    except ValueError as error:
        raise UsageError("--proxy", str(error)) from None
    cli = state(ctx)
    settings = cli.settings
    options = ServeOptions(
        trusted_proxies=proxies,
        proxy_user_header=proxy_user_header or None,
        upload_max_bytes=upload_max_mib * 1024**2,
        threads=threads,
    )
    if not UserService(cli.hub.db).everyone():
        typer.echo("no user can sign in yet: add one with 'media-hub users add NAME --role admin'",
                   err=True)  # fmt: skip
    typer.echo(f"media-hub serves {settings.home} on http://{host}:{port}/ (Ctrl-C stops)")
    app: str | Starlette = FACTORY
    if workers == 1:
        app = serve_app(cli.hub, options)
    else:  # each worker process builds its own app and hub from these (uvicorn spawns them)
        hub_secret(settings.home)  # made once here, rather than raced for by the workers
        os.environ.update({HOME_ENV: str(settings.home), **options.to_environment()})
        cli.close()
    uvicorn.run(
        app, factory=workers > 1, workers=workers, host=host, port=port,
        proxy_headers=False,  # the app's TrustedProxy reads them
        server_header=False, log_level="info",
    )  # fmt: skip

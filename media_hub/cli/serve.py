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
) -> None:
    """Serve the web app: the catalog, asset pages and edits, for signed-in users.

    Behind nginx or Caddy with TLS, the session cookie is marked Secure; with
    --proxy-user-header, the proxy's single sign-on names the user. Add users first
    with 'media-hub users add NAME --role admin'.

    Example: media-hub serve --port 8080
    """
    import uvicorn

    from media_hub.catalog.users import UserService
    from media_hub.errors import UsageError
    from media_hub.web.app import create_app
    from media_hub.web.config import WebConfig, hub_secret
    from media_hub.web.proxy import proxy_networks

    proxies = tuple(proxy or ["127.0.0.1"])
    try:
        proxy_networks(proxies)
    except ValueError as error:
        raise UsageError("--proxy", str(error)) from None
    cli = state(ctx)
    settings = cli.settings
    config = WebConfig(
        secret_key=hub_secret(settings.home),
        thumbnails_dir=settings.path(settings.thumbnails.dir),
        trusted_proxies=proxies,
        proxy_user_header=proxy_user_header or None,
        upload_max_bytes=upload_max_mib * 1024**2,
    )
    app = create_app(cli.hub, config)
    if not UserService(cli.hub.db).everyone():
        typer.echo("no user can sign in yet: add one with 'media-hub users add NAME --role admin'",
                   err=True)  # fmt: skip
    typer.echo(f"media-hub serves {settings.home} on http://{host}:{port}/ (Ctrl-C stops)")
    uvicorn.run(
        app, host=host, port=port, proxy_headers=False,  # the app's TrustedProxy reads them
        server_header=False,
        log_level="info",
    )  # fmt: skip

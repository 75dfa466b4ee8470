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
) -> None:
    """Serve the web app: the catalog, asset pages and edits, for signed-in users.

    Behind nginx or Caddy with TLS, the session cookie is marked Secure. Add users first
    with 'media-hub users add NAME --role admin'.

    Example: media-hub serve --port 8080
    """
    import uvicorn

    from media_hub.catalog.users import UserService
    from media_hub.web.app import create_app
    from media_hub.web.config import WebConfig, hub_secret

    cli = state(ctx)
    settings = cli.settings
    config = WebConfig(
        secret_key=hub_secret(settings.home),
        thumbnails_dir=settings.path(settings.thumbnails.dir),
    )
    app = create_app(cli.hub, config)
    if not UserService(cli.hub.db).everyone():
        typer.echo("no user can sign in yet: add one with 'media-hub users add NAME --role admin'",
                   err=True)  # fmt: skip
    typer.echo(f"media-hub serves {settings.home} on http://{host}:{port}/ (Ctrl-C stops)")
    uvicorn.run(
        app, host=host, port=port, proxy_headers=True,
        forwarded_allow_ips=",".join(proxy or ["127.0.0.1"]), server_header=False,
        log_level="info",
    )  # fmt: skip

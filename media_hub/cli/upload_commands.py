"""`media-hub upload` and `media-hub auth youtube`."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from media_hub.cli import output
from media_hub.cli.parsing import language_texts
from media_hub.cli.state import CliState, state
from media_hub.errors import MediaHubError, QuotaError, ValidationError

auth_app = typer.Typer(help="Connect media-hub to the channel's accounts.", no_args_is_help=True)


def _youtube_factory(cli_state: CliState) -> Any:
    def build() -> Any:
        from media_hub.publishing.youtube.auth import load_credentials
        from media_hub.publishing.youtube.client import youtube_service
        from media_hub.publishing.youtube.errors import reaching

        settings = cli_state.settings
        with reaching(settings.youtube.token_uri):
            return youtube_service(settings, load_credentials(settings))

    return build


def _when(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise ValidationError(
            "--publish-at", f"{value!r} is not a date and time; use 2026-12-01T09:00+01:00"
        ) from exc
    if moment.tzinfo is None:
        raise ValidationError("--publish-at", "give a time zone, e.g. 2026-12-01T09:00+01:00")
    return moment.astimezone(UTC)


def upload(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(help="Video files.", show_default=False)],
    series: Annotated[
        str, typer.Option("--series", "-s", help="Series slug (gives the template).")
    ],
    title: Annotated[
        list[str] | None, typer.Option("--title", "-t", metavar="LANG=TEXT", help="Title.")
    ] = None,
    description: Annotated[
        list[str] | None,
        typer.Option("--description", "-d", metavar="LANG=TEXT", help="Description."),
    ] = None,
    topic: Annotated[list[str] | None, typer.Option("--topic", help="Topic slug.")] = None,
    language: Annotated[
        str | None, typer.Option("--language", "-l", help="Default language.")
    ] = None,
    season: Annotated[int | None, typer.Option("--season", help="Season number.")] = None,
    episode: Annotated[int | None, typer.Option("--episode", help="Episode number.")] = None,
    privacy: Annotated[
        str | None, typer.Option("--privacy", help="public, unlisted or private.")
    ] = None,
    publish_at: Annotated[
        str | None, typer.Option("--publish-at", metavar="WHEN", help="Schedule (ISO 8601).")
    ] = None,
    plan: Annotated[
        bool, typer.Option("--plan", help="Show what would be sent and its quota; send nothing.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Publish videos to YouTube: ingest, transcode, thumbnail, upload, playlists, captions.

    Resumable after any crash and never twice: rerun the same command. Captions beside the
    file (clip.ar.srt, clip.fr.vtt) go up too. Example:
    media-hub upload clip.mp4 --series advisory-clips --episode 4 -t "fr=Bien chercher"
    """
    from media_hub.cli.progress import byte_progress, fraction_progress
    from media_hub.pipeline.ingest import IngestRequest
    from media_hub.pipeline.youtube_upload import UploadOptions, YouTubeUpload
    from media_hub.publishing.youtube.errors import reaching

    cli_state = state(ctx)
    job = YouTubeUpload(cli_state.hub, _youtube_factory(cli_state))
    options = UploadOptions(privacy=privacy, publish_at=_when(publish_at))
    titles = language_texts("--title", title or [])
    descriptions = language_texts("--description", description or [])
    results: list[dict[str, Any]] = []
    failures = 0
    for index, path in enumerate(files):
        request = IngestRequest(
            path, series, titles, descriptions, topic or [], season, episode, language
        )
        try:
            if plan:
                planned = job.prepare(request, options)
                results.append(_plan_record(planned))
                continue
            with (
                reaching(cli_state.settings.youtube.api_endpoint),
                fraction_progress(f"transcode {path.name}") as on_transcode,
            ):
                done = _publish(job, request, options, on_transcode, byte_progress, path)
            results.append(
                {"file": str(path), "asset_id": done.asset_id, "video_id": done.video_id,
                 "url": done.url, "uploaded_now": done.uploaded_now}
            )  # fmt: skip
        except QuotaError as exc:
            typer.echo(f"error: {exc}", err=True)
            rest = [str(p) for p in files[index:]]
            typer.echo(f"not done yet: {' '.join(rest)}", err=True)
            failures += 1
            break
        except MediaHubError as exc:
            failures += 1
            typer.echo(f"error: {exc}", err=True)
    _print(results, plan, as_json)
    if failures:
        raise typer.Exit(1)


def _publish(
    job: Any, request: Any, options: Any, on_transcode: Any, byte_progress: Any, path: Path
) -> Any:
    size = path.stat().st_size if path.is_file() else 0
    with byte_progress(f"upload {path.name}", size) as advance:
        sent = [0]

        def on_bytes(done: int, total: int) -> None:
            advance(done - sent[0])
            sent[0] = done

        return job.publish(request, options, on_bytes=on_bytes, on_transcode=on_transcode)


def _plan_record(planned: Any) -> dict[str, Any]:
    return {
        "file": str(planned.file),
        "asset_id": planned.asset_id,
        "already_uploaded": planned.already_uploaded,
        "send": planned.resource,
        "calls": [
            {"method": c.method, "units": c.units, "bucket": c.bucket, "detail": c.detail}
            for c in planned.calls
        ],
        "units": planned.units,
    }


def _print(results: list[dict[str, Any]], plan: bool, as_json: bool) -> None:
    if as_json:
        output.print_json(results)
        return
    for record in results:
        if not plan:
            verb = "uploaded" if record["uploaded_now"] else "already on YouTube"
            typer.echo(f"{record['file']}: asset {record['asset_id']} {verb}: {record['url']}")
            continue
        typer.echo(f"{record['file']}: asset {record['asset_id']}")
        output.print_json(record["send"])
        for call in record["calls"]:
            typer.echo(f"  {call['method']:<22}{call['units']:>4} units  {call['detail']}")
        typer.echo(f"  quota: {record['units']} units of 10,000 today, plus the upload calls")


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
) -> None:
    """Authorize media-hub on the YouTube channel; the token is saved with mode 0600.

    Example: media-hub auth youtube --client-secrets ~/Downloads/client_secret.json
    """
    from media_hub.errors import ConfigError
    from media_hub.publishing.youtube.auth import authorize

    settings = state(ctx).settings
    secrets = client_secrets or settings.youtube.client_secrets
    if secrets is None:
        raise ConfigError(
            "no OAuth client file: give --client-secrets or set youtube.client_secrets"
        )
    path = authorize(settings, settings.path(secrets), open_browser=not no_browser, port=port)
    typer.echo(f"authorized; token saved in {path} (readable by you only)")


def publish(
    ctx: typer.Context,
    apply: Annotated[
        bool, typer.Option("--apply/--plan", help="Apply the changes, or only list them.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Keep the channel in line with the catalog: metadata, thumbnails, playlists and order.

    Reads the channel 50 items per call and changes only what differs, in a stable order,
    within the day's quota; a rerun continues. Example: media-hub publish --plan
    """
    from media_hub.pipeline.youtube_sync import apply_sync, plan_sync
    from media_hub.pipeline.youtube_upload import YouTubeUpload
    from media_hub.publishing.youtube.errors import reaching

    cli_state = state(ctx)
    job = YouTubeUpload(cli_state.hub, _youtube_factory(cli_state))
    with reaching(cli_state.settings.youtube.api_endpoint):
        plan = plan_sync(job)
        result = apply_sync(job, plan) if apply else None
    calls = [
        {"method": c.method, "units": c.units, "target": c.target, "detail": c.detail}
        for c in plan.calls
    ]
    left = len(result.left) if result else len(calls)
    if as_json:
        output.print_json(
            {"reads": plan.reads, "calls": calls, "units": plan.units, "applied": apply,
             "left": left}
        )  # fmt: skip
    else:
        for call in calls:
            typer.echo(
                f"{call['method']:<22}{call['units']:>4}  {call['target']}: {call['detail']}"
            )
        verb = "applied" if apply else "to apply"
        typer.echo(
            f"{len(calls)} change(s) {verb}, {plan.units} units; read the channel in "
            f"{plan.reads} list call(s)"
        )
    if result is not None and result.left:
        typer.echo(
            f"error: the day's quota ran out with {left} change(s) left; rerun after midnight "
            "Pacific time",
            err=True,
        )
        raise typer.Exit(1)

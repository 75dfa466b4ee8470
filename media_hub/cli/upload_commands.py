"""`media-hub upload`, `publish` and `auth youtube|slideshare`."""

from __future__ import annotations

import sys
from contextlib import AbstractContextManager, nullcontext
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
        from media_hub.platforms.youtube.auth import load_credentials
        from media_hub.platforms.youtube.client import youtube_service
        from media_hub.platforms.youtube.errors import reaching

        settings = cli_state.settings
        with reaching(settings.youtube.token_uri):
            return youtube_service(settings, load_credentials(settings))

    return build


def _slideshare_factory(cli_state: CliState) -> Any:
    def build() -> Any:
        from media_hub.platforms.slideshare.connect import slideshare_client

        return slideshare_client(cli_state.settings)

    return build


class _Publishers:
    """One publisher per platform, made when a file of its kind comes up."""

    def __init__(self, cli_state: CliState) -> None:
        self._state = cli_state
        self._made: dict[str, Any] = {}

    def for_file(self, path: Path) -> Any:
        from media_hub.catalog.vocabulary import AssetKind
        from media_hub.pipeline.ingest import kind_of

        kind = kind_of(path)
        if kind not in self._made:
            if kind is AssetKind.DECK:
                from media_hub.platforms.slideshare.publisher import SlideShareUpload

                self._made[kind] = SlideShareUpload(
                    self._state.hub, _slideshare_factory(self._state)
                )
            else:
                from media_hub.platforms.youtube.publisher import YouTubeUpload

                self._made[kind] = YouTubeUpload(self._state.hub, _youtube_factory(self._state))
        return self._made[kind]

    def reaching(self, publisher: Any) -> AbstractContextManager[None]:
        """Network failures as one line (the SlideShare client already words its own)."""
        from media_hub.platforms.youtube.errors import reaching

        if publisher.platform == "slideshare":
            return nullcontext()
        return reaching(self._state.settings.youtube.api_endpoint)


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
    files: Annotated[list[Path], typer.Argument(help="Videos and decks.", show_default=False)],
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
    queue: Annotated[
        bool,
        typer.Option(
            "--queue", help="Ingest and check here; leave the rest to 'media-hub worker'."
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Publish videos to YouTube and decks (pdf, pptx, odp, ppt) to SlideShare.

    Videos: ingest, transcode, thumbnail, resumable upload, playlists, captions (clip.ar.srt,
    clip.fr.vtt beside the file). Decks: ingest, upload, wait for SlideShare's conversion.
    Resumable after any crash and never twice: rerun the same command. Examples:
    media-hub upload clip.mp4 --series advisory-clips --episode 4 -t "fr=Bien chercher";
    media-hub upload flyer.pdf --series cv-flyers -t "fr=Le CV en une page"
    """
    from media_hub.cli.progress import byte_progress, fraction_progress
    from media_hub.pipeline.ingest import IngestRequest
    from media_hub.platforms.publisher import UploadOptions

    cli_state = state(ctx)
    publishers = _Publishers(cli_state)
    if privacy is not None and privacy not in ("public", "unlisted", "private"):
        raise ValidationError("--privacy", f"{privacy!r} is not public, unlisted or private")
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
            job = publishers.for_file(path)
            if queue and not plan:
                results.append(_enqueue(cli_state, job, request, options))
                continue
            if plan:
                planned = job.prepare(request, options)
                results.append(_plan_record(job.platform, planned))
                continue
            with (
                publishers.reaching(job),
                fraction_progress(f"transcode {path.name}") as on_transcode,
            ):
                done = _publish(job, request, options, on_transcode, byte_progress, path)
            id_name = "video_id" if done.platform == "youtube" else "slideshow_id"
            results.append(
                {"file": str(path), "asset_id": done.asset_id, "platform": str(done.platform),
                 id_name: done.remote_id, "remote_id": done.remote_id, "url": done.url,
                 "uploaded_now": done.uploaded_now, "finished": done.finished}
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


def _enqueue(cli_state: CliState, job: Any, request: Any, options: Any) -> dict[str, Any]:
    from media_hub.jobs.queue import enqueue

    asset_id = job.stage(request, options)
    payload = {
        "asset_id": asset_id,
        "privacy": options.privacy,
        "publish_at": options.publish_at.isoformat() if options.publish_at else None,
    }
    job_id = enqueue(cli_state.hub.catalog.catalog, "upload", payload, asset_id)
    return {"file": str(request.path), "asset_id": asset_id, "platform": str(job.platform),
            "job_id": job_id, "queued": True}  # fmt: skip


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


def _plan_record(platform: str, planned: Any) -> dict[str, Any]:
    return {
        "file": str(planned.file),
        "platform": str(platform),
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
        where = "YouTube" if record["platform"] == "youtube" else "SlideShare"
        if record.get("queued"):
            typer.echo(
                f"{record['file']}: asset {record['asset_id']} queued for {where} as job "
                f"{record['job_id']} (run 'media-hub worker')"
            )
            continue
        if not plan:
            verb = "uploaded" if record["uploaded_now"] else f"already on {where}"
            if not record["finished"]:
                verb += f", {where} is still converting it (rerun later to check)"
            url = f": {record['url']}" if record["url"] else f" as {record['remote_id']}"
            typer.echo(f"{record['file']}: asset {record['asset_id']} {verb}{url}")
            continue
        typer.echo(f"{record['file']}: asset {record['asset_id']} to {where}")
        output.print_json(record["send"])
        for call in record["calls"]:
            cost = f"{call['units']:>4} units" if record["platform"] == "youtube" else "  1 call "
            typer.echo(f"  {call['method']:<22}{cost}  {call['detail']}")
        if record["platform"] == "youtube":
            typer.echo(f"  quota: {record['units']} units of 10,000 today, plus the upload calls")
        else:
            typer.echo(f"  SlideShare: {len(record['calls'])} call(s) of the account's daily limit")


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
    from media_hub.platforms.youtube.auth import authorize

    settings = state(ctx).settings
    secrets = client_secrets or settings.youtube.client_secrets
    if secrets is None:
        raise ConfigError(
            "no OAuth client file: give --client-secrets or set youtube.client_secrets"
        )
    path = authorize(settings, settings.path(secrets), open_browser=not no_browser, port=port)
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
    from media_hub.platforms.slideshare.client import SlideShareClient
    from media_hub.platforms.slideshare.credentials import (
        SlideShareCredentials,
        credentials_path,
        save_credentials,
    )

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
    section = settings.slideshare
    ca_bundle = settings.path(section.ca_bundle) if section.ca_bundle is not None else None
    client = SlideShareClient(section.api_base, credentials, ca_bundle=ca_bundle)
    try:
        client.get_user_tags()  # refused here, not at the first upload
    finally:
        client.close()
    path = credentials_path(settings)
    save_credentials(path, credentials)
    typer.echo(f"checked and saved in {path} (readable by you only)")


def publish(
    ctx: typer.Context,
    apply: Annotated[
        bool, typer.Option("--apply/--plan", help="Apply the changes, or only list them.")
    ] = False,
    platform: Annotated[
        list[str] | None,
        typer.Option("--platform", help="youtube or slideshare (default: each with publications)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Keep YouTube and SlideShare in line with the catalog: texts, thumbnails, playlists.

    Reads the platforms in pages (50 videos, 100 slideshows per call) and changes only what
    differs, in a stable order, within the day's quota; a rerun continues.
    Example: media-hub publish --plan
    """
    from media_hub.pipeline.publish_all import Synced, platforms_in_use

    cli_state = state(ctx)
    chosen = _platforms(platform) or platforms_in_use(cli_state.hub)
    synced: list[Synced] = []
    for name in chosen:
        synced.append(_sync_platform(cli_state, name, apply))
    calls = [call for one in synced for call in one.calls]
    left = sum(one.left for one in synced)
    units = sum(one.units for one in synced)
    reads = sum(one.reads for one in synced)
    missing = [line for one in synced for line in one.missing]
    if as_json:
        output.print_json(
            {"reads": reads, "calls": calls, "units": units, "applied": apply, "left": left,
             "missing": missing}
        )  # fmt: skip
    else:
        for call in calls:
            typer.echo(
                f"{call['method']:<22}{call['units']:>4}  {call['target']}: {call['detail']}"
            )
        for line in missing:
            typer.echo(f"warning: {line}", err=True)
        verb = "applied" if apply else "to apply"
        typer.echo(
            f"{len(calls)} change(s) {verb}, {units} YouTube units; read the platforms in "
            f"{reads} list call(s)"
        )
    for one in synced:
        if one.stopped:
            typer.echo(f"error: {one.stopped}", err=True)
    if any(one.stopped for one in synced):
        raise typer.Exit(1)


def _platforms(values: list[str] | None) -> list[str]:
    known = ("youtube", "slideshare")
    for value in values or []:
        if value not in known:
            raise ValidationError("--platform", f"{value!r} is not youtube or slideshare")
    return [name for name in known if name in (values or [])]


def _sync_platform(cli_state: CliState, name: str, apply: bool) -> Any:
    from media_hub.pipeline.publish_all import sync_decks, sync_videos

    if name == "slideshare":
        from media_hub.platforms.slideshare.publisher import SlideShareUpload

        return sync_decks(SlideShareUpload(cli_state.hub, _slideshare_factory(cli_state)), apply)
    from media_hub.platforms.youtube.errors import reaching
    from media_hub.platforms.youtube.publisher import YouTubeUpload

    job = YouTubeUpload(cli_state.hub, _youtube_factory(cli_state))
    with reaching(cli_state.settings.youtube.api_endpoint):
        return sync_videos(job, apply)

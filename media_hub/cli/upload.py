"""`media-hub upload FILE...|ID...|QUERY`: files, or catalogued assets, to the platforms of
their series, as one batch."""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from media_hub.cli import output
from media_hub.cli.errors import batch_status, error_line
from media_hub.cli.options import AssetOpt, ForceTranscodeOpt, ReplaceOpt, check_asset_options
from media_hub.cli.parsing import language_texts
from media_hub.cli.state import state
from media_hub.errors import MediaHubError, ValidationError

if TYPE_CHECKING:
    from collections.abc import Callable

    from media_hub.hub import Hub
    from media_hub.platforms.base import Platform
    from media_hub.platforms.publisher import UploadPlan
    from media_hub.publishing.upload import FileUploaded, Mode


def _when(hub: Hub, value: str | None) -> datetime | None:
    """`--publish-at`: a local time in the hub's zone (calendar.toml), or with an offset."""
    if value is None:
        return None
    from media_hub.catalog.calendar_file import local_instant, read_calendar

    return local_instant(value, read_calendar(hub.settings.definitions_dir).zone, "--publish-at")


def upload(
    ctx: typer.Context,
    targets: Annotated[
        list[str],
        typer.Argument(
            metavar="FILE... | ID... | QUERY",
            help="Videos and decks; or catalogued assets by id, or by a query "
            "(status:ready series:advisory-clips).",
            show_default=False,
        ),
    ],
    series: Annotated[
        str | None, typer.Option("--series", "-s", help="Series slug (gives the template).")
    ] = None,
    asset: AssetOpt = None,
    replace_file: ReplaceOpt = False,
    title: Annotated[
        list[str] | None, typer.Option("--title", "-t", metavar="LANG=TEXT", help="Title.")
    ] = None,
    description: Annotated[
        list[str] | None,
        typer.Option("--description", "-d", metavar="LANG=TEXT", help="Description."),
    ] = None,
    topic: Annotated[
        list[str] | None, typer.Option("--topic", metavar="SLUG", help="Topic slug.")
    ] = None,
    language: Annotated[
        str | None, typer.Option("--language", "-l", help="Default language.")
    ] = None,
    season: Annotated[int | None, typer.Option("--season", help="Season number.")] = None,
    episode: Annotated[int | None, typer.Option("--episode", help="Episode number.")] = None,
    privacy: Annotated[
        str | None, typer.Option("--privacy", help="public, unlisted or private.")
    ] = None,
    publish_at: Annotated[
        str | None,
        typer.Option(
            "--publish-at",
            metavar="WHEN",
            help='Schedule: "2026-12-15 10:00" in the hub\'s zone, or with an offset.',
        ),
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
    force_transcode: ForceTranscodeOpt = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Publish videos and decks (pdf, pptx, odp, ppt) to the platforms of their series.

    Videos: ingest, transcode, thumbnail, resumable upload, playlists, captions (clip.ar.srt,
    clip.fr.vtt beside the file). Decks: ingest, upload, wait for the platform's conversion.
    Resumable after any crash and never twice: rerun the same command. A file for an asset
    the librarians catalogued first: --asset ID (or its --series and --episode). Assets
    already in the catalog with their files: by id, or by a query. Examples:

    \b
    media-hub upload clip.mp4 --series advisory-clips --episode 4 -t "fr=Bien chercher"
    media-hub upload cv-ep3.mp4 --asset 12
    media-hub upload status:ready series:advisory-clips --plan
    """
    from media_hub.pipeline.ingest import IngestRequest
    from media_hub.platforms.publisher import UploadOptions
    from media_hub.publishing.upload import upload_assets, upload_files

    if privacy is not None and privacy not in ("public", "unlisted", "private"):
        raise ValidationError("--privacy", f"{privacy!r} is not public, unlisted or private")
    hub = state(ctx).hub
    options = UploadOptions(
        privacy=privacy, publish_at=_when(hub, publish_at), force_transcode=force_transcode
    )
    mode: Mode = "plan" if plan else "queue" if queue else "publish"

    def show_error(path: Path, exc: MediaHubError) -> None:
        typer.echo(error_line(exc, ctx.command_path), err=True)

    asset_ids = _catalogued(hub, targets)
    if asset_ids is not None:
        given = {"--series": series, "--asset": asset, "--title": title,
                 "--description": description, "--topic": topic, "--language": language,
                 "--season": season, "--episode": episode}  # fmt: skip
        for name, value in given.items():
            if value:
                raise ValidationError(
                    name, "catalogued assets keep their own; change them with 'media-hub "
                    "catalog edit' (or upload a file)",
                )  # fmt: skip
        batch = upload_assets(
            hub, asset_ids, options, mode=mode, progress=BarProgress(), on_error=show_error
        )
    else:
        files = [Path(target) for target in targets]
        check_asset_options(files, asset, replace_file)
        request = IngestRequest(
            files[0], series, language_texts("--title", title or []),
            language_texts("--description", description or []), topic or [], season, episode,
            language, asset, replace_file,
        )  # fmt: skip
        batch = upload_files(
            hub, files, request, options, mode=mode, progress=BarProgress(), on_error=show_error
        )
    if batch.not_done:
        typer.echo(f"not done yet: {' '.join(str(p) for p in batch.not_done)}", err=True)
    _print(batch.done, as_json)
    if batch.failed:
        raise typer.Exit(batch_status(exc for _path, exc in batch.failures))


def _catalogued(hub: Any, targets: list[str]) -> list[int] | None:
    """The asset ids the targets name (all ids, or a query with a `field:value` term that is
    not a file), or None when they are files."""
    if all(target.isdigit() for target in targets):
        return [int(target) for target in targets]
    from media_hub.catalog.querylang import parse_query

    if any(Path(target).exists() for target in targets) or not any(
        ":" in target for target in targets
    ):
        return None
    query = parse_query(targets)
    found = hub.catalog.find(query)
    if not found:
        raise ValidationError("QUERY", f"no asset matches {' '.join(targets)!r}")
    return [int(record["id"]) for record in found]


class BarProgress:
    """The library's progress hooks as rich bars on stderr."""

    def transcode(self, path: Path) -> AbstractContextManager[Callable[[float], None]]:
        from media_hub.cli.progress import fraction_progress

        return fraction_progress(f"transcode {path.name}")

    def upload(self, path: Path, size: int) -> AbstractContextManager[Callable[[int], None]]:
        from media_hub.cli.progress import byte_progress

        return byte_progress(f"upload {path.name}", size)


def _record(done: FileUploaded) -> dict[str, Any]:
    platform = done.platform
    if done.plan is not None:
        return _plan_record(platform, done.plan)
    if done.job_id is not None:
        return {"file": str(done.file), "asset_id": done.asset_id, "platform": platform.name,
                "job_id": done.job_id, "queued": True, "attached": done.attached}  # fmt: skip
    published = done.published
    assert published is not None
    return {"file": str(done.file), "asset_id": done.asset_id, "platform": platform.name,
            platform.remote_id_word: published.remote_id,
            "remote_id": published.remote_id, "url": published.url,
            "uploaded_now": published.uploaded_now, "finished": published.finished,
            "attached": done.attached, "rendition": published.rendition,
            "rendition_reasons": list(published.rendition_reasons)}  # fmt: skip


def _plan_record(platform: Platform, planned: UploadPlan) -> dict[str, Any]:
    return {
        "file": str(planned.file),
        "platform": platform.name,
        "asset_id": planned.asset_id,
        "already_uploaded": planned.already_uploaded,
        "send": planned.resource,
        "calls": [
            {"method": c.method, "units": c.units, "bucket": c.bucket, "detail": c.detail}
            for c in planned.calls
        ],
        "units": planned.units,
    }


def _print(batch: list[FileUploaded], as_json: bool) -> None:
    if as_json:
        output.print_json([_record(done) for done in batch])
        return
    for done in batch:
        where = done.platform.label
        head = f"{done.file}: asset {done.asset_id}"
        if done.attached:
            head += " (catalogued first; the file is now its own)"
        if done.job_id is not None:
            typer.echo(f"{head} queued for {where} as job {done.job_id} (run 'media-hub worker')")
        elif done.published is not None:
            published = done.published
            verb = "uploaded" if published.uploaded_now else f"already on {where}"
            if not published.finished:
                verb += f", {where} is still converting it (rerun later to check)"
            url = f": {published.url}" if published.url else f" as {published.remote_id}"
            typer.echo(f"{head} {verb}{url}")
            if published.rendition is not None:
                typer.echo(
                    f"  sent {published.rendition}: " + "; ".join(published.rendition_reasons)
                )
        elif done.plan is not None:
            _print_plan(done.platform, done.plan)


def _print_plan(platform: Platform, plan: UploadPlan) -> None:
    typer.echo(f"{plan.file}: asset {plan.asset_id} to {platform.label}")
    output.print_json(plan.resource)
    for call in plan.calls:
        cost = f"{call.units:>4} units" if platform.daily_units else "  1 call "
        typer.echo(f"  {call.method:<22}{cost}  {call.detail}")
    if platform.daily_units:
        typer.echo(
            f"  quota: {plan.units} units of {platform.daily_units:,} today, plus the upload calls"
        )
    else:
        typer.echo(f"  {platform.label}: {len(plan.calls)} call(s) of the account's daily limit")

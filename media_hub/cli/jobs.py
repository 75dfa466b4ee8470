"""`media-hub jobs add|list|show|retry|cancel`: the job queue."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from media_hub.catalog.vocabulary import JobState
from media_hub.cli import output
from media_hub.cli.options import JsonOpt, ProfileOpt
from media_hub.cli.state import state
from media_hub.jobs.kinds import handler_for, known_kinds  # `jobs add`'s help lists the kinds

jobs_app = typer.Typer(
    help="The job queue: pipeline steps waiting, running, done, or parked.",
    no_args_is_help=True,
)


JobArg = Annotated[int, typer.Argument(metavar="ID", help="Job id.")]


COLUMNS = ("id", "kind", "asset", "title", "state", "attempts", "run after", "lease owner",
           "error")  # fmt: skip


@jobs_app.command("add")
def add(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(help=f"Job kind: {', '.join(known_kinds())}.")],
    asset_ids: Annotated[list[int], typer.Argument(metavar="ID...", help="Asset ids.")],
    profile: ProfileOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Queue a job per asset for the workers; a job already queued or running is reused.

    Example: media-hub jobs add transcode 12 13 --profile web
    """
    from media_hub.jobs import queue

    handler_for(kind)
    hub = state(ctx).hub
    for asset_id in asset_ids:  # all known, or nothing is queued
        hub.catalog.show(asset_id)
    catalog = hub.db
    given = {"profile": profile} if profile is not None else {}
    ids = [
        queue.enqueue(catalog, kind, {"asset_id": asset_id, **given}, asset_id)
        for asset_id in asset_ids
    ]
    if as_json:
        output.print_json(ids)
        return
    for asset_id, job_id in zip(asset_ids, ids, strict=True):
        typer.echo(f"asset {asset_id}: job {job_id} ({kind}) queued")


@jobs_app.command("list")
def list_command(
    ctx: typer.Context,
    job_state: Annotated[
        JobState | None, typer.Option("--state", help="Only jobs in this state.")
    ] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="Only jobs of this kind.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many.")] = 100,
    as_json: JsonOpt = False,
) -> None:
    """List jobs, newest first; a job put off by a spent quota shows when it resets.

    Example: media-hub jobs list --state parked
    """
    from media_hub.jobs import records

    found = records.list_jobs(
        state(ctx).hub.db,
        states=[job_state] if job_state else [],
        kinds=[kind] if kind else [],
        limit=limit,
    )
    if as_json:
        output.print_json(found)
        return
    titles = _titles(state(ctx).hub.db, [job["asset_id"] for job in found if job["asset_id"]])
    output.print_table("jobs", COLUMNS, (_row(job, titles) for job in found))


def _titles(catalog: Any, asset_ids: list[int]) -> dict[int, str]:
    """Each asset's title in its default language, for people to know the job's subject."""
    from media_hub.catalog.query import asset_records_by_id

    with catalog.session() as session:
        found = asset_records_by_id(session, sorted(set(asset_ids)))
    return {
        asset_id: record["titles"].get(record["default_language"], "")
        for asset_id, record in found.items()
    }


def _when(iso: str | None) -> str | None:
    """`2026-12-06 02:04 UTC`: short enough to stay on one line of the table."""
    return None if iso is None else f"{iso[:16].replace('T', ' ')} UTC"


@jobs_app.command("show")
def show(ctx: typer.Context, job_id: JobArg) -> None:
    """Show a job as JSON: payload, result, last error, lease, and `waiting` (the quota reset
    it waits for). `attempts` counts each time a worker took the job, one that died with it
    included; a job handed back or put off for the quota gets its attempt back.

    Example: media-hub jobs show 42
    """
    from media_hub.jobs import records

    output.print_json(records.show_job(state(ctx).hub.db, job_id))


@jobs_app.command("retry")
def retry(ctx: typer.Context, job_id: JobArg, as_json: JsonOpt = False) -> None:
    """Queue a parked, failed or cancelled job again, due now, its attempts reset.

    Example: media-hub jobs retry 42
    """
    from media_hub.jobs import queue

    _changed(queue.retry(state(ctx).hub.db, job_id), as_json)


@jobs_app.command("cancel")
def cancel(ctx: typer.Context, job_id: JobArg, as_json: JsonOpt = False) -> None:
    """Cancel a job that is not done; a worker running it records nothing.

    Example: media-hub jobs cancel 42
    """
    from media_hub.jobs import queue

    _changed(queue.cancel(state(ctx).hub.db, job_id), as_json)


def _changed(job: dict[str, Any], as_json: bool) -> None:
    if as_json:
        output.print_json(job)
    else:
        typer.echo(f"job {job['id']} ({job['kind']}) is {job['state']}")


def _row(job: dict[str, Any], titles: dict[int, str]) -> tuple[Any, ...]:
    error = (job["error"] or "").splitlines()
    return (
        job["id"], job["kind"], job["asset_id"], titles.get(job["asset_id"]),
        job["waiting"] or job["state"], f"{job['attempts']}/{job['max_attempts']}",
        _when(job["run_after"]), job["lease_owner"], error[0][:80] if error else None,
    )  # fmt: skip

"""`media-hub worker` and `media-hub jobs add|list|show|retry|cancel`: the job queue."""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import TYPE_CHECKING, Annotated, Any

import typer

from media_hub.catalog.vocabulary import JobState
from media_hub.cli import output
from media_hub.cli.state import state
from media_hub.errors import ExitStatus
from media_hub.jobs.kinds import handler_for, known_kinds  # `jobs add`'s help lists the kinds

if TYPE_CHECKING:
    from media_hub.jobs.worker import Finished

jobs_app = typer.Typer(
    help="The job queue: pipeline steps waiting, running, done, or parked.",
    no_args_is_help=True,
)
JobArg = Annotated[int, typer.Argument(metavar="ID", help="Job id.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]
COLUMNS = ("id", "kind", "asset", "state", "attempts", "run after", "lease owner", "error")


def worker(
    ctx: typer.Context,
    concurrency: Annotated[
        int, typer.Option("--concurrency", "-c", min=1, help="Jobs run at the same time.")
    ] = 1,
    kinds: Annotated[
        str | None,
        typer.Option("--kinds", help="Comma-separated job kinds to run (default: all)."),
    ] = None,
    lease: Annotated[
        float,
        typer.Option("--lease", min=0.5, help="Lease in seconds; renewed every third of it."),
    ] = 60.0,
    poll: Annotated[
        float, typer.Option("--poll", min=0.05, help="Seconds between looks at an empty queue.")
    ] = 1.0,
    drain: Annotated[
        bool, typer.Option("--drain", help="Exit once no job is due (for cron and scripts).")
    ] = False,
) -> None:
    """Run queued jobs until SIGTERM or Ctrl-C, which finish the jobs in hand, then exit;
    a second one hands them back unrecorded instead and exits with status 1.

    Example: media-hub worker --concurrency 2 --kinds transcode
    """
    from media_hub.hub import Hub
    from media_hub.jobs.worker import new_worker_id, run_worker

    settings = state(ctx).settings
    wanted = [k.strip() for k in kinds.split(",") if k.strip()] if kinds else None
    stop, abandon = threading.Event(), threading.Event()
    printing = threading.Lock()

    def stop_on_signal(signum: int, _frame: FrameType | None) -> None:
        if stop.is_set():
            abandon.set()
            return
        stop.set()
        typer.echo(
            f"worker {worker_id}: finishing the jobs in hand; signal again to hand them back",
            err=True,
        )

    def report(finished: Finished) -> None:
        job = finished.job
        detail = f": {finished.error}" if finished.error else ""
        with printing:
            typer.echo(f"job {job.id} ({job.kind}) {finished.outcome}{detail}")

    worker_id = new_worker_id()
    previous = {sig: signal.signal(sig, stop_on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    typer.echo(f"worker {worker_id} started", err=True)
    try:
        tally = run_worker(
            lambda: Hub(settings), worker_id, wanted, concurrency, lease, stop,
            poll_s=poll, on_finished=report, abandon_event=abandon, drain=drain,
        )  # fmt: skip
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    summary = ", ".join(f"{count} {outcome}" for outcome, count in tally.counts.items())
    if tally.handed_back is not None:
        back = ", ".join(str(job_id) for job_id in tally.handed_back) or "none"
        with printing:
            typer.echo(f"worker {worker_id} handed back job(s) {back}: {summary}", err=True)
        raise typer.Exit(ExitStatus.ERROR)
    typer.echo(f"worker {worker_id} stopped: {summary}", err=True)


@jobs_app.command("add")
def add(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(help=f"Job kind: {', '.join(known_kinds())}.")],
    asset_ids: Annotated[list[int], typer.Argument(metavar="ID...", help="Asset ids.")],
    profile: Annotated[
        str, typer.Option("--profile", "-p", help="Transcoding profile (transcode jobs).")
    ] = "youtube",
    as_json: JsonOpt = False,
) -> None:
    """Queue a job per asset for the workers; a job already queued or running is reused.

    Example: media-hub jobs add transcode 12 13 --profile web
    """
    from media_hub.jobs import queue

    handler_for(kind)
    catalog = state(ctx).hub.db
    ids = [
        queue.enqueue(catalog, kind, {"asset_id": asset_id, "profile": profile}, asset_id)
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
    output.print_table("jobs", COLUMNS, (_row(job) for job in found))


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


def _row(job: dict[str, Any]) -> tuple[Any, ...]:
    error = (job["error"] or "").splitlines()
    return (
        job["id"], job["kind"], job["asset_id"], job["waiting"] or job["state"],
        f"{job['attempts']}/{job['max_attempts']}", job["run_after"], job["lease_owner"],
        error[0][:80] if error else None,
    )  # fmt: skip

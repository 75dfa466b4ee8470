"""`media-hub worker`: run queued jobs until told to stop."""

from __future__ import annotations

import signal
import threading
from contextlib import nullcontext
from types import FrameType
from typing import TYPE_CHECKING, Annotated

import typer

from media_hub.cli import output
from media_hub.cli.state import state
from media_hub.errors import ExitStatus

if TYPE_CHECKING:
    from media_hub.jobs.worker import Finished


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
    name: Annotated[
        str | None,
        typer.Option(
            "--name", help="A stable name for this worker (default: host, process, random)."
        ),
    ] = None,
    local_store: Annotated[
        bool,
        typer.Option(
            "--local-store",
            help="Allow a local store with a shared catalog (every worker on this machine).",
        ),
    ] = False,
    database_patience: Annotated[
        float,
        typer.Option(
            "--database-patience",
            min=0,
            metavar="SECONDS",
            help="How long an unreachable catalog is waited for before the worker exits 1.",
        ),
    ] = 300.0,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json", help="Print one JSON object a line: each job as it ends, then the summary."
        ),
    ] = False,
) -> None:
    """Run queued jobs until SIGTERM or Ctrl-C, which finish the jobs in hand, then exit;
    a second one hands them back unrecorded instead and exits with status 1.

    Example: media-hub worker --concurrency 2 --kinds transcode
    """
    from media_hub.hub import Hub
    from media_hub.jobs.names import check_name, check_store, holding_name
    from media_hub.jobs.worker import Patience, new_worker_id, run_worker
    from media_hub.settings import mask_url_password

    settings = state(ctx).settings
    check_store(settings, local_store=local_store)
    worker_id = check_name(name) if name is not None else new_worker_id()
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
            if as_json:
                output.print_json_line(
                    {"job": job.id, "kind": job.kind, "outcome": str(finished.outcome),
                     "error": finished.error}
                )  # fmt: skip
            else:
                typer.echo(f"job {job.id} ({job.kind}) {finished.outcome}{detail}")

    previous = {sig: signal.signal(sig, stop_on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    typer.echo(
        f"worker {worker_id} started: catalog {mask_url_password(settings.catalog.url)}, "
        f"store {settings.store.url}, kinds {', '.join(wanted) if wanted else 'all'}, "
        f"{concurrency} at a time",
        err=True,
    )
    try:
        with holding_name(state(ctx).hub.db, worker_id) if name else nullcontext():
            tally = run_worker(
                lambda: Hub(settings), worker_id, wanted, concurrency, lease, stop,
                poll_s=poll, on_finished=report, abandon_event=abandon, drain=drain,
                patience=Patience(database_patience),
            )  # fmt: skip
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    summary = ", ".join(f"{count} {outcome}" for outcome, count in tally.counts.items())
    if as_json:
        with printing:
            output.print_json_line(
                {"worker": worker_id, "counts": {str(k): v for k, v in tally.counts.items()},
                 "handed_back": tally.handed_back, "gave_up": tally.gave_up}
            )  # fmt: skip
    if tally.handed_back is not None:
        back = ", ".join(str(job_id) for job_id in tally.handed_back) or "none"
        with printing:
            typer.echo(f"worker {worker_id} handed back job(s) {back}: {summary}", err=True)
        raise typer.Exit(ExitStatus.ERROR)
    if tally.gave_up is not None:
        typer.echo(f"error: worker {worker_id}: {tally.gave_up} ({summary})", err=True)
        raise typer.Exit(ExitStatus.ERROR)
    typer.echo(f"worker {worker_id} stopped: {summary}", err=True)

"""`media-hub calendar plan|show|move|unschedule|run`: the weekly publication calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from media_hub.cli import output
from media_hub.cli.errors import error_line
from media_hub.cli.options import JsonOpt
from media_hub.cli.state import state
from media_hub.errors import ExitStatus, UsageError

calendar_app = typer.Typer(
    help="The weekly publication calendar: slots in catalog/calendar.toml, filled and kept.",
    no_args_is_help=True,
)

AssetArg = Annotated[int, typer.Argument(metavar="ID", help="Asset id.")]
PlatformOpt = Annotated[
    str | None,
    typer.Option("--platform", help="The platform, when the asset is booked on several."),
]


class ShowFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    ICS = "ics"
    HTML = "html"


def _now() -> datetime:
    return datetime.now(UTC)


@calendar_app.command("plan")
def plan(
    ctx: typer.Context,
    query: Annotated[
        list[str] | None,
        typer.Argument(metavar="QUERY", help="Only these assets (catalog list's query)."),
    ] = None,
    weeks: Annotated[int, typer.Option("--weeks", help="Weeks to plan, from this one.")] = 1,
    start: Annotated[
        str | None, typer.Option("--from", metavar="DATE", help="Plan from this date's week.")
    ] = None,
    apply: Annotated[bool, typer.Option("--apply", help="Record the new bookings.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Fill the free slots with ready assets in episode order; --apply records the plan.

    Shows what goes where, the slots moved for a platform's daily quota, and the assets not
    ready with why. Example: media-hub calendar plan --weeks 4 --apply
    """
    from media_hub.publishing.calendar.plan import apply_plan, plan_calendar

    hub = state(ctx).hub
    first = _date("--from", start) if start else None
    made = plan_calendar(hub, _now(), weeks=weeks, start=first, query=query or [])
    recorded = apply_plan(hub, made) if apply else None
    zone = made.calendar.zone
    if as_json:
        output.print_json(
            {
                "timezone": zone.key,
                "applied": apply,
                "slots": [
                    {"at": b.occurrence.at.isoformat(),
                     "local": b.occurrence.at.astimezone(zone).isoformat(),
                     "series": b.occurrence.series, "platform": b.occurrence.platform,
                     "asset_id": b.asset_id, "title": b.title, "kind": b.kind, "note": b.note}
                    for b in made.bookings
                ],
                "not_ready": [
                    {"asset_id": n.asset_id, "series": n.series, "platform": n.platform,
                     "reason": n.reason}
                    for n in made.not_ready
                ],
            }
        )  # fmt: skip
        return
    output.print_table(
        f"calendar plan from {made.start} ({zone.key})",
        ["when", "platform", "series", "asset", "title", ""],
        [
            [output.local_time(b.occurrence.at.isoformat(), zone), b.occurrence.platform,
             b.occurrence.series, b.asset_id or "", b.title, b.kind + ("*" if b.note else "")]
            for b in made.bookings
        ],
    )  # fmt: skip
    for booking in made.bookings:  # whole lines: a table would fold them
        if booking.note:
            typer.echo(f"* asset {booking.asset_id or '-'} ({booking.occurrence.series}): "
                       f"{booking.note}")  # fmt: skip
    for item in made.not_ready:
        typer.echo(f"not ready: asset {item.asset_id} ({item.series}): {item.reason}")
    if recorded is None:
        typer.echo(f"{len(made.new)} new booking(s); --apply records them")
    else:
        typer.echo(f"{len(recorded)} booking(s) recorded")


@calendar_app.command("show")
def show(
    ctx: typer.Context,
    week: Annotated[
        str | None, typer.Option("--week", metavar="YYYY-Www", help="An ISO week: 2026-W50.")
    ] = None,
    month: Annotated[
        str | None, typer.Option("--month", metavar="YYYY-MM", help="A month: 2026-12.")
    ] = None,
    output_format: Annotated[
        ShowFormat, typer.Option("--format", help="table, json, ics or html.")
    ] = ShowFormat.TABLE,
    out: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file, not stdout.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """The week (or month) of publications: a grid, JSON, an iCalendar file or a page.

    Example: media-hub calendar show --week 2026-W50 --format ics -o week.ics
    """
    from media_hub.publishing.calendar.views import entries, grid, html_page, window

    hub = state(ctx).hub
    now = _now()
    shown = window(hub, now, week, month)
    found = entries(hub, shown, now)
    chosen = ShowFormat.JSON if as_json else output_format
    if chosen is ShowFormat.TABLE:
        if out is not None:
            raise UsageError("--output", "write json, ics or html to a file; the table is shown")
        header, rows = grid(shown, found)
        output.print_table(f"{shown.label} ({shown.zone.key})", header, rows)
        return
    if chosen is ShowFormat.ICS:
        from media_hub.publishing.calendar.ics import ics_document

        data = ics_document(shown, found, now)
    elif chosen is ShowFormat.HTML:
        data = html_page(shown, found).encode()
    else:
        import json

        document = {"window": shown.label, "timezone": shown.zone.key,
                    "publications": [entry.as_json() for entry in found]}  # fmt: skip
        data = (json.dumps(document, ensure_ascii=False) + "\n").encode()
    if out is None:
        typer.echo(data.decode(), nl=False)
    else:
        out.write_bytes(data)
        typer.echo(f"{out}: {len(found)} publication(s)", err=True)


@calendar_app.command("move")
def move(
    ctx: typer.Context,
    asset_id: AssetArg,
    to: Annotated[
        str, typer.Option("--to", metavar="WHEN", help='"2026-12-15 10:00", in the hub\'s zone.')
    ],
    platform: PlatformOpt = None,
) -> None:
    """Move an asset's booking; on YouTube, videos.update of status.publishAt only.

    Example: media-hub calendar move 12 --to "2026-12-15 10:00"
    """
    from media_hub.catalog.calendar_file import read_calendar
    from media_hub.publishing.calendar import book

    hub = state(ctx).hub
    done = book.move(hub, asset_id, to, _now(), platform=platform)
    zone = read_calendar(hub.settings.definitions_dir).zone
    before = output.local_time(done.before.isoformat(), zone) if done.before else "?"
    assert done.after is not None
    where = " (and on the platform)" if done.on_platform else ""
    typer.echo(
        f"asset {asset_id} on {done.platform}: {before} → "
        f"{output.local_time(done.after.isoformat(), zone)}{where}"
    )


@calendar_app.command("unschedule")
def unschedule(ctx: typer.Context, asset_id: AssetArg, platform: PlatformOpt = None) -> None:
    """Take an asset's booking off the calendar; uploaded, it stays private.

    Example: media-hub calendar unschedule 12
    """
    from media_hub.publishing.calendar import book

    done = book.unschedule(state(ctx).hub, asset_id, _now(), platform=platform)
    kept = ", kept private on the platform" if done.on_platform else ""
    typer.echo(f"asset {asset_id} on {done.platform}: unscheduled{kept}")


@calendar_app.command("run")
def run(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Do the calendar's due work: uploads ahead, decks made public, videos seen live.

    Idempotent: safe from cron every few minutes on a hub without workers.
    Example: */10 * * * * media-hub --hub /srv/channel-hub calendar run
    """
    from media_hub.publishing.calendar.run import run_calendar

    done = run_calendar(state(ctx).hub, _now())
    if as_json:
        output.print_json(
            {"uploaded": done.uploaded, "made_public": done.made_public,
             "went_live": done.went_live, "waiting": done.waiting,
             "failures": [{"asset_id": a, "platform": p, "error": str(e)}
                          for a, p, e in done.failures]}
        )  # fmt: skip
    else:
        for asset_id, name in done.uploaded:
            typer.echo(f"asset {asset_id}: uploaded to {name} ahead of its slot")
        for asset_id, name in done.made_public:
            typer.echo(f"asset {asset_id}: made public on {name}")
        for asset_id, name in done.went_live:
            typer.echo(f"asset {asset_id}: live on {name}")
        typer.echo(f"{done.waiting} booking(s) waiting for their upload day")
    for _, _, exc in done.failures:
        typer.echo(error_line(exc, ctx.command_path), err=True)
    if done.failed:
        raise typer.Exit(ExitStatus.ERROR)


def _date(option: str, text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise UsageError(option, f"{text!r} is not a date; write YYYY-MM-DD") from exc

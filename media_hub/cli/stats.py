"""`media-hub stats pull` and `media-hub stats report`."""

from __future__ import annotations

import sys
from dataclasses import asdict
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from media_hub.cli import output
from media_hub.cli.state import state
from media_hub.errors import MediaHubError, ValidationError

if TYPE_CHECKING:
    from media_hub.stats.pull import PullResult
    from media_hub.stats.report import Report

app = typer.Typer(
    help="View statistics: dated snapshots of the platforms' counts, and reports on them.",
    no_args_is_help=True,
)


class By(StrEnum):
    PLAYLIST = "playlist"
    SERIES = "series"
    TOPIC = "topic"
    ASSET = "asset"


class CompareWith(StrEnum):
    PREVIOUS = "previous"
    YEAR = "year"


class ReportFormat(StrEnum):
    TABLE = "table"
    CSV = "csv"
    JSON = "json"
    HTML = "html"
    XLSX = "xlsx"


@app.command("pull")
def pull(
    ctx: typer.Context,
    queue: Annotated[
        bool, typer.Option("--queue", help="Leave the pull to 'media-hub worker' (a job).")
    ] = False,
    daily_at: Annotated[
        str | None,
        typer.Option(
            "--daily-at",
            metavar="HH:MM",
            help="With --queue: a pull every day at this time (UTC), each job queueing the next.",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Read every published video's and deck's counts into one dated snapshot.

    Each platform is read as cheaply as it allows (views, likes, comments, downloads,
    favourites; playlist membership; daily playlist numbers where the platform keeps them).
    Written whole or not at all; says the quota it spent.
    Example: media-hub stats pull
    """
    from media_hub.platforms import registry
    from media_hub.stats.pull import pull_hub

    cli_state = state(ctx)
    if daily_at is not None:
        from media_hub.jobs.schedule import parse_time, schedule_daily

        if not queue:
            raise ValidationError("--daily-at", "goes with --queue (the workers run the pulls)")
        job_id, due = schedule_daily(cli_state.hub.db, parse_time(daily_at))
        if as_json:
            output.print_json({"job_id": job_id, "queued": True, "due": due.isoformat()})
        else:
            typer.echo(
                f"daily statistics pull queued as job {job_id}, first at {due:%Y-%m-%d %H:%M} "
                "UTC; each pull queues the next (run 'media-hub worker')"
            )
        return
    if queue:
        from media_hub.jobs.queue import enqueue

        job_id = enqueue(cli_state.hub.db, "stats-pull", {})
        if as_json:
            output.print_json({"job_id": job_id, "queued": True})
        else:
            typer.echo(f"statistics pull queued as job {job_id} (run 'media-hub worker')")
        return
    result = pull_hub(cli_state.hub)
    if as_json:
        output.print_json(_pull_record(result))
        return
    typer.echo(
        f"snapshot {result.snapshot_id} taken {result.taken_at:%Y-%m-%d %H:%M} UTC: "
        f"{result.videos} video(s), {result.decks} deck(s), {result.playlists} playlist(s)"
    )
    for name, calls in result.platform_calls.items():
        platform = registry.get(name)
        if platform.daily_units:
            methods = ", ".join(f"{method} {count}" for method, count in calls.items())
            units = f"{platform.label}: {result.platform_units.get(name, 0)} quota unit(s)"
            typer.echo(units + (f" ({methods})" if methods else ""))
        elif calls:
            typer.echo(f"{platform.label}: {sum(calls.values())} call(s)")
    for note in result.notes:
        typer.echo(note)
    if result.missing:
        typer.echo(
            f"warning: {len(result.missing)} published item(s) no longer on their platform: "
            + " ".join(result.missing[:10])
            + (" ..." if len(result.missing) > 10 else ""),
            err=True,
        )


def _pull_record(result: PullResult) -> dict[str, Any]:
    record = asdict(result)
    record["taken_at"] = result.taken_at.isoformat()
    return record


@app.command("report")
def report(
    ctx: typer.Context,
    by: Annotated[By, typer.Option("--by", help="Group by playlist, series, topic or asset.")] = (
        By.PLAYLIST
    ),
    since: Annotated[
        str | None,
        typer.Option("--since", metavar="DATE", help="Start of the period (YYYY-MM-DD, UTC)."),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option("--until", metavar="DATE", help="End of the period (default: the last pull)."),
    ] = None,
    month: Annotated[
        str | None, typer.Option("--month", metavar="YYYY-MM", help="A calendar month.")
    ] = None,
    quarter: Annotated[
        str | None, typer.Option("--quarter", metavar="YYYY-QN", help="A quarter (2026-Q4).")
    ] = None,
    year: Annotated[str | None, typer.Option("--year", metavar="YYYY", help="A year.")] = None,
    compare: Annotated[
        CompareWith | None,
        typer.Option(
            "--compare",
            help="Also the period before (previous) or the same one a year earlier (year), "
            "with the change.",
        ),
    ] = None,
    report_format: Annotated[
        ReportFormat, typer.Option("--format", help="table, csv, json, html or xlsx.")
    ] = ReportFormat.TABLE,
    excel: Annotated[
        bool | None,
        typer.Option(
            "--excel/--no-excel",
            help="CSV for Excel: a UTF-8 byte-order mark first (default: with --output only).",
        ),
    ] = None,
    chart: Annotated[
        Path | None,
        typer.Option("--chart", metavar="FILE.png", help="Also draw views over time (PNG)."),
    ] = None,
    top: Annotated[int, typer.Option("--top", min=0, help="Top assets shown per group.")] = 5,
    language: Annotated[
        str,
        typer.Option(
            "--language",
            "-l",
            help="fr, ar or en: every heading, label and chart text, names, "
            "titles, numbers and dates.",
        ),
    ] = "fr",
    out: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the report to this file, not stdout."),
    ] = None,
) -> None:
    """Views in a period by playlist, series, topic or asset, each platform side by side.

    YouTube's views are its Analytics days summed (no pull needed at the period's ends);
    SlideShare's the change between the pulls nearest the ends, named by date. --format html
    writes one printable page with the tables and the chart; xlsx a workbook with a chart.
    Example: media-hub stats report --month 2026-11 --compare previous --format xlsx -o nov.xlsx
    """
    from media_hub.stats import html, labels, render
    from media_hub.stats.period import Compare, parse_period
    from media_hub.stats.report import Grouping, ReportQuery, build_report

    if chart is not None and chart.suffix.lower() != ".png":
        raise ValidationError("--chart", f"{chart}: give a file name ending in .png")
    if report_format is ReportFormat.XLSX and out is None:
        raise ValidationError("--format", "xlsx is written to a file: add --output FILE.xlsx")
    labels.check_language(language)
    period = parse_period(
        since=since, until=until, month_text=month, quarter_text=quarter, year_text=year
    )
    query = ReportQuery(
        by=Grouping(by.value), since=period.start, until=period.end, top=top, language=language,
        kind=period.kind, compare=Compare(compare.value) if compare else None,
    )  # fmt: skip
    result = build_report(state(ctx).hub.db, query)
    png = _chart(result) if chart is not None or report_format is ReportFormat.HTML else None
    if chart is not None and png is not None:
        _write(chart, png, "--chart")
    if report_format is ReportFormat.TABLE and out is None and sys.stdout.isatty():
        _print_tables(result)
        return
    if report_format is ReportFormat.XLSX and out is not None:
        from media_hub.stats.workbook import to_xlsx

        _write(out, to_xlsx(result), "--output")
        return
    text = {
        ReportFormat.TABLE: lambda: render.text(result),
        ReportFormat.CSV: lambda: render.to_csv(result),
        ReportFormat.JSON: lambda: render.to_json_text(result),
        ReportFormat.HTML: lambda: html.to_html(result, png),
    }[report_format]()
    bom = report_format is ReportFormat.CSV and (excel if excel is not None else out is not None)
    data = ("\ufeff" if bom else "") + text
    if out is None:
        sys.stdout.write(data)
    else:
        _write(out, data.encode("utf-8"), "--output")
        if report_format is ReportFormat.CSV:
            typer.echo(
                f"{out}: CSV with a byte-order mark, for Excel (--no-excel: without)"
                if bom else f"{out}: CSV without a byte-order mark (--excel: for Excel)",
                err=True,
            )  # fmt: skip


def _chart(result: Report) -> bytes:
    from media_hub.stats.chart import views_chart

    return views_chart(result)


def _write(path: Path, data: bytes, option: str) -> None:
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise MediaHubError(f"{option}: cannot write {path} ({exc.strerror})") from None


def _print_tables(result: Report) -> None:
    from media_hub.stats import render

    for line in render.heading(result):
        typer.echo(line)
    for table in render.tables(result):
        output.print_table(
            table.title, table.columns, render.formatted(table, result.query.language)
        )

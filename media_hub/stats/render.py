"""A report as tables, CSV, JSON or one self-contained HTML page (to send to management).

Pure functions from a `Report` to text: the CLI prints or saves what they return.
"""

from __future__ import annotations

import base64
import io
import json
from dataclasses import asdict, dataclass
from html import escape
from typing import Any

from media_hub.csv_cells import InertWriter
from media_hub.platforms import registry
from media_hub.platforms.base import Platform
from media_hub.stats.report import GroupLine, Report, daily_labels

# How the text table heads each counter after a platform's views.
SHORT_NAMES = {"likes": "likes", "comments": "comm.", "downloads": "downl.", "favorites": "fav."}


@dataclass(frozen=True)
class Table:
    title: str
    columns: list[str]
    rows: list[list[Any]]


def heading(report: Report) -> list[str]:
    """What the numbers cover: the grouping, the period and the two snapshots compared."""
    query = report.query
    period = f"{query.since or 'the first pull'} to {query.until or 'the last pull'}"
    lines = [f"Statistics by {query.by.value}, {period}"]
    taken = f"{report.snapshot.taken_at:%Y-%m-%d %H:%M} UTC"
    lines.append(f"totals: snapshot {report.snapshot.id} of {taken}")
    if report.baseline is not None:
        then = f"{report.baseline.taken_at:%Y-%m-%d %H:%M} UTC"
        lines.append(f"change: since snapshot {report.baseline.id} of {then}")
    else:
        lines.append("change: from zero (no pull on or before the start of the period)")
    return lines


def _signed(value: int | None) -> str:
    return "" if value is None else f"{value:+,}"


def _number(value: int | float | None) -> str:
    if value is None:
        return ""
    return f"{value:,.0f}" if isinstance(value, float) else f"{value:,}"


def _shown(report: Report) -> list[Platform]:
    """The platforms of the report's columns: those that keep counters, in registry order."""
    names = list(report.groups[0].counts) if report.groups else list(report.totals)
    return [registry.get(name) for name in names if name in registry.names()]


def group_columns(report: Report) -> list[str]:
    """`NAME_views`, `NAME_views_change`, then `NAME_COUNTER` for each platform NAME."""
    columns = ["key", "name", "assets"]
    for platform in _shown(report):
        name = platform.name
        columns += [f"{name}_views", f"{name}_views_change"]
        columns += [f"{name}_{field}" for field in platform.stats_fields[1:]]
    return columns


ANALYTICS_COLUMNS = [
    "analytics_days", "analytics_views", "analytics_watch_hours",
    "analytics_average_view_seconds", "analytics_playlist_starts",
]  # fmt: skip


def _group_values(report: Report, group: GroupLine) -> list[Any]:
    values: list[Any] = [group.key, group.name, group.assets]
    for platform in _shown(report):
        counts = group.counts.get(platform.name)
        change = group.changes.get(platform.name)
        values += [counts.views if counts else None, change.views if change else None]
        values += [getattr(counts, f) if counts else None for f in platform.stats_fields[1:]]
    return values


def _analytics_values(group: GroupLine) -> list[Any]:
    a = group.analytics
    if a is None:
        return [None] * len(ANALYTICS_COLUMNS)
    return [a.days, a.views, round(a.watch_minutes / 60, 1), round(a.average_view_seconds, 1),
            a.playlist_starts]  # fmt: skip


def tables(report: Report) -> list[Table]:
    """The totals, the groups, their top assets and (by playlist) the Analytics days."""
    totals = Table(
        "All published items",
        ["platform", "views", "change", "likes", "comments", "downloads", "favourites"],
        [
            [name, _number(c.views), _signed(report.changes[name].views), _number(c.likes),
             _number(c.comments), _number(c.downloads), _number(c.favorites)]
            for name, c in report.totals.items()
        ],
    )  # fmt: skip
    heads: list[str] = [report.query.by.value, "name", "n"]
    for platform in _shown(report):
        heads += [f"{platform.label} views", "Δ"]
        heads += [SHORT_NAMES.get(f, f) for f in platform.stats_fields[1:]]
    groups = Table(
        f"By {report.query.by.value}",
        heads,
        [
            [v[0], v[1], v[2], *(_cell(heads[i], value) for i, value in enumerate(v[3:], 3))]
            for v in (_group_values(report, group) for group in report.groups)
        ],
    )
    top = Table(
        "Top assets",
        [report.query.by.value, "#", "asset", "title", "platform", "views", "change"],
        [
            [group.key, rank, line.asset_id, line.title, line.platform, _number(line.views),
             _signed(line.change)]
            for group in report.groups
            for rank, line in enumerate(group.top, 1)
        ],
    )  # fmt: skip
    result = [totals, groups, top]
    with_days = [group for group in report.groups if group.analytics is not None]
    if with_days:
        result.append(
            Table(
                f"{daily_labels()} Analytics, days of the period summed",
                ["playlist", "days", "views", "watch hours", "avg view (s)", "playlist starts"],
                [
                    [group.key, *(_number(value) for value in _analytics_values(group))]
                    for group in with_days
                ],
            )
        )
    return result


def _cell(head: str, value: int | None) -> str:
    return _signed(value) if head == "Δ" else _number(value)


def text(report: Report) -> str:
    """The tables as plain aligned text, for --output with the table format."""
    out = [*heading(report), ""]
    for table in tables(report):
        cells = [[str(c) for c in table.columns], *([str(c) for c in r] for r in table.rows)]
        widths = [max(len(row[i]) for row in cells) for i in range(len(table.columns))]
        out.append(table.title)
        out += ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
                for row in cells]  # fmt: skip
        out.append("")
    return "\n".join(out)


def to_csv(report: Report) -> str:
    """One row per group, each platform's columns side by side."""
    stream = io.StringIO()
    writer = InertWriter(stream, lineterminator="\n")  # names are the catalog's texts
    writer.writerow([*group_columns(report), *ANALYTICS_COLUMNS, "top_assets"])
    for group in report.groups:
        top = " | ".join(f"{line.asset_id}: {line.title} ({line.views})" for line in group.top)
        writer.writerow([*_group_values(report, group), *_analytics_values(group), top])
    return stream.getvalue()


def to_json(report: Report) -> dict[str, Any]:
    earlier = report.compared
    before = {group.key: group.period for group in earlier.groups} if earlier else None
    return {
        **_period_json(report),
        "compared": _period_json(earlier) if earlier else None,
        "totals": {name: asdict(c) for name, c in report.totals.items()},
        "changes": {name: asdict(c) for name, c in report.changes.items()},
        "groups": [_group(group, before) for group in report.groups],
        "timeline": [
            {"taken_at": point.taken_at.isoformat(), "views": point.views}
            for point in report.timeline
        ],
    }


def change_between(now: int | None, then: int | None) -> int | None:
    return None if now is None or then is None else now - then


def to_json_text(report: Report) -> str:
    return json.dumps(to_json(report), ensure_ascii=False, indent=2) + "\n"


def _period_json(report: Report) -> dict[str, Any]:
    """The period and the pulls at its ends (those the platforms without days are read from)."""
    query = report.query
    return {
        "by": query.by.value,
        "since": query.since.isoformat() if query.since else None,
        "until": query.until.isoformat() if query.until else None,
        "snapshot": _snapshot(report.snapshot),
        "baseline": _snapshot(report.baseline) if report.baseline else None,
        "pulls_span_period": report.snapshots_span,
    }


def _snapshot(snapshot: Any) -> dict[str, Any]:
    return {"id": snapshot.id, "taken_at": snapshot.taken_at.isoformat()}


def _group(group: GroupLine, before: dict[str, dict[str, int | None]] | None) -> dict[str, Any]:
    analytics = group.analytics
    compared = None if before is None else before.get(group.key, {})
    return {
        "key": group.key,
        "name": group.name,
        "assets": group.assets,
        "period": group.period,
        "compared": compared,
        "change": None if compared is None else {
            name: change_between(views, compared.get(name))
            for name, views in group.period.items()
        },
        **{name: asdict(counts) if counts else None for name, counts in group.counts.items()},
        **{
            f"{name}_change": asdict(change) if change else None
            for name, change in group.changes.items()
        },
        "analytics": (
            {**asdict(analytics), "first_day": analytics.first_day.isoformat(),
             "last_day": analytics.last_day.isoformat(),
             "average_view_seconds": analytics.average_view_seconds}
            if analytics else None
        ),
        "top": [asdict(line) for line in group.top],
    }  # fmt: skip


STYLE = """
body{font-family:"Noto Sans","Noto Sans Arabic","DejaVu Sans",sans-serif;margin:2em;color:#1b1b1b}
h1{color:#0b2e6f;font-size:1.6em}h2{color:#0b2e6f;font-size:1.2em;margin-top:1.6em}
table{border-collapse:collapse;margin:.5em 0 1em}
th,td{border:1px solid #c8cfdc;padding:.3em .6em}th{background:#eef2f9;text-align:start}
td.n{text-align:right;font-variant-numeric:tabular-nums}
img{max-width:100%;border:1px solid #c8cfdc}p.meta{color:#555}
"""


def to_html(report: Report, chart_png: bytes | None) -> str:
    """One page, nothing fetched: inline CSS, the chart as a data: URI, every text escaped,
    and `dir="auto"` on names and titles so Arabic runs right to left."""
    language = escape(report.query.language)
    title = escape(heading(report)[0])
    parts = [
        f'<!DOCTYPE html>\n<html lang="{language}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{title}</h1>\n"
    ]
    parts += [f'<p class="meta">{escape(line)}</p>\n' for line in heading(report)[1:]]
    if chart_png is not None:
        encoded = base64.b64encode(chart_png).decode("ascii")
        parts.append(
            f'<h2>Views over time</h2>\n<img alt="Views over time by {escape(report.query.by)}'
            f'" src="data:image/png;base64,{encoded}">\n'
        )
    for table in tables(report):
        parts.append(_html_table(table))
    parts.append("</body>\n</html>\n")
    return "".join(parts)


TEXT_COLUMNS = {"name", "title"}


def _html_table(table: Table) -> str:
    head = "".join(f"<th>{escape(str(column))}</th>" for column in table.columns)
    rows = []
    for row in table.rows:
        cells = []
        for column, value in zip(table.columns, row, strict=True):
            shown = escape("" if value is None else str(value))
            if column in TEXT_COLUMNS:
                cells.append(f'<td dir="auto">{shown}</td>')
            elif isinstance(value, int) or (isinstance(value, str) and _numeric(value)):
                cells.append(f'<td class="n">{shown}</td>')
            else:
                cells.append(f"<td>{shown}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return (
        f"<h2>{escape(table.title)}</h2>\n<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n"
        + "\n".join(rows)
        + "\n</tbody>\n</table>\n"
    )


def _numeric(value: str) -> bool:
    return bool(value) and value.lstrip("+-").replace(",", "").replace(".", "").isdigit()

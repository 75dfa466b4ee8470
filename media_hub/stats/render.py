"""A report as tables (headed in its language), plain text, CSV or JSON; the HTML page is in
`stats.html`, the workbook in `stats.workbook`.

Pure functions from a `Report` to text: the CLI prints or saves what they return.
"""

from __future__ import annotations

import io
import json
from dataclasses import asdict, dataclass
from typing import Any

from media_hub.csv_cells import InertWriter
from media_hub.platforms import registry
from media_hub.platforms.base import Platform
from media_hub.stats import labels
from media_hub.stats.report import Grouping, GroupLine, Report


@dataclass(frozen=True)
class Table:
    """A table of raw values (numbers stay numbers, for the workbook); `kinds` says how each
    column is written: text, count, signed (a change), percent."""

    title: str
    columns: list[str]
    rows: list[list[Any]]
    kinds: list[str]


def heading(report: Report) -> list[str]:
    """What the numbers cover, in the report's language: the period, where its numbers come
    from (the Analytics days, the pulls nearest its ends, named by date) and the comparison."""
    lang = report.query.language
    lines = [labels.text(lang, "title", by=_by(report), period=period_text(report))]
    return lines + _sources(report) + (
        [labels.text(lang, "compared", period=period_text(report.compared))]
        if report.compared else []
    )  # fmt: skip


def _by(report: Report) -> str:
    return labels.text(report.query.language, f"by.{report.query.by.value}")


def period_text(report: Report) -> str:
    """ "du 1 novembre 2026 au 30 novembre 2026"; an open end is the first or last pull."""
    lang, query = report.query.language, report.query
    start, end = labels.day(query.since, lang), labels.day(query.until, lang)
    if start and end:
        return labels.text(lang, "period.range", start=start, end=end)
    if start or end:
        return labels.text(lang, "period.since" if start else "period.until", start=start, end=end)
    return labels.text(lang, "period.all")


def _sources(report: Report) -> list[str]:
    lang = report.query.language
    end = labels.day(report.snapshot.taken_at.date(), lang)
    if not report.snapshots_span:
        lines = [labels.text(lang, "pulls.outside")]
    elif report.baseline is None:
        lines = [labels.text(lang, "pulls.from_zero", end=end)]
    else:
        start = labels.day(report.baseline.taken_at.date(), lang)
        lines = [labels.text(lang, "pulls", start=start, end=end)]
    if report.days:
        lines.append(labels.text(lang, "daily", days=len(report.days)))
    return lines


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
    "analytics_average_view_seconds", "analytics_playlist_starts", "analytics_playlist_views",
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
            a.playlist_starts, a.playlist_views]  # fmt: skip


def tables(report: Report) -> list[Table]:
    """The groups' views in the period (and compared), the playlists' Analytics days, the
    lifetime totals and the top items, headed in the report's language."""
    result = [_groups_table(report)]
    with_days = [group for group in report.groups if group.analytics is not None]
    if with_days:
        result.append(_analytics_table(report, with_days))
    counters = [_counters_table(report, p) for p in _shown(report) if p.counters_table]
    result += [table for table in counters if table.rows]  # none for a platform unused here
    result.append(_totals_table(report))
    if report.query.by is not Grouping.ASSET:  # by asset, the groups are the assets already
        result.append(_top_table(report))
    return result


def _groups_table(report: Report) -> Table:
    lang = report.query.language
    before = {g.key: g.period for g in report.compared.groups} if report.compared else None
    columns = [_by(report), labels.text(lang, "col.name"), labels.text(lang, "col.assets")]
    kinds = ["text", "text", "count"]
    platforms = _shown(report)
    for platform in platforms:
        columns.append(labels.text(lang, "col.period_views", platform=platform.label))
        kinds.append("count")
        if before is not None:
            compared = period_text(report.compared) if report.compared else ""
            columns += [
                labels.text(lang, "col.previous", platform=platform.label, period=compared),
                labels.text(lang, "col.change"),
                labels.text(lang, "col.change_percent"),
            ]
            kinds += ["count", "signed", "percent"]
    rows = []
    for group in report.groups:
        row: list[Any] = [group.key, group.name, group.assets]
        for platform in platforms:
            now = group.period.get(platform.name)
            row.append(now)
            if before is not None:
                then = before.get(group.key, {}).get(platform.name)
                change = change_between(now, then)
                row += [then, change, change / then if change is not None and then else None]
        rows.append(row)
    title = labels.text(lang, "table.groups", by=_by(report))
    return Table(title, columns, rows, kinds)  # fmt: skip


def _analytics_table(report: Report, groups: list[GroupLine]) -> Table:
    lang = report.query.language
    columns = [_by(report), labels.text(lang, "col.name")] + [
        labels.text(lang, key)
        for key in ("col.days", "col.videos_views", "col.playlist_views", "col.playlist_starts",
                    "col.watch_hours", "col.average_view")
    ]  # fmt: skip
    rows = [
        [g.key, g.name, a.days, a.views, a.playlist_views, a.playlist_starts,
         round(a.watch_minutes / 60, 1), round(a.average_view_seconds, 1)]
        for g in groups if (a := g.analytics) is not None
    ]  # fmt: skip
    kinds = ["text", "text"] + ["count"] * 6
    return Table(labels.text(lang, "table.analytics"), columns, rows, kinds)


def _counters_table(report: Report, platform: Platform) -> Table:
    """Every counter the platform keeps, lifetime, for the groups that are on it."""
    lang, label = report.query.language, platform.label
    columns = [_by(report), labels.text(lang, "col.name")] + [
        labels.text(lang, f"counter.{field}", platform=label) for field in platform.stats_fields
    ]
    rows = [
        [group.key, group.name, *(getattr(counts, field) for field in platform.stats_fields)]
        for group in report.groups
        if (counts := group.counts.get(platform.name)) is not None
    ]
    kinds = ["text", "text"] + ["count"] * len(platform.stats_fields)
    title = labels.text(lang, "table.counters", platform=label, by=_by(report))
    return Table(title, columns, rows, kinds)


def _totals_table(report: Report) -> Table:
    lang = report.query.language
    keys = ["col.platform", "col.views_lifetime", "col.period_change", "col.likes",
            "col.comments", "col.downloads", "col.favorites"]  # fmt: skip
    rows = [
        [registry.get(name).label if name in registry.names() else name, c.views,
         report.changes[name].views, c.likes, c.comments, c.downloads, c.favorites]
        for name, c in report.totals.items()
    ]  # fmt: skip
    kinds = ["text", "count", "signed", "count", "count", "count", "count"]
    columns = [labels.text(lang, key) for key in keys]
    return Table(labels.text(lang, "table.totals"), columns, rows, kinds)


def _top_table(report: Report) -> Table:
    lang = report.query.language
    columns = [_by(report), labels.text(lang, "col.rank"), "id", labels.text(lang, "col.title"),
               labels.text(lang, "col.platform"), labels.text(lang, "col.views_lifetime"),
               labels.text(lang, "col.period_change")]  # fmt: skip
    rows = [
        [group.key, rank, line.asset_id, line.title, registry.get(line.platform).label
         if line.platform in registry.names() else line.platform, line.views, line.change]
        for group in report.groups
        for rank, line in enumerate(group.top, 1)
    ]  # fmt: skip
    kinds = ["text", "count", "text", "text", "text", "count", "signed"]
    return Table(labels.text(lang, "table.top"), columns, rows, kinds)


def formatted(table: Table, language: str) -> list[list[str]]:
    """The rows as the locale writes them, for the text table and the HTML page."""
    writers = {
        "count": lambda v: labels.number(v, language),
        "signed": lambda v: labels.signed(v, language),
        "percent": lambda v: labels.percent(v, language),
    }
    return [
        [writers[kind](value) if kind in writers else ("" if value is None else str(value))
         for kind, value in zip(table.kinds, row, strict=True)]
        for row in table.rows
    ]  # fmt: skip


def text(report: Report) -> str:
    """The tables as plain aligned text, for --output with the table format."""
    out = [*heading(report), ""]
    for table in tables(report):
        cells = [[str(c) for c in table.columns], *formatted(table, report.query.language)]
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
    shown = _shown(report)
    before = {g.key: g.period for g in report.compared.groups} if report.compared else None
    period = [f"{p.name}_period_views" for p in shown]
    if before is not None:
        period += [f"{p.name}_{c}" for p in shown for c in ("compared_views", "compared_change")]
    writer.writerow([*group_columns(report), *period, *ANALYTICS_COLUMNS, "top_assets"])
    for group in report.groups:
        top = " | ".join(f"{line.asset_id}: {line.title} ({line.views})" for line in group.top)
        values = [group.period.get(p.name) for p in shown]
        if before is not None:
            then = before.get(group.key, {})
            values += [
                value
                for p in shown
                for value in (then.get(p.name),
                              change_between(group.period.get(p.name), then.get(p.name)))
            ]  # fmt: skip
        writer.writerow([*_group_values(report, group), *values, *_analytics_values(group), top])
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

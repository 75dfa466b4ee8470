"""`stats report`: the snapshots summed by playlist, series, topic or asset, as plain records.

A period's views come, for a platform that keeps daily playlist numbers (YouTube Analytics),
from those days summed: no pull is needed at the period's ends. Otherwise (SlideShare, and
series, topics and assets) they are the change between the pulls nearest the period's ends,
and the report says which pulls those are. Totals are the lifetime counters of the pull
nearest the end: the last one on or before `until`, else the first after it; the start is the
last pull on or before `since`, else the first after it (from zero when there is none). A
playlist's totals sum its own rows of each snapshot, so they follow its membership at that
pull; series and topics follow the catalog as it is now. Daily numbers are also kept day by
day for the chart (views over real days, where the pulls may all fall on one). Days are UTC
days.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from media_hub.catalog.db import Catalog
from media_hub.catalog.models import Asset, AssetText, AssetTopic, Playlist, Series, Topic
from media_hub.catalog.pipeline_models import StatsRow, StatsSnapshot
from media_hub.errors import NotFoundError, ValidationError
from media_hub.platforms import registry
from media_hub.stats import labels
from media_hub.stats.analytics import Day, PlaylistAnalytics, stored_days, summed
from media_hub.stats.counts import Counts
from media_hub.stats.period import Compare, Period, PeriodKind


class Grouping(StrEnum):
    PLAYLIST = "playlist"
    SERIES = "series"
    TOPIC = "topic"
    ASSET = "asset"


@dataclass(frozen=True)
class ReportQuery:
    by: Grouping = Grouping.PLAYLIST
    since: date | None = None
    until: date | None = None
    top: int = 5
    language: str = "fr"
    kind: PeriodKind = PeriodKind.DAYS  # how the period was named (a month...)
    compare: Compare | None = None

    @property
    def period(self) -> Period:
        return Period(self.since, self.until, self.kind)

    def __post_init__(self) -> None:
        if self.since and self.until and self.since > self.until:
            raise ValidationError("--since", f"{self.since} is after --until {self.until}")
        if self.top < 0:
            raise ValidationError("--top", "give 0 or more")
        if self.compare is not None:
            self.period.compared(self.compare)  # refused when the period is open


@dataclass(frozen=True)
class SnapshotInfo:
    id: int
    taken_at: datetime


@dataclass(frozen=True)
class AssetLine:
    """One asset of a group: its views and their change over the period."""

    asset_id: int
    title: str
    platform: str
    views: int
    change: int


@dataclass(frozen=True)
class GroupLine:
    """A group's counters on each platform (None: nothing of the group is on it)."""

    key: str
    name: str
    assets: int
    counts: dict[str, Counts | None]  # platform -> counters, in `stats_platforms` order
    changes: dict[str, Counts | None]  # platform -> their change over the period
    top: tuple[AssetLine, ...]
    analytics: PlaylistAnalytics | None = None
    # platform -> views in the period (daily numbers summed, else the change between the
    # pulls nearest its ends); None: not on the platform, or no pull near the period
    period: dict[str, int | None] = field(default_factory=dict)

    @property
    def views(self) -> int:
        return sum(counts.views for counts in self.counts.values() if counts)


@dataclass(frozen=True)
class Point:
    """Views of each group (by key) at one snapshot: the chart's data."""

    taken_at: datetime
    views: dict[str, int]


@dataclass(frozen=True)
class DayPoint:
    """Daily views of each playlist (by key) on one day: the chart's daily data."""

    day: date
    views: dict[str, int]


@dataclass(frozen=True)
class Report:
    query: ReportQuery
    snapshot: SnapshotInfo
    baseline: SnapshotInfo | None
    groups: tuple[GroupLine, ...]
    totals: dict[str, Counts]  # platform -> the whole catalog's counters
    changes: dict[str, Counts]
    timeline: tuple[Point, ...]
    days: tuple[DayPoint, ...] = ()  # by playlist only; empty when no Analytics day is stored
    snapshots_span: bool = True  # whether the pulls at the ends measure the period
    compared: Report | None = None  # the same report over the period compared with


DRAWN = 12  # the groups a chart draws at most (those with most views)


def stats_platforms() -> list[str]:
    """The platforms whose counters a report shows, in the registry's order."""
    return [platform.name for platform in registry.every() if platform.keeps_stats]


# (snapshot id, group key, asset id, platform) -> counters; one row per asset and group.
_Rows = list[tuple[int, int | None, int | None, str, Counts]]


def build_report(catalog: Catalog, query: ReportQuery) -> Report:
    """The report over the query's period and, with `compare`, over the period compared."""
    report = _build(catalog, query)
    if query.compare is None:
        return report
    other = query.period.compared(query.compare)
    earlier = replace(
        query, since=other.start, until=other.end, kind=other.kind, compare=None, top=0
    )  # only its views in the period are shown
    return replace(report, compared=_build(catalog, earlier))


def _build(catalog: Catalog, query: ReportQuery) -> Report:
    with catalog.session() as session:
        snapshot = _end(session, query.until)
        if snapshot is None:
            raise NotFoundError("statistics snapshot", "run 'media-hub stats pull' first")
        baseline = _start(session, query.since, snapshot)
        current = _rows(session, query.by, [snapshot.id])
        before = _rows(session, query.by, [baseline.id]) if baseline else []
        # Each asset's own counters at the start, for the top assets' change.
        earlier = _rows(session, Grouping.ASSET, [baseline.id]) if baseline else []
        names = _names(session, query.by, query.language)
        titles = _titles(session, _titled(query, current), query)
        stored = (
            stored_days(session, query.since, query.until) if query.by is Grouping.PLAYLIST else {}
        )
        spans = _spans(query, snapshot, baseline)
        groups = _groups(query, current, before, earlier, names, titles, summed(stored), spans)
        totals = _platform_totals(session, snapshot.id)
        base_totals = _platform_totals(session, baseline.id) if baseline else {}
        drawn = [int(g.key) for g in groups[:DRAWN]] if query.by is Grouping.ASSET else None
        timeline = _timeline(session, query.by, baseline or snapshot, snapshot, drawn)
        days = _days(session, stored)
    changes = {name: totals[name] - base_totals.get(name, Counts()) for name in totals}
    return Report(query, snapshot, baseline, groups, totals, changes, timeline, days, spans)


def _start(session: Session, since: date | None, end: SnapshotInfo) -> SnapshotInfo | None:
    """The pull nearest the period's first moment, taken before the end's (None: from zero)."""
    if since is None:
        return None
    return _nearest(session, _day_end(since - timedelta(days=1)), before=end.taken_at)


def _end(session: Session, until: date | None) -> SnapshotInfo | None:
    """The pull nearest the period's last moment (the last pull when the period is open)."""
    if until is None:
        return _nearest(session, None)
    return _nearest(session, _day_end(until))


def _nearest(
    session: Session, moment: datetime | None, *, before: datetime | None = None
) -> SnapshotInfo | None:
    """The snapshot nearest `moment` (the last one when None), the earlier on a tie; only
    those taken before `before`."""
    base = select(StatsSnapshot.id, StatsSnapshot.taken_at)
    if before is not None:
        base = base.where(StatsSnapshot.taken_at < before)
    latest = StatsSnapshot.taken_at.desc(), StatsSnapshot.id.desc()
    if moment is None:
        row = session.execute(base.order_by(*latest).limit(1)).first()
        return SnapshotInfo(row[0], row[1]) if row else None
    found = [
        SnapshotInfo(row[0], row[1])
        for row in (
            session.execute(base.where(StatsSnapshot.taken_at <= moment).order_by(*latest)
                            .limit(1)).first(),
            session.execute(base.where(StatsSnapshot.taken_at > moment)
                            .order_by(StatsSnapshot.taken_at, StatsSnapshot.id).limit(1)).first(),
        )
        if row is not None
    ]  # fmt: skip
    return min(found, key=lambda s: abs(_aware(s.taken_at) - moment), default=None)


def _day_end(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=UTC)


def _aware(moment: datetime) -> datetime:
    """SQLite gives back naive datetimes: they are UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _spans(query: ReportQuery, end: SnapshotInfo, start: SnapshotInfo | None) -> bool:
    """Whether the pulls found can measure the period: the end's pull is not before the period
    began, nor the start's after it ended."""
    if query.since is not None and _aware(end.taken_at) <= _day_end(query.since - timedelta(1)):
        return False
    return not (start and query.until and _aware(start.taken_at) >= _day_end(query.until))


def _keyed(by: Grouping, *columns: Any) -> Select[Any]:
    """Rows of a snapshot with their group key: a playlist's own rows, else the asset rows."""
    key = {
        Grouping.PLAYLIST: StatsRow.playlist_id,
        Grouping.SERIES: Asset.series_id,
        Grouping.TOPIC: AssetTopic.topic_id,
        Grouping.ASSET: StatsRow.asset_id,
    }[by]
    statement = select(StatsRow.snapshot_id, key, *columns).where(StatsRow.day.is_(None))
    if by is Grouping.PLAYLIST:
        return statement.where(StatsRow.playlist_id.is_not(None))
    statement = statement.where(StatsRow.playlist_id.is_(None), StatsRow.asset_id.is_not(None))
    if by is Grouping.SERIES:
        return statement.join(Asset, Asset.id == StatsRow.asset_id)
    if by is Grouping.TOPIC:
        return statement.outerjoin(AssetTopic, AssetTopic.asset_id == StatsRow.asset_id)
    return statement


COUNT_COLUMNS = (StatsRow.views, StatsRow.likes, StatsRow.comments, StatsRow.downloads,
                 StatsRow.favorites, StatsRow.unique_viewers, StatsRow.reactions,
                 StatsRow.shares, StatsRow.watch_minutes)  # in Counts order  # fmt: skip


def _rows(session: Session, by: Grouping, snapshot_ids: list[int]) -> _Rows:
    statement = _keyed(by, StatsRow.asset_id, StatsRow.platform, *COUNT_COLUMNS).where(
        StatsRow.snapshot_id.in_(snapshot_ids)
    )
    return [
        (snapshot_id, key, asset_id, platform, Counts(*numbers))
        for snapshot_id, key, asset_id, platform, *numbers in session.execute(statement)
    ]


def _platform_totals(session: Session, snapshot_id: int) -> dict[str, Counts]:
    statement = (
        select(StatsRow.platform, *(func.sum(column) for column in COUNT_COLUMNS))
        .where(
            StatsRow.snapshot_id == snapshot_id,
            StatsRow.day.is_(None),
            StatsRow.playlist_id.is_(None),
        )
        .group_by(StatsRow.platform)
    )
    totals = {platform: Counts() for platform in stats_platforms()}
    for platform, *numbers, minutes in session.execute(statement):
        values: list[Any] = [*(int(n or 0) for n in numbers), float(minutes or 0.0)]
        totals[platform] = Counts(*values)
    return totals


def _names(session: Session, by: Grouping, language: str) -> dict[int, tuple[str, str]]:
    """Group id -> (key shown, name in `language`, else the first one)."""
    if by is Grouping.ASSET:
        return {}
    model: Any = {Grouping.PLAYLIST: Playlist, Grouping.SERIES: Series, Grouping.TOPIC: Topic}[by]
    return {
        record.id: (record.slug, _pick(record.names, language))
        for record in session.scalars(select(model))
    }


def _pick(texts: dict[str, str], language: str) -> str:
    return texts.get(language) or next(iter(texts.values()), "")


def _titled(query: ReportQuery, current: _Rows) -> set[int]:
    """The assets whose titles the report shows: every one by asset, else each group's top."""
    if query.by is Grouping.ASSET:
        return {row[2] for row in current if row[2] is not None}
    views: dict[int | None, list[tuple[int, int]]] = defaultdict(list)
    for _, key, asset_id, _, counts in current:
        if asset_id is not None:
            views[key].append((-counts.views, asset_id))
    return {asset_id for rows in views.values() for _, asset_id in sorted(rows)[: query.top]}


def _titles(session: Session, asset_ids: set[int], query: ReportQuery) -> dict[int, str]:
    """Each asset's title in the report's language, else in its default language."""
    titles: dict[int, dict[str, str]] = defaultdict(dict)
    defaults: dict[int, str] = {}
    ids = sorted(asset_ids)
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        for asset_id, lang, title, default in session.execute(
            select(AssetText.asset_id, AssetText.lang, AssetText.title, Asset.default_language)
            .join(Asset, Asset.id == AssetText.asset_id)
            .where(AssetText.asset_id.in_(chunk))
        ):
            titles[asset_id][lang] = title
            defaults[asset_id] = default
    return {
        asset_id: texts.get(query.language) or texts.get(defaults.get(asset_id, ""), "")
        for asset_id, texts in titles.items()
    }


def _groups(
    query: ReportQuery,
    current: _Rows,
    before: _Rows,
    earlier_rows: _Rows,
    names: dict[int, tuple[str, str]],
    titles: dict[int, str],
    analytics: dict[int, PlaylistAnalytics],
    spans: bool,
) -> tuple[GroupLine, ...]:
    now = _sums(current)
    then = _sums(before)
    earlier = {(asset, platform): counts for _, _, asset, platform, counts in earlier_rows}
    members: dict[int | None, list[tuple[int | None, str, Counts]]] = defaultdict(list)
    for _, key, asset_id, platform, counts in current:
        members[key].append((asset_id, platform, counts))
    lines: list[GroupLine] = []
    for key, assets in members.items():
        shown, name = _group_name(query, key, names, titles)
        platforms = {platform for _, platform, _ in assets}
        top = sorted(
            (
                AssetLine(asset_id, titles.get(asset_id, ""), platform, counts.views,
                          counts.views - earlier.get((asset_id, platform), Counts()).views)
                for asset_id, platform, counts in assets if asset_id is not None
            ),
            key=lambda line: (-line.views, line.asset_id),
        )[: query.top]  # fmt: skip

        pairs = {name: _pair(name, key, platforms, now, then) for name in stats_platforms()}
        days = analytics.get(key) if key is not None else None
        lines.append(
            GroupLine(
                shown, name, len({a for a, _, _ in assets if a is not None}),
                {name: pair[0] for name, pair in pairs.items()},
                {name: pair[1] for name, pair in pairs.items()},
                tuple(top), days,
                {name: _period_views(name, pair[1], days, spans) for name, pair in pairs.items()},
            )
        )  # fmt: skip
    return tuple(sorted(lines, key=lambda line: (-line.views, line.key)))


def _pair(
    platform: str,
    key: int | None,
    platforms: set[str],
    now: dict[tuple[int | None, str], Counts],
    then: dict[tuple[int | None, str], Counts],
) -> tuple[Counts | None, Counts | None]:
    """A group's counters on one platform and their change (None, None: not on it)."""
    if platform not in platforms:
        return None, None
    total = now[key, platform]
    return total, total - then.get((key, platform), Counts())


def _period_views(
    platform: str, change: Counts | None, days: PlaylistAnalytics | None, spans: bool
) -> int | None:
    """A group's views in the period on one platform: its daily numbers summed where the
    platform keeps them, else the change between the pulls at the ends."""
    if days is not None and registry.get(platform).daily_stats:
        return days.views
    if change is None or not spans:
        return None
    return change.views


def _sums(rows: _Rows) -> dict[tuple[int | None, str], Counts]:
    sums: dict[tuple[int | None, str], Counts] = defaultdict(Counts)
    for _, key, _, platform, counts in rows:
        sums[key, platform] = sums[key, platform] + counts
    return sums


def _group_name(
    query: ReportQuery, key: int | None, names: dict[int, tuple[str, str]], titles: dict[int, str]
) -> tuple[str, str]:
    if query.by is Grouping.ASSET:
        return str(key), titles.get(key or 0, "")
    if key is None or key not in names:
        return "-", labels.text(query.language, f"none.{query.by.value}")
    return names[key]


def _timeline(
    session: Session,
    by: Grouping,
    first: SnapshotInfo,
    last: SnapshotInfo,
    assets: list[int] | None = None,
) -> tuple[Point, ...]:
    """Views per group at each snapshot from `first` to `last`, summed in the database; by
    asset, only the `assets` a chart can draw (not 10,000 lines at each pull)."""
    snapshots = session.execute(
        select(StatsSnapshot.id, StatsSnapshot.taken_at)
        .where(StatsSnapshot.taken_at >= first.taken_at, StatsSnapshot.taken_at <= last.taken_at)
        .order_by(StatsSnapshot.taken_at, StatsSnapshot.id)
    ).all()
    ids = [snapshot_id for snapshot_id, _ in snapshots]
    key_column = _keyed(by).selected_columns[1]
    statement = (
        _keyed(by, func.sum(StatsRow.views))
        .where(StatsRow.snapshot_id.in_(ids))
        .group_by(StatsRow.snapshot_id, key_column)
    )
    if assets is not None:
        statement = statement.where(StatsRow.asset_id.in_(assets))
    names = _names(session, by, "fr")
    views: dict[int, dict[str, int]] = defaultdict(dict)
    for snapshot_id, key, total in session.execute(statement):
        shown = str(key) if by is Grouping.ASSET else names.get(key, ("-", ""))[0]
        views[snapshot_id][shown] = views[snapshot_id].get(shown, 0) + int(total or 0)
    return tuple(Point(taken_at, views.get(snapshot_id, {})) for snapshot_id, taken_at in snapshots)


def _days(session: Session, stored: dict[tuple[int, date], Day]) -> tuple[DayPoint, ...]:
    """Each playlist's Analytics views a day, by its key (slug), for the chart."""
    if not stored:
        return ()
    slugs = {key: slug for key, (slug, _) in _names(session, Grouping.PLAYLIST, "fr").items()}
    views: dict[date, dict[str, int]] = defaultdict(dict)
    for (playlist_id, day), numbers in stored.items():
        if playlist_id in slugs:
            views[day][slugs[playlist_id]] = numbers.views
    return tuple(DayPoint(day, views[day]) for day in sorted(views))

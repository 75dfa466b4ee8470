"""`calendar plan`: the free slots filled with each series' ready assets in episode order.

Nothing is sent: `apply_plan` records each new booking on the asset's publication (privacy
private, the slot's UTC time, nothing uploaded yet), and `calendar run` uploads it ahead.
A platform with a daily quota (YouTube: 100 `videos.insert` and 10,000 units) gets a
video's upload during its quota day before the slot's; a slot whose day is full moves to
the next day, same local time, and the plan says so.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from media_hub.catalog.calendar_file import CalendarConventions, check_slots, read_calendar
from media_hub.catalog.definitions import read_definitions
from media_hub.catalog.pipeline_models import Publication
from media_hub.catalog.query import AssetQuery
from media_hub.catalog.querylang import parse_query
from media_hub.catalog.records import AssetRecord
from media_hub.catalog.vocabulary import AssetStatus, Privacy, PublicationState
from media_hub.errors import ConventionsError
from media_hub.hub import Hub
from media_hub.platforms import registry
from media_hub.platforms.base import Platform
from media_hub.platforms.routing import series_platforms
from media_hub.publishing.calendar.slots import Occurrence, occurrences, week_start
from media_hub.publishing.lint import lint_assets

MAX_WEEKS = 52
SPILL_DAYS = 7  # a slot moves at most a week for the quota, then stays empty
MADE_BY_UPLOAD = frozenset({"thumbnail"})  # lint fields the upload's own steps settle


@dataclass(frozen=True)
class Booking:
    """A slot and what fills it: a new booking, one already in the calendar, or nothing."""

    occurrence: Occurrence
    asset_id: int | None
    title: str
    kind: str  # "new", "booked", "empty"
    note: str = ""


@dataclass(frozen=True)
class NotReady:
    asset_id: int
    series: str
    platform: str
    reason: str


@dataclass
class CalendarPlan:
    calendar: CalendarConventions
    start: date
    days: int
    bookings: list[Booking] = field(default_factory=list)
    not_ready: list[NotReady] = field(default_factory=list)

    @property
    def new(self) -> list[Booking]:
        return [booking for booking in self.bookings if booking.kind == "new"]


def plan_calendar(
    hub: Hub,
    now: datetime,
    *,
    weeks: int = 1,
    start: date | None = None,
    query: Sequence[str] = (),
) -> CalendarPlan:
    """The next `weeks` weeks' slots (from `start`'s week, else this week), filled."""
    if not 1 <= weeks <= MAX_WEEKS:
        from media_hub.errors import UsageError

        raise UsageError("--weeks", f"give 1 to {MAX_WEEKS} weeks")
    folder = hub.settings.definitions_dir
    calendar = read_calendar(folder)
    definitions = read_definitions(folder)
    platforms_of = {
        slot.series: [p.name for p in series_platforms(definitions, slot.series)]
        for slot in calendar.slots
        if slot.series in definitions.series
    }
    chosen = check_slots(calendar, platforms_of)
    _schedulable(calendar, chosen)
    first = week_start(start or now.astimezone(calendar.zone).date())
    plan = CalendarPlan(calendar, first, weeks * 7)
    found = occurrences(calendar, chosen, first, weeks * 7, now)
    booked = _booked(hub)
    queues, plan.not_ready = _candidates(hub, calendar, chosen, booked, parse_query(query))
    budget = _Budget(hub, now)
    taken = {(platform, at) for (platform, at) in booked.values() if at is not None}
    for occurrence in found:
        existing = _booking_at(hub, booked, occurrence)
        if existing is not None:
            plan.bookings.append(existing)
            continue
        queue = queues.get((occurrence.series, occurrence.platform), [])
        if not queue:
            plan.bookings.append(Booking(occurrence, None, "", "empty"))
            continue
        asset = queue[0]
        placed, note = budget.place(occurrence, asset, taken, calendar)
        if placed is None:
            plan.bookings.append(Booking(occurrence, None, "", "empty", note))
            continue
        queue.pop(0)
        taken.add((placed.platform, placed.at))
        plan.bookings.append(Booking(placed, asset["id"], _title(asset), "new", note))
    plan.bookings.sort(key=lambda b: (b.occurrence.at, b.occurrence.platform))
    return plan


def apply_plan(hub: Hub, plan: CalendarPlan) -> list[Booking]:
    """Record the plan's new bookings (private, at the slot's time, nothing sent); a
    booking taken meanwhile by another plan is left out. Returns those recorded."""
    recorded = []
    with hub.db.session() as session:
        for booking in plan.new:
            assert booking.asset_id is not None
            row = session.scalars(
                select(Publication).where(
                    Publication.asset_id == booking.asset_id,
                    Publication.platform == booking.occurrence.platform,
                )
            ).first()
            if row is None:
                row = Publication(
                    asset_id=booking.asset_id, platform=booking.occurrence.platform,
                    state=PublicationState.PENDING,
                )  # fmt: skip
                session.add(row)
            elif row.scheduled_at is not None or row.remote_id is not None:
                continue
            row.scheduled_at = booking.occurrence.at
            row.privacy = Privacy.PRIVATE.value
            recorded.append(booking)
    return recorded


def _schedulable(calendar: CalendarConventions, chosen: dict[str, tuple[str, ...]]) -> None:
    """Each slot's platforms either take a publication time or can be made public later."""
    for key, names in chosen.items():
        for name in names:
            platform = registry.get(name)
            if platform.schedules_itself or type(platform).make_public is not Platform.make_public:
                continue
            raise ConventionsError(
                str(calendar.path), f"{key}.platforms: {platform.label} can neither schedule a "
                "publication nor be made public by media-hub; give the slot other platforms",
            )  # fmt: skip


# -- what is already in the calendar ---------------------------------------------------------


def _booked(hub: Hub) -> dict[tuple[int, str], tuple[str, datetime | None]]:
    """(asset, platform) -> (platform, its scheduled time) of every publication on record."""
    with hub.db.session() as session:
        rows = session.execute(
            select(Publication.asset_id, Publication.platform, Publication.scheduled_at,
                   Publication.remote_id)
        ).all()  # fmt: skip
    return {
        (asset, platform): (platform, at)
        for asset, platform, at, remote_id in rows
        if at is not None or remote_id is not None
    }


def _booking_at(
    hub: Hub, booked: dict[tuple[int, str], tuple[str, datetime | None]], occurrence: Occurrence
) -> Booking | None:
    for (asset_id, platform), (_, at) in booked.items():
        if platform == occurrence.platform and at == occurrence.at:
            record = hub.catalog.show(asset_id)
            if record["series"] == occurrence.series:
                return Booking(occurrence, asset_id, _title(record), "booked")
    return None


# -- who fills the slots ---------------------------------------------------------------------


def _candidates(
    hub: Hub,
    calendar: CalendarConventions,
    chosen: dict[str, tuple[str, ...]],
    booked: dict[tuple[int, str], tuple[str, datetime | None]],
    query: AssetQuery,
) -> tuple[dict[tuple[str, str], list[AssetRecord]], list[NotReady]]:
    """Per (series, platform), the ready assets not yet on the platform nor booked, in
    episode order; and the others of those series with why they are not ready."""
    queues: dict[tuple[str, str], list[AssetRecord]] = defaultdict(list)
    not_ready: list[NotReady] = []
    pairs = sorted({(slot.series, p) for slot in calendar.slots for p in chosen[slot.key]})
    for series in sorted({series for series, _ in pairs}):
        if query.series not in (None, series):
            continue
        asked = replace(query, series=series, limit=None, offset=0)
        assets = sorted(hub.catalog.find(asked), key=_episode_order)
        problems = _lint(hub, asked)
        for platform in [p for s, p in pairs if s == series]:
            for asset in assets:
                if (asset["id"], platform) in booked:
                    continue  # on the platform already, or booked
                reason = _not_ready(asset, problems)
                if reason:
                    not_ready.append(NotReady(asset["id"], series, platform, reason))
                else:
                    queues[(series, platform)].append(asset)
    return queues, not_ready


def _not_ready(asset: AssetRecord, problems: dict[int, str]) -> str:
    if asset["status"] == AssetStatus.PUBLISHED.value:
        return ""
    if asset["status"] != AssetStatus.READY.value:
        return f"status {asset['status']}: 'catalog edit {asset['id']} --status ready' when it is"
    if asset["source_checksum"] is None:
        return f"no file: 'media-hub upload FILE --asset {asset['id']}' or 'ingest'"
    return problems.get(asset["id"], "")


def _lint(hub: Hub, query: AssetQuery) -> dict[int, str]:
    """The first lint problem of each asset (missing language, too long a title...)."""
    _, problems = lint_assets(hub, query)
    first: dict[int, str] = {}
    for problem in problems:
        if problem.field in MADE_BY_UPLOAD:
            continue
        first.setdefault(problem.asset_id, f"lint: {problem.field}: {problem.message}")
    return first


def _episode_order(asset: AssetRecord) -> tuple[Any, ...]:
    return (
        asset["season"] or 0, asset["episode"] is None, asset["episode"] or 0,
        asset["recorded_date"] or "", asset["id"],
    )  # fmt: skip


def _title(asset: AssetRecord) -> str:
    return asset["titles"].get(asset["default_language"]) or next(
        iter(asset["titles"].values()), ""
    )


# -- the platforms' day quotas ---------------------------------------------------------------


class _Budget:
    """Each platform's daily quota, counted on the quota day its uploads are sent: the
    platform's day before the slot's (`calendar run` uploads a day ahead), or today."""

    def __init__(self, hub: Hub, now: datetime) -> None:
        self.hub = hub
        self.now = now
        self.spent: dict[tuple[str, date, str], int] = defaultdict(int)
        self._publishers: dict[str, Any] = {}
        self._seed()

    def place(
        self,
        occurrence: Occurrence,
        asset: AssetRecord,
        taken: set[tuple[str, datetime]],
        calendar: CalendarConventions,
    ) -> tuple[Occurrence | None, str]:
        """The occurrence, or the first later day (same local time) whose quota day can pay
        for the asset's upload, with a note when it moved."""
        from media_hub.publishing.calendar.slots import local_to_utc

        platform = registry.get(occurrence.platform)
        limits = platform.quota_budget(self.hub)
        cost = platform.upload_cost(self._publisher(platform), asset["id"]) if limits else {}
        moved = occurrence
        for _ in range(SPILL_DAYS + 1):
            day = upload_day(platform, moved.at, self.now)
            full = [
                bucket for bucket, units in cost.items()
                if self.spent[(platform.name, day, bucket)] + units > limits.get(bucket, units)
            ]  # fmt: skip
            if not full and (moved.platform, moved.at) not in taken:
                for bucket, units in cost.items():
                    self.spent[(platform.name, day, bucket)] += units
                note = "" if moved is occurrence else _moved_note(occurrence, moved, calendar)
                return moved, note
            next_day = moved.day + timedelta(days=1)
            moved = replace(moved, day=next_day, at=local_to_utc(next_day, moved.slot, calendar))
        return None, f"{platform.label}'s daily quota is full for a week from this slot"

    def _publisher(self, platform: Platform) -> Any:
        if platform.name not in self._publishers:
            self._publishers[platform.name] = platform.publisher(self.hub)
        return self._publishers[platform.name]

    def _seed(self) -> None:
        """What is already spent today (the ledger) and what booked, not yet uploaded
        publications will spend on their days."""
        from media_hub.catalog.pipeline_models import QuotaEntry

        with self.hub.db.session() as session:
            ledger = session.execute(select(QuotaEntry.platform, QuotaEntry.day,
                                            QuotaEntry.bucket, QuotaEntry.units)).all()  # fmt: skip
            waiting = session.execute(
                select(Publication.asset_id, Publication.platform, Publication.scheduled_at).where(
                    Publication.remote_id.is_(None), Publication.scheduled_at.is_not(None)
                )
            ).all()
        for name, day, bucket, units in ledger:
            self.spent[(name, day, bucket)] += units
        for asset_id, name, at in waiting:
            platform = registry.get(name)
            if not platform.quota_budget(self.hub) or at is None or at <= self.now:
                continue
            day = upload_day(platform, at, self.now)
            for bucket, units in platform.upload_cost(self._publisher(platform), asset_id).items():
                self.spent[(name, day, bucket)] += units


def upload_day(platform: Platform, slot: datetime, now: datetime) -> date:
    """The platform's quota day on which `calendar run` sends the upload for `slot`: the
    day before the slot's, or today when that has passed."""
    slot_day = slot.astimezone(platform.quota_zone).date()
    today = now.astimezone(platform.quota_zone).date()
    return max(slot_day - timedelta(days=1), today)


def _moved_note(before: Occurrence, after: Occurrence, calendar: CalendarConventions) -> str:
    old = before.at.astimezone(calendar.zone).strftime("%a %Y-%m-%d")
    return (
        f"moved from {old} to {after.at.astimezone(calendar.zone):%a %Y-%m-%d}: "
        f"{registry.get(before.platform).label}'s daily quota is full that day"
    )

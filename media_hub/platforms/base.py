"""The `Platform` interface: everything media-hub needs to know of a place it publishes to.

Code outside `media_hub/platforms/` asks the registry for a `Platform` and calls these
methods; it never names one. A new platform is one folder with a subclass of `Platform` and
one registry entry (or a `media_hub.platforms` entry point in another package).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from media_hub.catalog.vocabulary import AssetKind
from media_hub.errors import ConfigError, ValidationError
from media_hub.settings import PlatformSettings

NO_SERIES = "(no series)"

if TYPE_CHECKING:
    from media_hub.catalog.lint import LintFacts, LintProblem
    from media_hub.catalog.records import AssetRecord
    from media_hub.hub import Hub
    from media_hub.platforms.publisher import Publisher
    from media_hub.platforms.stats_source import StatsReader


@dataclass(frozen=True)
class SyncedCall:
    """One change `publish` makes (or would make) on a platform."""

    platform: str
    method: str
    units: int
    target: str
    detail: str
    changes: tuple[str, ...] = ()  # `field: old → new`, for the plan to show


@dataclass(frozen=True)
class Synced:
    """A platform's `publish` plan, applied or not, in the shape every platform shares."""

    platform: str
    calls: list[SyncedCall]
    reads: int  # list calls spent reading the platform
    units: int  # units of the platform's daily quota the calls cost (0 where calls are free)
    left: int  # calls not made (a plan: all of them)
    missing: list[str] = field(default_factory=list)  # published, but gone from the platform
    stopped: str | None = None  # why the calls stopped before the end


class Adopted(Protocol):
    """An adopted video or deck, as reported."""

    @property
    def remote_id(self) -> str: ...
    @property
    def asset_id(self) -> int | None: ...
    @property
    def series(self) -> str | None: ...
    @property
    def title(self) -> str: ...
    @property
    def texts_as_published(self) -> bool:
        """The texts did not fit the series' template and are kept as published."""
        ...


@dataclass
class AdoptReport:
    """What an adoption saw and did; `list_calls` counts the read calls by method (quota)."""

    dry_run: bool
    seen: int = 0
    known: int = 0
    adopted: list[Adopted] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # remote id -> why
    playlists: dict[str, str] = field(default_factory=dict)  # catalog slug -> remote id
    list_calls: Counter[str] = field(default_factory=Counter)

    @property
    def added(self) -> int:
        return len(self.adopted)

    @property
    def by_series(self) -> dict[str, int]:
        counts = Counter(item.series or NO_SERIES for item in self.adopted)
        return dict(sorted(counts.items()))


class Platform:
    """One place media-hub publishes to.

    Class attributes describe it; methods make its parts for a hub. A platform overrides
    what it can do; the defaults refuse with one line (no upload API, no listing API...).
    """

    name: ClassVar[str]  # key in series.toml, settings and the catalog's rows: "youtube"
    label: ClassVar[str]  # shown to people: "YouTube"
    kinds: ClassVar[frozenset[AssetKind]]  # the asset kinds it takes
    home_word: ClassVar[str] = "account"  # what a person calls their place on it ("channel")
    quota_zone: ClassVar[tzinfo] = UTC  # where its daily quota resets at midnight
    quota_zone_name: ClassVar[str] = "UTC"
    default_route: ClassVar[bool] = True  # taken by a series that names no platforms
    remote_id_word: ClassVar[str] = "remote_id"  # the JSON key of its ids ("video_id")
    daily_units: ClassVar[int | None] = None  # its shared daily quota, if it counts in units
    settings_model: ClassVar[type[PlatformSettings] | None] = None  # its [name] section
    upload_profile: ClassVar[str | None] = None  # transcoding profile of what it is sent
    keeps_stats: ClassVar[bool] = False  # whether `stats_reader` can read its counters
    # Takes a publication time with the upload and goes public by itself (YouTube's
    # status.publishAt); otherwise the calendar uploads private and makes it public at its slot.
    schedules_itself: ClassVar[bool] = False
    stats_fields: ClassVar[tuple[str, ...]] = ("views",)  # the counters it keeps, views first
    daily_stats: ClassVar[bool] = False  # whether it keeps daily numbers per playlist
    # Whether a report shows all of its `stats_fields` by group, in a table of its own
    # (labelled `counter.FIELD` in stats/labels.py), beside the views every platform shows.
    counters_table: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """A plugin missing its name, label or kinds fails when it is defined, not later."""
        super().__init_subclass__(**kwargs)
        missing = [attr for attr in ("name", "label", "kinds") if not hasattr(cls, attr)]
        if missing:
            raise TypeError(f"platform {cls.__qualname__} must set {', '.join(missing)}")

    def __str__(self) -> str:
        return self.name

    def publisher(self, hub: Hub) -> Publisher[Any]:
        """The upload steps for this hub; the client is made on first use."""
        raise ConfigError(
            f"{self.label} takes no uploads from media-hub; write a bundle with "
            "'media-hub export ID --to DIR' instead"
        )

    def reaching(self, hub: Hub) -> AbstractContextManager[None]:
        """Network failures reaching the platform, worded as one line for a person."""
        return nullcontext()

    def check_quota(self, publisher: Publisher[Any], asset_id: int, now: datetime) -> None:
        """Refuse, before any call, an upload today's quota cannot pay for (by default a
        platform counts no quota ahead, and its own refusal stops the job)."""
        return

    def quota_budget(self, hub: Hub) -> dict[str, int]:
        """The day's limits per quota bucket, for the calendar to spread uploads over days
        (by default none: the platform's own refusal is the limit)."""
        return {}

    def upload_cost(self, publisher: Publisher[Any], asset_id: int) -> dict[str, int]:
        """What the asset's upload spends, per quota bucket of `quota_budget`."""
        return {}

    def reschedule(self, hub: Hub, remote_id: str, at: datetime | None) -> None:
        """Move an uploaded, scheduled publication to `at` (None: unscheduled, it stays
        private) on a platform that schedules itself (`schedules_itself`)."""
        raise ValidationError("platform", f"{self.label} keeps no schedule of its own")

    def privacy_now(self, hub: Hub, remote_ids: list[str]) -> dict[str, str]:
        """The privacy each publication has on the platform now (for the calendar to see
        scheduled ones go live); by default unknown."""
        return {}

    def make_public(self, hub: Hub, remote_id: str) -> None:
        """Make a private publication public: the calendar's slot, on a platform without
        a schedule of its own."""
        raise ValidationError("platform", f"{self.label} cannot be made public by media-hub")

    def next_reset(self, now: datetime) -> datetime:
        """When a job stopped by the spent daily quota may try again."""
        local = now.astimezone(self.quota_zone)
        midnight = datetime.combine(local.date() + timedelta(days=1), time(0), self.quota_zone)
        return midnight.astimezone(UTC)

    def sync(self, hub: Hub, apply: bool) -> Synced:
        """The catalog's texts, thumbnails and playlists against the platform's."""
        raise ConfigError(f"{self.label} cannot be kept in line with the catalog: no API")

    def adopt(self, hub: Hub, dry_run: bool) -> AdoptReport:
        """Catalog what is already published there and unknown here; upload nothing."""
        raise ConfigError(f"{self.label} cannot be adopted from: it has no listing API")

    def stats_reader(self, hub: Hub) -> StatsReader:
        """What `stats pull` reads there: common counts, playlists' members and days."""
        raise ConfigError(f"{self.label} keeps no statistics media-hub can read")

    def lint(self, asset: Mapping[str, Any], facts: LintFacts) -> list[LintProblem]:
        """What the platform would refuse in the asset's rendered metadata."""
        return []

    def export(
        self,
        hub: Hub,
        asset: AssetRecord,
        folder: Path,
        on_transcode: Callable[[float], None] | None,
    ) -> ExportedTexts:
        """Write the file as the platform wants it into `folder`; return its metadata."""
        raise ConfigError(f"{self.label} has no export bundle")


@dataclass(frozen=True)
class ExportedTexts:
    """The metadata of an export bundle: as data, and as sections to paste in a form."""

    data: dict[str, Any]
    sections: list[tuple[str, str]]

"""YouTube as a `Platform`: videos, OAuth, a daily quota that resets at midnight Pacific."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from media_hub.catalog.vocabulary import AssetKind
from media_hub.errors import QuotaError
from media_hub.platforms.base import AdoptReport, ExportedTexts, Platform, Synced, SyncedCall
from media_hub.platforms.youtube import UPLOAD_PROFILE, YOUTUBE, clock
from media_hub.platforms.youtube.settings import YouTubeSettings, youtube_settings

if TYPE_CHECKING:
    from media_hub.catalog.lint import LintFacts, LintProblem
    from media_hub.catalog.records import AssetRecord
    from media_hub.hub import Hub
    from media_hub.platforms.publisher import Publisher
    from media_hub.platforms.stats_source import StatsReader
    from media_hub.platforms.youtube.publisher import YouTubeUpload


class YouTube(Platform):
    name = YOUTUBE
    label = "YouTube"
    kinds: ClassVar[frozenset[AssetKind]] = frozenset({AssetKind.VIDEO})
    home_word = "channel"
    quota_zone = clock.PACIFIC
    quota_zone_name = "Pacific"
    remote_id_word = "video_id"
    daily_units = clock.DAILY_UNITS
    settings_model = YouTubeSettings
    upload_profile = UPLOAD_PROFILE
    keeps_stats = True
    schedules_itself = True
    stats_fields = ("views", "likes", "comments")
    daily_stats = True

    def publisher(self, hub: Hub) -> YouTubeUpload:
        from media_hub.platforms.youtube.publisher import YouTubeUpload

        return YouTubeUpload(hub, lambda: connect(hub))

    def reaching(self, hub: Hub) -> AbstractContextManager[None]:
        from media_hub.platforms.youtube.errors import reaching

        return reaching(youtube_settings(hub.settings).api_endpoint)

    def check_quota(self, publisher: Publisher[Any], asset_id: int, now: datetime) -> None:
        """Workers on several machines share the ledger in the catalog; two may still both
        pass this check for the last units, and YouTube's own quotaExceeded then stops the
        later one."""
        from media_hub.platforms.youtube import quota
        from media_hub.platforms.youtube.publisher import YouTubeUpload

        assert isinstance(publisher, YouTubeUpload)
        day = clock.pacific_day(now)
        limits = quota.limits(publisher.hub.settings)
        with publisher.catalog.session() as session:
            for bucket, units in sorted(publisher.needed_quota(asset_id).items()):
                left = quota.left(session, bucket, day, limits[bucket])
                if units > left:
                    reset = clock.next_reset(now).astimezone(clock.PACIFIC)
                    raise QuotaError(
                        self.label, "quotaExceeded",
                        f"asset {asset_id} needs {units} units of the {bucket} quota and "
                        f"{left} are left today; it waits for the reset at "
                        f"{reset:%Y-%m-%d %H:%M} Pacific time",
                        resets=self.next_reset,
                    )  # fmt: skip

    def next_reset(self, now: datetime) -> datetime:
        return clock.next_reset(now)

    def reschedule(self, hub: Hub, remote_id: str, at: datetime | None) -> None:
        from media_hub.platforms.youtube.schedule import set_publish_at

        with self.reaching(hub):
            set_publish_at(hub.db, self.publisher(hub).client, remote_id, at)

    def privacy_now(self, hub: Hub, remote_ids: list[str]) -> dict[str, str]:
        from media_hub.platforms.youtube.schedule import read_privacy

        with self.reaching(hub):
            return read_privacy(hub.db, self.publisher(hub).client, remote_ids)

    def quota_budget(self, hub: Hub) -> dict[str, int]:
        from media_hub.platforms.youtube import quota

        return quota.limits(hub.settings)

    def upload_cost(self, publisher: Publisher[Any], asset_id: int) -> dict[str, int]:
        from media_hub.platforms.youtube.publisher import YouTubeUpload

        assert isinstance(publisher, YouTubeUpload)
        return publisher.needed_quota(asset_id)

    def sync(self, hub: Hub, apply: bool) -> Synced:
        from media_hub.platforms.youtube.sync import apply_sync, plan_sync

        with self.reaching(hub):
            job = self.publisher(hub)
            plan = plan_sync(job)
            result = apply_sync(job, plan) if apply else None
        calls = [
            SyncedCall(self.name, c.method, c.units, c.target, c.detail, c.changes)
            for c in plan.calls
        ]
        left = len(result.left) if result is not None else len(calls)
        stopped = None
        if result is not None and result.left:
            reset = clock.next_reset(datetime.now(UTC)).astimezone(clock.PACIFIC)
            stopped = (
                f"YouTube: the day's quota ran out with {left} change(s) left; rerun after "
                f"{reset:%Y-%m-%d %H:%M} Pacific time"
            )
        return Synced(self.name, calls, plan.reads, plan.units, left, plan.skipped, stopped)

    def adopt(self, hub: Hub, dry_run: bool) -> AdoptReport:
        from media_hub.platforms.youtube.adopt import adopt_youtube

        with self.reaching(hub):
            return adopt_youtube(hub, lambda: connect(hub), dry_run=dry_run)

    def stats_reader(self, hub: Hub) -> StatsReader:
        from media_hub.platforms.youtube.stats import YouTubeStatsReader, youtube_stats_source

        with self.reaching(hub):
            source = youtube_stats_source(hub.settings, hub.db)
        return YouTubeStatsReader(source, reaching=lambda: self.reaching(hub))

    def lint(self, asset: Mapping[str, Any], facts: LintFacts) -> list[LintProblem]:
        """A video's metadata as its series' template renders it, within YouTube's limits."""
        from media_hub.catalog.lint import LintProblem, rendered_problems
        from media_hub.platforms.youtube.languages import keys_for_lint
        from media_hub.platforms.youtube.metadata import render_video_metadata

        keys = keys_for_lint(facts.platform_facts, facts.settings)

        def render(series: Mapping[str, Any], template: Any, name: str) -> object:
            return render_video_metadata(
                asset, series, template, name, now=facts.now, topics=facts.topic_names,
                language_keys=keys,
            )  # fmt: skip

        problems = rendered_problems(asset, facts, AssetKind.VIDEO, render)
        if asset["kind"] != AssetKind.VIDEO:
            return problems
        return problems + [
            LintProblem(asset["id"], f"localizations.{lang}", message, warning=True)
            for lang in asset["titles"]
            if lang != asset["default_language"] and (message := keys.problem(lang)) is not None
        ]

    def export(
        self,
        hub: Hub,
        asset: AssetRecord,
        folder: Path,
        on_transcode: Callable[[float], None] | None,
    ) -> ExportedTexts:
        from media_hub.platforms.youtube.export import export_video

        # A publisher that only renders: its client is never made.
        return export_video(self.publisher(hub), hub, asset, folder, on_transcode)


def connect(hub: Hub) -> Any:
    """The channel's API client, from the saved token (refreshed if need be)."""
    from media_hub.platforms.youtube.auth import load_credentials
    from media_hub.platforms.youtube.client import youtube_service
    from media_hub.platforms.youtube.errors import reaching

    settings = hub.settings
    with reaching(youtube_settings(settings).token_uri):
        return youtube_service(settings, load_credentials(settings))

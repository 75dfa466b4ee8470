"""Facebook Page videos as a `Platform`: one folder, registered by an entry point.

Not a default route: a series sends its videos to Facebook when it lists it
(`platforms = ["youtube", "facebook"]`). Meta counts calls against rolling rate limits, not a
daily quota: a rate-limit error stops the batch, and the job waits the time Meta estimates.
It schedules itself: the calendar's video goes up unpublished with `scheduled_publish_time` and
Meta publishes it at its time (`schedule.py`).
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from media_hub.catalog.vocabulary import AssetKind
from media_hub.platforms.base import AdoptReport, Platform, Synced
from media_hub.platforms.facebook import FACEBOOK
from media_hub.platforms.facebook.settings import FacebookSettings
from media_hub.platforms.youtube import UPLOAD_PROFILE

if TYPE_CHECKING:
    from collections.abc import Iterator

    from media_hub.catalog.lint import LintFacts, LintProblem
    from media_hub.hub import Hub
    from media_hub.platforms.facebook.client import GraphClient
    from media_hub.platforms.facebook.publisher import FacebookUpload
    from media_hub.platforms.stats_source import StatsReader


class Facebook(Platform):
    name = FACEBOOK
    label = "Facebook"
    kinds: ClassVar[frozenset[AssetKind]] = frozenset({AssetKind.VIDEO})
    home_word = "Page"
    default_route = False
    remote_id_word = "video_id"
    settings_model = FacebookSettings
    upload_profile = UPLOAD_PROFILE
    keeps_stats = True
    stats_fields = ("views", "unique_viewers", "average_watch_seconds", "reactions", "comments",
                    "shares")  # fmt: skip
    counters_table = True
    schedules_itself = True

    def publisher(self, hub: Hub) -> FacebookUpload:
        from media_hub.platforms.facebook.publisher import FacebookUpload

        return FacebookUpload(hub, lambda: connect(hub))

    def reaching(self, hub: Hub) -> AbstractContextManager[None]:
        return _reaching()

    def reschedule(self, hub: Hub, remote_id: str, at: datetime | None) -> None:
        from media_hub.platforms.facebook.schedule import set_schedule
        from media_hub.platforms.facebook.settings import facebook_settings

        with self.reaching(hub):
            client = self.publisher(hub).client
            set_schedule(client, facebook_settings(hub.settings), remote_id, at)

    def privacy_now(self, hub: Hub, remote_ids: list[str]) -> dict[str, str]:
        from media_hub.platforms.facebook.schedule import read_privacy

        with self.reaching(hub):
            return read_privacy(self.publisher(hub).client, remote_ids)

    def make_public(self, hub: Hub, remote_id: str) -> None:
        from media_hub.platforms.facebook.schedule import publish_now

        with self.reaching(hub):
            publish_now(self.publisher(hub).client, remote_id)

    def sync(self, hub: Hub, apply: bool) -> Synced:
        from media_hub.platforms.facebook.sync import plan_page_sync
        from media_hub.platforms.remote_edits import synced

        with self.reaching(hub):
            return synced(self.name, self.label, plan_page_sync(self.publisher(hub)), apply)

    def adopt(self, hub: Hub, dry_run: bool) -> AdoptReport:
        from media_hub.platforms.facebook.adopt import adopt_facebook

        with self.reaching(hub):
            return adopt_facebook(hub, lambda: connect(hub), dry_run=dry_run)

    def stats_reader(self, hub: Hub) -> StatsReader:
        from media_hub.platforms.facebook.settings import facebook_settings
        from media_hub.platforms.facebook.stats import FacebookStatsReader

        return FacebookStatsReader(
            hub.db, lambda: connect(hub), reaching=lambda: self.reaching(hub),
            batch_size=facebook_settings(hub.settings).stats_batch_size,
        )  # fmt: skip

    def lint(self, asset: Mapping[str, Any], facts: LintFacts) -> list[LintProblem]:
        """A video's texts as its series' template renders them, within Facebook's limits;
        only for a series that goes to Facebook (it is never a default)."""
        from media_hub.catalog.lint import rendered_problems
        from media_hub.platforms.facebook.metadata import render_video_texts

        series = facts.definitions.series.get(asset.get("series") or "")
        if series is None or self.name not in series.platforms:
            return []

        limits = FacebookSettings()  # the defaults: the lint sees no hub's settings

        def render(series: Mapping[str, Any], template: Any, name: str) -> object:
            return render_video_texts(
                asset, series, template, name, limits, now=facts.now, topics=facts.topic_names
            )

        return rendered_problems(asset, facts, AssetKind.VIDEO, render)


@contextmanager
def _reaching() -> Iterator[None]:
    """Network failures outside the client's own handling, as one line."""
    import requests

    from media_hub.errors import RemoteError

    try:
        yield
    except requests.RequestException as exc:
        raise RemoteError("Facebook", "connection", f"cannot reach Facebook ({exc})") from exc


def connect(hub: Hub) -> GraphClient:
    from media_hub.platforms.facebook.connect import graph_client

    return graph_client(hub.settings)

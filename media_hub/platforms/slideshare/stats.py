"""SlideShare as a statistics source: the account's slideshows, detailed, 100 per call."""

from __future__ import annotations

from datetime import datetime

from media_hub.platforms.slideshare.client import PAGE_SIZE, SlideShareClient
from media_hub.platforms.stats_source import DeckCounts, StatsCounts, StatsReading, StatsTargets
from media_hub.settings import Settings


class SlideShareStatsSource:
    """Reads every slideshow once: the listing carries the counters, so no call per deck."""

    def __init__(self, client: SlideShareClient) -> None:
        self.client = client
        self.calls = 0

    def deck_counts(self) -> dict[str, DeckCounts]:
        counts: dict[str, DeckCounts] = {}
        for index, slideshow in enumerate(self.client.slideshows(detailed=True)):
            if index % PAGE_SIZE == 0:
                self.calls += 1
            counts[slideshow.id] = DeckCounts(
                views=slideshow.num_views,
                downloads=slideshow.num_downloads,
                favorites=slideshow.num_favorites,
                comments=slideshow.num_comments,
            )
        self.calls = max(self.calls, 1)
        return counts


def slideshare_stats_source(settings: Settings) -> SlideShareStatsSource:
    from media_hub.platforms.slideshare.connect import slideshare_client

    return SlideShareStatsSource(slideshare_client(settings))


class SlideShareStatsReader:
    """Every slideshow's counters from the detailed listing; a deck playlist's members are
    the catalog's (SlideShare has no playlists), less the decks not found."""

    units = 0  # SlideShare counts calls, not units

    def __init__(self, source: SlideShareStatsSource) -> None:
        self.source = source

    def read(self, targets: StatsTargets, now: datetime) -> StatsReading:
        found = self.source.deck_counts()
        counts = {
            asset_id: StatsCounts(
                views=n.views, comments=n.comments, downloads=n.downloads, favorites=n.favorites
            )
            for deck_id, asset_id in targets.published.items()
            if (n := found.get(deck_id)) is not None
        }
        return StatsReading(
            counts=counts,
            members={
                playlist_id: [asset_id for asset_id in assets if asset_id in counts]
                for playlist_id, assets in targets.members.items()
            },
            missing=sorted(set(targets.published) - set(found)),
            calls={"get_slideshows_by_user": self.source.calls},
        )

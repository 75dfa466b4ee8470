"""SlideShare as a statistics source: the account's slideshows, detailed, 100 per call."""

from __future__ import annotations

from media_hub.platforms.slideshare.client import PAGE_SIZE, SlideShareClient
from media_hub.platforms.stats_source import DeckCounts
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

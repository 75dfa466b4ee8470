"""Reading the channel: list calls of 50 items, each written to the quota ledger before it is
sent (refused ones too, as Google charges them) and counted, so commands can say what they
spent."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from googleapiclient.errors import HttpError

from media_hub.catalog.db import Catalog
from media_hub.platforms.youtube import quota
from media_hub.platforms.youtube.errors import translate

PAGE = 50
RETRIES = 5


class ChannelReader:
    def __init__(self, catalog: Catalog, youtube: Any, calls: Counter[str] | None = None) -> None:
        self.catalog = catalog
        self.youtube = youtube
        self.calls: Counter[str] = calls if calls is not None else Counter()

    @property
    def reads(self) -> int:
        return sum(self.calls.values())

    def list_page(self, method: str, resource: Any, **query: Any) -> dict[str, Any]:
        try:
            with quota.spending(self.catalog, method):
                page: dict[str, Any] = resource.list(**query).execute(num_retries=RETRIES)
        except HttpError as exc:
            raise translate(exc, f"reading the channel ({method})") from exc
        finally:
            self.calls[method] += 1
        return page

    def pages(self, method: str, resource: Any, **query: Any) -> Iterator[dict[str, Any]]:
        """Every item of a paged list, `PAGE` per call."""
        token: str | None = None
        while True:
            page = self.list_page(method, resource, maxResults=PAGE, pageToken=token, **query)
            yield from page.get("items", [])
            token = page.get("nextPageToken")
            if not token:
                return

    def videos(self, ids: list[str]) -> list[dict[str, Any]]:
        """The videos with these ids (those that exist), `PAGE` ids per call."""
        found: list[dict[str, Any]] = []
        for start in range(0, len(ids), PAGE):
            page = self.list_page(
                "videos.list", self.youtube.videos(), part="snippet,status,localizations",
                id=",".join(ids[start : start + PAGE]), maxResults=PAGE,
            )  # fmt: skip
            found += page.get("items", [])
        return found

    def playlist_items(self, playlist_id: str) -> Iterator[dict[str, Any]]:
        yield from self.pages(
            "playlistItems.list", self.youtube.playlistItems(), part="snippet",
            playlistId=playlist_id,
        )  # fmt: skip

    def playlists(self) -> Iterator[dict[str, Any]]:
        yield from self.pages("playlists.list", self.youtube.playlists(), part="snippet", mine=True)

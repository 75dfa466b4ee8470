"""SlideShare as a `Platform`: decks, a signed REST API, a daily call limit it does not time."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from media_hub.catalog.vocabulary import AssetKind
from media_hub.platforms.base import AdoptReport, ExportedTexts, Platform, Synced
from media_hub.platforms.slideshare import SLIDESHARE
from media_hub.platforms.slideshare.settings import SlideShareSettings

if TYPE_CHECKING:
    from media_hub.catalog.lint import LintFacts, LintProblem
    from media_hub.catalog.records import AssetRecord
    from media_hub.hub import Hub
    from media_hub.platforms.slideshare.client import SlideShareClient
    from media_hub.platforms.slideshare.publisher import SlideShareUpload
    from media_hub.platforms.stats_source import StatsReader


class SlideShare(Platform):
    """SlideShare does not say when its daily limit resets: the base's next midnight UTC is
    a fair guess. A job that wakes before the real reset meets the limit once more (a
    refused call) and is put off again."""

    name = SLIDESHARE
    label = "SlideShare"
    kinds: ClassVar[frozenset[AssetKind]] = frozenset({AssetKind.DECK})
    remote_id_word = "slideshow_id"
    settings_model = SlideShareSettings
    keeps_stats = True
    stats_fields = ("views", "downloads", "favorites", "comments")

    def publisher(self, hub: Hub) -> SlideShareUpload:
        from media_hub.platforms.slideshare.publisher import SlideShareUpload

        return SlideShareUpload(hub, lambda: connect(hub))

    def make_public(self, hub: Hub, remote_id: str) -> None:
        """edit_slideshow with make_slideshow_private=N (retried like a read: a second one
        changes nothing)."""
        with self.reaching(hub):
            self.publisher(hub).client.edit_slideshow(remote_id, {"make_slideshow_private": "N"})

    def sync(self, hub: Hub, apply: bool) -> Synced:
        from media_hub.platforms.remote_edits import synced
        from media_hub.platforms.slideshare.sync import plan_deck_sync

        return synced(self.name, self.label, plan_deck_sync(self.publisher(hub)), apply)

    def adopt(self, hub: Hub, dry_run: bool) -> AdoptReport:
        from media_hub.platforms.slideshare.adopt import adopt_slideshare

        return adopt_slideshare(hub, lambda: connect(hub), dry_run=dry_run)

    def stats_reader(self, hub: Hub) -> StatsReader:
        from media_hub.platforms.slideshare.stats import (
            SlideShareStatsReader,
            slideshare_stats_source,
        )

        return SlideShareStatsReader(slideshare_stats_source(hub.settings))

    def lint(self, asset: Mapping[str, Any], facts: LintFacts) -> list[LintProblem]:
        """A deck's metadata as its series' template renders it, within SlideShare's limits."""
        from media_hub.catalog.lint import rendered_problems
        from media_hub.platforms.slideshare.metadata import render_deck_metadata

        def render(series: Mapping[str, Any], template: Any, name: str) -> object:
            return render_deck_metadata(asset, series, template, name, topics=facts.topic_names)

        return rendered_problems(asset, facts, AssetKind.DECK, render)

    def export(
        self,
        hub: Hub,
        asset: AssetRecord,
        folder: Path,
        on_transcode: Callable[[float], None] | None,
    ) -> ExportedTexts:
        """The deck itself (SlideShare converts it), and the upload form's fields."""
        from media_hub.platforms.folder.files import copy_from_store, file_stem
        from media_hub.platforms.publisher import UploadOptions

        job = self.publisher(hub)  # renders only: its client is never made
        fields = job.fields(asset["id"], UploadOptions(), asset)
        source_key, _ = job.source(asset["id"])
        copy_from_store(hub, source_key, folder / f"{file_stem(asset)}{Path(source_key).suffix}")
        tags = [tag for tag in fields.get("slideshow_tags", "").split(",") if tag]
        private = fields["make_slideshow_private"] == "Y"
        texts = {
            "platform": self.name,
            "title": fields["slideshow_title"],
            "description": fields["slideshow_description"],
            "tags": tags,
            "private": private,
        }
        sections = [
            ("Title", fields["slideshow_title"]),
            ("Description", fields["slideshow_description"]),
            ("Tags", ", ".join(tags)),
            ("Visibility", "private" if private else "public"),
        ]
        return ExportedTexts(texts, sections)


def connect(hub: Hub) -> SlideShareClient:
    from media_hub.platforms.slideshare.connect import slideshare_client

    return slideshare_client(hub.settings)

"""`adopt facebook`: catalog records for the videos already on the Page, uploading nothing.

The Page's videos are read 100 per call. A video with no Facebook publication in the catalog
becomes a video asset (published), matched to a series by its texts: the first video series
whose template gives back its title and description exactly (`unrender`) is its own, and the
catalog keeps the texts without the template's additions; a video no template gives back keeps
its texts as published (marked, sent as they are), in the series whose name ends its title
(" | Reportages"), if any. Keyed on the video id: a rerun adds only what is new. One audited
catalog session, rolled back with `dry_run`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from media_hub import progress
from media_hub.catalog.assets import NewAsset, add_asset
from media_hub.catalog.models import Series
from media_hub.catalog.pipeline_models import Publication
from media_hub.catalog.vocabulary import AssetKind, AssetStatus, PublicationState
from media_hub.errors import MediaHubError
from media_hub.hub import Hub
from media_hub.pipeline.series_templates import SeriesTemplate, SeriesTemplates
from media_hub.platforms.adopted_texts import adopted_texts
from media_hub.platforms.base import AdoptReport
from media_hub.platforms.facebook import FACEBOOK
from media_hub.platforms.facebook.client import PAGE_LIMIT, GraphClient
from media_hub.platforms.facebook.errors import GraphError, translate
from media_hub.platforms.facebook.publisher import VIDEO_URL, graph_time
from media_hub.platforms.unrender import CatalogTexts, PublishedTexts, unrender

SERIES_SEPARATOR = " | "


@dataclass(frozen=True)
class AdoptedVideo:
    video_id: str
    asset_id: int | None  # None in a dry run
    series: str | None
    title: str
    texts_as_published: bool = False

    @property
    def remote_id(self) -> str:
        return self.video_id


def adopt_facebook(
    hub: Hub, client_factory: Callable[[], GraphClient], *, dry_run: bool = False
) -> AdoptReport:
    report = AdoptReport(dry_run=dry_run)
    client = client_factory()
    doing = "reading the Page's videos"
    fields = "id,title,description,created_time"
    try:
        reading = client.pages(f"{client.page_id}/videos", {"fields": fields}, doing=doing)
        videos = list(progress.counted(doing, reading))
    except GraphError as error:
        raise translate(error, doing) from error
    report.list_calls["GET /{page-id}/videos"] = max(1, -(-len(videos) // PAGE_LIMIT))
    report.seen = len(videos)
    with hub.db.session() as session:
        known = {
            row
            for row in session.scalars(
                select(Publication.remote_id).where(Publication.platform == FACEBOOK)
            )
            if row
        }
        slugs = session.scalars(
            select(Series.slug).where(Series.kind == AssetKind.VIDEO).order_by(Series.slug)
        ).all()
    templates = SeriesTemplates(hub)
    series = {slug: templates.for_series(slug) for slug in slugs}
    new = [video for video in videos if str(video.get("id")) not in known]
    report.known = report.seen - len(new)
    with hub.db.session(dry_run=dry_run) as session:
        for video in progress.counted("cataloguing the videos", new, len(new)):
            _adopt_one(session, client.page_id, video, series, report)
    return report


def _adopt_one(
    session: Session,
    page_id: str,
    video: dict[str, Any],
    all_series: dict[str, SeriesTemplate],
    report: AdoptReport,
) -> None:
    video_id = str(video["id"])
    title = (video.get("title") or "").strip()
    try:
        texts = adopted_texts(f"video {video_id}", title, video.get("description") or "")
    except MediaHubError as exc:
        report.skipped[video_id] = str(exc)
        return
    lang = texts.default_language
    published = PublishedTexts(lang, texts.titles, texts.descriptions)
    fitted: tuple[str | None, CatalogTexts] | None = None
    for slug, (series_record, template, template_name) in all_series.items():
        found = unrender(published, template, template_name, series_record)
        if found is not None and all(text.strip() for text in found.titles.values()):
            fitted = (slug, found)
            break
    chosen, catalog_texts = fitted or (
        _series_of(title, all_series), CatalogTexts(texts.titles, texts.descriptions)
    )  # fmt: skip
    asset = add_asset(
        session,
        NewAsset(
            kind=AssetKind.VIDEO, titles=catalog_texts.titles,
            descriptions=catalog_texts.descriptions, series=chosen, default_language=lang,
        ),
    )  # fmt: skip
    asset.status = AssetStatus.PUBLISHED
    session.add(
        Publication(
            asset_id=asset.id, platform=FACEBOOK, remote_id=video_id,
            url=VIDEO_URL.format(page=page_id, video=video_id), state=PublicationState.DONE,
            published_at=graph_time(video.get("created_time")), texts_as_published=fitted is None,
        )
    )  # fmt: skip
    session.flush()
    report.adopted.append(
        AdoptedVideo(
            video_id, None if report.dry_run else asset.id, chosen,
            catalog_texts.titles[lang], texts_as_published=fitted is None,
        )
    )  # fmt: skip


def _series_of(title: str, all_series: dict[str, SeriesTemplate]) -> str | None:
    """The series whose name (in any language) ends the title, after the separator."""
    folded = title.casefold().rstrip()
    for slug, (series, _, _) in all_series.items():
        for name in (series.get("names") or {}).values():
            if folded.endswith((SERIES_SEPARATOR + name).casefold()):
                return slug
    return None

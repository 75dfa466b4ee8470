"""`adopt slideshare`: catalog records for the decks already on the SlideShare account.

The account is read 100 slideshows per call. A slideshow with no SlideShare publication in the
catalog becomes a deck asset (published once converted). Its title and description are taken
back through each deck series' template (`unrender`): the first series whose template gives
them back exactly is the deck's, and the catalog keeps the texts without the series' suffix
and footer, so `publish` renders the same texts instead of doubling them. A deck no template
gives back keeps its texts as published (marked, sent as they are), in the series whose name
ends its title (" | Flyers CV"), if any. Keyed on the slideshow id: a rerun adds only what is
new. One audited catalog session, rolled back with `dry_run`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

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
from media_hub.platforms.adopted_texts import AdoptedTexts, adopted_texts
from media_hub.platforms.base import AdoptReport
from media_hub.platforms.slideshare import SLIDESHARE
from media_hub.platforms.slideshare.client import (
    PAGE_SIZE,
    ConversionStatus,
    SlideShareClient,
    Slideshow,
)
from media_hub.platforms.unrender import CatalogTexts, PublishedTexts, unrender

SERIES_SEPARATOR = " | "


@dataclass(frozen=True)
class AdoptedDeck:
    slideshow_id: str
    asset_id: int | None  # None in a dry run
    series: str | None
    title: str
    texts_as_published: bool = False

    @property
    def remote_id(self) -> str:
        return self.slideshow_id


def adopt_slideshare(
    hub: Hub, client_factory: Callable[[], SlideShareClient], *, dry_run: bool = False
) -> AdoptReport:
    report = AdoptReport(dry_run=dry_run)
    reading = client_factory().slideshows(detailed=False)
    slideshows = list(progress.counted("reading the SlideShare account", reading))
    report.list_calls["get_slideshows_by_user"] = max(1, -(-len(slideshows) // PAGE_SIZE))
    report.seen = len(slideshows)
    catalog = hub.db
    with catalog.session() as session:
        known = _known_ids(session)
        slugs = session.scalars(
            select(Series.slug).where(Series.kind == AssetKind.DECK).order_by(Series.slug)
        ).all()
    templates = SeriesTemplates(hub)
    series = {slug: templates.for_series(slug) for slug in slugs}
    new = [s for s in slideshows if s.id not in known]
    report.known = report.seen - len(new)
    with catalog.session(dry_run=dry_run) as session:
        for slideshow in progress.counted("cataloguing the decks", new, len(new)):
            _adopt_one(session, slideshow, series, report)
    return report


def _adopt_one(
    session: Session,
    slideshow: Slideshow,
    all_series: dict[str, SeriesTemplate],
    report: AdoptReport,
) -> None:
    if slideshow.status is ConversionStatus.FAILED:
        report.skipped[slideshow.id] = "SlideShare could not convert it; nothing to adopt"
        return
    try:
        texts = adopted_texts(f"slideshow {slideshow.id}", slideshow.title, slideshow.description)
    except MediaHubError as exc:
        report.skipped[slideshow.id] = str(exc)
        return
    lang = texts.default_language
    fitted = _fit_series(texts, all_series)
    series, catalog_texts = fitted or (
        _series_of(slideshow.title, all_series),
        CatalogTexts(texts.titles, texts.descriptions),
    )
    converted = slideshow.status is ConversionStatus.CONVERTED
    asset = add_asset(
        session,
        NewAsset(
            kind=AssetKind.DECK, titles=catalog_texts.titles,
            descriptions=catalog_texts.descriptions, series=series, default_language=lang,
        ),
    )  # fmt: skip
    if converted:
        asset.status = AssetStatus.PUBLISHED
    session.add(
        Publication(
            asset_id=asset.id, platform=SLIDESHARE, remote_id=slideshow.id,
            url=slideshow.url or None,
            state=PublicationState.DONE if converted else PublicationState.CONVERTING,
            published_at=slideshow.created, texts_as_published=fitted is None,
        )
    )  # fmt: skip
    session.flush()
    report.adopted.append(
        AdoptedDeck(
            slideshow.id,
            None if report.dry_run else asset.id,
            series,
            catalog_texts.titles[lang],
            texts_as_published=fitted is None,
        )
    )


def _fit_series(
    texts: AdoptedTexts, all_series: dict[str, SeriesTemplate]
) -> tuple[str, CatalogTexts] | None:
    """The first deck series whose template gives back the slideshow's texts exactly."""
    published = PublishedTexts(texts.default_language, texts.titles, texts.descriptions)
    for slug, (series, template, template_name) in all_series.items():
        found = unrender(published, template, template_name, series)
        if found is not None and all(title.strip() for title in found.titles.values()):
            return slug, found
    return None


def _known_ids(session: Session) -> set[str]:
    rows = session.scalars(select(Publication.remote_id).where(Publication.platform == SLIDESHARE))
    return {row for row in rows if row}


def _series_of(title: str, all_series: dict[str, SeriesTemplate]) -> str | None:
    """The series whose name (in any language) ends the title, after the separator."""
    folded = title.casefold().rstrip()
    for slug, (series, _, _) in all_series.items():
        for name in (series.get("names") or {}).values():
            if folded.endswith((SERIES_SEPARATOR + name).casefold()):
                return slug
    return None

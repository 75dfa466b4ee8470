"""`adopt slideshare`: catalog records for the decks already on the SlideShare account.

The account is read 100 slideshows per call. A slideshow with no SlideShare publication in the
catalog becomes a deck asset (published once converted), its series the deck series whose
name ends its title (" | Flyers CV", the form the deck template gives). The series' template
suffix and footer are taken off the title and description, so `publish` re-renders the same
texts instead of doubling them. Keyed on the slideshow id: a rerun adds only what is new.
One audited catalog session, rolled back with `dry_run`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from media_hub.catalog.assets import NewAsset, add_asset
from media_hub.catalog.definitions import read_definitions
from media_hub.catalog.models import Series
from media_hub.catalog.pipeline_models import Publication
from media_hub.catalog.vocabulary import AssetKind, AssetStatus, PublicationState
from media_hub.errors import MediaHubError
from media_hub.hub import Hub
from media_hub.platforms.adopted_texts import adopted_texts
from media_hub.platforms.base import AdoptReport
from media_hub.platforms.slideshare import SLIDESHARE
from media_hub.platforms.slideshare.client import (
    PAGE_SIZE,
    ConversionStatus,
    SlideShareClient,
    Slideshow,
)

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


@dataclass(frozen=True)
class _DeckSeries:
    slug: str
    names: dict[str, str]
    footers: dict[str, str]


def adopt_slideshare(
    hub: Hub, client_factory: Callable[[], SlideShareClient], *, dry_run: bool = False
) -> AdoptReport:
    report = AdoptReport(dry_run=dry_run)
    slideshows = list(client_factory().slideshows(detailed=False))
    report.list_calls["get_slideshows_by_user"] = max(1, -(-len(slideshows) // PAGE_SIZE))
    report.seen = len(slideshows)
    catalog = hub.db
    with catalog.session() as session:
        known = _known_ids(session)
        series = _deck_series(hub, session)
    new = [s for s in slideshows if s.id not in known]
    report.known = report.seen - len(new)
    with catalog.session(dry_run=dry_run) as session:
        for slideshow in new:
            _adopt_one(session, slideshow, series, report)
    return report


def _adopt_one(
    session: Session, slideshow: Slideshow, all_series: list[_DeckSeries], report: AdoptReport
) -> None:
    if slideshow.status is ConversionStatus.FAILED:
        report.skipped[slideshow.id] = "SlideShare could not convert it; nothing to adopt"
        return
    series = _series_of(slideshow.title, all_series)
    title = _without_suffix(slideshow.title, series)
    try:
        texts = adopted_texts(f"slideshow {slideshow.id}", title, slideshow.description)
    except MediaHubError as exc:
        report.skipped[slideshow.id] = str(exc)
        return
    lang = texts.default_language
    description = texts.descriptions[lang]
    footer = series.footers.get(lang, "") if series is not None else ""
    if footer and description.rstrip().endswith(footer.strip()):
        description = description.rstrip()[: -len(footer.strip())].rstrip()
    converted = slideshow.status is ConversionStatus.CONVERTED
    asset = add_asset(
        session,
        NewAsset(
            kind=AssetKind.DECK, titles=texts.titles, descriptions={lang: description},
            series=series.slug if series is not None else None, default_language=lang,
        ),
    )  # fmt: skip
    if converted:
        asset.status = AssetStatus.PUBLISHED
    session.add(
        Publication(
            asset_id=asset.id, platform=SLIDESHARE, remote_id=slideshow.id,
            url=slideshow.url or None,
            state=PublicationState.DONE if converted else PublicationState.CONVERTING,
            published_at=slideshow.created,
        )
    )  # fmt: skip
    session.flush()
    report.adopted.append(
        AdoptedDeck(
            slideshow.id,
            None if report.dry_run else asset.id,
            series.slug if series is not None else None,
            texts.titles[lang],
        )
    )


def _known_ids(session: Session) -> set[str]:
    rows = session.scalars(select(Publication.remote_id).where(Publication.platform == SLIDESHARE))
    return {row for row in rows if row}


def _deck_series(hub: Hub, session: Session) -> list[_DeckSeries]:
    templates = read_definitions(hub.settings.definitions_dir).templates
    found = []
    for series in session.scalars(
        select(Series).where(Series.kind == AssetKind.DECK).order_by(Series.slug)
    ):
        template = templates.get(series.template)
        footers = dict(template.footer) if template is not None else {}
        found.append(_DeckSeries(series.slug, dict(series.names), footers))
    return found


def _series_of(title: str, all_series: list[_DeckSeries]) -> _DeckSeries | None:
    """The series whose name (in any language) ends the title, after the separator."""
    folded = title.casefold().rstrip()
    for series in all_series:
        for name in series.names.values():
            if folded.endswith((SERIES_SEPARATOR + name).casefold()):
                return series
    return None


def _without_suffix(title: str, series: _DeckSeries | None) -> str:
    if series is None:
        return title
    for name in series.names.values():
        suffix = SERIES_SEPARATOR + name
        if title.rstrip().casefold().endswith(suffix.casefold()):
            return title.rstrip()[: -len(suffix)].rstrip()
    return title

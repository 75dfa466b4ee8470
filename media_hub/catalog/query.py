"""Listing and searching assets by series, topic, status, kind, language and words."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import Session, selectinload

from media_hub.catalog import lookup, rules
from media_hub.catalog.models import Asset, AssetText, AssetTopic
from media_hub.catalog.text import search_words
from media_hub.catalog.vocabulary import AssetKind, AssetStatus
from media_hub.errors import ValidationError


@dataclass(frozen=True)
class AssetQuery:
    """Filters combine with AND; archived assets are left out unless asked for by status."""

    series: str | None = None
    topic: str | None = None
    status: AssetStatus | None = None
    kind: AssetKind | None = None
    language: str | None = None
    text: str | None = None
    include_archived: bool = False
    limit: int | None = None


def find_assets(session: Session, query: AssetQuery) -> list[Asset]:
    """The matching assets in id order, with texts, topics and series loaded."""
    statement = _filtered(session, query).order_by(Asset.id)
    if query.limit is not None:
        statement = statement.limit(query.limit)
    statement = statement.options(
        selectinload(Asset.texts),
        selectinload(Asset.topic_links).joinedload(AssetTopic.topic),
    )
    return list(session.scalars(statement))


def _filtered(session: Session, query: AssetQuery) -> Select[tuple[Asset]]:
    statement = select(Asset)
    if query.series is not None:
        statement = statement.where(Asset.series_id == lookup.series(session, query.series).id)
    if query.topic is not None:
        topic = lookup.topics(session, [query.topic])[0]
        statement = statement.where(
            exists().where(AssetTopic.asset_id == Asset.id, AssetTopic.topic_id == topic.id)
        )
    if query.status is not None:
        statement = statement.where(Asset.status == query.status)
    elif not query.include_archived:
        statement = statement.where(Asset.status != AssetStatus.ARCHIVED)
    if query.kind is not None:
        statement = statement.where(Asset.kind == query.kind)
    language = rules.language(query.language) if query.language else None
    if language and not query.text:
        statement = statement.where(
            exists().where(AssetText.asset_id == Asset.id, AssetText.lang == language)
        )
    if query.text is not None:
        words = search_words(query.text)
        if not words:
            raise ValidationError("search", f"{query.text!r} has no words to search for")
        for word in words:
            matches = exists().where(
                AssetText.asset_id == Asset.id,
                AssetText.search_text.contains(word, autoescape=True),
            )
            if language:
                matches = matches.where(AssetText.lang == language)
            statement = statement.where(matches)
    return statement


def series_counts(session: Session) -> dict[int, int]:
    """Number of assets (archived excluded) per series id."""

    rows = session.execute(
        select(Asset.series_id, func.count())
        .where(Asset.status != AssetStatus.ARCHIVED, Asset.series_id.is_not(None))
        .group_by(Asset.series_id)
    )
    return {int(series_id): int(count) for series_id, count in rows}

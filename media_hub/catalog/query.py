"""Listing and searching assets by series, topic, status, kind, language and words."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from sqlalchemy import Select, bindparam, exists, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import BindParameter

from media_hub.catalog import lookup, rules, search_index
from media_hub.catalog.models import (
    Asset,
    AssetText,
    AssetTopic,
    Playlist,
    PlaylistItem,
    Series,
    Topic,
)
from media_hub.catalog.pipeline_models import Publication
from media_hub.catalog.records import ASSET_COLUMNS, AssetRecord, asset_record_from_columns
from media_hub.catalog.text import query_terms, search_words
from media_hub.catalog.vocabulary import AssetKind, AssetStatus
from media_hub.errors import ValidationError

_CHUNK = 5000  # ids per IN list: well under SQLite's and PostgreSQL's parameter limits
MAX_SEARCH_WORDS = 32
MAX_SEARCH_WORD_CHARS = 1000  # a "word" is a run of letters and digits: no real one is longer


RangeField = Literal["id", "season", "episode", "recorded_date"]


@dataclass(frozen=True)
class Range:
    """`low <= field <= high`, either end open (None); an asset without the field is left out."""

    field: RangeField
    low: int | date | None = None
    high: int | date | None = None


@dataclass(frozen=True)
class AssetQuery:
    """Filters combine with AND; archived assets are left out unless asked for by status."""

    series: str | None = None
    topic: str | None = None
    status: AssetStatus | None = None
    kind: AssetKind | None = None
    language: str | None = None
    ids: tuple[int, ...] | None = None  # exactly these (a hand-made selection)
    playlist: str | None = None
    platform: str | None = None  # published there: it has the platform's id
    text: str | None = None
    include_archived: bool = False
    limit: int | None = None
    offset: int = 0  # matching assets skipped first, for pages (with `limit`)
    ranges: tuple[Range, ...] = ()


def find_asset_records(session: Session, query: AssetQuery) -> list[AssetRecord]:
    """The matching assets in id order, as records (`records.asset_record`'s shape).

    Listing is the hot path (tens of thousands of rows for a long series): the filter runs
    once for the ids, then rows go straight into dicts by chunks of ids, skipping the ORM's
    identity map, which costs ten times more here.
    """
    ids = find_asset_ids(session, query)
    records: list[AssetRecord] = []
    for start in range(0, len(ids), _CHUNK):
        records += _records_of(session, ids[start : start + _CHUNK])
    return records


def find_asset_ids(session: Session, query: AssetQuery) -> list[int]:
    """The ids of the matching assets, in order."""
    matching = _filtered(session, query).order_by(Asset.id)
    if query.offset:
        matching = matching.offset(query.offset)
    if query.limit is not None:
        matching = matching.limit(query.limit)
    return list(session.scalars(matching))


def asset_records_by_id(session: Session, ids: Sequence[int]) -> dict[int, AssetRecord]:
    """The records of these assets (those that exist), with their playlists' slugs."""
    records: dict[int, AssetRecord] = {}
    unique = sorted(set(ids))
    for start in range(0, len(unique), _CHUNK):
        chunk = unique[start : start + _CHUNK]
        for record in _records_of(session, chunk):
            record["playlists"] = []
            records[record["id"]] = record
        rows = session.connection().execute(
            select(PlaylistItem.asset_id, Playlist.slug)
            .join(Playlist, Playlist.id == PlaylistItem.playlist_id)
            .where(PlaylistItem.asset_id.in_(chunk))
            .order_by(PlaylistItem.asset_id, Playlist.slug)
        )
        for asset_id, slug in rows.all():
            records[asset_id]["playlists"].append(slug)
    return records


# Built once, with the ids as one expanding parameter: a fresh `in_(ids)` coerced each of its
# ids into a bound parameter, which cost more than reading the rows.
_IDS: BindParameter[int] = bindparam("ids", expanding=True)
_ASSET_ROWS = (
    select(*(getattr(Asset, name) for name in ASSET_COLUMNS), Series.slug)
    .outerjoin(Series, Series.id == Asset.series_id)
    .where(Asset.id.in_(_IDS))
    .order_by(Asset.id)
)
_TEXT_ROWS = (
    select(AssetText.asset_id, AssetText.lang, AssetText.title, AssetText.description)
    .where(AssetText.asset_id.in_(_IDS))
    .order_by(AssetText.asset_id, AssetText.lang)
)
_TOPIC_ROWS = (
    select(AssetTopic.asset_id, Topic.slug)
    .join(Topic, Topic.id == AssetTopic.topic_id)
    .where(AssetTopic.asset_id.in_(_IDS))
    .order_by(AssetTopic.asset_id, Topic.slug)
)


def _records_of(session: Session, ids: list[int]) -> list[AssetRecord]:
    # Core statements on the session's connection: plain rows, no ORM result processing.
    connection = session.connection()
    chosen = {"ids": ids}
    names = (*ASSET_COLUMNS, "series")
    records: dict[int, AssetRecord] = {}
    for row in connection.execute(_ASSET_ROWS, chosen).all():
        columns = dict(zip(names, row, strict=True))
        records[columns["id"]] = asset_record_from_columns(columns, columns["series"], {}, {}, [])
    for asset_id, lang, title, description in connection.execute(_TEXT_ROWS, chosen).all():
        records[asset_id]["titles"][lang] = title
        if description:
            records[asset_id]["descriptions"][lang] = description
    for asset_id, slug in connection.execute(_TOPIC_ROWS, chosen).all():
        records[asset_id]["topics"].append(slug)
    return list(records.values())


def _filtered(session: Session, query: AssetQuery) -> Select[int]:
    statement = select(Asset.id)
    if query.series is not None:
        statement = statement.where(Asset.series_id == lookup.series(session, query.series).id)
    if query.topic is not None:
        topic = lookup.topics(session, [query.topic])[0]
        statement = statement.where(
            exists().where(AssetTopic.asset_id == Asset.id, AssetTopic.topic_id == topic.id)
        )
    if query.ids is not None:
        statement = statement.where(Asset.id.in_(query.ids))
    if query.playlist is not None:
        listed = lookup.playlist(session, query.playlist).id
        statement = statement.where(
            exists().where(PlaylistItem.asset_id == Asset.id, PlaylistItem.playlist_id == listed)
        )
    if query.platform is not None:
        statement = statement.where(
            exists().where(
                Publication.asset_id == Asset.id,
                Publication.platform == query.platform,
                Publication.remote_id.is_not(None),
            )
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
        indexed = search_index.has_index(session)
        for word, stemmed in _checked_terms(query.text):
            through_index = search_index.indexed_matches(word, stemmed, language)
            if indexed and through_index is not None:
                statement = statement.where(Asset.id.in_(through_index))
                continue
            # An uncorrelated IN: one scan of the texts per word, not one probe per asset.
            found = AssetText.search_text.contains(word, autoescape=True)
            if stemmed is not None:  # or an inflected form: its stem is stored as a token
                token = f" {stemmed} "
                found = or_(found, AssetText.search_text.contains(token, autoescape=True))
            matches = select(AssetText.asset_id).where(found)
            if language:
                matches = matches.where(AssetText.lang == language)
            statement = statement.where(Asset.id.in_(matches))
    for bounds in query.ranges:
        column = getattr(Asset, bounds.field)
        if bounds.low is not None:
            statement = statement.where(column >= bounds.low)
        if bounds.high is not None:
            statement = statement.where(column <= bounds.high)
    return statement


def _checked_terms(text: str) -> list[tuple[str, str | None]]:
    """The words of a search and their stems, within what one query can ask (SQLite nests
    conditions for each word and gives up near 1,000) and what a text can hold; checked
    before a stemmer sees a 60,000-letter word."""
    words = search_words(text)
    if not words:
        raise ValidationError("search", f"{text!r} has no words to search for")
    if len(words) > MAX_SEARCH_WORDS:
        raise ValidationError(
            "search", f"{len(words):,} words; search for at most {MAX_SEARCH_WORDS} at once"
        )
    longest = max(len(word) for word in words)
    if longest > MAX_SEARCH_WORD_CHARS:
        raise ValidationError(
            "search",
            f"a word of {longest:,} characters; search for words of at most "
            f"{MAX_SEARCH_WORD_CHARS:,}",
        )
    return query_terms(text)


def series_counts(session: Session, series_id: int | None = None) -> dict[int, int]:
    """Number of assets (archived excluded) per series id (of one series, if given)."""
    counted = select(Asset.series_id, func.count()).where(
        Asset.status != AssetStatus.ARCHIVED, Asset.series_id.is_not(None)
    )
    if series_id is not None:
        counted = counted.where(Asset.series_id == series_id)
    rows = session.execute(counted.group_by(Asset.series_id))
    return {series_id: count for series_id, count in rows if series_id is not None}

"""Adding and editing assets: every rule is checked before anything is written.

Each function works inside the caller's session (one transaction); a refused input raises
before the flush, so the catalog is unchanged. Edits are optimistic: the asset's version is
checked by the UPDATE itself, and a stale edit becomes a `ConflictError`, never an overwrite.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Literal

from sqlalchemy import func, select, true
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from media_hub.catalog import lookup, rules
from media_hub.catalog.audit import USER_KEY
from media_hub.catalog.models import (
    Asset,
    AssetText,
    AssetTopic,
    AuditEntry,
    PlaylistItem,
    Series,
)
from media_hub.catalog.pipeline_models import Publication
from media_hub.catalog.text import search_document
from media_hub.catalog.types import utcnow
from media_hub.catalog.vocabulary import AssetKind, AssetStatus, Numbering
from media_hub.errors import ConflictError, ValidationError


class Keep(Enum):
    """Marks an edit field left as it is (None means 'clear it')."""

    KEEP = "keep"


KEEP = Keep.KEEP


@dataclass(frozen=True)
class NewAsset:
    kind: AssetKind
    titles: Mapping[str, str]
    series: str | None = None
    descriptions: Mapping[str, str] = field(default_factory=dict)
    topics: Sequence[str] = ()
    playlists: Sequence[str] = ()
    season: int | None = None
    episode: int | None = None
    default_language: str | None = None
    recorded_date: date | None = None
    source_checksum: str | None = None


@dataclass(frozen=True)
class AssetEdit:
    """Changes to one asset; texts map a language to its new text, or to None to remove it."""

    titles: Mapping[str, str | None] = field(default_factory=dict)
    descriptions: Mapping[str, str | None] = field(default_factory=dict)
    add_topics: Sequence[str] = ()
    remove_topics: Sequence[str] = ()
    add_playlists: Sequence[str] = ()
    remove_playlists: Sequence[str] = ()
    season: int | Literal[Keep.KEEP] | None = KEEP
    episode: int | Literal[Keep.KEEP] | None = KEEP
    default_language: str | Literal[Keep.KEEP] = KEEP
    recorded_date: date | Literal[Keep.KEEP] | None = KEEP
    status: AssetStatus | Literal[Keep.KEEP] = KEEP
    # Adopted texts kept as published go through the series' template from now on.
    use_template: bool = False


def add_asset(session: Session, new: NewAsset) -> Asset:
    """Create an asset from `new`, in its series' playlists; returns it with its id."""
    series = lookup.series(session, new.series) if new.series else None
    if series is not None and series.kind != new.kind:
        raise ValidationError(
            "series", f"{series.slug!r} is a series of {series.kind}s, not of {new.kind}s"
        )
    if not new.titles:
        raise ValidationError("title", "an asset needs a title; give --title LANG=TEXT")
    user = session.info.get(USER_KEY, "unknown")
    asset = Asset(
        kind=new.kind,
        series=series,
        status=AssetStatus.DRAFT,
        recorded_date=new.recorded_date,
        source_checksum=new.source_checksum,
        created_by=user,
        updated_by=user,
        default_language="",
    )
    _apply_texts(asset, dict(new.titles), dict(new.descriptions), record=None)
    asset.default_language = _default_language(asset, new.default_language, series)
    _set_numbering(session, asset, new.season, new.episode)
    for topic in lookup.topics(session, new.topics):
        asset.topic_links.append(AssetTopic(topic=topic))
    session.add(asset)
    _flush(session, asset)
    playlist_slugs = [*(series.playlist_slugs if series else []), *new.playlists]
    _join_playlists(session, asset, playlist_slugs)
    _flush(session, asset)
    return asset


def edit_asset(
    session: Session, asset_id: int, edit: AssetEdit, *, expected_version: int | None = None
) -> Asset:
    """Apply `edit`; `expected_version` is the version the editor saw (the spreadsheet's)."""
    asset = lookup.asset(session, asset_id)
    record = f"asset {asset_id}"
    if expected_version is not None and asset.version != expected_version:
        raise ConflictError(record, _changed_by(asset, expected_version))
    # One flush at the end, so the asset's version moves once and the audit entries of this
    # edit all carry it.
    with session.no_autoflush:
        _apply_texts(asset, dict(edit.titles), dict(edit.descriptions), record=record)
        if edit.default_language is not KEEP:
            asset.default_language = rules.language(
                edit.default_language, "default_language", record=record
            )
        _check_default_language(asset, record)
        if edit.season is not KEEP or edit.episode is not KEEP:
            season = asset.season if edit.season is KEEP else edit.season
            episode = asset.episode if edit.episode is KEEP else edit.episode
            _set_numbering(session, asset, season, episode)
        if edit.recorded_date is not KEEP:
            asset.recorded_date = edit.recorded_date
        if edit.status is not KEEP:
            asset.status = edit.status
        _edit_topics(session, asset, edit.add_topics, edit.remove_topics)
        _join_playlists(session, asset, edit.add_playlists)
        _leave_playlists(session, asset, edit.remove_playlists)
        templated = _use_template(session, asset) if edit.use_template else []
        if not _has_changes(session):
            return asset
        asset.updated_at = utcnow()
        asset.updated_by = session.info.get(USER_KEY, "unknown")
    _flush(session, asset)
    if templated:  # publications are not audited rows: the log gets the change by hand
        session.add(
            AuditEntry(
                user=asset.updated_by, record_type="asset", record_id=asset.id,
                version=asset.version, action="update", field="texts",
                old_value=f"as published on {', '.join(templated)}", new_value="from the template",
            )
        )  # fmt: skip
        session.flush()
    return asset


def _use_template(session: Session, asset: Asset) -> list[str]:
    """Clear the asset's texts-as-published marks; the platforms they were on."""
    marked = session.scalars(
        select(Publication)
        .where(Publication.asset_id == asset.id, Publication.texts_as_published)
        .order_by(Publication.platform)
    ).all()
    for publication in marked:
        publication.texts_as_published = False
    return [publication.platform for publication in marked]


def archive_asset(session: Session, asset_id: int, *, expected_version: int | None = None) -> Asset:
    return edit_asset(
        session, asset_id, AssetEdit(status=AssetStatus.ARCHIVED), expected_version=expected_version
    )


def asset_history(session: Session, asset_id: int) -> list[AuditEntry]:
    lookup.asset(session, asset_id)
    return list(
        session.scalars(
            select(AuditEntry)
            .where(AuditEntry.record_type == "asset", AuditEntry.record_id == asset_id)
            .order_by(AuditEntry.id)
        )
    )


def _apply_texts(
    asset: Asset,
    titles: dict[str, str | None],
    descriptions: dict[str, str | None],
    *,
    record: str | None,
) -> None:
    for lang in sorted(set(titles) | set(descriptions)):
        rules.language(
            lang, f"title.{lang}" if lang in titles else f"description.{lang}", record=record
        )
        text = asset.text(lang)
        if lang in titles and titles[lang] is None:
            if text is not None:
                asset.texts.remove(text)
            continue
        new_title = rules.title(lang, titles[lang] or "", record=record) if lang in titles else None
        new_description = (
            rules.description(lang, descriptions[lang] or "", record=record)
            if lang in descriptions
            else None
        )
        if text is None:
            if new_title is None:
                raise ValidationError(
                    f"description.{lang}",
                    f"there is no title in {lang!r}; give --title {lang}=TEXT with it",
                    record=record,
                )
            text = AssetText(lang=lang, title=new_title, description="")
            asset.texts.append(text)
        if new_title is not None and new_title != text.title:
            text.title = new_title
        if new_description is not None and new_description != text.description:
            text.description = new_description
        text.search_text = search_document(text.title, text.description)


def _default_language(asset: Asset, requested: str | None, series: Series | None) -> str:
    if requested is not None:
        rules.language(requested, "default_language")
        asset.default_language = requested
        _check_default_language(asset, None)
        return requested
    languages = [text.lang for text in asset.texts]
    if series is not None and series.default_language in languages:
        return series.default_language
    return languages[0]


def _check_default_language(asset: Asset, record: str | None) -> None:
    if asset.text(asset.default_language) is None:
        have = ", ".join(text.lang for text in asset.texts) or "none"
        raise ValidationError(
            "default_language",
            f"no title in {asset.default_language!r} (titles in: {have}); "
            "add that title or choose another default language",
            record=record,
        )


def _set_numbering(session: Session, asset: Asset, season: int | None, episode: int | None) -> None:
    record = f"asset {asset.id}" if asset.id else None
    rules.positive("season", season, record=record)
    rules.positive("episode", episode, record=record)
    numbering = asset.series.numbering if asset.series else Numbering.NONE
    slug = asset.series.slug if asset.series else None
    if numbering is Numbering.NONE and (season or episode):
        where = f"series {slug!r}" if slug else "an asset without a series"
        raise ValidationError(
            "episode", f"{where} has no episode numbers; remove --episode/--season", record=record
        )
    if numbering is Numbering.EPISODE and season is not None:
        raise ValidationError(
            "season", f"series {slug!r} has no seasons; remove --season", record=record
        )
    if numbering is Numbering.SEASON_EPISODE and (season is None) != (episode is None):
        raise ValidationError(
            "episode",
            f"series {slug!r} numbers episodes within seasons; give both --season and --episode",
            record=record,
        )
    if episode is not None and (season, episode) != (asset.season, asset.episode):
        taken = session.scalars(
            select(Asset).where(
                Asset.series_id == (asset.series.id if asset.series else None),
                func.coalesce(Asset.season, 0) == (season or 0),
                Asset.episode == episode,
                Asset.id != asset.id if asset.id else true(),
            )
        ).first()
        if taken is not None:
            raise ValidationError(
                "episode",
                f"{_episode_label(season, episode)} of series {slug!r} is already asset "
                f"{taken.id}; choose another number",
                record=record,
            )
    asset.season, asset.episode = season, episode


def _episode_label(season: int | None, episode: int) -> str:
    return f"season {season} episode {episode}" if season else f"episode {episode}"


def _edit_topics(session: Session, asset: Asset, add: Sequence[str], remove: Sequence[str]) -> None:
    current = {link.topic.slug: link for link in asset.topic_links}
    for topic in lookup.topics(session, add):
        if topic.slug not in current:
            asset.topic_links.append(AssetTopic(topic=topic))
    for topic in lookup.topics(session, remove):
        if topic.slug in current:
            asset.topic_links.remove(current[topic.slug])


def _join_playlists(session: Session, asset: Asset, slugs: Sequence[str]) -> None:
    for slug in dict.fromkeys(slugs):
        playlist = lookup.playlist(session, slug)
        if playlist.kind != asset.kind:
            raise ValidationError(
                "playlist", f"{slug!r} is a playlist of {playlist.kind}s, not of {asset.kind}s"
            )
        if session.get(PlaylistItem, (playlist.id, asset.id)) is None:
            last = session.scalar(
                select(func.max(PlaylistItem.position)).where(
                    PlaylistItem.playlist_id == playlist.id
                )
            )
            session.add(
                PlaylistItem(playlist_id=playlist.id, asset_id=asset.id, position=(last or 0) + 1)
            )


def _leave_playlists(session: Session, asset: Asset, slugs: Sequence[str]) -> None:
    for slug in dict.fromkeys(slugs):
        playlist = lookup.playlist(session, slug)
        item = session.get(PlaylistItem, (playlist.id, asset.id))
        if item is not None:
            session.delete(item)


def _has_changes(session: Session) -> bool:
    return bool(
        session.new
        or session.deleted
        or any(session.is_modified(row, include_collections=False) for row in session.dirty)
    )


def _flush(session: Session, asset: Asset) -> None:
    """Write pending changes, turning the database's refusals into messages."""
    # Read before flushing: a failed flush expires the asset, and reloading it would raise.
    asset_id = asset.id
    record = f"asset {asset_id}" if asset_id else "new asset"
    try:
        session.flush()
    except StaleDataError as exc:
        raise ConflictError(record, _changed_by_fresh(session, asset_id)) from exc
    except IntegrityError as exc:
        detail = str(exc.orig).lower()
        if "episode" in detail:
            raise ValidationError(
                "episode",
                "that number was just taken by another asset; choose another",
                record=record,
            ) from exc
        if "source_checksum" in detail:
            raise ValidationError(
                "source_checksum", "these bytes are already another asset", record=record
            ) from exc
        raise


def _changed_by(asset: Asset, expected_version: int) -> str:
    return (
        f"by {asset.updated_by} at {asset.updated_at:%Y-%m-%d %H:%M} UTC since you read "
        f"version {expected_version} (now version {asset.version})"
    )


def _changed_by_fresh(session: Session, asset_id: int) -> str:
    """Who changed the asset, read on a connection of its own (this transaction is spoilt)."""
    bind = session.get_bind()
    with bind.engine.connect() as connection:
        row = connection.execute(
            select(Asset.updated_by, Asset.updated_at, Asset.version).where(Asset.id == asset_id)
        ).first()
    if row is None:
        return "(it was deleted)"
    return (
        f"by {row.updated_by} at {row.updated_at:%Y-%m-%d %H:%M} UTC since you read it "
        f"(now version {row.version})"
    )

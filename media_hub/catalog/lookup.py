"""Finding catalog records by the names people type, with errors that say what exists."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from media_hub.catalog.models import Asset, AssetTopic, Playlist, Series, Topic
from media_hub.errors import NotFoundError, ValidationError

_ASSET_PARTS = (
    selectinload(Asset.texts),
    selectinload(Asset.topic_links).joinedload(AssetTopic.topic),
)


def asset(session: Session, asset_id: int) -> Asset:
    # `get` answers from the session's identity map when the asset is loaded already (a bulk
    # edit loads hundreds at once); a query would not refresh a loaded asset either.
    found = session.get(Asset, asset_id, options=_ASSET_PARTS)
    if found is None:
        raise NotFoundError(f"asset {asset_id}", "list assets with 'media-hub catalog list'")
    return found


def series(session: Session, slug: str, field: str = "series") -> Series:
    found = session.scalars(select(Series).where(Series.slug == slug)).first()
    if found is None:
        raise ValidationError(
            field,
            f"unknown series {slug!r}; see 'media-hub series list' "
            "or add it to catalog/series.toml",
        )
    return found


def playlist(session: Session, slug: str, field: str = "playlist") -> Playlist:
    found = session.scalars(select(Playlist).where(Playlist.slug == slug)).first()
    if found is None:
        raise ValidationError(
            field,
            f"unknown playlist {slug!r}; see 'media-hub playlists list' "
            "or add it to catalog/playlists.toml",
        )
    return found


def topics(session: Session, slugs: Iterable[str], field: str = "topic") -> list[Topic]:
    wanted = list(dict.fromkeys(slugs))
    if not wanted:  # every edit asks, mostly for none: spare the query
        return []
    found = {t.slug: t for t in session.scalars(select(Topic).where(Topic.slug.in_(wanted)))}
    for slug in wanted:
        if slug not in found:
            raise ValidationError(
                field,
                f"unknown topic {slug!r}; see 'media-hub topics list' "
                "or add it to catalog/topics.toml",
            )
    return [found[slug] for slug in wanted]

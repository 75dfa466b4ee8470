"""The catalog's records: assets and their texts, series, playlists, topics, and the audit log.

Records people edit carry a `version` that SQLAlchemy checks on every UPDATE
(`version_id_col`), so a stale edit fails instead of overwriting someone else's work.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, attribute_keyed_dict, mapped_column, object_session, relationship

from media_hub.catalog.base import Audited, Base
from media_hub.catalog.types import portable_enum, utcnow
from media_hub.catalog.vocabulary import (
    AssetKind,
    AssetStatus,
    Numbering,
    PlaylistOrder,
    Privacy,
)

T = TypeVar("T")


def _session_get(row: Base, model: type[T], key: int) -> T | None:
    """A related record from the row's session (its identity map, without SQL when loaded)."""
    session = object_session(row)
    return session.get(model, key) if session is not None else None


class Topic(Audited, Base):
    __tablename__ = "topics"
    audit_attrs = ("slug", "names")

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    names: Mapped[dict[str, str]]
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    def audit_record(self) -> tuple[str, int]:
        return ("topic", self.id)

    def audit_version(self) -> int | None:
        return self.version


class Playlist(Audited, Base):
    __tablename__ = "playlists"
    audit_attrs = ("slug", "kind", "names", "descriptions", "privacy", "order")

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[AssetKind] = mapped_column(portable_enum(AssetKind, "playlist_kind"))
    names: Mapped[dict[str, str]]
    descriptions: Mapped[dict[str, str]] = mapped_column(default=dict)
    privacy: Mapped[Privacy] = mapped_column(portable_enum(Privacy, "playlist_privacy"))
    order: Mapped[PlaylistOrder] = mapped_column(portable_enum(PlaylistOrder, "playlist_order"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    items: Mapped[list[PlaylistItem]] = relationship(
        back_populates="playlist", cascade="all, delete-orphan", order_by="PlaylistItem.position"
    )
    # The playlist's id on each platform it exists on, by platform name.
    remote_id_rows: Mapped[dict[str, PlaylistRemoteId]] = relationship(
        back_populates="playlist",
        cascade="all, delete-orphan",
        collection_class=attribute_keyed_dict("platform"),
        lazy="selectin",
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    def audit_record(self) -> tuple[str, int]:
        return ("playlist", self.id)

    def audit_version(self) -> int | None:
        return self.version

    def remote_id(self, platform: str) -> str | None:
        """The playlist's id on `platform`, or None when it has none there yet."""
        row = self.remote_id_rows.get(platform)
        return row.remote_id if row is not None else None

    def set_remote_id(self, platform: str, remote_id: str | None) -> None:
        """Record (or, with None, forget) the playlist's id on `platform`."""
        key = str(platform)
        row = self.remote_id_rows.get(key)
        if remote_id is None:
            if row is not None:
                del self.remote_id_rows[key]
        elif row is None:
            self.remote_id_rows[key] = PlaylistRemoteId(platform=key, remote_id=remote_id)
        else:
            row.remote_id = remote_id

    @property
    def remote_ids(self) -> dict[str, str]:
        """{platform name: the playlist's id there}."""
        return {platform: row.remote_id for platform, row in sorted(self.remote_id_rows.items())}


class PlaylistRemoteId(Audited, Base):
    """A playlist's id on one platform; one per platform, and one
    playlist per id on a platform. Platform names are plain text, checked by the code."""

    __tablename__ = "playlist_remote_ids"
    audit_attrs = ("remote_id",)

    playlist_id: Mapped[int] = mapped_column(
        ForeignKey("playlists.id", ondelete="CASCADE"), primary_key=True
    )
    platform: Mapped[str] = mapped_column(String(32), primary_key=True)
    remote_id: Mapped[str] = mapped_column(String(128))

    playlist: Mapped[Playlist] = relationship(back_populates="remote_id_rows")

    __table_args__ = (UniqueConstraint("platform", "remote_id"),)

    def audit_record(self) -> tuple[str, int]:
        return ("playlist", self.playlist_id)

    def audit_field(self, attr: str) -> str:
        return f"remote_id.{self.platform}"

    def audit_version(self) -> int | None:
        playlist = _session_get(self, Playlist, self.playlist_id)
        return playlist.version if playlist else None


class Series(Audited, Base):
    __tablename__ = "series"
    audit_attrs = (
        "slug",
        "kind",
        "names",
        "descriptions",
        "default_language",
        "numbering",
        "playlist_slugs",
        "topic_slugs",
        "template",
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[AssetKind] = mapped_column(portable_enum(AssetKind, "series_kind"))
    names: Mapped[dict[str, str]]
    descriptions: Mapped[dict[str, str]] = mapped_column(default=dict)
    default_language: Mapped[str] = mapped_column(String(8))
    numbering: Mapped[Numbering] = mapped_column(portable_enum(Numbering, "series_numbering"))
    # The playlists every asset of the series belongs to, and the topics it suggests, by slug;
    # the conventions loader checks that they exist.
    playlist_slugs: Mapped[list[str]] = mapped_column(default=list)
    topic_slugs: Mapped[list[str]] = mapped_column(default=list)
    template: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    def audit_record(self) -> tuple[str, int]:
        return ("series", self.id)

    def audit_version(self) -> int | None:
        return self.version


class Asset(Audited, Base):
    __tablename__ = "assets"
    audit_attrs = (
        "kind",
        "series_id",
        "season",
        "episode",
        "default_language",
        "recorded_date",
        "source_checksum",
        "source_name",
        "status",
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[AssetKind] = mapped_column(portable_enum(AssetKind, "asset_kind"))
    series_id: Mapped[int | None] = mapped_column(ForeignKey("series.id"), index=True)
    season: Mapped[int | None]
    episode: Mapped[int | None]
    default_language: Mapped[str] = mapped_column(String(8))
    recorded_date: Mapped[date | None]
    source_checksum: Mapped[str | None] = mapped_column(String(64), unique=True)
    # The master as ingested: its store key, original file name, size and what probing found.
    source_key: Mapped[str | None] = mapped_column(String(255))
    source_name: Mapped[str | None] = mapped_column(String(255))
    source_size: Mapped[int | None] = mapped_column(BigInteger)
    media_info: Mapped[dict[str, Any] | None]
    status: Mapped[AssetStatus] = mapped_column(
        portable_enum(AssetStatus, "asset_status"), default=AssetStatus.DRAFT, index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer, default=1)

    series: Mapped[Series | None] = relationship(lazy="joined")
    texts: Mapped[list[AssetText]] = relationship(
        back_populates="asset", cascade="all, delete-orphan", order_by="AssetText.lang"
    )
    topic_links: Mapped[list[AssetTopic]] = relationship(
        back_populates="asset", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        CheckConstraint("season IS NULL OR season >= 1", name="season_positive"),
        CheckConstraint("episode IS NULL OR episode >= 1", name="episode_positive"),
    )

    def audit_record(self) -> tuple[str, int]:
        return ("asset", self.id)

    def audit_field(self, attr: str) -> str:
        return "series" if attr == "series_id" else attr

    def audit_value(self, attr: str, value: object) -> str | None:
        if attr == "series_id" and isinstance(value, int):
            series = _session_get(self, Series, value)
            return series.slug if series else str(value)
        return super().audit_value(attr, value)

    def audit_version(self) -> int | None:
        return self.version

    def text(self, lang: str) -> AssetText | None:
        return next((text for text in self.texts if text.lang == lang), None)

    @property
    def topics(self) -> list[str]:
        return sorted(link.topic.slug for link in self.topic_links)


# One episode number per series and season; a series without seasons counts as season 0.
Index(
    "uq_assets_series_season_episode",
    Asset.series_id,
    func.coalesce(Asset.season, 0),
    Asset.episode,
    unique=True,
)


class AssetText(Audited, Base):
    """Title and description of an asset in one language."""

    __tablename__ = "asset_texts"
    audit_attrs = ("title", "description")

    asset_id: Mapped[int] = mapped_column(
        ForeignKey("assets.id", ondelete="CASCADE"), primary_key=True
    )
    lang: Mapped[str] = mapped_column(String(8), primary_key=True)
    title: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")
    # Title and description folded for search (no case, accents or Arabic short vowels).
    search_text: Mapped[str] = mapped_column(Text, default="")

    asset: Mapped[Asset] = relationship(back_populates="texts")

    def audit_record(self) -> tuple[str, int]:
        return ("asset", self.asset_id)

    def audit_field(self, attr: str) -> str:
        return f"{attr}.{self.lang}"

    def audit_version(self) -> int | None:
        asset = _session_get(self, Asset, self.asset_id)
        return asset.version if asset else None


class AssetTopic(Audited, Base):
    __tablename__ = "asset_topics"
    audit_attrs = ("topic_id",)

    asset_id: Mapped[int] = mapped_column(
        ForeignKey("assets.id", ondelete="CASCADE"), primary_key=True
    )
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id"), primary_key=True, index=True)

    asset: Mapped[Asset] = relationship(back_populates="topic_links")
    topic: Mapped[Topic] = relationship(lazy="joined")

    def audit_record(self) -> tuple[str, int]:
        return ("asset", self.asset_id)

    def audit_field(self, attr: str) -> str:
        return "topics"

    def audit_value(self, attr: str, value: object) -> str | None:
        return None if value is None else self.topic.slug

    def audit_version(self) -> int | None:
        asset = _session_get(self, Asset, self.asset_id)
        return asset.version if asset else None


class PlaylistItem(Audited, Base):
    """An asset's place in one of media-hub's playlists (and its item id on the platform)."""

    __tablename__ = "playlist_items"
    audit_attrs = ("playlist_id", "position")

    playlist_id: Mapped[int] = mapped_column(
        ForeignKey("playlists.id", ondelete="CASCADE"), primary_key=True
    )
    asset_id: Mapped[int] = mapped_column(
        ForeignKey("assets.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    remote_item_id: Mapped[str | None] = mapped_column(String(128))
    # Set before playlistItems.insert is sent, cleared when its item id is recorded: only an
    # insert that may have landed unrecorded is looked for on the platform.
    insert_sent_at: Mapped[datetime | None]

    playlist: Mapped[Playlist] = relationship(back_populates="items")

    def audit_record(self) -> tuple[str, int]:
        return ("asset", self.asset_id)

    def audit_field(self, attr: str) -> str:
        slug = self._playlist_slug()
        return "playlists" if attr == "playlist_id" else f"position.{slug}"

    def audit_value(self, attr: str, value: object) -> str | None:
        if attr == "playlist_id" and value is not None:
            return self._playlist_slug()
        return super().audit_value(attr, value)

    def audit_version(self) -> int | None:
        asset = _session_get(self, Asset, self.asset_id)
        return asset.version if asset else None

    def _playlist_slug(self) -> str:
        playlist = _session_get(self, Playlist, self.playlist_id)
        return playlist.slug if playlist else str(self.playlist_id)


class AuditEntry(Base):
    """One changed field of one record: who, when, old and new value."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user: Mapped[str] = mapped_column(String(100))
    record_type: Mapped[str] = mapped_column(String(20))
    record_id: Mapped[int]
    version: Mapped[int | None]
    action: Mapped[str] = mapped_column(String(10))  # create, update, delete
    field: Mapped[str] = mapped_column(String(100))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_audit_log_record", "record_type", "record_id", "id"),)


__all__ = [
    "Asset",
    "AssetText",
    "AssetTopic",
    "AuditEntry",
    "Playlist",
    "PlaylistItem",
    "PlaylistRemoteId",
    "Series",
    "Topic",
]

"""Records the pipeline writes: renditions, thumbnails, captions, publications, jobs, quota, stats.

They are created here with the catalog so that later steps extend rows, not the schema's shape;
each step records its result as it completes, which is what makes a rerun after a crash resume.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from media_hub.catalog.base import Base
from media_hub.catalog.types import portable_enum, utcnow
from media_hub.catalog.vocabulary import JobState, PublicationState


class Rendition(Base):
    """A rendition of an asset's source, cached by (source checksum, profile checksum): the
    latter covers the profile, the branding and the path taken (`pipeline.renditions`)."""

    __tablename__ = "renditions"

    id: Mapped[int] = mapped_column(primary_key=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("assets.id", ondelete="CASCADE"), index=True)
    profile: Mapped[str] = mapped_column(String(64))
    profile_checksum: Mapped[str] = mapped_column(String(64))
    source_checksum: Mapped[str] = mapped_column(String(64))
    store_key: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(BigInteger)
    duration: Mapped[float | None]
    width: Mapped[int | None]
    height: Mapped[int | None]
    # How it was made: "remux", "audio" (video copied) or "transcode", and why (None for
    # renditions made before sources could pass through: all transcodes).
    decision: Mapped[str] = mapped_column(
        String(16), default="transcode", server_default="transcode"
    )
    reasons: Mapped[list[str] | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("source_checksum", "profile_checksum"),)


class Thumbnail(Base):
    """A candidate frame, a branded image, or a librarian's own picture for an asset."""

    __tablename__ = "thumbnails"

    id: Mapped[int] = mapped_column(primary_key=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("assets.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))  # candidate, branded, custom
    position: Mapped[int | None]  # candidate number, as shown to librarians
    time_offset: Mapped[float | None]
    score: Mapped[float | None]
    chosen: Mapped[bool] = mapped_column(default=False)
    store_key: Mapped[str] = mapped_column(String(255))
    width: Mapped[int]
    height: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Caption(Base):
    __tablename__ = "captions"

    id: Mapped[int] = mapped_column(primary_key=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("assets.id", ondelete="CASCADE"))
    lang: Mapped[str] = mapped_column(String(8))
    format: Mapped[str] = mapped_column(String(8))  # srt, vtt
    store_key: Mapped[str] = mapped_column(String(255))
    remote_id: Mapped[str | None] = mapped_column(String(128))
    # Committed before captions.insert: a rerun that finds it set but no remote_id looks on
    # YouTube first, since the lost answer may have followed the insert.
    sending_since: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("asset_id", "lang"),)


class Publication(Base):
    """Where an asset lives on a platform, and how far its upload got.

    The resumable session URI and the confirmed byte offset are committed before bytes are
    sent, so a process that dies mid-upload is resumed, never restarted or duplicated.
    """

    __tablename__ = "publications"

    id: Mapped[int] = mapped_column(primary_key=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("assets.id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(String(32))  # a registered platform's name
    state: Mapped[PublicationState] = mapped_column(
        portable_enum(PublicationState, "publication_state", checked=False),
        default=PublicationState.PENDING,
    )
    remote_id: Mapped[str | None] = mapped_column(String(128))
    url: Mapped[str | None] = mapped_column(String(255))
    session_uri: Mapped[str | None] = mapped_column(Text)
    confirmed_bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    total_bytes: Mapped[int | None] = mapped_column(BigInteger)
    metadata_checksum: Mapped[str | None] = mapped_column(String(64))
    thumbnail_key: Mapped[str | None] = mapped_column(String(255))  # the one set on the platform
    # Adopted texts that did not match the series' template: sent as they are, not rendered.
    texts_as_published: Mapped[bool] = mapped_column(default=False, server_default=false())
    published_at: Mapped[datetime | None]
    # What was asked and what happened (the calendar): the privacy the platform holds, the
    # time it goes public (UTC; shown in the hub's zone) and when it was seen or made public.
    # NULL privacy: published before these were recorded.
    privacy: Mapped[str | None] = mapped_column(String(20))
    scheduled_at: Mapped[datetime | None]
    live_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (
        UniqueConstraint("asset_id", "platform"),
        UniqueConstraint("platform", "remote_id"),
    )


class Job(Base):
    """One pipeline step to run, claimed by a worker under a lease."""

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    asset_id: Mapped[int | None] = mapped_column(ForeignKey("assets.id", ondelete="CASCADE"))
    state: Mapped[JobState] = mapped_column(
        portable_enum(JobState, "job_state"), default=JobState.QUEUED
    )
    attempts: Mapped[int] = mapped_column(default=0)
    max_attempts: Mapped[int] = mapped_column(default=5)
    run_after: Mapped[datetime] = mapped_column(default=utcnow)
    lease_owner: Mapped[str | None] = mapped_column(String(128))
    lease_expires_at: Mapped[datetime | None]
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    result: Mapped[dict[str, Any] | None]
    error: Mapped[str | None] = mapped_column(Text)
    # How far the running try is, 0 to 1, from its progress steps; None until one reports.
    progress: Mapped[float | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (Index("ix_jobs_claim", "state", "run_after"),)


class QuotaEntry(Base):
    """Units spent on a platform's API, per bucket and per (Pacific) quota day."""

    __tablename__ = "quota_ledger"

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(32))  # a registered platform's name
    bucket: Mapped[str] = mapped_column(String(32))
    day: Mapped[date]
    method: Mapped[str] = mapped_column(String(64))
    units: Mapped[int]
    at: Mapped[datetime] = mapped_column(default=utcnow)
    # Written before the call is sent, confirmed when it answers: a crash between the two
    # leaves the cost counted, as YouTube counts it.
    confirmed: Mapped[bool] = mapped_column(default=True, server_default=true())

    __table_args__ = (Index("ix_quota_ledger_day", "platform", "bucket", "day"),)


class StatsSnapshot(Base):
    """One statistics pull, written whole or not at all."""

    __tablename__ = "stats_snapshots"

    id: Mapped[int] = mapped_column(primary_key=True)
    taken_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    units_spent: Mapped[int] = mapped_column(default=0)


class StatsRow(Base):
    """A count in a snapshot: per asset (lifetime) or per playlist and day (analytics)."""

    __tablename__ = "stats_rows"

    id: Mapped[int] = mapped_column(primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(
        ForeignKey("stats_snapshots.id", ondelete="CASCADE"), index=True
    )
    platform: Mapped[str] = mapped_column(String(32))  # a registered platform's name
    asset_id: Mapped[int | None] = mapped_column(ForeignKey("assets.id", ondelete="SET NULL"))
    playlist_id: Mapped[int | None] = mapped_column(ForeignKey("playlists.id", ondelete="SET NULL"))
    day: Mapped[date | None]
    views: Mapped[int] = mapped_column(BigInteger, default=0)
    likes: Mapped[int] = mapped_column(BigInteger, default=0)
    comments: Mapped[int] = mapped_column(BigInteger, default=0)
    downloads: Mapped[int] = mapped_column(BigInteger, default=0)
    favorites: Mapped[int] = mapped_column(BigInteger, default=0)
    watch_minutes: Mapped[float] = mapped_column(default=0.0)
    average_view_seconds: Mapped[float] = mapped_column(default=0.0)
    playlist_starts: Mapped[int] = mapped_column(BigInteger, default=0)
    # Analytics `playlistViews`: views inside the playlist (`views` of a day row counts the
    # playlist's videos viewed anywhere).
    playlist_views: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    # Facebook's video insights: people who watched (summed over videos), reactions of every
    # type, shares; its time watched is in watch_minutes.
    unique_viewers: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    reactions: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    shares: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")


class PlatformFact(Base):
    """A list a platform publishes and the hub reads at most once a day (YouTube's language
    keys), kept so that lint and plans use it without a call and workers share one read."""

    __tablename__ = "platform_facts"

    platform: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[list[str]]
    fetched_at: Mapped[datetime] = mapped_column(default=utcnow)

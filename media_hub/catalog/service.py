"""The catalog as the CLI (and any other front end) uses it: one call, one transaction.

Each method opens its own session, does one job through the modules beside it, and returns
plain records (see `records`), so callers never hold a database session.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from media_hub.catalog import assets, lookup, records
from media_hub.catalog.db import Catalog
from media_hub.catalog.models import AuditEntry, Playlist, PlaylistItem, Series, Topic
from media_hub.catalog.pipeline_models import Publication
from media_hub.catalog.publications import publication_record
from media_hub.catalog.query import AssetQuery, find_asset_records, series_counts
from media_hub.catalog.records import AssetRecord
from media_hub.catalog.types import utcnow
from media_hub.errors import NotFoundError

if TYPE_CHECKING:  # the conventions' reader (Jinja, pydantic models) is needed by few commands
    from media_hub.catalog.conventions import Change

Record = dict[str, Any]


class CatalogService:
    """The catalog's operations for people. Each change is recorded as the `user` given to
    the call (a web app serves many people), else as the catalog's configured user."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    # Assets

    def add(self, new: assets.NewAsset, *, user: str | None = None) -> AssetRecord:
        with self.catalog.session(user=user) as session:
            return self._full_record(session, assets.add_asset(session, new).id)

    def edit(
        self,
        asset_id: int,
        edit: assets.AssetEdit,
        *,
        expected_version: int | None = None,
        user: str | None = None,
    ) -> tuple[AssetRecord, list[Record]]:
        """The asset after the edit, and the audit entries the edit wrote."""
        with self.catalog.session(user=user) as session:
            before = lookup.asset(session, asset_id).version
            asset = assets.edit_asset(session, asset_id, edit, expected_version=expected_version)
            changes = (
                [] if asset.version == before else self._entries(session, asset_id, asset.version)
            )
            return self._full_record(session, asset_id), changes

    def archive(
        self, asset_id: int, *, expected_version: int | None = None, user: str | None = None
    ) -> AssetRecord:
        with self.catalog.session(user=user) as session:
            assets.archive_asset(session, asset_id, expected_version=expected_version)
            return self._full_record(session, asset_id)

    def show(self, asset_id: int) -> AssetRecord:
        with self.catalog.session() as session:
            return self._full_record(session, asset_id)

    def find(self, query: AssetQuery) -> list[AssetRecord]:
        with self.catalog.session() as session:
            return find_asset_records(session, query)

    def history(self, asset_id: int) -> list[Record]:
        with self.catalog.session() as session:
            return [records.audit_record(e) for e in assets.asset_history(session, asset_id)]

    # Conventions

    def load_conventions(
        self, folder: Path, *, dry_run: bool = False, user: str | None = None
    ) -> list[Change]:
        from media_hub.catalog.conventions import apply_definitions
        from media_hub.catalog.definitions import read_definitions

        definitions = read_definitions(folder)
        with self.catalog.session(dry_run=dry_run, user=user) as session:
            return apply_definitions(session, definitions)

    def series(self) -> list[Record]:
        with self.catalog.session() as session:
            counts = series_counts(session)
            rows = session.scalars(select(Series).order_by(Series.slug))
            return [records.series_record(s, counts.get(s.id, 0)) for s in rows]

    def series_detail(self, slug: str) -> Record:
        with self.catalog.session() as session:
            found = session.scalars(select(Series).where(Series.slug == slug)).first()
            if found is None:
                raise NotFoundError(f"series {slug!r}", "see 'media-hub series list'")
            return records.series_record(found, series_counts(session, found.id).get(found.id, 0))

    def playlists(self) -> list[Record]:
        with self.catalog.session() as session:
            rows = session.scalars(select(Playlist).order_by(Playlist.slug))
            return [records.playlist_record(p) for p in rows]

    def playlist_detail(self, slug: str) -> Record:
        with self.catalog.session() as session:
            found = session.scalars(select(Playlist).where(Playlist.slug == slug)).first()
            if found is None:
                raise NotFoundError(f"playlist {slug!r}", "see 'media-hub playlists list'")
            asset_ids = list(
                session.scalars(
                    select(PlaylistItem.asset_id)
                    .where(PlaylistItem.playlist_id == found.id)
                    .order_by(PlaylistItem.position)
                )
            )
            return records.playlist_record(found, asset_ids)

    def topics(self) -> list[Record]:
        with self.catalog.session() as session:
            return [
                records.topic_record(t) for t in session.scalars(select(Topic).order_by(Topic.slug))
            ]

    # Helpers

    def _full_record(self, session: Session, asset_id: int) -> AssetRecord:
        asset = lookup.asset(session, asset_id)
        record = records.asset_record(asset)
        record["playlists"] = list(
            session.scalars(
                select(Playlist.slug)
                .join(PlaylistItem, PlaylistItem.playlist_id == Playlist.id)
                .where(PlaylistItem.asset_id == asset_id)
                .order_by(Playlist.slug)
            )
        )
        record["texts_as_published"] = list(
            session.scalars(
                select(Publication.platform)
                .where(Publication.asset_id == asset_id, Publication.texts_as_published)
                .order_by(Publication.platform)
            )
        )
        rows = session.scalars(
            select(Publication)
            .where(Publication.asset_id == asset_id)
            .order_by(Publication.platform)
        )
        now = utcnow()
        record["publications"] = [dict(publication_record(row, now)) for row in rows]
        return record

    def _entries(self, session: Session, asset_id: int, version: int) -> list[Record]:
        rows = session.scalars(
            select(AuditEntry)
            .where(
                AuditEntry.record_type == "asset",
                AuditEntry.record_id == asset_id,
                AuditEntry.version == version,
            )
            .order_by(AuditEntry.id)
        )
        return [records.audit_record(e) for e in rows]

"""A playlist's id on each platform: one row per platform, audited, shown, any platform name."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from media_hub.catalog.models import AuditEntry, Playlist, PlaylistRemoteId
from media_hub.hub import Hub


def _playlist(session: Session, slug: str) -> Playlist:
    return session.scalars(select(Playlist).where(Playlist.slug == slug)).one()


def test_remote_ids_are_set_read_changed_and_forgotten_with_an_audit_trail(hub: Hub) -> None:
    catalog = hub.db
    with catalog.session() as session:
        playlist = _playlist(session, "advisory-cv")
        assert playlist.remote_id("youtube") is None
        playlist.set_remote_id("youtube", "PL-one")
        playlist.set_remote_id("peertube", "pt-7")  # a platform the enum never listed
        playlist_id, version = playlist.id, playlist.version

    assert hub.catalog.playlist_detail("advisory-cv")["remote_ids"] == {
        "peertube": "pt-7",
        "youtube": "PL-one",
    }
    with catalog.session() as session:
        playlist = _playlist(session, "advisory-cv")
        assert playlist.remote_id("youtube") == "PL-one"
        playlist.set_remote_id("youtube", "PL-two")
        playlist.set_remote_id("peertube", None)
    with catalog.session() as session:
        assert _playlist(session, "advisory-cv").remote_ids == {"youtube": "PL-two"}
        entries = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.record_type == "playlist", AuditEntry.record_id == playlist_id)
            .where(AuditEntry.field.like("remote_id.%"))
            .order_by(AuditEntry.id)
        ).all()
    assert sorted((e.action, e.field, e.old_value, e.new_value) for e in entries) == [
        ("create", "remote_id.peertube", None, "pt-7"),
        ("create", "remote_id.youtube", None, "PL-one"),
        ("delete", "remote_id.peertube", "pt-7", None),
        ("update", "remote_id.youtube", "PL-one", "PL-two"),
    ]
    assert {(e.user, e.version) for e in entries} == {("librarian", version)}


def test_an_id_belongs_to_one_playlist_per_platform(hub: Hub) -> None:
    catalog = hub.db
    with catalog.session() as session:
        _playlist(session, "advisory-cv").set_remote_id("youtube", "PL-same")
        _playlist(session, "advisory-clips").set_remote_id("peertube", "PL-same")  # other platform
    with pytest.raises(IntegrityError), catalog.session() as session:
        _playlist(session, "advisory-clips").set_remote_id("youtube", "PL-same")


def test_deleting_a_playlist_deletes_its_remote_ids(hub: Hub) -> None:
    catalog = hub.db
    with catalog.session() as session:
        playlist = _playlist(session, "advisory-cv")
        playlist.set_remote_id("youtube", "PL-gone")
        playlist_id = playlist.id
    with catalog.session() as session:
        session.execute(delete(Playlist).where(Playlist.id == playlist_id))
    with catalog.session() as session:
        assert session.scalars(select(PlaylistRemoteId)).all() == []

"""Publications as people read them: where an asset is on each platform, with what privacy,
when it goes (or went) public, and the one word that says how it stands.

The stored `state` is how far the upload got (what a rerun resumes from); the `status`
here is what the calendar and `catalog show` report: planned, missed, uploading,
scheduled, due, live, private, failed.
"""

from __future__ import annotations

from datetime import datetime
from typing import TypedDict

from media_hub.catalog.pipeline_models import Publication
from media_hub.catalog.vocabulary import PublicationState

IN_FLIGHT = frozenset({PublicationState.SENDING, PublicationState.UPLOADING})


class PublicationRecord(TypedDict):
    platform: str
    status: str
    privacy: str | None
    scheduled_at: str | None  # UTC, ISO 8601
    live_at: str | None
    url: str | None
    remote_id: str | None
    state: str  # how far the upload got


def status_of(publication: Publication, now: datetime) -> str:
    """One word: planned (a slot, nothing sent), missed (its time passed before it was
    uploaded), uploading, scheduled (on the platform,
    private until its time), due (its time passed; `calendar run` confirms or makes it
    public), live, private, unlisted, failed, or published (recorded before privacy was)."""
    if publication.state == PublicationState.FAILED:
        return "failed"
    if publication.state in IN_FLIGHT:
        return "uploading"
    if publication.remote_id is None:
        if publication.scheduled_at is None:
            return "pending"
        return "planned" if publication.scheduled_at > now else "missed"
    if publication.live_at is not None:
        return "live"
    if publication.privacy is None:
        return "published"
    if publication.scheduled_at is not None:
        return "scheduled" if publication.scheduled_at > now else "due"
    return "live" if publication.privacy == "public" else publication.privacy


def publication_record(publication: Publication, now: datetime) -> PublicationRecord:
    return {
        "platform": publication.platform,
        "status": status_of(publication, now),
        "privacy": publication.privacy,
        "scheduled_at": _iso(publication.scheduled_at),
        "live_at": _iso(publication.live_at),
        "url": publication.url,
        "remote_id": publication.remote_id,
        "state": publication.state.value,
    }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None

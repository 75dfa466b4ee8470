"""The calendar's slot on a platform without a schedule of its own (SlideShare): the
publication, uploaded private ahead, made public when its time comes.

Run by a worker as the `calendar-public` job (queued with `run_after` = the slot), or by
`media-hub calendar run` on a hub without workers; either way once: a publication already
recorded live is left alone, and making a deck public twice changes nothing.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from media_hub.catalog.pipeline_models import Publication
from media_hub.hub import Hub

KIND = "calendar-public"


def go_public(hub: Hub, asset_id: int, platform: str, now: datetime) -> bool:
    """Make the asset's publication on `platform` public if its slot has come; whether it
    was made public now."""
    from media_hub.platforms import registry

    with hub.db.session() as session:
        row = session.scalars(
            select(Publication).where(
                Publication.asset_id == asset_id, Publication.platform == platform
            )
        ).first()
        if row is None or row.remote_id is None or row.live_at is not None:
            return False
        if row.scheduled_at is None or row.scheduled_at > now:
            return False
        remote_id = row.remote_id
    registry.get(platform).make_public(hub, remote_id)
    with hub.db.session() as session:
        stored = session.scalars(
            select(Publication).where(
                Publication.asset_id == asset_id, Publication.platform == platform
            )
        ).one()
        stored.privacy = "public"
        stored.live_at = now
    return True

"""`publish`: keep each platform in line with the catalog, and report them in one shape."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from media_hub.catalog.pipeline_models import Publication
from media_hub.catalog.vocabulary import AssetKind
from media_hub.hub import Hub
from media_hub.platforms import registry
from media_hub.platforms.base import Platform, Synced, SyncedCall


@dataclass(frozen=True)
class SyncReport:
    """Every platform's plan or changes; `stopped` says which stopped early and why."""

    applied: bool
    synced: list[Synced]

    @property
    def calls(self) -> list[SyncedCall]:
        return [call for one in self.synced for call in one.calls]

    @property
    def reads(self) -> int:
        return sum(one.reads for one in self.synced)

    @property
    def units(self) -> int:
        return sum(one.units for one in self.synced)

    @property
    def left(self) -> int:
        return sum(one.left for one in self.synced)

    @property
    def missing(self) -> list[str]:
        return [line for one in self.synced for line in one.missing]

    @property
    def stopped(self) -> list[str]:
        return [one.stopped for one in self.synced if one.stopped]


def platforms_in_use(hub: Hub) -> list[Platform]:
    """Platforms the catalog has publications on and that can be synced (the video default
    when there are none); one without a listing API is left out, not refused."""
    with hub.db.session() as session:
        used = {str(name) for name in session.scalars(select(Publication.platform).distinct())}
    found = [
        platform
        for platform in registry.every()
        if platform.name in used and type(platform).sync is not Platform.sync
    ]
    return found or registry.defaults_for(AssetKind.VIDEO)[:1]


def sync_platforms(hub: Hub, names: Sequence[str], apply: bool) -> SyncReport:
    """Plan (or apply) the changes on the named platforms, else on those in use."""
    chosen = [registry.get(name) for name in names] if names else platforms_in_use(hub)
    return SyncReport(apply, [platform.sync(hub, apply) for platform in chosen])

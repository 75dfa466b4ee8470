"""Renditions: an asset's master transcoded with a profile, made once.

Cached by (source checksum, rendition checksum) where the rendition checksum covers the
profile, the series' branding and the path the master takes (remux, audio only or
transcode, see `media.compliance`): asking again does no work, and a changed profile, logo
or pass-through tolerance makes a new rendition. The file is made in a temporary folder
and recorded only once stored.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from media_hub.catalog import lookup
from media_hub.catalog.db import Catalog
from media_hub.catalog.pipeline_models import Rendition
from media_hub.catalog.vocabulary import AssetKind
from media_hub.errors import MediaError, MediaHubError, ValidationError
from media_hub.media import passthrough
from media_hub.media.branding import Branding
from media_hub.media.completeness import TruncatedError
from media_hub.media.compliance import forced
from media_hub.media.media_info import MediaInfo
from media_hub.media.passthrough import Choice
from media_hub.media.probe import probe
from media_hub.media.profiles import Profile, load_profile, profile_checksum
from media_hub.media.transcode import ProgressCallback, transcode
from media_hub.pipeline.asset_errors import named_by_asset
from media_hub.pipeline.branding_clips import BRANDING_DECISION, join_branding, joins_by_copy
from media_hub.pipeline.series_branding import branding_checksum, series_branding
from media_hub.storage.base import AssetStore

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RenditionResult:
    asset_id: int
    profile: str
    store_key: str
    size: int
    width: int | None
    height: int | None
    duration: float | None
    created: bool
    decision: str  # remux, audio (video copied) or transcode
    reasons: list[str]


def ensure_rendition(
    catalog: Catalog,
    store: AssetStore,
    definitions_dir: Path,
    asset_id: int,
    profile_name: str,
    progress: ProgressCallback | None = None,
    *,
    force_transcode: bool = False,
) -> RenditionResult:
    """The asset's rendition in `profile_name`, made unless already made.

    With the profile's `pass_through = "auto"` the master is looked at first (its packets,
    key frames and loudness: seconds, not minutes) to choose between remux, audio only and
    transcode; the choice is part of the cache key, so it is looked at on every call.
    """
    profile = load_profile(profile_name, definitions_dir / "profiles")
    with catalog.session() as session:
        asset = lookup.asset(session, asset_id)
        if asset.kind is not AssetKind.VIDEO or asset.source_key is None:
            raise ValidationError(
                "asset", "only an ingested video has renditions; ingest the file first",
                record=f"asset {asset_id}",
            )  # fmt: skip
        source_key, source_checksum = asset.source_key, asset.source_checksum or ""
        series_slug = asset.series.slug if asset.series else None
    branding = series_branding(definitions_dir, series_slug)
    base = (profile_checksum(profile), branding_checksum(branding))
    early = passthrough.without_examining(profile, force_transcode=force_transcode)
    if early is not None:
        cached = _cached(
            catalog, store, source_checksum, _rendition_checksum(*base, early.decision.key(profile))
        )
        if cached is not None:
            return _result(cached, early, created=False)
    with (
        store.local_path(source_key) as source,
        tempfile.TemporaryDirectory(prefix="media-hub-rendition-") as work,
    ):
        info = _master_info(asset_id, source_key, source)
        logo = branding is not None and branding.logo is not None
        with named_by_asset(asset_id, source):
            choice = early or passthrough.choose(profile, info, branded=logo)
        checksum = _rendition_checksum(*base, choice.decision.key(profile))
        if early is None:
            cached = _cached(catalog, store, source_checksum, checksum)
            if cached is not None:
                return _result(cached, choice, created=False)
        with named_by_asset(asset_id, source):
            choice, output = _make(
                catalog, store, asset_id, profile, branding, source, info, choice, Path(work),
                progress,
            )  # fmt: skip
        checksum = _rendition_checksum(*base, choice.decision.key(profile))
        path = choice.decision.path
        made = probe(output, require_video=True)
        stored = store.put_file(output, ".mp4")
    try:
        with catalog.session() as session:
            # A row whose file went missing from the store is brought up to date.
            rendition = session.scalars(
                select(Rendition).where(
                    Rendition.source_checksum == source_checksum,
                    Rendition.profile_checksum == checksum,
                )
            ).first() or Rendition(source_checksum=source_checksum, profile_checksum=checksum)
            rendition.asset_id = asset_id
            rendition.profile = profile.name
            rendition.store_key = stored.key
            rendition.size = stored.size
            rendition.duration = made.duration
            rendition.width = made.video.width if made.video else None
            rendition.height = made.video.height if made.video else None
            rendition.decision = path
            rendition.reasons = list(choice.decision.reasons)
            session.add(rendition)
    except IntegrityError:  # another process made the same rendition meanwhile
        cached = _cached(catalog, store, source_checksum, checksum)
        if cached is None:
            raise MediaHubError(f"asset {asset_id}: rendition could not be recorded") from None
        return _result(cached, choice, created=False)
    return _result(rendition, choice, created=True)


def _make(
    catalog: Catalog,
    store: AssetStore,
    asset_id: int,
    profile: Profile,
    branding: Branding | None,
    source: Path,
    info: MediaInfo,
    choice: Choice,
    work: Path,
    progress: ProgressCallback | None,
) -> tuple[Choice, Path]:
    """The rendition on the chosen path; a body copied with an intro or outro whose joins
    are not clean is transcoded after all, and says so."""
    path = choice.decision.path
    copied_body = path != "transcode" and joins_by_copy(branding)
    output = transcode(
        source, work / ("body.mp4" if copied_body else "rendition.mp4"), profile, info,
        progress=progress, branding=branding if path == "transcode" else None, path=path,
        loudness=choice.loudness_for_transcode(profile),
    )  # fmt: skip
    if not copied_body:
        return choice, output
    assert branding is not None
    joined = join_branding(catalog, store, asset_id, profile, branding, output, work)
    if not joined.problems:
        cached = "" if joined.clips_made else " (made before for the series)"
        reason = f"intro and outro joined by stream copy{cached}"
        return Choice(choice.decision.with_reason(reason), choice.facts), joined.path
    log.warning("asset %s: joins not clean (%s); transcoding", asset_id, joined.problems)
    fallback = forced(
        "joining the intro and outro by stream copy left " + "; ".join(joined.problems)
    )
    again = transcode(
        source, work / "rendition.mp4", profile, info, progress=progress, branding=branding,
        loudness=choice.loudness_for_transcode(profile),
    )  # fmt: skip
    return Choice(fallback, choice.facts), again


def _master_info(asset_id: int, key: str, source: Path) -> MediaInfo:
    """The master's probe; one stored before truncated files were refused is named here."""
    try:
        return probe(source, require_video=True)
    except TruncatedError as exc:
        raise MediaError(
            f"asset {asset_id}", f"master {key}: {exc.finding}; ingest the whole file again"
        ) from exc


def renditions_of(catalog: Catalog, asset_id: int) -> list[Rendition]:
    with catalog.session() as session:
        lookup.asset(session, asset_id)
        return list(
            session.scalars(
                select(Rendition)
                .where(Rendition.asset_id == asset_id, Rendition.decision != BRANDING_DECISION)
                .order_by(Rendition.id)
            )
        )


def _rendition_checksum(profile_sum: str, branding_sum: str, decision_key: str) -> str:
    """A transcode keeps the key it had before sources could pass through (its bytes depend
    on the profile and branding alone); a remux or audio-only rendition adds its path and
    the tolerance that admitted the source, so a changed tolerance makes a new one."""
    key = f"{profile_sum}:{branding_sum}"
    if decision_key:
        key += f":{decision_key}"
    return hashlib.sha256(key.encode()).hexdigest()


def _cached(
    catalog: Catalog, store: AssetStore, source_checksum: str, checksum: str
) -> Rendition | None:
    with catalog.session() as session:
        found = session.scalars(
            select(Rendition).where(
                Rendition.source_checksum == source_checksum,
                Rendition.profile_checksum == checksum,
            )
        ).first()
    if found is not None and store.exists(found.store_key):
        return found
    return None


def _result(rendition: Rendition, choice: Choice, *, created: bool) -> RenditionResult:
    """The record, with the reasons of this call's choice (a rendition found under the same
    key was made on the same path)."""
    return RenditionResult(
        asset_id=rendition.asset_id,
        profile=rendition.profile,
        store_key=rendition.store_key,
        size=rendition.size,
        width=rendition.width,
        height=rendition.height,
        duration=rendition.duration,
        created=created,
        decision=rendition.decision,
        reasons=list(choice.decision.reasons),
    )

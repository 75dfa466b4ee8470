"""A series' intro and outro around a body that was not re-encoded.

Each clip is encoded once per (clip bytes, profile, body format) and kept as a rendition
(decision "branding", keyed by the clip's checksum), so the second clip of a series in the
same format costs a stream copy only. The joins are checked; when one is not clean the
caller falls back to the full transcode, with the reason.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from media_hub.catalog.db import Catalog
from media_hub.catalog.pipeline_models import Rendition
from media_hub.media.branding import Branding, BrandingMedia, prepare_branding
from media_hub.media.branding_join import join, join_problems
from media_hub.media.media_info import MediaInfo
from media_hub.media.probe import probe
from media_hub.media.profiles import Profile, profile_checksum
from media_hub.media.stream_scan import scan_streams
from media_hub.media.transcode import encode_clip
from media_hub.storage.base import AssetStore

BRANDING_DECISION = "branding"


@dataclass(frozen=True)
class Joined:
    path: Path
    problems: list[str]  # empty: the joins are clean
    clips_made: int  # clips encoded by this call (0: all came from the cache)


def joins_by_copy(branding: Branding | None) -> bool:
    """An intro or outro without a logo can be joined to a copied body."""
    return branding is not None and branding.logo is None and bool(branding.intro or branding.outro)


def join_branding(
    catalog: Catalog,
    store: AssetStore,
    asset_id: int,
    profile: Profile,
    branding: Branding,
    body: Path,
    work: Path,
) -> Joined:
    """`body` (a remux or audio-only rendition) with the series' intro and outro."""
    body_info = probe(body, require_video=True)
    scan = scan_streams(body_info)
    assert scan.video is not None
    timescale = round(1 / scan.video.tick)
    key = _clip_key(profile, _format_key(body_info, timescale))
    prepared: list[BrandingMedia] = []  # probed and measured only when a clip is encoded
    made = 0

    def clip_part(role: str, clip_path: Path, stack: contextlib.ExitStack[bool | None]) -> Path:
        nonlocal made
        source_sum = _file_sum(clip_path)
        cached = _cached(catalog, store, source_sum, key)
        if cached is not None:
            return stack.enter_context(store.local_path(cached.store_key))
        if not prepared:
            prepared.append(prepare_branding(branding, profile))
        clip = prepared[0].intro if role == "intro" else prepared[0].outro
        assert clip is not None
        encoded = encode_clip(clip, body_info, work / f"{role}.mp4", profile, timescale)
        _record(catalog, store, asset_id, profile, encoded, source_sum, key, role)
        made += 1
        return encoded

    with contextlib.ExitStack() as stack:
        intro = [clip_part("intro", branding.intro, stack)] if branding.intro else []
        outro = [clip_part("outro", branding.outro, stack)] if branding.outro else []
        output = work / "joined.mp4"
        parts = [*intro, body, *outro]
        join([(part, _picture_seconds(part)) for part in parts], output, work)
    return Joined(output, join_problems(output), made)


def _picture_seconds(path: Path) -> float:
    video = scan_streams(probe(path, require_video=True)).video
    assert video is not None
    return video.end - video.start


def _format_key(body: MediaInfo, timescale: int) -> str:
    video = body.video
    assert video is not None
    return json.dumps(
        {"size": [video.display_width, video.display_height], "fps": str(video.fps),
         "timescale": timescale, "audio": body.audio is not None},
        sort_keys=True,
    )  # fmt: skip


def _clip_key(profile: Profile, fmt: str) -> str:
    """With the clip's own checksum (the row's source), the cache key of a clip rendition."""
    text = f"{BRANDING_DECISION}:{profile_checksum(profile)}:{fmt}"
    return hashlib.sha256(text.encode()).hexdigest()


def _file_sum(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _cached(catalog: Catalog, store: AssetStore, source_sum: str, key: str) -> Rendition | None:
    with catalog.session() as session:
        found = session.scalars(
            select(Rendition).where(
                Rendition.source_checksum == source_sum, Rendition.profile_checksum == key
            )
        ).first()
    return found if found is not None and store.exists(found.store_key) else None


def _record(
    catalog: Catalog,
    store: AssetStore,
    asset_id: int,
    profile: Profile,
    clip: Path,
    source_sum: str,
    key: str,
    role: str,
) -> None:
    made = probe(clip, require_video=True)
    stored = store.put_file(clip, ".mp4")
    try:
        with catalog.session() as session:
            row = session.scalars(
                select(Rendition).where(
                    Rendition.source_checksum == source_sum, Rendition.profile_checksum == key
                )
            ).first() or Rendition(source_checksum=source_sum, profile_checksum=key)
            row.asset_id = asset_id  # the first asset that needed it; the clip is the series'
            row.profile = profile.name
            row.store_key = stored.key
            row.size = stored.size
            row.duration = made.duration
            row.width = made.video.width if made.video else None
            row.height = made.video.height if made.video else None
            row.decision = BRANDING_DECISION
            row.reasons = [f"{role} encoded to join by stream copy"]
            session.add(row)
    except IntegrityError:  # another process recorded the same clip meanwhile
        pass

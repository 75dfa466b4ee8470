"""Ingest: a file becomes a catalog asset with its master safe in the store.

The file is read once, streaming: SHA-256 and the copy into the store in the same pass. It is
probed first, so a file that is not usable media is refused before anything is written; the
same bytes ingested again find their asset and do no new work. A failure after the copy
removes the copy unless another asset already holds those bytes; Ctrl-C and SIGTERM remove
the partial copy, and the partial copies a day old that killed runs left are swept first.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from media_hub.catalog import lookup
from media_hub.catalog.assets import NewAsset, add_asset
from media_hub.catalog.audit import USER_KEY
from media_hub.catalog.db import Catalog
from media_hub.catalog.models import Asset, Series
from media_hub.catalog.pipeline_models import Publication
from media_hub.catalog.types import utcnow
from media_hub.catalog.vocabulary import AssetKind
from media_hub.errors import MediaError, StoreError, ValidationError
from media_hub.media.decks import probe_deck
from media_hub.media.media_info import MediaInfo
from media_hub.media.probe import probe
from media_hub.media.safety import STILL_PICTURE_DEMUXERS, checked_source
from media_hub.storage.base import AssetStore, ProgressCallback
from media_hub.storage.keys import validate_suffix

DECK_SUFFIXES = frozenset([".pdf", ".pptx", ".ppt", ".odp"])
_ARABIC_LETTER = re.compile(r"[\u0600-\u06ff]")


@dataclass(frozen=True)
class IngestRequest:
    path: Path
    series: str | None = None
    titles: Mapping[str, str] = field(default_factory=dict)
    descriptions: Mapping[str, str] = field(default_factory=dict)
    topics: Sequence[str] = ()
    season: int | None = None
    episode: int | None = None
    language: str | None = None
    asset_id: int | None = None  # the catalogued asset this file is for (`--asset`)
    replace: bool = False  # swap the asset's file for this one (the old one stays in history)


@dataclass(frozen=True)
class IngestResult:
    path: Path
    asset_id: int
    created: bool  # False: these bytes were already this asset, or it was catalogued first
    kind: AssetKind
    sha256: str
    size: int
    source_key: str
    media_info: dict[str, Any]
    attached: bool = False  # the file went to an asset catalogued before it (`--asset`)
    replaced: bool = False  # the file took the place of the asset's earlier one (`--replace`)


def kind_of(path: Path) -> AssetKind:
    """A deck by its extension, which LibreOffice goes by; anything else is offered to ffprobe
    as a video, and its content decides (`.ogv` and `.mp4` alike), only media demuxers allowed."""
    return AssetKind.DECK if path.suffix.lower() in DECK_SUFFIXES else AssetKind.VIDEO


def _probe_video(source: Path) -> MediaInfo:
    info = probe(source, require_video=True)
    if info.format_name in STILL_PICTURE_DEMUXERS:
        raise MediaError(str(source), "a still picture, not a video")
    return info


def _store_suffix(source: Path) -> str:
    """The name's extension for the store key, when it is one the store takes."""
    try:
        return validate_suffix(source.suffix.lower())
    except StoreError:  # `clip.mp4~`, `take.final_v2`: the content says what it is
        return ""


def ingest(
    catalog: Catalog,
    store: AssetStore,
    request: IngestRequest,
    progress: ProgressCallback | None = None,
) -> IngestResult:
    store.sweep_partials()  # what runs killed outright (SIGKILL, power cut) left a day ago
    source = checked_source(request.path)
    kind = kind_of(source)
    info = _probe_video(source) if kind is AssetKind.VIDEO else probe_deck(source)
    media_info = info.to_json()
    target = _catalogued_target(catalog, request, kind)
    if target is not None:
        return _attach(catalog, store, source, target, request, media_info, progress)
    new = NewAsset(
        kind=kind,
        series=request.series,
        titles=dict(request.titles) or _title_from_name(source, request.language),
        descriptions=dict(request.descriptions),
        topics=list(request.topics),
        season=request.season,
        episode=request.episode,
        default_language=request.language,
    )
    # Refuse wrong references and texts before the copy; episode numbers are checked with the
    # real insert, since re-ingesting the same bytes must find its asset, not a taken number.
    with catalog.session(dry_run=True) as session:
        add_asset(session, replace(new, season=None, episode=None))
    with source.open("rb") as stream:
        stored = store.put_stream(stream, _store_suffix(source), progress)
    try:
        with catalog.session() as session:
            existing = session.scalars(
                select(Asset).where(Asset.source_checksum == stored.sha256)
            ).first()
            if existing is not None:
                _check_same_series(existing, request)
                return _result(source, existing, created=False, media_info=media_info)
            asset = add_asset(session, replace(new, source_checksum=stored.sha256))
            asset.source_key = stored.key
            asset.source_name = source.name[:255]
            asset.source_size = stored.size
            asset.media_info = media_info
            session.flush()
            return _result(source, asset, created=True, media_info=media_info)
    except BaseException:
        _drop_unless_referenced(catalog, store, stored.key)
        raise


def first_file_for(catalog: Catalog, request: IngestRequest) -> int | None:
    """The catalogued asset that `request`'s file will be the first file of, if any: what
    the output says ("attached to asset 5") when the librarians catalogued it first."""
    target = _catalogued_target(catalog, request, kind_of(request.path))
    if target is None:
        return None
    with catalog.session() as session:
        has_file = session.scalar(select(Asset.source_checksum).where(Asset.id == target))
    return None if has_file else target


def _catalogued_target(catalog: Catalog, request: IngestRequest, kind: AssetKind) -> int | None:
    """The catalogued asset this file is for: the one given, else the asset of the series and
    episode given that has no file yet (librarians catalogue first, the editor brings files)."""
    with catalog.session() as session:
        if request.asset_id is not None:
            asset = lookup.asset(session, request.asset_id)
            record = f"asset {asset.id}"
            if asset.kind is not kind:
                raise ValidationError(
                    "--asset", f"it is a {asset.kind}, and {request.path.name} is a {kind}",
                    record=record,
                )  # fmt: skip
            for given, (name, value) in (
                (request.series, ("series", asset.series.slug if asset.series else None)),
                (request.season, ("season", asset.season)),
                (request.episode, ("episode", asset.episode)),
            ):
                if given is not None and given != value:
                    raise ValidationError(
                        f"--{name}", f"the asset's {name} is {value}, not {given}; change it "
                        f"with 'media-hub catalog edit {asset.id}' first", record=record,
                    )  # fmt: skip
            return asset.id
        if request.series is None or request.episode is None:
            return None
        found = session.scalars(
            select(Asset)
            .join(Series, Asset.series_id == Series.id)
            .where(
                Series.slug == request.series,
                Asset.episode == request.episode,
                func.coalesce(Asset.season, 0) == (request.season or 0),
                Asset.kind == kind,
                Asset.source_checksum.is_(None),
            )
        ).first()
        return found.id if found is not None else None


def _attach(
    catalog: Catalog,
    store: AssetStore,
    source: Path,
    asset_id: int,
    request: IngestRequest,
    media_info: dict[str, Any],
    progress: ProgressCallback | None,
) -> IngestResult:
    """The file becomes the catalogued asset's master: refused if the asset has other bytes
    (unless `replace`, not once published) or the bytes are another asset's."""
    with source.open("rb") as stream:
        stored = store.put_stream(stream, _store_suffix(source), progress)
    try:
        with catalog.session() as session:
            asset = lookup.asset(session, asset_id)
            record = f"asset {asset_id}"
            if asset.source_checksum == stored.sha256:
                return _result(source, asset, created=False, media_info=media_info)
            other = session.scalars(
                select(Asset.id).where(Asset.source_checksum == stored.sha256)
            ).first()
            if other is not None:
                raise ValidationError(
                    "file", f"{source.name} is already asset {other}", record=record
                )
            replaced = asset.source_checksum is not None
            if replaced:
                _check_replaceable(session, asset, source, request.replace)
            asset.source_checksum = stored.sha256
            asset.source_key = stored.key
            asset.source_name = source.name[:255]
            asset.source_size = stored.size
            asset.media_info = media_info
            asset.updated_at = utcnow()
            asset.updated_by = session.info.get(USER_KEY, "unknown")
            session.flush()
            found = _result(source, asset, created=False, media_info=media_info)
            return replace(found, attached=not replaced, replaced=replaced)
    except BaseException:
        _drop_unless_referenced(catalog, store, stored.key)
        raise


def _check_same_series(existing: Asset, request: IngestRequest) -> None:
    """These bytes are already an asset: a --series that is not its own would be silently
    ignored, so it is refused instead."""
    own = existing.series.slug if existing.series else None
    if request.series is not None and request.series != own:
        raise ValidationError(
            "--series", f"{request.path.name} is already asset {existing.id}, of series "
            f"{own or '(none)'}; change its series with 'media-hub catalog edit {existing.id}' "
            "if it is wrong", record=f"asset {existing.id}",
        )  # fmt: skip


def _check_replaceable(session: Any, asset: Asset, source: Path, asked: bool) -> None:
    record = f"asset {asset.id}"
    if not asked:
        raise ValidationError(
            "file", f"it already has a file ({asset.source_name}); give --replace to use "
            f"{source.name} instead (the old one stays in its history)", record=record,
        )  # fmt: skip
    sent = session.scalars(
        select(Publication.platform).where(
            Publication.asset_id == asset.id, Publication.remote_id.is_not(None)
        )
    ).first()
    if sent is not None:
        raise ValidationError(
            "--replace", f"its file is already on {sent}, where a new file would not replace "
            "it; catalog a new asset for the new cut", record=record,
        )  # fmt: skip


def _title_from_name(path: Path, language: str | None) -> dict[str, str]:
    """A first title from the file name, for the librarian to improve."""
    words = re.sub(r"[_\s.-]+", " ", path.stem).strip()[:100] or path.name[:100]
    lang = language or ("ar" if _ARABIC_LETTER.search(words) else "fr")
    return {lang: words.replace("<", "").replace(">", "") or "untitled"}


def _result(
    source: Path, asset: Asset, *, created: bool, media_info: dict[str, Any]
) -> IngestResult:
    assert asset.source_checksum is not None
    assert asset.source_key is not None
    return IngestResult(
        path=source,
        asset_id=asset.id,
        created=created,
        kind=asset.kind,
        sha256=asset.source_checksum,
        size=asset.source_size or 0,
        source_key=asset.source_key,
        media_info=asset.media_info or media_info,
    )


def _drop_unless_referenced(catalog: Catalog, store: AssetStore, key: str) -> None:
    with catalog.session() as session:
        referenced = session.scalars(select(Asset.id).where(Asset.source_key == key)).first()
    if referenced is None:
        store.delete(key)

"""Thumbnails of an asset: candidate frames kept in the store, one chosen, one branded image.

Candidates are extracted once (a rerun reuses them); the branded image is rendered again each
time, from the chosen frame and the current title, so a corrected title shows at once. A
librarian's pick (`pick_thumbnail`) or own picture (`use_own_thumbnail`) survives reruns.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from media_hub.catalog import lookup
from media_hub.catalog.db import Catalog
from media_hub.catalog.definitions import read_definitions, thumbnail_logo
from media_hub.catalog.models import Asset
from media_hub.catalog.pipeline_models import Thumbnail
from media_hub.catalog.vocabulary import AssetKind
from media_hub.errors import MediaError, ValidationError
from media_hub.media.contact_sheet import contact_sheet
from media_hub.media.decks import first_page_image
from media_hub.media.frames import Candidate, best, extract_candidates
from media_hub.media.images import open_image
from media_hub.media.safety import checked_source
from media_hub.media.thumbnail import render_thumbnail, save_jpeg
from media_hub.media.thumbnail_style import ThumbnailStyle, load_style, style_from_table
from media_hub.pipeline.asset_errors import named_by_asset
from media_hub.pipeline.series_branding import series_branding
from media_hub.storage.base import AssetStore

DEFAULT_CANDIDATES = 12
OWN_PICTURE_FORMATS = ("JPEG", "PNG")
OWN_PICTURE_MIN = (640, 360)  # width, height in pixels


@dataclass(frozen=True)
class ThumbnailPlace:
    """Where a hub keeps what it generates, and where its conventions are."""

    definitions_dir: Path
    thumbnails_dir: Path


@dataclass(frozen=True)
class CandidateRecord:
    index: int
    time: float | None
    score: float | None
    chosen: bool
    role: str
    store_key: str


@dataclass(frozen=True)
class ThumbnailSet:
    asset_id: int
    branded: Path
    branded_bytes: int
    contact_sheet: Path | None
    candidates: list[CandidateRecord]


def make_thumbnails(
    catalog: Catalog,
    store: AssetStore,
    place: ThumbnailPlace,
    asset_id: int,
    count: int = DEFAULT_CANDIDATES,
    *,
    again: bool = False,
) -> ThumbnailSet:
    """Candidates (once, or `again`), the chosen one, the branded image and a contact sheet."""
    with catalog.session() as session:
        asset = _ingested(session, asset_id)
        kind, source_key = asset.kind, asset.source_key
        have = _rows(session, asset_id, "candidate")
    if have and not again:
        return render_branded(catalog, store, place, asset_id)
    assert source_key is not None
    with (
        store.local_path(source_key) as source,
        tempfile.TemporaryDirectory() as work,
        named_by_asset(asset_id, source),
    ):
        if kind is AssetKind.VIDEO:
            candidates = extract_candidates(source, Path(work), count=count)
        else:
            page = Path(work) / "page-1.png"
            first_page_image(source).save(page)
            candidates = [Candidate(1, 0.0, page, 0.0, 0.0, 1.0)]
        chosen = best(candidates).index
        stored = [
            (c, store.put_file(c.image_path, ".png"), _size(c.image_path)) for c in candidates
        ]
    with catalog.session() as session:
        own_pick = any(row.chosen and row.role == "custom" for row in _rows(session, asset_id))
        session.execute(
            delete(Thumbnail).where(Thumbnail.asset_id == asset_id, Thumbnail.role == "candidate")
        )
        for candidate, obj, (width, height) in stored:
            session.add(
                Thumbnail(
                    asset_id=asset_id, role="candidate", position=candidate.index,
                    time_offset=candidate.time, score=candidate.score,
                    chosen=candidate.index == chosen and not own_pick,
                    store_key=obj.key, width=width, height=height,
                )
            )  # fmt: skip
    return render_branded(catalog, store, place, asset_id)


# A candidate scoring below this is a dark, flat or blurred frame (a black fade, a title
# card): picking it is allowed, and said.
WEAK_SCORE = 0.05


def weak_choice(result: ThumbnailSet) -> CandidateRecord | None:
    """The chosen candidate when it scores as a dark, flat or blurred frame."""
    chosen = next((c for c in result.candidates if c.chosen and c.role == "candidate"), None)
    if chosen is not None and chosen.score is not None and chosen.score < WEAK_SCORE:
        return chosen
    return None


def pick_thumbnail(
    catalog: Catalog, store: AssetStore, place: ThumbnailPlace, asset_id: int, index: int
) -> ThumbnailSet:
    """Make candidate `index` the chosen frame (as shown by `thumbs list`)."""
    with catalog.session() as session:
        _ingested(session, asset_id)
        rows = _rows(session, asset_id)
        if not any(row.role == "candidate" and row.position == index for row in rows):
            have = ", ".join(str(r.position) for r in rows if r.role == "candidate") or "none"
            raise ValidationError(
                "candidate", f"no candidate {index} (candidates: {have}); run 'thumbs make' first",
                record=f"asset {asset_id}",
            )  # fmt: skip
        for row in rows:
            row.chosen = row.role == "candidate" and row.position == index
    return render_branded(catalog, store, place, asset_id)


def use_own_thumbnail(
    catalog: Catalog, store: AssetStore, place: ThumbnailPlace, asset_id: int, picture: Path
) -> ThumbnailSet:
    """A librarian's own picture becomes the frame of the branded thumbnail.

    JPEG or PNG only, the formats YouTube takes, at least 640x360 (YouTube asks for 640 pixels
    wide or more): a smaller picture would be stretched to 1280x720 without a word.
    """
    source = checked_source(picture)
    with open_image(source, OWN_PICTURE_FORMATS) as image:
        width, height = image.size
    if width < OWN_PICTURE_MIN[0] or height < OWN_PICTURE_MIN[1]:
        raise MediaError(
            str(source),
            f"the picture is {width}x{height} pixels; a thumbnail needs at least "
            f"{OWN_PICTURE_MIN[0]}x{OWN_PICTURE_MIN[1]}: give a larger picture",
        )
    with catalog.session() as session:
        _ingested(session, asset_id)
    stored = store.put_file(source, source.suffix.lower())
    with catalog.session() as session:
        for row in _rows(session, asset_id):
            row.chosen = False
        session.execute(
            delete(Thumbnail).where(Thumbnail.asset_id == asset_id, Thumbnail.role == "custom")
        )
        session.add(
            Thumbnail(
                asset_id=asset_id, role="custom", chosen=True, store_key=stored.key,
                width=width, height=height,
            )
        )  # fmt: skip
    return render_branded(catalog, store, place, asset_id)


def render_branded(
    catalog: Catalog, store: AssetStore, place: ThumbnailPlace, asset_id: int
) -> ThumbnailSet:
    """Render the branded 1280x720 JPEG from the chosen frame and the current title."""
    with catalog.session() as session:
        asset = _ingested(session, asset_id)
        rows = _rows(session, asset_id)
        chosen = next((row for row in rows if row.chosen), None)
        if chosen is None:
            raise ValidationError(
                "thumbnail", "no frame chosen; run 'media-hub thumbs make' first",
                record=f"asset {asset_id}",
            )  # fmt: skip
        text = asset.text(asset.default_language)
        title, language = (text.title if text else ""), asset.default_language
        series_slug = asset.series.slug if asset.series else None
        kind = asset.kind
        candidates = [row for row in rows if row.role == "candidate"]
    style = _series_style(place.definitions_dir, series_slug)
    place.thumbnails_dir.mkdir(parents=True, exist_ok=True)
    branded = place.thumbnails_dir / f"asset-{asset_id}.jpg"
    with store.local_path(chosen.store_key) as frame_path, open_image(frame_path) as frame:
        top_first = (0.5, 0.0) if kind is AssetKind.DECK else (0.5, 0.5)
        picture = render_thumbnail(frame, title, language, style, centering=top_first)
    size = save_jpeg(picture, branded)
    stored = store.put_file(branded, ".jpg")
    sheet = _contact_sheet(store, place, asset_id, candidates)
    with catalog.session() as session:
        session.execute(
            delete(Thumbnail).where(Thumbnail.asset_id == asset_id, Thumbnail.role == "branded")
        )
        session.add(
            Thumbnail(
                asset_id=asset_id, role="branded", chosen=False, store_key=stored.key,
                width=picture.width, height=picture.height,
            )
        )  # fmt: skip
    return ThumbnailSet(asset_id, branded, size, sheet, list_thumbnails(catalog, asset_id))


def list_thumbnails(catalog: Catalog, asset_id: int) -> list[CandidateRecord]:
    with catalog.session() as session:
        _ingested(session, asset_id)
        return [
            CandidateRecord(
                row.position or 0, row.time_offset, row.score, row.chosen, row.role, row.store_key
            )
            for row in _rows(session, asset_id)
            if row.role != "branded"
        ]


def _size(path: Path) -> tuple[int, int]:
    with Image.open(path) as image:
        return image.size


def _ingested(session: Session, asset_id: int) -> Asset:
    asset = lookup.asset(session, asset_id)
    if asset.source_key is None:
        raise ValidationError(
            "asset", "has no ingested file; ingest it first", record=f"asset {asset_id}"
        )
    return asset


def _rows(session: Session, asset_id: int, role: str | None = None) -> list[Thumbnail]:
    statement = select(Thumbnail).where(Thumbnail.asset_id == asset_id)
    if role is not None:
        statement = statement.where(Thumbnail.role == role)
    return list(session.scalars(statement.order_by(Thumbnail.role, Thumbnail.position)))


def _series_style(definitions_dir: Path, series_slug: str | None) -> ThumbnailStyle:
    """The organisation's style, with the series template's `[thumbnail]` changes and logo."""
    style = load_style()
    if series_slug is None:
        return style
    definitions = read_definitions(definitions_dir)
    series = definitions.series.get(series_slug)
    if series is None:
        return style
    template = definitions.templates[series.template]
    table = {**_style_table(style), **template.thumbnail}
    logo = thumbnail_logo(definitions_dir, template)  # inside catalog/, as branding files are
    branding = series_branding(definitions_dir, series_slug)
    if logo is None and branding is not None:
        logo = branding.logo
    if logo is not None:
        table["logo"] = str(logo)
    return style_from_table({"thumbnail": table}, "thumbnail", definitions_dir, series.template)


def _style_table(style: ThumbnailStyle) -> dict[str, object]:
    from dataclasses import asdict

    return {key: value for key, value in asdict(style).items() if value is not None}


def _contact_sheet(
    store: AssetStore, place: ThumbnailPlace, asset_id: int, rows: list[Thumbnail]
) -> Path | None:
    if len(rows) < 2:
        return None
    with tempfile.TemporaryDirectory() as work:
        candidates = []
        for row in rows:
            path = Path(work) / f"{row.position}.png"
            with store.open(row.store_key) as stream:
                path.write_bytes(stream.read())
            candidates.append(
                Candidate(row.position or 0, row.time_offset or 0.0, path, 0.0, 0.0, row.score or 0)
            )
        chosen = next((row.position for row in rows if row.chosen), None)
        sheet = contact_sheet(candidates, chosen=chosen or -1)
        target = place.thumbnails_dir / f"asset-{asset_id}-candidates.jpg"
        sheet.convert("RGB").save(target, quality=85)
    return target

"""A video's export bundle: the YouTube rendition, its captions, and the metadata to paste."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from media_hub.catalog.pipeline_models import Caption
from media_hub.pipeline.renditions import ensure_rendition
from media_hub.platforms.base import ExportedTexts
from media_hub.platforms.folder.files import copy_from_store, file_stem
from media_hub.platforms.publisher import UploadOptions
from media_hub.platforms.youtube import UPLOAD_PROFILE
from media_hub.platforms.youtube.publisher import YouTubeUpload

if TYPE_CHECKING:
    from media_hub.catalog.records import AssetRecord
    from media_hub.hub import Hub


def export_video(
    job: YouTubeUpload,
    hub: Hub,
    asset: AssetRecord,
    folder: Path,
    on_transcode: Callable[[float], None] | None,
) -> ExportedTexts:
    resource = job.metadata(asset["id"], UploadOptions(), asset)
    rendition = ensure_rendition(
        job.catalog, hub.store, hub.settings.definitions_dir, asset["id"], UPLOAD_PROFILE,
        on_transcode,
    )  # fmt: skip
    stem = file_stem(asset)
    copy_from_store(hub, rendition.store_key, folder / f"{stem}.mp4")
    with job.catalog.session() as session:
        captions = session.scalars(select(Caption).where(Caption.asset_id == asset["id"]))
        for caption in captions:
            target = folder / "captions" / f"{stem}.{caption.lang}.{caption.format}"
            target.parent.mkdir(exist_ok=True)
            copy_from_store(hub, caption.store_key, target)
    return ExportedTexts({"platform": "youtube", **resource}, _sections(resource))


def _sections(texts: dict[str, Any]) -> list[tuple[str, str]]:
    """In the order YouTube Studio's upload page asks."""
    snippet, status = texts["snippet"], texts["status"]
    sections = [
        ("Title", snippet["title"]),
        ("Description", snippet["description"]),
        ("Tags", ", ".join(snippet.get("tags", []))),
        ("Category id", snippet.get("categoryId", "")),
        ("Language", snippet.get("defaultLanguage", "")),
        ("Visibility", status["privacyStatus"]),
        ("Made for kids", "yes" if status["selfDeclaredMadeForKids"] else "no"),
        ("Licence", status["license"]),
    ]
    for lang, localized in texts.get("localizations", {}).items():
        sections.append((f"Title ({lang})", localized["title"]))
        sections.append((f"Description ({lang})", localized["description"]))
    return sections

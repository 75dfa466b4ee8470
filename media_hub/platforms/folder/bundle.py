"""`media-hub export ID --to DIR`: everything a person needs to publish an asset by hand.

The way out when a platform's API is closed (SlideShare stopped issuing API keys) or a
channel is not connected: the file as the platform wants it (the YouTube rendition, or the
deck itself), the branded thumbnail, the captions, and the metadata rendered from the series'
template as text to paste (`metadata.txt`) and as data (`metadata.json`).

The bundle is built in a hidden sibling folder and renamed into place, so DIR is either
complete or absent.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from media_hub.catalog.pipeline_models import Caption
from media_hub.catalog.vocabulary import AssetKind
from media_hub.errors import ValidationError
from media_hub.hub import Hub
from media_hub.pipeline.renditions import ensure_rendition
from media_hub.pipeline.thumbnails import ThumbnailPlace, make_thumbnails
from media_hub.platforms.publisher import UploadOptions
from media_hub.platforms.slideshare.publisher import SlideShareUpload
from media_hub.platforms.youtube.publisher import UPLOAD_PROFILE, YouTubeUpload

_UNSAFE = re.compile(r"[^\w.-]+")


@dataclass(frozen=True)
class Bundle:
    folder: Path
    platform: str
    files: list[str]  # names inside the folder


def export_bundle(
    hub: Hub,
    asset_id: int,
    destination: Path,
    *,
    on_transcode: Callable[[float], None] | None = None,
) -> Bundle:
    """Write the bundle of `asset_id` into `destination` (absent or empty)."""
    _check_destination(destination)
    asset = hub.catalog.show(asset_id)
    kind = AssetKind(asset["kind"])
    parent = destination.parent
    parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=parent, prefix=f".{destination.name}.") as work:
        folder = Path(work) / "bundle"
        folder.mkdir()
        if kind is AssetKind.VIDEO:
            platform, texts = "YouTube", _video(hub, asset, folder, on_transcode)
        else:
            platform, texts = "SlideShare", _deck(hub, asset, folder)
        _thumbnail(hub, asset_id, folder)
        (folder / "metadata.json").write_text(
            json.dumps(texts, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        (folder / "metadata.txt").write_text(_as_text(asset, platform, texts), encoding="utf-8")
        files = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
        if destination.exists():
            destination.rmdir()  # checked empty above
        folder.rename(destination)
    return Bundle(destination, platform, files)


def _check_destination(destination: Path) -> None:
    if destination.exists() and (not destination.is_dir() or any(destination.iterdir())):
        raise ValidationError(
            "--to", f"{destination} exists and is not an empty folder; give a new folder"
        )


def _video(
    hub: Hub, asset: dict[str, Any], folder: Path, on_transcode: Callable[[float], None] | None
) -> dict[str, Any]:
    job = YouTubeUpload(hub, _no_client)
    resource = job.metadata(asset["id"], UploadOptions(), asset)
    settings = hub.settings
    rendition = ensure_rendition(
        job.catalog, hub.store, settings.definitions_dir, asset["id"], UPLOAD_PROFILE,
        on_transcode,
    )  # fmt: skip
    _copy_from_store(hub, rendition.store_key, folder / f"{_stem(asset)}.mp4")
    with job.catalog.session() as session:
        captions = session.scalars(select(Caption).where(Caption.asset_id == asset["id"]))
        for caption in captions:
            target = folder / "captions" / f"{_stem(asset)}.{caption.lang}.{caption.format}"
            target.parent.mkdir(exist_ok=True)
            _copy_from_store(hub, caption.store_key, target)
    return {"platform": "youtube", **resource}


def _deck(hub: Hub, asset: dict[str, Any], folder: Path) -> dict[str, Any]:
    job = SlideShareUpload(hub, _no_client)
    fields = job.fields(asset["id"], UploadOptions(), asset)
    source_key, _ = job.source(asset["id"])
    _copy_from_store(hub, source_key, folder / f"{_stem(asset)}{Path(source_key).suffix}")
    return {
        "platform": "slideshare",
        "title": fields["slideshow_title"],
        "description": fields["slideshow_description"],
        "tags": [tag for tag in fields["slideshow_tags"].split(",") if tag],
        "private": fields["make_slideshow_private"] == "Y",
    }


def _thumbnail(hub: Hub, asset_id: int, folder: Path) -> None:
    settings = hub.settings
    place = ThumbnailPlace(settings.definitions_dir, settings.path(settings.thumbnails.dir))
    made = make_thumbnails(hub.catalog.catalog, hub.store, place, asset_id)
    shutil.copyfile(made.branded, folder / f"thumbnail{made.branded.suffix}")


def _copy_from_store(hub: Hub, key: str, target: Path) -> None:
    with hub.store.open(key) as source, target.open("wb") as out:
        shutil.copyfileobj(source, out, 1 << 20)


def _stem(asset: dict[str, Any]) -> str:
    """A file name from the series and episode (or the asset id), safe on every system."""
    parts = [asset.get("series") or "asset"]
    if asset.get("season") is not None:
        parts.append(f"s{asset['season']:02d}")
    if asset.get("episode") is not None:
        parts.append(f"e{asset['episode']:02d}")
    parts.append(str(asset["id"]))
    return _UNSAFE.sub("-", "-".join(str(part) for part in parts)).strip("-.")


def _as_text(asset: dict[str, Any], platform: str, texts: dict[str, Any]) -> str:
    """Sections to copy into the platform's form, in the order its upload page asks."""
    if platform == "YouTube":
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
    else:
        sections = [
            ("Title", texts["title"]),
            ("Description", texts["description"]),
            ("Tags", ", ".join(texts["tags"])),
            ("Visibility", "private" if texts["private"] else "public"),
        ]
    head = f"{platform} upload of asset {asset['id']} (series {asset.get('series')})\n"
    body = "".join(f"\n== {name} ==\n{value}\n" for name, value in sections)
    return head + body


def _no_client() -> Any:
    raise AssertionError("an export makes no platform call")

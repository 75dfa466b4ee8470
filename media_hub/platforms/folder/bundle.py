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
import shutil
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from media_hub.errors import ConfigError, ValidationError
from media_hub.hub import Hub
from media_hub.pipeline.thumbnails import ThumbnailPlace, make_thumbnails
from media_hub.platforms.base import ExportedTexts, Platform
from media_hub.platforms.routing import asset_platforms


@dataclass(frozen=True)
class Bundle:
    folder: Path
    platform: str  # the label of the platform the bundle is for
    files: list[str]  # names inside the folder


def export_bundle(
    hub: Hub,
    asset_id: int,
    destination: Path,
    *,
    on_transcode: Callable[[float], None] | None = None,
) -> Bundle:
    """Write the bundle of `asset_id` into `destination` (absent or empty), for the first
    platform of its series that can describe an upload."""
    _check_destination(destination)
    asset = hub.catalog.show(asset_id)
    platform = _exporting(asset_platforms(hub, asset))
    with _work_folder(destination) as work:
        folder = Path(work) / "bundle"
        folder.mkdir()
        texts = platform.export(hub, asset, folder, on_transcode)
        _thumbnail(hub, asset_id, folder)
        (folder / "metadata.json").write_text(
            json.dumps(texts.data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        (folder / "metadata.txt").write_text(
            _as_text(asset, platform.label, texts), encoding="utf-8"
        )
        files = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
        try:
            if destination.exists():
                destination.rmdir()  # checked empty above
            folder.rename(destination)
        except OSError as exc:
            raise ValidationError(
                "--to", f"cannot put the bundle at {destination} ({exc.strerror or exc})"
            ) from exc
    return Bundle(destination, platform.label, files)


def _work_folder(destination: Path) -> tempfile.TemporaryDirectory[str]:
    """A hidden folder beside `destination` to build the bundle in, made before any work."""
    parent = destination.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        return tempfile.TemporaryDirectory(dir=parent, prefix=f".{destination.name}.")
    except OSError as exc:
        reason = "not a folder" if parent.exists() and not parent.is_dir() else exc.strerror
        raise ValidationError(
            "--to", f"cannot write in {parent} ({reason or exc}); give a folder of yours"
        ) from exc


def _exporting(platforms: list[Platform]) -> Platform:
    """The first platform that knows its own upload form (a folder has none of its own)."""
    for platform in platforms:
        if type(platform).export is not Platform.export:
            return platform
    names = ", ".join(platform.name for platform in platforms)
    raise ConfigError(f"none of the series' platforms ({names}) describes an upload to export")


def _check_destination(destination: Path) -> None:
    if destination.is_symlink():  # followed, the bundle would land elsewhere (or nowhere)
        raise ValidationError(
            "--to", f"{destination} is a symbolic link; give the path of a new folder"
        )
    try:
        taken = destination.exists() and (not destination.is_dir() or any(destination.iterdir()))
    except OSError as exc:
        raise ValidationError("--to", f"{destination}: {exc.strerror or exc}") from exc
    if taken:
        raise ValidationError(
            "--to", f"{destination} exists and is not an empty folder; give a new folder"
        )


def _thumbnail(hub: Hub, asset_id: int, folder: Path) -> None:
    settings = hub.settings
    place = ThumbnailPlace(settings.definitions_dir, settings.path(settings.thumbnails.dir))
    made = make_thumbnails(hub.db, hub.store, place, asset_id)
    shutil.copyfile(made.branded, folder / f"thumbnail{made.branded.suffix}")


def _as_text(asset: Mapping[str, Any], label: str, texts: ExportedTexts) -> str:
    """Sections to copy into the platform's form, in the order its upload page asks."""
    head = f"{label} upload of asset {asset['id']} (series {asset.get('series')})\n"
    body = "".join(f"\n== {name} ==\n{value}\n" for name, value in texts.sections)
    return head + body

"""A folder as a platform: everything a person needs to publish by hand, for when an API is
closed (SlideShare stopped issuing API keys) or an account is not connected."""

from __future__ import annotations

from typing import ClassVar

from media_hub.catalog.vocabulary import AssetKind
from media_hub.platforms.base import Platform


class Folder(Platform):
    """Takes every kind, is never a series' default, and uploads nothing: `export` writes
    its bundles (see `bundle.export_bundle`)."""

    name = "folder"
    label = "a folder"
    kinds: ClassVar[frozenset[AssetKind]] = frozenset(AssetKind)
    default_route = False

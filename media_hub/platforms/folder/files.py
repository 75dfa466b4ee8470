"""What every platform's export writes the same way: files out of the store, safe names."""

from __future__ import annotations

import re
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from media_hub.hub import Hub

_UNSAFE = re.compile(r"[^\w.-]+")


def copy_from_store(hub: Hub, key: str, target: Path) -> None:
    with hub.store.open(key) as source, target.open("wb") as out:
        shutil.copyfileobj(source, out, 1 << 20)


def file_stem(asset: Mapping[str, Any]) -> str:
    """A file name from the series and episode (or the asset id), safe on every system."""
    parts = [asset.get("series") or "asset"]
    if asset.get("season") is not None:
        parts.append(f"s{asset['season']:02d}")
    if asset.get("episode") is not None:
        parts.append(f"e{asset['episode']:02d}")
    parts.append(str(asset["id"]))
    return _UNSAFE.sub("-", "-".join(str(part) for part in parts)).strip("-.")

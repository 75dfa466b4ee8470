"""Which platforms exist: the built-in ones, and those other packages declare.

A package adds a platform with an entry point in the `media_hub.platforms` group naming a
`Platform` subclass (as httpie and beets find their plugins), e.g. in its pyproject.toml:

    [project.entry-points."media_hub.platforms"]
    peertube = "media_hub_peertube:PeerTube"

Classes are imported only when first asked for, so a command that publishes nothing loads
no platform code.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Iterator
from functools import cache

from pydantic import BaseModel

from media_hub.catalog.vocabulary import AssetKind
from media_hub.errors import ConfigError
from media_hub.platforms.base import Platform

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "media_hub.platforms"
BUILT_IN: dict[str, str] = {
    "youtube": "media_hub.platforms.youtube.platform:YouTube",
    "slideshare": "media_hub.platforms.slideshare.platform:SlideShare",
    "folder": "media_hub.platforms.folder.platform:Folder",
}
_added: dict[str, Platform] = {}


@cache
def _declared() -> dict[str, str]:
    """Name -> "module:Class", built-in first; an installed package may not replace one."""
    from importlib.metadata import entry_points

    found = dict(BUILT_IN)
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        found.setdefault(entry.name, entry.value)
    return found


@cache
def _load(name: str, target: str) -> Platform:
    module_name, _, class_name = target.partition(":")
    try:
        cls = getattr(importlib.import_module(module_name), class_name)
    except (ImportError, AttributeError, TypeError) as exc:  # TypeError: a class without
        # its name, label or kinds (Platform.__init_subclass__) fails as it is defined
        raise ConfigError(f"platform {name!r} ({target}) cannot be loaded: {exc}") from exc
    if not (isinstance(cls, type) and issubclass(cls, Platform)) or cls.name != name:
        raise ConfigError(f"platform {name!r} ({target}) is not a Platform named {name!r}")
    return cls()


def names() -> list[str]:
    return [*_declared(), *(name for name in _added if name not in _declared())]


def get(name: str) -> Platform:
    """The platform called `name`; one line naming the known ones if there is none."""
    if name in _added:
        return _added[name]
    target = _declared().get(name)
    if target is None:
        raise ConfigError(f"unknown platform {name!r}; known: {', '.join(names())}")
    return _load(name, target)


def every() -> Iterator[Platform]:
    """Every platform that loads: an installed plugin that does not is skipped with a
    warning (naming it reaches its one-line error), so it cannot stop every command."""
    for name in names():
        try:
            yield get(name)
        except ConfigError as exc:
            if name in BUILT_IN:
                raise
            log.warning("%s; it is left out", exc)


def by_label(label: str) -> Platform | None:
    """The platform whose errors carry `label` as their service ("YouTube")."""
    return next((platform for platform in every() if platform.label == label), None)


def defaults_for(kind: AssetKind) -> list[Platform]:
    """Where a series of `kind` that names no platforms publishes."""
    return [p for p in every() if p.default_route and kind in p.kinds]


def settings_sections() -> dict[str, type[BaseModel]]:
    """Each platform's settings model by its section name, for `load_settings`."""
    return {p.name: p.settings_model for p in every() if p.settings_model is not None}


def add(platform: Platform) -> None:
    """Register a platform object in this process (tests, embedding applications)."""
    if platform.name in _declared() or platform.name in _added:
        raise ConfigError(f"a platform named {platform.name!r} is already registered")
    _added[platform.name] = platform


def remove(name: str) -> None:
    _added.pop(name, None)

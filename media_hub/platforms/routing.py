"""Where an asset goes: the platforms its series names in series.toml, else the defaults for
its kind. Routing by the series, not by the file, lets one video series go to two video
platforms and keeps the choice with the librarians' conventions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from media_hub.catalog.definitions import Definitions, read_definitions
from media_hub.catalog.vocabulary import AssetKind
from media_hub.errors import ConfigError, ValidationError
from media_hub.platforms import registry
from media_hub.platforms.base import Platform

if TYPE_CHECKING:
    from media_hub.hub import Hub


def series_platforms(definitions: Definitions, slug: str) -> list[Platform]:
    """The platforms of series `slug`, each checked to take the series' kind."""
    series = definitions.series.get(slug)
    if series is None:
        raise ValidationError("series", f"unknown series {slug!r}; see 'media-hub series list'")
    if not series.platforms:
        found = registry.defaults_for(series.kind)
        if not found:
            raise ConfigError(f"no installed platform takes {series.kind} assets")
        return found
    chosen = []
    for name in series.platforms:
        try:
            platform = registry.get(name)
        except ConfigError as exc:
            raise ConfigError(f"series.toml: series {slug!r}: platforms: {exc}") from exc
        if series.kind not in platform.kinds:
            raise ConfigError(
                f"series.toml: series {slug!r} holds {series.kind}s, which {platform.label} "
                f"does not take; remove {name!r} from its platforms"
            )
        chosen.append(platform)
    return chosen


def asset_platforms(hub: Hub, asset: Mapping[str, Any]) -> list[Platform]:
    """The platforms of a catalogued asset (through its series)."""
    if asset.get("series") is None:
        raise ValidationError(
            "series", "the asset has no series, so no platform", record=f"asset {asset['id']}"
        )
    return series_platforms(read_definitions(hub.settings.definitions_dir), asset["series"])


def platform_for(hub: Hub, asset: Mapping[str, Any], name: str | None) -> Platform:
    """The platform `name` if the asset's series publishes there, else its first one."""
    routes = asset_platforms(hub, asset)
    if name is None:
        return routes[0]
    for platform in routes:
        if platform.name == name:
            return platform
    raise ValidationError(
        "platform",
        f"series {asset['series']!r} does not publish to {name!r}",
        record=f"asset {asset['id']}",
    )


def rendition_profile(hub: Hub, asset_id: int, profile: str | None) -> str:
    """`profile` if given, else the profile the asset's first platform is sent (by its
    series; an asset without one goes where its kind goes by default). An asset no platform
    transcodes for gets the default video platform's, and the rendition step says why not."""
    if profile is not None:
        return profile
    asset = hub.catalog.show(asset_id)
    if asset.get("series") is None:
        routes = registry.defaults_for(AssetKind(asset["kind"]))
    else:
        routes = asset_platforms(hub, asset)
    for platform in [*routes, *registry.defaults_for(AssetKind.VIDEO)]:
        if platform.upload_profile is not None:
            return platform.upload_profile
    raise ConfigError("no installed platform has a transcoding profile; give --profile")

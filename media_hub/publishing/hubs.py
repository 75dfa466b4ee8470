"""Opening and creating hubs with every installed platform's settings declared and checked:
what the CLI, a web app and scheduled jobs start from."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from media_hub.hub import Hub, init_hub
from media_hub.platforms import registry
from media_hub.settings import DeclaredSetting, Origin, Settings, effective_settings, load_settings

if TYPE_CHECKING:
    from media_hub.catalog.conventions import Change


def open_hub(folder: Path | None = None) -> Hub:
    """The hub in `folder` (else $MEDIA_HUB_HOME, else here); its settings checked whole,
    the platforms' sections included, so a mistake in any is found before any work."""
    return Hub(load_settings(folder, registry.settings_sections()))


@dataclass(frozen=True)
class CreatedHub:
    folder: Path
    created: list[Path]  # files and folders made now (none when all existed)
    changes: list[Change]  # conventions added to the catalog
    catalog_url: str


def create_hub(folder: Path) -> CreatedHub:
    """Make the hub's files where missing, open its catalog and load its conventions."""
    created = init_hub(folder, registry.settings_sections())
    hub = open_hub(folder)
    try:
        changes = load_conventions(hub)
    finally:
        hub.close()
    return CreatedHub(folder, created, changes, hub.settings.catalog_url)


def describe_settings(settings: Settings) -> Iterator[tuple[DeclaredSetting, str, Origin]]:
    """Every setting, the platforms' too, with its shown value and where it comes from."""
    return effective_settings(settings, registry.settings_sections())


def load_conventions(hub: Hub, *, dry_run: bool = False) -> list[Change]:
    """Apply catalog/*.toml to the catalog, after checking that every series' platforms are
    installed and take its kind, and that every template compiles (one line naming the file;
    nothing applied otherwise)."""
    from media_hub.catalog.definitions import read_definitions
    from media_hub.platforms.routing import series_platforms
    from media_hub.platforms.templating import check_templates

    folder = hub.settings.definitions_dir
    definitions = read_definitions(folder)
    for slug in definitions.series:
        series_platforms(definitions, slug)
    check_templates(definitions.templates, folder)
    return hub.catalog.load_conventions(folder, dry_run=dry_run)

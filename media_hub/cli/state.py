"""What the root options give every command: the hub folder, --debug, and the opened hub."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from typer._click.core import Context as ClickContext  # typer.Context's base

if TYPE_CHECKING:  # the hub, its settings and catalog are imported when first used
    from media_hub.catalog.service import CatalogService
    from media_hub.hub import Hub
    from media_hub.settings import Settings


@dataclass
class CliState:
    hub_folder: Path | None = None
    debug: bool = False
    _hub: Hub | None = field(default=None, init=False)

    @property
    def hub(self) -> Hub:
        if self._hub is None:
            from media_hub.publishing.hubs import open_hub

            self._hub = open_hub(self.hub_folder)
        return self._hub

    @property
    def settings(self) -> Settings:
        return self.hub.settings

    @property
    def catalog(self) -> CatalogService:
        return self.hub.catalog

    def close(self) -> None:
        if self._hub is not None:
            self._hub.close()


def state(ctx: ClickContext) -> CliState:
    """The state the root callback stored (a fresh one when a command runs on its own)."""
    root = ctx.find_root()
    if not isinstance(root.obj, CliState):
        root.obj = CliState()
    return root.obj

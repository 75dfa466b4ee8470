"""A hub: the folder a team works in (settings, conventions, catalog, assets, thumbnails)."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from media_hub.errors import ConfigError
from media_hub.settings import CONFIG_FILE, Sections, Settings, iter_declared_settings

if TYPE_CHECKING:  # the catalog (SQLAlchemy) and the store (boto3) are imported when opened
    from media_hub.catalog.db import Catalog
    from media_hub.catalog.service import CatalogService
    from media_hub.storage.base import AssetStore

HUB_GITIGNORE = """\
# What media-hub generates; the conventions under catalog/ are meant to be versioned.
/catalog/*.db
/catalog/*.db-*
/catalog/*.migrate-lock
/assets/
/thumbnails/
"""


@dataclass
class Hub:
    """An open hub. Parts are opened on first use, so `config show` needs no database."""

    settings: Settings
    _catalog: Catalog | None = field(default=None, init=False)

    @cached_property
    def db(self) -> Catalog:
        """The catalog's database: its sessions, for the steps that write their own rows."""
        from media_hub.catalog.db import open_catalog

        self._catalog = open_catalog(self.settings.catalog_url, self.settings.user)
        return self._catalog

    @cached_property
    def catalog(self) -> CatalogService:
        """The catalog's service: the validated, audited operations people ask for."""
        from media_hub.catalog.service import CatalogService

        return CatalogService(self.db)

    @cached_property
    def store(self) -> AssetStore:
        from media_hub.storage.factory import open_store  # boto3 is slow to import

        return open_store(self.settings)

    def close(self) -> None:
        if self._catalog is not None:
            self._catalog.close()


def starter_conventions() -> Path:
    """The conventions a new hub starts from: shipped in the wheel, or the clone's catalog/."""
    packaged = resources.files("media_hub") / "starter"
    if packaged.is_dir():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parent.parent / "catalog"
    if (checkout / "series.toml").is_file():
        return checkout
    raise ConfigError("media-hub's starter conventions are missing; reinstall media-hub")


def init_hub(folder: Path, sections: Sections | None = None) -> list[Path]:
    """Create the hub's files and folders where missing; returns what was created. Its
    media-hub.toml documents media-hub's settings and the platforms' `sections`."""
    if folder.exists() and not folder.is_dir():
        raise ConfigError(f"{folder} exists and is not a folder; choose another path")
    created: list[Path] = []
    for sub in (folder, folder / "catalog", folder / "assets", folder / "thumbnails"):
        if not sub.exists():
            sub.mkdir(parents=True)
            created.append(sub)
    config = folder / CONFIG_FILE
    if not config.exists():
        # Created private: it may later hold the store's or a platform's secrets.
        descriptor = os.open(config, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
            stream.write(default_config_text(sections))
        created.append(config)
    gitignore = folder / ".gitignore"
    if not gitignore.exists():
        gitignore.write_text(HUB_GITIGNORE, encoding="utf-8")
        created.append(gitignore)
    starter = starter_conventions()
    if starter.resolve() != (folder / "catalog").resolve():
        starter_files = [*starter.glob("*.toml"), *starter.glob("templates/*.toml")]
        starter_files += [path for path in starter.glob("branding/*") if path.is_file()]
        for source in sorted(starter_files):
            target = folder / "catalog" / source.relative_to(starter)
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)
                created.append(target)
    return created


def default_config_text(sections: Sections | None = None) -> str:
    """A media-hub.toml that documents every setting (the platforms' `sections` too), all
    commented out (the defaults)."""
    lines = [
        "# media-hub settings for this hub. Uncomment a key to change it.",
        "# Every key can also be set in the environment: MEDIA_HUB_<SECTION>_<KEY>,",
        "# for example MEDIA_HUB_CATALOG_URL. Relative paths are taken from this folder.",
    ]
    section: str | None = None
    for declared in iter_declared_settings(sections):
        if declared.section != section:
            section = declared.section
            lines += ["", f"[{section}]" if section else "# Top level"]
        lines.append(f"# {declared.help}")
        lines.append(f"# {declared.name} = {declared.toml_default}")
    return "\n".join(lines) + "\n"

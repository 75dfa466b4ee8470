"""Settings: declared once, with defaults and help, read from media-hub.toml and the environment.

A frozen `Settings` object is built per hub and passed down; nothing reads configuration
from a global. Every key `section.name` can be overridden by `MEDIA_HUB_SECTION_NAME`.
"""

from __future__ import annotations

import getpass
import json
import os
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar
from urllib.parse import urlsplit

import pydantic
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, SecretStr
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from media_hub import redaction
from media_hub.errors import ConfigError
from media_hub.private_files import refuse_if_shared

CONFIG_FILE = "media-hub.toml"
ENV_PREFIX = "MEDIA_HUB_"
HOME_ENV = "MEDIA_HUB_HOME"
SectionT = TypeVar("SectionT", bound=BaseModel)
# Secrets that PostgreSQL's and AWS's client libraries take from the environment.
LIBRARY_SECRETS = ("PGPASSWORD", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CatalogSettings(_Section):
    url: str = Field(
        "sqlite:///catalog/media-hub.db",
        description="SQLAlchemy URL of the catalog; a relative SQLite path is under the hub.",
    )
    definitions: Path = Field(
        Path("catalog"),
        description="Folder of the channel's conventions: series, playlists, topics, templates.",
    )
    import_max_rows: int = Field(
        100_000,
        ge=1,
        description="Most rows 'catalog import' takes from a sheet; a longer one is refused "
        "before it is read.",
    )


class StoreSettings(_Section):
    url: str = Field(
        "assets", description="Asset store: a folder (relative to the hub) or s3://bucket/prefix."
    )
    endpoint_url: str | None = Field(None, description="S3 endpoint, for S3-compatible servers.")
    region: str | None = Field(None, description="S3 region.")
    access_key_id: str | None = Field(None, description="S3 access key id.")
    secret_access_key: SecretStr | None = Field(None, description="S3 secret access key.")


class ThumbnailSettings(_Section):
    dir: Path = Field(Path("thumbnails"), description="Folder of the generated thumbnails.")


class PlatformSettings(_Section):
    """The base of a platform's own section (`[name]`), declared in its folder and read
    through `Settings.section`, so a new platform adds settings without editing this file."""


class Settings(BaseSettings):
    """The effective settings of one hub."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_nested_delimiter="_",
        env_nested_max_split=1,
        extra="forbid",
        frozen=True,
    )

    home: Path = Field(Path(), description="The hub folder; set by MEDIA_HUB_HOME or --hub.")
    user: str = Field(
        default_factory=getpass.getuser,
        description="Name recorded in the audit log for changes made from this session.",
    )
    catalog: CatalogSettings = CatalogSettings()
    store: StoreSettings = StoreSettings()
    thumbnails: ThumbnailSettings = ThumbnailSettings()
    # The file's other tables, by name: platforms' sections, validated by `section`.
    tables: dict[str, dict[str, Any]] = Field(default_factory=dict, exclude=True)
    _sections: dict[tuple[str, type[BaseModel]], BaseModel] = PrivateAttr(default_factory=dict)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # The file's values arrive as init arguments; the environment wins over them.
        return (env_settings, init_settings)

    def path(self, value: Path) -> Path:
        """A configured path, with ~ expanded and relative paths taken from the hub folder."""
        expanded = value.expanduser()
        return expanded if expanded.is_absolute() else self.home / expanded

    @property
    def catalog_url(self) -> str:
        """The catalog URL with a relative SQLite path anchored in the hub folder."""
        prefix = "sqlite:///"
        url = self.catalog.url
        if url.startswith(prefix) and url != "sqlite:///:memory:":
            db_path = Path(url.removeprefix(prefix))
            if not db_path.is_absolute():
                return prefix + str(self.home / db_path)
        return url

    @property
    def definitions_dir(self) -> Path:
        return self.path(self.catalog.definitions)

    def section(self, name: str, model: type[SectionT]) -> SectionT:
        """The `[name]` table of the file under its `MEDIA_HUB_NAME_KEY` overrides, checked
        against `model` (once: the result is kept)."""
        found = self._sections.get((name, model))
        if found is None:
            values = dict(self.tables.get(name, {}))
            for key in model.model_fields:
                env_name = f"{ENV_PREFIX}{name.upper()}_{key.upper()}"
                if env_name in os.environ:
                    values[key] = os.environ[env_name]
            try:
                found = model(**values)
            except pydantic.ValidationError as exc:
                raise ConfigError(_describe(exc, self.home / CONFIG_FILE, name)) from exc
            _register_secrets(found)
            self._sections[name, model] = found
        assert isinstance(found, model)
        return found


# What makes a folder a hub: its settings file, or (a hub made by hand, this repository) its
# conventions.
HUB_MARKERS = (CONFIG_FILE, "catalog/series.toml")


def hub_home(explicit: Path | None = None, environ: Mapping[str, str] | None = None) -> Path:
    """The hub folder: the one given (--hub), else MEDIA_HUB_HOME, else the current folder
    or the nearest parent that is a hub, as git finds its repository. Outside any hub this
    refuses rather than start an empty catalog where the user happens to stand."""
    environ = os.environ if environ is None else environ
    if explicit is not None:
        return explicit.expanduser().resolve()
    if environ.get(HOME_ENV):
        return Path(environ[HOME_ENV]).expanduser().resolve()
    here = Path.cwd()
    for folder in (here, *here.parents):
        if is_hub(folder):
            return folder
    raise ConfigError(
        f"{here} is not in a hub (no {CONFIG_FILE} here or in a parent folder) and "
        f"{HOME_ENV} is not set; create one with 'media-hub init FOLDER', or cd into one"
    )


def is_hub(folder: Path) -> bool:
    return any((folder / marker).is_file() for marker in HUB_MARKERS)


CORE_KEYS = frozenset({"user", "catalog", "store", "thumbnails"})
Sections = Mapping[str, type[BaseModel]]


def load_settings(home: Path | None = None, sections: Sections | None = None) -> Settings:
    """Read `media-hub.toml` of the hub (if any) under the environment's overrides.

    `sections` are the platforms' settings models by section name: given (as the CLI does),
    each is checked now, and a table no platform declares is refused; otherwise a section is
    checked when its platform first reads it."""
    folder = hub_home(home)
    config_path = folder / CONFIG_FILE
    values: dict[str, Any] = {}
    if config_path.exists():
        try:
            values = tomllib.loads(config_path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{config_path}: not valid TOML ({exc}); fix the file") from exc
        if "home" in values:
            raise ConfigError(f"{config_path}: 'home' cannot be set in the file; remove it")
    tables = {
        key: value
        for key, value in values.items()
        if key not in CORE_KEYS and isinstance(value, dict)
    }
    core = {key: value for key, value in values.items() if key not in tables}
    core["home"] = folder
    try:
        settings = Settings(**core, tables=tables)
    except pydantic.ValidationError as exc:
        raise ConfigError(_describe(exc, config_path)) from exc
    # MEDIA_HUB_HOME is also seen by the environment source, unexpanded: the resolved folder wins.
    settings = settings.model_copy(update={"home": folder})
    _register_secrets(settings.store)
    redaction.register_url_password(settings.catalog.url)
    # What the libraries media-hub drives would also read from the environment.
    redaction.register(*(os.environ.get(name) for name in LIBRARY_SECRETS))
    if sections is not None:
        unknown = sorted(set(tables) - set(sections))
        if unknown:
            raise ConfigError(
                f"{config_path}: [{unknown[0]}] is not a section of media-hub's settings; "
                f"known: {', '.join([*sorted(CORE_KEYS - {'user'}), *sections])}"
            )
        for name, model in sections.items():
            settings.section(name, model)
    secrets = _secrets_in_file(settings, values, sections or {})
    if secrets:
        refuse_if_shared(config_path, ", ".join(secrets))
    return settings


def _secrets_in_file(
    settings: Settings, values: Mapping[str, Any], sections: Sections
) -> list[str]:
    """The secret settings the file itself sets (SecretStr ones, and a catalog.url with a
    password), as `section.key`: the file must then be as private as a token file."""
    catalog = values.get("catalog")
    url = catalog.get("url") if isinstance(catalog, Mapping) else None
    found = ["catalog.url"] if isinstance(url, str) and urlsplit(url).password else []
    for name, table in values.items():
        if not isinstance(table, Mapping):
            continue
        if name in SECTIONS:
            owner: BaseModel | None = getattr(settings, name)
        elif name in sections:
            owner = settings.section(name, sections[name])
        else:
            owner = None
        for key in table:
            if owner is not None and table[key] and isinstance(getattr(owner, key), SecretStr):
                found.append(f"{name}.{key}")
    return found


def _register_secrets(section: BaseModel) -> None:
    """Every secret setting of the section is masked in the log from now on."""
    for name in type(section).model_fields:
        value = getattr(section, name)
        if isinstance(value, SecretStr):
            redaction.register(value.get_secret_value())


def _describe(exc: pydantic.ValidationError, config_path: Path, section: str = "") -> str:
    first = exc.errors()[0]
    key = ".".join(str(part) for part in (section, *first["loc"]) if part != "")
    env_name = ENV_PREFIX + key.replace(".", "_").upper()
    return (
        f"setting {key} (in {config_path} or {env_name}): {first['msg']}; "
        "fix it or remove it to use the default"
    )


Origin = Literal["default", "file", "environment"]
SECTIONS = ("catalog", "store", "thumbnails")


@dataclass(frozen=True)
class DeclaredSetting:
    section: str  # "" for the top level
    name: str
    help: str
    default: object

    @property
    def key(self) -> str:
        return f"{self.section}.{self.name}" if self.section else self.name

    @property
    def env_name(self) -> str:
        return ENV_PREFIX + self.key.replace(".", "_").upper()

    @property
    def toml_default(self) -> str:
        if self.default is None:
            return '""  # not set'
        if isinstance(self.default, bool):
            return str(self.default).lower()
        return json.dumps(str(self.default), ensure_ascii=False)


def iter_declared_settings(sections: Sections | None = None) -> Iterator[DeclaredSetting]:
    """Every setting a user may write, in file order (home is not one: it is where the file
    is), the platforms' `sections` after media-hub's own."""
    user = Settings.model_fields["user"]
    yield DeclaredSetting("", "user", user.description or "", "(your login name)")
    models: list[tuple[str, type[BaseModel]]] = []
    for section in SECTIONS:
        model = Settings.model_fields[section].annotation
        assert isinstance(model, type)
        assert issubclass(model, BaseModel)
        models.append((section, model))
    for section, model in [*models, *(sections or {}).items()]:
        for name, info in model.model_fields.items():
            yield DeclaredSetting(section, name, info.description or "", info.default)


def effective_settings(
    settings: Settings, sections: Sections | None = None
) -> Iterator[tuple[DeclaredSetting, str, Origin]]:
    """Each setting with its shown value (secrets masked) and where the value came from."""
    config_path = settings.home / CONFIG_FILE
    in_file: dict[str, Any] = {}
    if config_path.exists():
        in_file = tomllib.loads(config_path.read_text(encoding="utf-8"))
    for declared in iter_declared_settings(sections):
        if not declared.section:
            owner: object = settings
        elif declared.section in SECTIONS:
            owner = getattr(settings, declared.section)
        else:
            owner = settings.section(declared.section, (sections or {})[declared.section])
        value = getattr(owner, declared.name)
        scope = in_file.get(declared.section, {}) if declared.section else in_file
        origin: Origin = "default"
        if declared.env_name in os.environ:
            origin = "environment"
        elif isinstance(scope, Mapping) and declared.name in scope:
            origin = "file"
        yield declared, _show(value), origin


def _show(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, SecretStr):
        return "********" if value.get_secret_value() else ""
    text = str(value)
    if "://" in text and "@" in text:
        return mask_url_password(text)
    return text


def mask_url_password(url: str) -> str:
    """`postgresql://u:secret@h/db` -> `postgresql://u:***@h/db`, for anything shown or logged."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url.split("://", 1)[0] + "://***"

"""The look of every thumbnail, read once from a TOML table into a frozen record.

A channel changes its colours or logo by editing a file, not code; a typo in a key or a value
is refused with the file and key named, before any frame is fetched. The organisation's
default style ships with the package (`thumbnail_style.toml`).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, fields
from importlib import resources
from pathlib import Path
from typing import Any, Literal, get_args

from media_hub.errors import ConfigError

BandPosition = Literal["top", "bottom"]
Corner = Literal["top-left", "top-right", "bottom-left", "bottom-right"]
Weight = Literal["bold", "regular"]

DEFAULT_TABLE = "thumbnail"
THUMBNAIL_HEIGHT = 720
LINE_ROOM = 1.3  # font sizes of height one line of text needs, accents and descenders included
_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")


@dataclass(frozen=True)
class ThumbnailStyle:
    """Colours, band, logo and fonts of a thumbnail (sizes in pixels of 1280x720)."""

    band_colour: str = "#0B2E6F"
    band_height: float = 0.26
    band_position: BandPosition = "bottom"
    text_colour: str = "#FFFFFF"
    logo: Path | None = None
    logo_position: Corner = "top-right"
    logo_height: float = 0.14
    font_arabic: str = "Noto Sans Arabic"
    font_latin: str = "Noto Sans"
    font_tifinagh: str = "Noto Sans Tifinagh"
    font_weight: Weight = "bold"
    min_font_size: int = 28
    max_font_size: int = 76
    padding: int = 36

    def __post_init__(self) -> None:
        for name in ("band_colour", "text_colour"):
            if not _HEX.match(getattr(self, name)):
                raise ValueError(f"{name}: a colour like '#0B2E6F', not {getattr(self, name)!r}")
        _choice("band_position", self.band_position, ("top", "bottom"))
        _choice("logo_position", self.logo_position, get_args(Corner))
        _choice("font_weight", self.font_weight, ("bold", "regular"))
        if not 0.1 <= self.band_height <= 0.6:
            raise ValueError("band_height: a fraction of the height from 0.1 to 0.6")
        if not 0.03 <= self.logo_height <= 0.3:
            raise ValueError("logo_height: a fraction of the height from 0.03 to 0.3")
        if not 8 <= self.min_font_size <= self.max_font_size <= 200:
            raise ValueError("min_font_size and max_font_size: 8 <= min <= max <= 200")
        if not 0 <= self.padding <= 200:
            raise ValueError("padding: from 0 to 200 pixels")
        room = self.band_height * THUMBNAIL_HEIGHT - 2 * self.padding
        if room < LINE_ROOM * self.min_font_size:
            raise ValueError(
                f"band_height leaves {room:.0f} pixels inside the padding, too little for "
                f"one line at min_font_size {self.min_font_size}"
            )


def load_style(path: Path | None = None, table: str = DEFAULT_TABLE) -> ThumbnailStyle:
    """The style in `[table]` of the TOML file at `path`, or the organisation's default."""
    if path is None:
        source = resources.files("media_hub.media").joinpath("thumbnail_style.toml")
        return style_from_table(tomllib.loads(source.read_text("utf-8")), table, None, "default")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the thumbnail style ({exc.strerror})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from exc
    return style_from_table(data, table, path.parent, str(path))


def style_from_table(
    data: dict[str, Any], table: str, folder: Path | None, name: str
) -> ThumbnailStyle:
    """Build the style from parsed TOML; a relative logo path is taken from `folder`."""
    values = data.get(table)
    if not isinstance(values, dict):
        raise ConfigError(f"{name}: no [{table}] table")
    known = {field.name for field in fields(ThumbnailStyle)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise ConfigError(f"{name}: [{table}] has unknown keys: {', '.join(unknown)}")
    arguments = dict(values)
    for key, value in arguments.items():
        _check_type(name, table, key, value)
    if "logo" in arguments:
        logo = Path(str(arguments["logo"])).expanduser()
        arguments["logo"] = logo if logo.is_absolute() or folder is None else folder / logo
    try:
        return ThumbnailStyle(**arguments)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{name}: [{table}] {exc}") from exc


_NUMBER_FIELDS = {"band_height", "logo_height"}
_INT_FIELDS = {"min_font_size", "max_font_size", "padding"}


def _check_type(name: str, table: str, key: str, value: object) -> None:
    if key in _INT_FIELDS:
        ok = isinstance(value, int) and not isinstance(value, bool)
        expected = "a whole number"
    elif key in _NUMBER_FIELDS:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        expected = "a number"
    else:
        ok = isinstance(value, str)
        expected = "a string"
    if not ok:
        raise ConfigError(f"{name}: [{table}] {key}: {expected}, not {value!r}")


def _choice(name: str, value: object, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ValueError(f"{name}: one of {', '.join(allowed)}, not {value!r}")

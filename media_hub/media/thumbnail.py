"""A video's thumbnail: the chosen frame, a band in the channel's colour, the logo, the title.

The frame is cropped to 16:9 and scaled (never stretched). The title is set in the asset's
language at the largest size that fits its box, on at most two lines; Arabic is shaped and
right-aligned, Latin and Tifinagh left-aligned. The result is a 1280x720 RGB picture, saved as
a JPEG under the platforms' 2 MB limit by `save_jpeg`.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from PIL import Image, ImageDraw, ImageOps

from media_hub.errors import MediaError
from media_hub.media.images import check_pixels, open_image
from media_hub.media.textfit import Fitted, block_extent, fit_text, pitch
from media_hub.media.textshaping import Shaper, script_of
from media_hub.media.thumbnail_style import ThumbnailStyle

WIDTH, HEIGHT = 1280, 720
JPEG_LIMIT = 2 * 1024 * 1024  # bytes: the strictest documented limit for a custom thumbnail
JPEG_QUALITIES = (90, 85, 80, 75, 70, 60, 50, 40)
MAX_LOGO_WIDTH = 0.3  # of the thumbnail's width


@dataclass(frozen=True)
class Box:
    """A rectangle in pixels; `right` and `bottom` are exclusive."""

    left: int
    top: int
    right: int
    bottom: int

    @property
    def width(self) -> int:
        return self.right - self.left

    @property
    def height(self) -> int:
        return self.bottom - self.top

    def overlaps_rows(self, other: Box) -> bool:
        return self.top < other.bottom and other.top < self.bottom


@dataclass(frozen=True)
class TitleLayout:
    """Where each line of the title goes: its pen origin (left end, on the baseline)."""

    fitted: Fitted
    pens: tuple[tuple[float, float], ...]
    box: Box
    align: Literal["left", "right"]


def band_box(style: ThumbnailStyle) -> Box:
    """The coloured band across the thumbnail."""
    height = round(HEIGHT * style.band_height)
    top = 0 if style.band_position == "top" else HEIGHT - height
    return Box(0, top, WIDTH, top + height)


def logo_box(size: tuple[int, int], style: ThumbnailStyle) -> Box:
    """Where a logo of `size` (already scaled) sits: its corner, `padding` from the edges."""
    width, height = size
    margin = style.padding
    left = margin if style.logo_position.endswith("left") else WIDTH - margin - width
    top = margin if style.logo_position.startswith("top") else HEIGHT - margin - height
    return Box(left, top, left + width, top + height)


def text_box(style: ThumbnailStyle, logo: Box | None) -> Box:
    """The band less its padding, and less the logo's columns when the logo sits on it."""
    band = band_box(style)
    pad = style.padding
    box = Box(band.left + pad, band.top + pad, band.right - pad, band.bottom - pad)
    if logo is not None and logo.overlaps_rows(band):
        if style.logo_position.endswith("right"):
            box = Box(box.left, box.top, min(box.right, logo.left - pad), box.bottom)
        else:
            box = Box(max(box.left, logo.right + pad), box.top, box.right, box.bottom)
    return box


def clean_title(title: str) -> str:
    """One line of text: composed characters, single spaces."""
    return " ".join(unicodedata.normalize("NFC", title).split())


def layout_title(
    title: str, language: str, style: ThumbnailStyle, box: Box
) -> tuple[Shaper, TitleLayout]:
    """Fit the title into `box` and place its lines, centred vertically as inked."""
    text = clean_title(title)
    script = script_of(text, language)
    shaper = Shaper(script, language, style)
    fitted = fit_text(
        text,
        box.width,
        box.height,
        shaper.measure,
        min_size=style.min_font_size,
        max_size=style.max_font_size,
    )
    align: Literal["left", "right"] = "right" if script == "arabic" else "left"
    pens: list[tuple[float, float]] = []
    if fitted.lines:
        top, bottom = block_extent(fitted.lines, fitted.size, shaper.measure)
        first_baseline = box.top + (box.height - (bottom - top)) / 2 - top
        for number, line in enumerate(fitted.lines):
            ink = shaper.measure(line, fitted.size)
            x = box.right - ink.right if align == "right" else box.left - ink.left
            pens.append((x, first_baseline + number * pitch(fitted.size)))
    return shaper, TitleLayout(fitted, tuple(pens), box, align)


def render_thumbnail(
    frame: Image.Image,
    title: str,
    language: str,
    style: ThumbnailStyle,
    logo: Path | None = None,
    centering: tuple[float, float] = (0.5, 0.5),
) -> Image.Image:
    """The 1280x720 thumbnail; `logo` overrides the style's logo. `centering` says which part
    of a frame of another shape is kept: (0.5, 0.0) keeps the top of a portrait deck page,
    where its title is."""
    check_pixels(str(getattr(frame, "filename", "") or "frame"), frame.width, frame.height)
    picture = ImageOps.fit(
        ImageOps.exif_transpose(frame).convert("RGB"),
        (WIDTH, HEIGHT),
        method=Image.Resampling.LANCZOS,
        centering=centering,
    )
    band = band_box(style)
    ImageDraw.Draw(picture).rectangle(
        (band.left, band.top, band.right - 1, band.bottom - 1), fill=style.band_colour
    )
    placed = None
    logo_path = logo if logo is not None else style.logo
    if logo_path is not None:
        mark = scaled_logo(open_image(logo_path), style)
        placed = logo_box(mark.size, style)
        picture.paste(mark, (placed.left, placed.top), mark)
    shaper, layout = layout_title(title, language, style, text_box(style, placed))
    for line, pen in zip(layout.fitted.lines, layout.pens, strict=True):
        shaper.draw(picture, line, layout.fitted.size, pen, style.text_colour)
    return picture


def scaled_logo(image: Image.Image, style: ThumbnailStyle) -> Image.Image:
    """The logo in RGBA at the style's height, no wider than 30% of the thumbnail."""
    mark = image.convert("RGBA")
    height = round(HEIGHT * style.logo_height)
    width = max(1, round(mark.width * height / mark.height))
    if width > WIDTH * MAX_LOGO_WIDTH:
        width = round(WIDTH * MAX_LOGO_WIDTH)
        height = max(1, round(mark.height * width / mark.width))
    return mark.resize((width, height), Image.Resampling.LANCZOS)


def save_jpeg(image: Image.Image, path: Path, limit: int = JPEG_LIMIT) -> int:
    """Save as JPEG at quality 90, lower if needed to stay under `limit`; the size in bytes."""
    rgb = image.convert("RGB")
    for quality in JPEG_QUALITIES:
        buffer = io.BytesIO()
        rgb.save(buffer, "JPEG", quality=quality, optimize=True)
        data = buffer.getvalue()
        if len(data) < limit:
            partial = path.with_name(f".{path.name}.partial")
            partial.write_bytes(data)
            partial.replace(path)  # a half-written thumbnail is never left under `path`
            return len(data)
    raise MediaError(str(path), f"cannot get the JPEG under {limit:,} bytes even at quality 40")

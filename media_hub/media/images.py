"""Opening pictures with Pillow without trusting their headers.

A PNG or JPEG header can claim billions of pixels in a few bytes; Pillow only warns below
twice its limit. Every picture media-hub reads (frames, logos) goes through `open_image`, which
refuses anything past `Image.MAX_IMAGE_PIXELS` with a one-line `MediaError` naming the file.
Only the formats asked for are tried: Pillow knows some forty, EPS among them, which it hands
to Ghostscript where that is installed.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from media_hub.errors import MediaError

# What media-hub's own pictures are: frames (PNG), logos and librarians' pictures.
PICTURE_FORMATS = ("JPEG", "PNG", "WEBP")
_SHOWN = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}


def pixel_limit() -> int | None:
    """Pillow's current limit (read at call time, so a caller or a test can lower it)."""
    return Image.MAX_IMAGE_PIXELS


def check_pixels(name: str, width: int, height: int) -> None:
    """Refuse a picture whose size is past the decompression-bomb limit."""
    limit = pixel_limit()
    if limit is not None and width * height > limit:
        raise MediaError(
            name,
            f"the picture is {width}x{height} pixels, past the limit of {limit:,} "
            "(a decompression bomb or an oversized picture); scale it down first",
        )


def open_image(path: Path, formats: Sequence[str] = PICTURE_FORMATS) -> Image.Image:
    """The decoded picture at `path`, loaded into memory, or a one-line `MediaError`.

    `formats` are Pillow's names (JPEG, PNG, WEBP); a picture in any other is refused.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path, formats=list(formats)) as image:
                check_pixels(str(path), image.width, image.height)
                image.load()
                return image.copy()  # detached: the file is closed on leaving the block
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise MediaError(
            str(path),
            f"the picture is past the limit of {pixel_limit() or 0:,} pixels "
            "(a decompression bomb or an oversized picture); scale it down first",
        ) from exc
    except UnidentifiedImageError as exc:
        raise MediaError(str(path), f"not a {_names(formats)} picture; save it as one") from exc
    except FileNotFoundError as exc:
        raise MediaError(str(path), "no such file") from exc
    except OSError as exc:
        raise MediaError(str(path), f"cannot decode the picture ({exc})") from exc


def _names(formats: Sequence[str]) -> str:
    """`JPEG, PNG or WebP`."""
    shown = [_SHOWN.get(name, name) for name in formats]
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} or {shown[-1]}"

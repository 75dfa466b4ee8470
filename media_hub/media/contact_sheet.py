"""A contact sheet of the thumbnail candidates, for a librarian to pick a better one.

Each frame is shown as the thumbnail will crop it (16:9), labelled with the number to pick it
by (`media-hub thumbs pick ID N`), its time in the clip and its score; the chosen one is
outlined.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from PIL import Image, ImageDraw, ImageFont, ImageOps

from media_hub.errors import MediaError
from media_hub.media.fonts import find_font
from media_hub.media.frames import Candidate, best
from media_hub.media.images import open_image

TILE = (320, 180)
LABEL_HEIGHT = 30
GAP = 14
OUTLINE = 6
BACKGROUND = "#1E1E1E"
LABEL_COLOUR = "#F0F0F0"
CHOSEN_COLOUR = "#FFB000"


def sheet_size(count: int, columns: int) -> tuple[int, int]:
    """Width and height of a sheet of `count` tiles in up to `columns` columns."""
    columns = max(1, min(columns, count))
    rows = math.ceil(count / columns)
    width, height = TILE
    return GAP + columns * (width + GAP), GAP + rows * (height + LABEL_HEIGHT + GAP)


def tile_origin(position: int, columns: int) -> tuple[int, int]:
    """Top-left corner of the tile in `position` (0-based, reading order)."""
    width, height = TILE
    row, column = divmod(position, columns)
    return GAP + column * (width + GAP), GAP + row * (height + LABEL_HEIGHT + GAP)


def format_time(seconds: float) -> str:
    """1:05.3 or 1:02:05.3: short enough for a label, precise enough to find the frame."""
    minutes, rest = divmod(seconds, 60)
    hours, minutes = divmod(int(minutes), 60)
    return f"{hours}:{minutes:02d}:{rest:04.1f}" if hours else f"{minutes}:{rest:04.1f}"


def contact_sheet(
    candidates: Sequence[Candidate], columns: int = 4, chosen: int | None = None
) -> Image.Image:
    """The candidates' frames in a grid, labelled; `chosen` (default: the best) outlined."""
    if not candidates:
        raise ValueError("no candidates to show")
    if columns < 1:
        raise ValueError("columns must be at least 1")
    chosen = best(candidates).index if chosen is None else chosen
    columns = min(columns, len(candidates))
    sheet = Image.new("RGB", sheet_size(len(candidates), columns), BACKGROUND)
    draw = ImageDraw.Draw(sheet)
    font = _label_font()
    width, height = TILE
    for position, candidate in enumerate(candidates):
        x, y = tile_origin(position, columns)
        frame = ImageOps.fit(
            open_image(candidate.image_path).convert("RGB"), TILE, Image.Resampling.LANCZOS
        )
        sheet.paste(frame, (x, y))
        label = f"#{candidate.index}  {format_time(candidate.time)}  score {candidate.score:.2f}"
        mine = candidate.index == chosen
        if mine:
            label += "  chosen"
            draw.rectangle(
                (
                    x - OUTLINE,
                    y - OUTLINE,
                    x + width + OUTLINE - 1,
                    y + height + LABEL_HEIGHT + OUTLINE - 1,
                ),
                outline=CHOSEN_COLOUR,
                width=OUTLINE,
            )
        draw.text(
            (x + 6, y + height + LABEL_HEIGHT // 2),
            label,
            font=font,
            fill=CHOSEN_COLOUR if mine else LABEL_COLOUR,
            anchor="lm",
        )
    return sheet


def _label_font() -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype(str(find_font("Noto Sans", "regular")), 17)
    except MediaError:
        return ImageFont.load_default(17)  # labels are ASCII: any font will do

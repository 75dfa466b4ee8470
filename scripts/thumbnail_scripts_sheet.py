"""Draw docs/thumbnail-scripts.png: one thumbnail a script, as the README shows them.

Run from the checkout: `.venv/bin/python scripts/thumbnail_scripts_sheet.py [OUTPUT]`. Each
title is drawn by `render_thumbnail` with the default style over a plain gradient, so the
sheet shows what the channel publishes: Arabic with Western and Eastern digits, French,
Tamazight in Tifinagh, and titles that mix directions.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw

from media_hub.media.fonts import find_font
from media_hub.media.textshaping import Shaper
from media_hub.media.thumbnail import HEIGHT, WIDTH, render_thumbnail
from media_hub.media.thumbnail_style import load_style

TITLES = (
    ("ملتقى 2026 – 3 أيام", "ar", "Arabic, Western digits"),
    ("خصم ٥٠٪ على التكوين (الدورة ٢) – ٢٠٢٦", "ar", "Arabic, Eastern digits"),
    ("Rédiger son CV : 5 conseils pour 2026", "fr", "French"),
    ("Forum de l'emploi avec محمد العلمي à Rabat", "fr", "French, an Arabic name"),
    ("ⴰⵎⵓⵍⵍⵉ ⵏ ⵓⵙⵡⵓⴳⴳⵯ 2026", "zgh", "Tamazight, Tifinagh"),
    ("نصائح لكتابة CV ناجح (الجزء 2)", "ar", "Arabic, a Latin word"),
)
COLUMNS, SCALE, GAP, LABEL = 3, 0.375, 16, 34


def gradient() -> Image.Image:
    """A frame that is not one colour, as a real frame is not."""
    top, bottom = (96, 128, 160), (200, 176, 140)
    frame = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(frame)
    for y in range(HEIGHT):
        mix = y / (HEIGHT - 1)
        colour = tuple(round(a + (b - a) * mix) for a, b in zip(top, bottom, strict=True))
        draw.line((0, y, WIDTH, y), fill=colour)
    return frame


def sheet() -> Image.Image:
    """The thumbnails in a grid, each captioned with its language and what it shows."""
    style = load_style()
    frame = gradient()
    tile = (round(WIDTH * SCALE), round(HEIGHT * SCALE))
    rows = -(-len(TITLES) // COLUMNS)
    size = (GAP + COLUMNS * (tile[0] + GAP), GAP + rows * (tile[1] + LABEL + GAP))
    canvas = Image.new("RGB", size, "#1E1E1E")
    caption = Shaper("latin", "en", load_style())
    find_font("Noto Sans")  # a missing font is named before anything is drawn
    for position, (title, language, note) in enumerate(TITLES):
        row, column = divmod(position, COLUMNS)
        left = GAP + column * (tile[0] + GAP)
        top = GAP + row * (tile[1] + LABEL + GAP)
        thumbnail = render_thumbnail(frame, title, language, style)
        canvas.paste(thumbnail.resize(tile, Image.Resampling.LANCZOS), (left, top))
        caption.draw(canvas, f"{language}: {note}", 20, (left, top + tile[1] + 24), "#F0F0F0")
    return canvas


def main(argv: list[str]) -> None:
    output = Path(argv[1] if len(argv) > 1 else "docs/thumbnail-scripts.png")
    sheet().save(output, optimize=True)


if __name__ == "__main__":
    main(sys.argv)

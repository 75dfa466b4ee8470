"""Measuring and drawing one line of a title: shaped, in its direction, with a fallback font.

Arabic letters change shape with their neighbours and run right to left; only Pillow's raqm
layout (libraqm with FriBiDi and HarfBuzz) does that. Without it Pillow draws isolated letters
in reverse order, so an Arabic title then raises a `MediaError` instead. The script fonts lack
Latin letters and some punctuation (an Arabic title mentioning "CV", the ellipsis), so a line
is cut into runs, each drawn in the first font that has its letters: the title's script font,
else the Latin one.

The order of the runs is the Unicode Bidirectional Algorithm's (`bidi_order`, FriBidi), run
on the whole line with the paragraph direction of the title's language, before the fonts are
chosen: a run of digits and a dash falls back to the Latin font but keeps its place in the
Arabic line. Lines are wrapped on the logical text (`textfit`), then each is reordered.

Noto has no bold Tifinagh (fonts-noto-core ships Noto Sans Tifinagh in Regular only), so a
font found only in Regular when the style asks for bold is drawn with a stroke of its own
colour, `FAUX_BOLD` of the size on each side: the stems of Noto Sans and Noto Sans Arabic
grow by 0.06 of the size from Regular to Bold (measured on "l" and alif at 400 px).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from PIL import Image, ImageDraw, ImageFont, features

from media_hub.errors import MediaError
from media_hub.media.bidi_order import segments
from media_hub.media.fonts import find_font
from media_hub.media.textfit import Ink
from media_hub.media.thumbnail_style import ThumbnailStyle

Script = Literal["arabic", "latin", "tifinagh"]
ARABIC_LANGUAGES = {"ar", "ary", "arq", "fa", "ur"}
TIFINAGH_LANGUAGES = {"zgh", "tzm", "ber"}
RAQM_HINT = "install libfribidi0 (apt-get install libfribidi0) so that Pillow can shape it"
FAUX_BOLD = 0.03  # stroke on each side of a regular face standing in for bold, in sizes


def script_of(text: str, language: str) -> Script:
    """The script a title is set in: its language's, if the title has letters of it, else
    that of its first letter (how the bidi algorithm picks a paragraph's direction)."""
    base = language.lower().split("-")[0]
    expected: Script = (
        "arabic"
        if base in ARABIC_LANGUAGES
        else "tifinagh"
        if base in TIFINAGH_LANGUAGES
        else "latin"
    )
    letters = [_letter_script(char) for char in text if char.isalpha()]
    if not letters or expected in letters:
        return expected
    return letters[0]


def _letter_script(char: str) -> Script:
    if _is_arabic(char):
        return "arabic"
    if _is_tifinagh(char):
        return "tifinagh"
    return "latin"


def raqm_available() -> bool:
    """Whether Pillow can shape complex scripts (read at call time: tests switch it off)."""
    return bool(features.check("raqm"))


@dataclass(frozen=True)
class Run:
    """Part of a line drawn in one font and one direction."""

    text: str
    font: ImageFont.FreeTypeFont
    rtl: bool
    stroke: int = 0


class Shaper:
    """Measures and draws the lines of one title at any size, in visual order."""

    def __init__(self, script: Script, language: str, style: ThumbnailStyle) -> None:
        self.rtl = script == "arabic"
        self.language = language
        self.raqm = raqm_available()
        if self.rtl and not self.raqm:
            raise MediaError("Arabic title", f"Pillow has no raqm layout; {RAQM_HINT}")
        families = {
            "arabic": (style.font_arabic, ":lang=ar"),
            "latin": (style.font_latin, ":lang=fr"),
            "tifinagh": (style.font_tifinagh, ":charset=2d30"),
        }
        family, covering = families.pop(script)
        primary = find_font(family, style.font_weight, covering=covering)
        others = [
            _optional_font(name, style.font_weight, cover) for name, cover in families.values()
        ]
        self.fonts = (primary, *(path for path in others if path is not None))
        bold = style.font_weight == "bold"
        self.faux_bold = tuple(bold and not _is_bold(path) for path in self.fonts)

    def runs(self, line: str, size: int) -> list[Run]:
        """The runs of `line`, left to right as drawn."""
        if not self.raqm and any(_is_arabic(char) for char in line):
            raise MediaError("title", f"it has Arabic letters; {RAQM_HINT}")
        owners = _owners(line, self.fonts)
        stroke = max(1, round(size * FAUX_BOLD))
        if not self.rtl and not any(_is_right_to_left(char) for char in line):
            parts = _font_runs(owners)  # all left to right: no need of FriBidi
        else:
            parts = [(s.start, s.end, s.rtl) for s in segments(line, self.rtl, owners)]
        return [
            Run(
                line[start:end],
                _font(self.fonts[owners[start]], size, self.raqm),
                rtl=rtl,
                stroke=stroke if self.faux_bold[owners[start]] else 0,
            )
            for start, end, rtl in parts
        ]

    def measure(self, line: str, size: int) -> Ink:
        """The box `line` covers when drawn from a pen origin on the baseline."""
        boxes: list[tuple[float, float, float, float]] = []
        x = 0.0
        for run in self.runs(line, size):
            direction, language = self._options(run)
            left, top, right, bottom = run.font.getbbox(
                run.text,
                anchor="ls",
                direction=direction,
                language=language,
                stroke_width=run.stroke,
            )
            boxes.append((x + left, top, x + right, bottom))
            x += run.font.getlength(run.text, direction=direction, language=language)
        if not boxes:
            return Ink(0.0, 0.0, 0.0, 0.0)
        return Ink(
            min(box[0] for box in boxes),
            min(box[1] for box in boxes),
            max(box[2] for box in boxes),
            max(box[3] for box in boxes),
        )

    def draw(
        self, image: Image.Image, line: str, size: int, pen: tuple[float, float], fill: str
    ) -> None:
        """Draw `line` with its pen origin (left end, on the baseline) at `pen`."""
        canvas = ImageDraw.Draw(image)
        x, y = pen
        for run in self.runs(line, size):
            direction, language = self._options(run)
            canvas.text(
                (x, y),
                run.text,
                font=run.font,
                fill=fill,
                anchor="ls",
                direction=direction,
                language=language,
                stroke_width=run.stroke,
                stroke_fill=fill,
            )
            x += run.font.getlength(run.text, direction=direction, language=language)

    def _options(self, run: Run) -> tuple[str | None, str | None]:
        """Direction and language for raqm (the basic layout takes neither)."""
        if not self.raqm:
            return None, None
        if run.rtl:
            return "rtl", "ar"
        return "ltr", (None if self.rtl else self.language)


def _font_runs(owners: tuple[int, ...]) -> list[tuple[int, int, bool]]:
    """Left-to-right runs of one font each: (start, end, rtl)."""
    parts: list[tuple[int, int, bool]] = []
    start = 0
    for end in range(1, len(owners) + 1):
        if end == len(owners) or owners[end] != owners[start]:
            parts.append((start, end, False))
            start = end
    return parts


@cache
def _is_bold(path: Path) -> bool:
    """Whether the face at `path` is bold by design (its style name says so)."""
    style = ImageFont.truetype(str(path), 12).getname()[1] or ""
    return any(word in style for word in ("Bold", "Black", "Heavy"))


def _optional_font(family: str, weight: str, covering: str) -> Path | None:
    try:
        return find_font(family, weight, covering=covering)
    except MediaError:
        return None


@cache
def _font(path: Path, size: int, raqm: bool) -> ImageFont.FreeTypeFont:
    layout = ImageFont.Layout.RAQM if raqm else ImageFont.Layout.BASIC
    return ImageFont.truetype(str(path), size, layout_engine=layout)


@cache
def covers(path: Path, char: str) -> bool:
    """Whether the font at `path` has a glyph for `char` (its drawing differs from .notdef)."""
    font = _font(path, 24, False)
    return _glyph(font, char) != _glyph(font, "\U0010fffd")


def _glyph(font: ImageFont.FreeTypeFont, char: str) -> bytes:
    image = Image.new("L", (48, 48))
    ImageDraw.Draw(image).text((8, 8), char, font=font, fill=255)
    return image.tobytes()


@cache
def _owners(line: str, fonts: tuple[Path, ...]) -> tuple[int, ...]:
    """For each character, the index of the font it is drawn in (0: the script font).

    A letter or symbol goes to the one font that has it. Characters several fonts have
    follow context, as the bidi algorithm reads them: a digit or a vowel mark the letters
    before it ("Windows 11"), a space or punctuation its neighbours when both agree; else
    the script font, which sets the paragraph's direction.
    """
    choices: list[tuple[int, ...]] = []
    for char in line:
        having = tuple(i for i, path in enumerate(fonts) if _is_neutral(char) or covers(path, char))
        choices.append(having or (0,))
    owners: list[int | None] = [c[0] if len(c) == 1 else None for c in choices]
    strong: int | None = None  # the font of the last letter seen
    for index, char in enumerate(line):
        if owners[index] is not None and unicodedata.category(char)[0] != "M":
            strong = owners[index]
        elif _follows(char) and strong in choices[index]:
            owners[index] = strong
    resolved: list[int] = []
    for index, owner in enumerate(owners):
        if owner is None:
            options = choices[index]
            before = resolved[-1] if resolved else None
            after = next((o for o in owners[index + 1 :] if o is not None), None)
            owner = before if before == after and before in options else options[0]
        resolved.append(owner)
    return tuple(resolved)


def _follows(char: str) -> bool:
    """Digits and combining marks take the font of the letters before them."""
    return unicodedata.category(char) in {"Nd", "Mn", "Mc", "Me"}


def _is_neutral(char: str) -> bool:
    return char.isspace() or unicodedata.category(char) in {"Mn", "Me", "Cf"}


def _is_arabic(char: str) -> bool:
    code = ord(char)
    return (
        0x0600 <= code <= 0x06FF
        or 0x0750 <= code <= 0x077F
        or 0x08A0 <= code <= 0x08FF
        or 0xFB50 <= code <= 0xFDFF
        or 0xFE70 <= code <= 0xFEFF
    )


def _is_right_to_left(char: str) -> bool:
    return unicodedata.bidirectional(char) in {"R", "AL", "AN", "RLE", "RLO", "RLI"}


def _is_tifinagh(char: str) -> bool:
    return 0x2D30 <= ord(char) <= 0x2D7F

"""The Unicode Bidirectional Algorithm (UAX #9) on one line of a title, through GNU FriBidi.

A title mixes directions: digits, dates and dashes inside Arabic, an Arabic name inside
French. Its runs must be ordered on the whole line before fonts are chosen, or a run without
Arabic letters ("2026 – 3") is laid out on its own, left to right, and the numbers swap
places. The rules are FriBidi's, not ours: the same library raqm calls to shape Arabic in
Pillow (Pillow loads libfribidi0 for its raqm layout), so whenever Arabic can be drawn at
all, the levels come from the implementation that shapes each run.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from functools import cache, lru_cache

from media_hub.errors import MediaError

LIBRARY = "libfribidi.so.0"
# FriBidiParType values (fribidi-bidi-types.h): the paragraph's direction, given, not guessed.
_PAR_LTR, _PAR_RTL = 0x110, 0x111
_Levels = ctypes.c_int8


@dataclass(frozen=True)
class Segment:
    """Characters `start` to `end` (logical, end exclusive) at one embedding level."""

    start: int
    end: int
    level: int

    @property
    def rtl(self) -> bool:
        """Odd levels run right to left (UAX #9, 3.1.2)."""
        return self.level % 2 == 1


@cache
def _fribidi() -> ctypes.CDLL:
    try:
        library = ctypes.CDLL(LIBRARY)
    except OSError as exc:
        raise MediaError(
            "bidirectional text", "libfribidi0 is missing; apt-get install libfribidi0"
        ) from exc
    index, types = ctypes.c_int, ctypes.POINTER(ctypes.c_uint32)
    levels = ctypes.POINTER(_Levels)
    library.fribidi_get_bidi_types.argtypes = [types, index, types]
    library.fribidi_get_bidi_types.restype = None
    library.fribidi_get_bracket_types.argtypes = [types, index, types, types]
    library.fribidi_get_bracket_types.restype = None
    library.fribidi_get_par_embedding_levels_ex.argtypes = [types, types, index, types, levels]
    library.fribidi_get_par_embedding_levels_ex.restype = _Levels
    library.fribidi_reorder_line.argtypes = [
        ctypes.c_uint32, types, index, index, ctypes.c_uint32, levels, types,
        ctypes.POINTER(index),
    ]  # fmt: skip
    library.fribidi_reorder_line.restype = _Levels
    return library


@lru_cache(maxsize=4096)  # fitting a title measures the same candidate lines many times
def visual_order(text: str, rtl: bool) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Each character's resolved level, and the logical indices left to right as drawn.

    `rtl` is the paragraph's direction (from the title's language): never guessed from the
    first letter, so an Arabic title that opens with "CV" still reads right to left.
    """
    if not text:
        return (), ()
    library = _fribidi()
    length = len(text)
    chars = (ctypes.c_uint32 * length)(*map(ord, text))
    types = (ctypes.c_uint32 * length)()
    brackets = (ctypes.c_uint32 * length)()
    levels = (_Levels * length)()
    library.fribidi_get_bidi_types(chars, length, types)
    library.fribidi_get_bracket_types(chars, length, types, brackets)
    direction = ctypes.c_uint32(_PAR_RTL if rtl else _PAR_LTR)
    if not library.fribidi_get_par_embedding_levels_ex(
        types, brackets, length, ctypes.byref(direction), levels
    ):
        raise MediaError("bidirectional text", f"FriBidi could not order {text!r}")
    order = (ctypes.c_int * length)(*range(length))
    # Rules L1 (trailing spaces back to the paragraph's level) and L2 (reversals); flags 0:
    # no mirroring here (raqm mirrors brackets when it draws a right-to-left run).
    if not library.fribidi_reorder_line(0, types, length, 0, direction.value, levels, None, order):
        raise MediaError("bidirectional text", f"FriBidi could not order {text!r}")
    return tuple(levels), tuple(order)


def segments(text: str, rtl: bool, owners: tuple[int, ...] | None = None) -> list[Segment]:
    """The runs of `text` in visual order (left to right), each at one level and, when
    `owners` (a font per character) is given, in one font; a run's characters are in
    logical order, to be laid out in its direction."""
    levels, order = visual_order(text, rtl)
    found: list[Segment] = []
    group: list[int] = []
    for index in order:
        if group:
            last = group[-1]
            step = -1 if levels[last] % 2 else 1
            same_font = owners is None or owners[index] == owners[last]
            if levels[index] == levels[last] and same_font and index == last + step:
                group.append(index)
                continue
            found.append(Segment(min(group), max(group) + 1, levels[last]))
        group = [index]
    if group:
        found.append(Segment(min(group), max(group) + 1, levels[group[-1]]))
    return found

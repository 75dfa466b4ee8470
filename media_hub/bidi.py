"""Right-to-left text on lines read left to right: Arabic titles beside Latin labels.

A terminal (or a file viewer) that applies the Unicode bidi algorithm reorders a line by its
runs of direction: with Arabic on both sides of "→", old and new swap places. Unicode
isolates (FSI ... PDI, UAX #9) keep each value in its place.
"""

from __future__ import annotations

import re

# Letters of right-to-left scripts (Hebrew, Arabic and its supplements, Syriac, Thaana, N'Ko).
RIGHT_TO_LEFT = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
FIRST_STRONG_ISOLATE, POP_DIRECTIONAL_ISOLATE = "\u2068", "\u2069"


def isolate(text: str) -> str:
    """`text` in isolates when it holds right-to-left letters; as it is otherwise."""
    if RIGHT_TO_LEFT.search(text):
        return f"{FIRST_STRONG_ISOLATE}{text}{POP_DIRECTIONAL_ISOLATE}"
    return text

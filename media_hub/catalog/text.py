"""Folding text for search, so a word is found however it was typed.

Arabic is written with or without short vowels (tashkeel), with or without hamza on alef,
with tatweel for justification; French with or without accents. Both sides of a search are
folded the same way, then compared as substrings (Arabic attaches articles and conjunctions
to the word: "السيرة" must match "سيرة").
"""

from __future__ import annotations

import re
import unicodedata

_TATWEEL = "\u0640"
# Letters typed interchangeably in everyday Arabic: alef maqsura/yeh, teh marbuta/heh.
_ARABIC_EQUIVALENTS = str.maketrans({"ى": "ي", "ة": "ه"})
_WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """Lower case, no accents, no Arabic diacritics, hamza or tatweel."""
    decomposed = unicodedata.normalize("NFKD", text)
    # Combining marks (category Mn) cover French accents, Arabic tashkeel and the hamza and
    # madda that NFKD splits off alef, waw and yeh.
    bare = "".join(
        char for char in decomposed if unicodedata.category(char) != "Mn" and char != _TATWEEL
    )
    return bare.casefold().translate(_ARABIC_EQUIVALENTS)


def search_words(text: str) -> list[str]:
    """The folded words of a text or of a query."""
    return _WORD.findall(fold(text))


def search_document(*texts: str) -> str:
    """What is stored for search: the folded words, space-separated and space-bounded."""
    words = [word for text in texts for word in search_words(text)]
    return f" {' '.join(words)} "

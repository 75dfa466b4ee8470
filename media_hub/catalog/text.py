"""Folding text for search, so a word is found however it was typed.

Arabic is written with or without short vowels (tashkeel), with or without hamza on alef,
with tatweel for justification; French with or without accents. Both sides of a search are
folded the same way, then compared as substrings (Arabic attaches articles and conjunctions
to the word: "السيرة" must match "سيرة").

Words are inflected too: "سيرتك" (your CV) does not contain "سيره" (CV). So each word's
light stem (Snowball's Arabic and French stemmers, chosen by script) is stored beside it, and
a query word also matches a document whose stems include its own: "سيرة" finds "سيرتك",
"entretiens" finds "entretien".

French elides its articles and pronouns before a vowel ("l'entretien", "d’embauche"): the
elided "l", "d", "qu" are not words, so they are taken off before the words are found.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from typing import Any

_TATWEEL = "\u0640"
# Letters typed interchangeably in everyday Arabic: alef maqsura/yeh, teh marbuta/heh.
_ARABIC_EQUIVALENTS = str.maketrans({"ى": "ي", "ة": "ه"})
_WORD = re.compile(r"\w+")
# The elided forms, then an apostrophe as typed (straight, typographic or modifier letter).
_ELISION = re.compile(r"\b(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu)['\u2019\u02bc]", re.I)


def fold(text: str) -> str:
    """Lower case, no accents, no Arabic diacritics, hamza or tatweel."""
    return _bare(text).translate(_ARABIC_EQUIVALENTS)


def _bare(text: str) -> str:
    """`fold` short of the letters typed interchangeably, which the stemmers still need
    (teh marbuta marks the ending that the Arabic stemmer takes off)."""
    decomposed = unicodedata.normalize("NFKD", text)
    # Combining marks (category Mn) cover French accents, Arabic tashkeel and the hamza and
    # madda that NFKD splits off alef, waw and yeh.
    bare = "".join(
        char for char in decomposed if unicodedata.category(char) != "Mn" and char != _TATWEEL
    )
    return bare.casefold()


def search_words(text: str) -> list[str]:
    """The folded words of a text or of a query."""
    return _WORD.findall(fold(_ELISION.sub(" ", text)))


def search_document(*texts: str) -> str:
    """What is stored for search: the folded words, then the stems that differ from their
    word, space-separated and space-bounded."""
    terms = [term for text in texts for term in query_terms(text)]
    words = [word for word, _ in terms]
    stems = [stemmed for _, stemmed in terms if stemmed is not None]
    return f" {' '.join([*words, *stems])} "


def query_terms(text: str) -> list[tuple[str, str | None]]:
    """Each word of `text`, folded, with its folded stem (None when the word is its own)."""
    terms = []
    for word in _WORD.findall(_bare(_ELISION.sub(" ", text))):
        folded = word.translate(_ARABIC_EQUIVALENTS)
        stemmed = stem(word).translate(_ARABIC_EQUIVALENTS)
        terms.append((folded, stemmed if stemmed != folded else None))
    return terms


def stem(word: str) -> str:
    """The light stem of a word: Snowball's Arabic stemmer for Arabic script, its French one
    for Latin letters, the word itself otherwise (Tifinagh, digits)."""
    if _ARABIC_LETTER.search(word):
        return _stemmer("arabic").stemWord(word) or word
    if _LATIN_LETTER.search(word):
        return _stemmer("french").stemWord(word) or word
    return word


_ARABIC_LETTER = re.compile(r"[\u0620-\u064a]")
_LATIN_LETTER = re.compile(r"[a-z]")
_STEMMERS = threading.local()  # Snowball's stemmers keep state between calls: one a thread


def _stemmer(language: str) -> Any:
    found = getattr(_STEMMERS, language, None)
    if found is None:
        import snowballstemmer  # only when text is indexed or searched

        found = snowballstemmer.stemmer(language)
        setattr(_STEMMERS, language, found)
    return found

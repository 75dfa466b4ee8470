"""Series, playlists and topics found by what a librarian types: a slug or a name in any
language, with or without capitals, accents or Arabic short vowels.

A sheet's cell says `Entretien d'embauche` or `job-interview`, `مقابلة العمل` or
`ENTRETIEN D’EMBAUCHE`: all name the topic `job-interview`. A list may be separated by `;` or
`,` (Latin or Arabic), or by spaces as export writes slugs; with spaces, the longest run of
words that names something is taken, so `cv Entretien d'embauche` is two topics. What names
nothing is refused with the closest name known ("did you mean"), never guessed.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from media_hub.catalog.models import Playlist, Series, Topic
from media_hub.catalog.text import fold
from media_hub.errors import ValidationError

_LIST_SEPARATORS = re.compile(r"[,;\u060c\u061b]")  # , ; and the Arabic comma and semicolon
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})
_SPACES = re.compile(r"\s+")
_COMMANDS = {"series": "series", "playlist": "playlists", "topic": "topics"}
_FILES = {"series": "series.toml", "playlist": "playlists.toml", "topic": "topics.toml"}


def key(text: str) -> str:
    """What two spellings of one name share: folded (`text.fold`), one kind of apostrophe,
    single spaces."""
    return _SPACES.sub(" ", fold(text.translate(_APOSTROPHES))).strip()


class Names:
    """One kind of record (series, playlist or topic): each slug and its names."""

    def __init__(self, kind: str, names: Mapping[str, Mapping[str, str]]) -> None:
        self.kind = kind
        self.names = names  # slug -> {lang: name}
        self.index: dict[str, str] = {}  # key of a name or slug -> slug
        for slug, by_lang in names.items():
            for name in by_lang.values():
                self.index.setdefault(key(name), slug)
        for slug in names:  # a slug wins over a name spelt the same
            self.index[key(slug)] = slug

    def one(self, text: str, field: str, *, record: str | None = None) -> str:
        """The slug `text` names."""
        slug = self.index.get(key(text))
        if slug is None:
            raise ValidationError(field, self._unknown(text.strip()), record=record)
        return slug

    def many(self, text: str, field: str, *, record: str | None = None) -> tuple[str, ...]:
        """The slugs a cell lists, sorted, each once."""
        if _LIST_SEPARATORS.search(text):
            parts = [part for part in _LIST_SEPARATORS.split(text) if part.strip()]
            return tuple(sorted({self.one(part, field, record=record) for part in parts}))
        return tuple(sorted(set(self._words(text, field, record))))

    def _words(self, text: str, field: str, record: str | None) -> Iterable[str]:
        """Slugs from space-separated words, each the longest run of words naming one."""
        words = text.split()
        start = 0
        while start < len(words):
            for end in range(len(words), start, -1):
                slug = self.index.get(key(" ".join(words[start:end])))
                if slug is not None:
                    yield slug
                    start = end
                    break
            else:  # nothing starts here: refuse the words up to the next that names something
                end = start + 1
                while end < len(words) and not self._starts_name(words[end:]):
                    end += 1
                raise ValidationError(
                    field, self._unknown(" ".join(words[start:end])), record=record
                )

    def _starts_name(self, words: list[str]) -> bool:
        return any(key(" ".join(words[:end])) in self.index for end in range(1, len(words) + 1))

    def _unknown(self, text: str) -> str:
        message = f"unknown {self.kind} {text!r}"
        close = difflib.get_close_matches(key(text), list(self.index), n=1, cutoff=0.6)
        if close:
            slug = self.index[close[0]]
            name = next((name for name in self.names[slug].values() if key(name) == close[0]), None)
            shown = f"{slug!r} ({name})" if name else repr(slug)
            return f"{message}; did you mean {shown}?"
        return (
            f"{message}; see 'media-hub {_COMMANDS[self.kind]} list' "
            f"or add it to catalog/{_FILES[self.kind]}"
        )


@dataclass(frozen=True)
class Vocabulary:
    """The catalog's series, playlists and topics, read once for a whole sheet."""

    series: Names
    playlists: Names
    topics: Names


def vocabulary(session: Session) -> Vocabulary:
    def names_of(model: type[Series] | type[Playlist] | type[Topic]) -> dict[str, dict[str, str]]:
        rows = session.execute(select(model.slug, model.names))
        return {slug: dict(names or {}) for slug, names in rows}

    return Vocabulary(
        Names("series", names_of(Series)),
        Names("playlist", names_of(Playlist)),
        Names("topic", names_of(Topic)),
    )

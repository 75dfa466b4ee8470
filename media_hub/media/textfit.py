"""Fitting a title into a box: the largest font size at which it fits on at most two lines.

Pure arithmetic over a `measure` function (the ink box of one line at one size), so the
rules can be tested with any title, and with any font, without drawing. Lines break on word
boundaries; two lines are balanced (the break that makes the longer line shortest). A title
that does not fit even at the smallest size is cut at a word and ends with an ellipsis; a
single word too long for a whole line is cut inside the word.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

ELLIPSIS = "…"
LINE_PITCH = 1.35  # baseline to baseline, in font sizes


@dataclass(frozen=True)
class Ink:
    """The box a line covers, relative to its pen origin on the baseline.

    Pillow measures it from the pen origin (so a letter's side bearing counts) to the far
    edge of the ink, and from the highest to the lowest ink.
    """

    left: float
    top: float
    right: float
    bottom: float

    @property
    def width(self) -> float:
        return self.right - self.left


Measure = Callable[[str, int], Ink]


@dataclass(frozen=True)
class Fitted:
    """The chosen size, the lines in reading order, and whether the title was cut."""

    size: int
    lines: tuple[str, ...]
    truncated: bool


def pitch(size: int) -> int:
    """Distance between two baselines at `size`."""
    return math.ceil(size * LINE_PITCH)


def block_extent(lines: Sequence[str], size: int, measure: Measure) -> tuple[float, float]:
    """Top and bottom of the inked block, relative to the first baseline."""
    inks = [measure(line, size) for line in lines]
    top = min(i * pitch(size) + ink.top for i, ink in enumerate(inks))
    bottom = max(i * pitch(size) + ink.bottom for i, ink in enumerate(inks))
    return top, bottom


def fits(lines: Sequence[str], size: int, width: float, height: float, measure: Measure) -> bool:
    """Every line within `width`, the block within `height`."""
    if not lines:
        return True
    if any(measure(line, size).width > width for line in lines):
        return False
    top, bottom = block_extent(lines, size, measure)
    return bottom - top <= height


def fit_text(
    text: str,
    width: float,
    height: float,
    measure: Measure,
    *,
    min_size: int,
    max_size: int,
    max_lines: int = 2,
) -> Fitted:
    """The largest size in [min_size, max_size] at which `text` fits, cut if it never does."""
    words = text.split()
    if not words:
        return Fitted(max_size, (), truncated=False)
    if _arrange(words, min_size, width, height, measure, max_lines) is None:
        return _truncated(words, min_size, width, height, measure, max_lines)
    low, high = min_size, max_size  # `low` fits; find the largest size that does
    while low < high:
        middle = (low + high + 1) // 2
        if _arrange(words, middle, width, height, measure, max_lines) is None:
            high = middle - 1
        else:
            low = middle
    lines = _arrange(words, low, width, height, measure, max_lines)
    assert lines is not None
    return Fitted(low, lines, truncated=False)


def _arrange(
    words: list[str], size: int, width: float, height: float, measure: Measure, max_lines: int
) -> tuple[str, ...] | None:
    """The best arrangement of all the words on up to `max_lines` lines, if one fits."""
    one = (" ".join(words),)
    if fits(one, size, width, height, measure):
        return one
    if max_lines < 2 or len(words) < 2:
        return None
    if max_lines == 2:
        breaks = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
        fitting = [pair for pair in breaks if fits(pair, size, width, height, measure)]
        if not fitting:
            return None
        return min(fitting, key=lambda pair: max(measure(line, size).width for line in pair))
    lines = _greedy(words, size, width, measure, max_lines)
    if lines is None or not fits(lines, size, width, height, measure):
        return None
    return lines


def _greedy(
    words: list[str], size: int, width: float, measure: Measure, max_lines: int
) -> tuple[str, ...] | None:
    lines: list[str] = []
    for word in words:
        if lines and measure(f"{lines[-1]} {word}", size).width <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return tuple(lines) if len(lines) <= max_lines else None


def _truncated(
    words: list[str], size: int, width: float, height: float, measure: Measure, max_lines: int
) -> Fitted:
    """Fill lines greedily at `size`, cutting long words, and end the last with an ellipsis."""
    for count in range(max_lines, 0, -1):
        lines: list[str] = []
        remaining = list(words)
        while remaining and len(lines) < count:
            line, remaining = _take_line(remaining, size, width, measure)
            lines.append(line)
        lines[-1] = _with_ellipsis(lines[-1], size, width, measure)
        if fits(lines, size, width, height, measure):
            break  # else the box is too low for this many lines at this size
    return Fitted(size, tuple(lines), truncated=True)


def _take_line(
    words: list[str], size: int, width: float, measure: Measure
) -> tuple[str, list[str]]:
    """The longest run of whole words that fits (or a cut word), and the words left over."""
    first = words[0]
    if measure(first, size).width > width:
        cut = _longest_prefix(first, size, width, measure)
        return cut, [first[len(cut) :], *words[1:]]
    line, taken = first, 1
    while taken < len(words) and measure(f"{line} {words[taken]}", size).width <= width:
        line = f"{line} {words[taken]}"
        taken += 1
    return line, words[taken:]


def _with_ellipsis(line: str, size: int, width: float, measure: Measure) -> str:
    words = line.split()
    while words:
        candidate = " ".join(words) + ELLIPSIS
        if measure(candidate, size).width <= width:
            return candidate
        if len(words) == 1:
            return _longest_prefix(words[0] + ELLIPSIS, size, width, measure, keep=ELLIPSIS)
        words.pop()
    return ELLIPSIS


def _longest_prefix(word: str, size: int, width: float, measure: Measure, keep: str = "") -> str:
    """The longest start of `word` (followed by `keep`) within `width`; at least one letter."""
    body = word[: len(word) - len(keep)] if keep else word
    ends = [end for end in range(len(body), 0, -1) if not _is_mark(body, end)]
    for end in ends:
        if measure(body[:end] + keep, size).width <= width:
            return body[:end] + keep
    return body[: ends[-1] if ends else len(body)] + keep


def _is_mark(text: str, end: int) -> bool:
    """Whether cutting at `end` would part a letter from the mark after it (a vowel sign)."""
    return end < len(text) and unicodedata.category(text[end]) in {"Mn", "Mc", "Me"}

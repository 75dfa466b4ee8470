"""The one way a recording date is read, wherever a person types it: `--recorded`, a
spreadsheet cell, `catalog set recorded=`, a `recorded:` query term.

Two forms are taken: `YYYY-MM-DD`, as media-hub writes dates, and `DD/MM/YYYY` (or
`D/M/YYYY`), as Excel and LibreOffice show and save them in French and Arabic locales. Day
first always: `03/12/2014` is 3 December. Anything else (`2014/03/12`, `12/03/14`,
`20140312`, a time of day) is refused rather than guessed, on the command line as in a sheet.
"""

from __future__ import annotations

import re
from datetime import date

DATE_FORMATS = "YYYY-MM-DD or DD/MM/YYYY"
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DAY_FIRST = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def parse_day(text: str) -> date:
    """The day `text` names (spaces around it allowed); ValueError saying why when none."""
    cleaned = text.strip()
    if iso := _ISO.fullmatch(cleaned):
        year, month, day = (int(part) for part in iso.groups())
    elif day_first := _DAY_FIRST.fullmatch(cleaned):
        day, month, year = (int(part) for part in day_first.groups())
    else:
        raise ValueError(f"{text!r} is not a date; use {DATE_FORMATS}")
    try:
        return date(year, month, day)
    except ValueError as exc:  # 31/02/2014, month 13
        raise ValueError(f"{text!r} is not a date ({exc}); use {DATE_FORMATS}") from exc

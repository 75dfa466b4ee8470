"""The statistics form: what was asked (kept as typed, to show again), read into the report
query the CLI builds from its options, or one problem that says what to fix.

The period is read by the library's own `parse_period` (as `stats report --month ...` is),
so the page refuses exactly what the CLI refuses; only the message is the page's, naming the
form's field rather than the CLI's option.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from urllib.parse import urlencode

from media_hub.errors import ValidationError
from media_hub.stats.labels import LANGUAGES
from media_hub.stats.period import Compare, PeriodKind, parse_period
from media_hub.stats.report import Grouping, ReportQuery
from media_hub.web.i18n import N_

MAX_CHARS = 40  # no field of the form needs more

# The form's problems, in English (translated by the page from the gettext catalogs).
ONE_PERIOD = N_("Give one period only: a month, a quarter, a year, or From and To dates.")
MONTH = N_("Month: write it as YYYY-MM, for example 2026-11.")
QUARTER = N_("Quarter: write it as YYYY-QN, for example 2026-Q4.")
YEAR = N_("Year: write it as YYYY, for example 2026.")
DATES = N_("From and To: write dates as YYYY-MM-DD, for example 2026-11-01.")
AFTER = N_("From is after To: choose a From date on or before the To date.")
OPEN = N_(
    "A comparison needs a period with both ends: choose a month, a quarter, a year, "
    "or both From and To."
)
CHOICE = N_("Choose the grouping, the comparison and the language from their lists.")
PROBLEMS = (ONE_PERIOD, MONTH, QUARTER, YEAR, DATES, AFTER, OPEN, CHOICE)

# The library's option -> (the form's field, its problem)
_BY_OPTION = {
    "--month": ("month", MONTH),
    "--quarter": ("quarter", QUARTER),
    "--year": ("year", YEAR),
    "--since": ("since", DATES),
    "--until": ("until", DATES),
    "--compare": ("compare", OPEN),
}


class StatsFormError(Exception):
    """What to fix, in English (translated by the page), and the field it is about."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class StatsForm:
    """The form's fields as typed; empty: not given."""

    month: str = ""
    quarter: str = ""
    year: str = ""
    since: str = ""
    until: str = ""
    compare: str = ""
    by: str = Grouping.PLAYLIST.value
    lang: str = ""

    @classmethod
    def read(cls, params: Mapping[str, str], default_lang: str) -> StatsForm:
        values = {
            name: params.get(name, "").strip()[:MAX_CHARS]
            for name in ("month", "quarter", "year", "since", "until", "compare", "by", "lang")
        }
        values["by"] = values["by"] or Grouping.PLAYLIST.value
        values["lang"] = values["lang"] or default_lang
        return cls(**values)

    def query_string(self) -> str:
        """The fields given, for the chart's and the downloads' links."""
        return urlencode({name: value for name, value in asdict(self).items() if value})

    def report_query(self) -> ReportQuery:
        """The query `stats report` would build from the same choices (its default top)."""
        if self.by not in {grouping.value for grouping in Grouping}:
            raise StatsFormError("by", CHOICE)
        if self.lang not in LANGUAGES:
            raise StatsFormError("lang", CHOICE)
        if self.compare and self.compare not in {compare.value for compare in Compare}:
            raise StatsFormError("compare", CHOICE)
        try:
            period = parse_period(
                since=self.since or None, until=self.until or None,
                month_text=self.month or None, quarter_text=self.quarter or None,
                year_text=self.year or None,
            )  # fmt: skip
            query = ReportQuery(
                by=Grouping(self.by),
                since=period.start,
                until=period.end,
                language=self.lang,
                kind=period.kind,
                compare=Compare(self.compare) if self.compare else None,
            )  # fmt: skip (refuses a comparison of an open period)
        except ValidationError as exc:
            raise _problem(exc) from None
        except (ValueError, OverflowError):  # a year the calendar lacks (0, or past 9999)
            raise StatsFormError(self._named_field(), self._named_problem()) from None
        return query

    def _named_field(self) -> str:
        return next((n for n in ("month", "quarter", "year") if getattr(self, n)), "since")

    def _named_problem(self) -> str:
        return {"month": MONTH, "quarter": QUARTER, "year": YEAR}.get(self._named_field(), DATES)


def _problem(exc: ValidationError) -> StatsFormError:
    """The library's refusal as the form's: the field it names, and what to do there."""
    if exc.problem.startswith("give one of"):
        return StatsFormError(_BY_OPTION.get(exc.field, ("month", ""))[0], ONE_PERIOD)
    if exc.field == "--since" and "is after" in exc.problem:
        return StatsFormError("since", AFTER)
    field, message = _BY_OPTION.get(exc.field, ("month", exc.problem))
    return StatsFormError(field, message)


def file_stem(query: ReportQuery) -> str:
    """An ASCII file name for the downloads, built from the parsed period (never from what
    was typed): stats-playlist-2026-11-fr, stats-series-2026-Q4-ar, stats-asset-all-en."""
    start, end = query.since, query.until
    if start is None or end is None:
        period = f"{start or 'start'}_{end or 'last'}" if start or end else "all"
    elif query.kind is PeriodKind.MONTH:
        period = f"{start:%Y-%m}"
    elif query.kind is PeriodKind.QUARTER:
        period = f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    elif query.kind is PeriodKind.YEAR:
        period = str(start.year)
    else:
        period = f"{start}_{end}"
    compared = f"-vs-{query.compare.value}" if query.compare else ""
    return f"stats-{query.by.value}-{period}{compared}-{query.language}"

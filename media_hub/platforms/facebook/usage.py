"""Meta's rate-limit usage headers, read after every answer, so that media-hub slows down
before the limit instead of running into it (as Meta's rate limiting guide asks).

`X-Business-Use-Case-Usage` (Page tokens) maps an id to a list of
`{"type", "call_count", "total_cputime", "total_time", "estimated_time_to_regain_access"}`;
`X-App-Usage` and `X-Page-Usage` are one such object. Percentages, 100 being the limit.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

HEADERS = ("x-business-use-case-usage", "x-app-usage", "x-page-usage")
MEASURES = ("call_count", "total_cputime", "total_time")
LONGEST_PAUSE_S = 30.0


@dataclass(frozen=True)
class Usage:
    percent: int  # the highest measure of any header, 0 when none was sent
    regain_minutes: int  # Meta's estimate of when a throttled caller may call again

    def pause(self, threshold: int) -> float:
        """Seconds to wait before the next call: none below `threshold`, growing to
        LONGEST_PAUSE_S at the limit."""
        if self.percent < threshold:
            return 0.0
        share = (min(self.percent, 100) - threshold + 1) / (100 - threshold + 1)
        return round(LONGEST_PAUSE_S * share, 2)


def read_usage(headers: Mapping[str, str]) -> Usage:
    """The usage the answer's headers report (malformed headers count as none)."""
    percent = regain = 0
    lowered = {name.lower(): value for name, value in headers.items()}
    for name in HEADERS:
        text = lowered.get(name)
        if not text:
            continue
        try:
            value: Any = json.loads(text)
        except ValueError:
            continue
        entries = [value] if name != HEADERS[0] else _flatten(value)
        for entry in entries:
            if not isinstance(entry, dict):
                continue
            for measure in MEASURES:
                number = entry.get(measure)
                if isinstance(number, int | float):
                    percent = max(percent, int(number))
            wait = entry.get("estimated_time_to_regain_access")
            if isinstance(wait, int | float):
                regain = max(regain, int(wait))
    return Usage(percent, regain)


def _flatten(value: Any) -> list[Any]:
    if not isinstance(value, dict):
        return []
    return [entry for entries in value.values() if isinstance(entries, list) for entry in entries]

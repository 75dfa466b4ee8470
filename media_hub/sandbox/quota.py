"""YouTube's daily quota: Google's cost table as data, spent per bucket per Pacific day.

The costs live in `quota_costs.toml` so they can be checked against Google's page at a glance;
limits can be lowered per sandbox so tests and training run into exhaustion quickly.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from media_hub.sandbox.errors import ApiError

PACIFIC = ZoneInfo("America/Los_Angeles")
COSTS_FILE = Path(__file__).with_name("quota_costs.toml")
DEFAULT_BUCKET = "default"


def pacific_day(moment: dt.datetime) -> dt.date:
    """The quota day a moment falls in: it ends at midnight in Los Angeles, DST included."""
    return moment.astimezone(PACIFIC).date()


@dataclass(frozen=True)
class QuotaTable:
    """Cost and bucket of each API method, and the daily limit of each bucket."""

    costs: Mapping[str, int]
    buckets: Mapping[str, str]
    limits: Mapping[str, int]
    default_cost: int = 1

    @classmethod
    def load(cls, path: Path = COSTS_FILE, limits: Mapping[str, int] | None = None) -> QuotaTable:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return cls(
            costs=dict(data["costs"]),
            buckets=dict(data["buckets"]),
            limits={**data["limits"], **(limits or {})},
            default_cost=int(data["default_cost"]),
        )

    def cost(self, method: str) -> int:
        return max(self.default_cost, self.costs.get(method, self.default_cost))

    def bucket(self, method: str) -> str:
        return self.buckets.get(method, DEFAULT_BUCKET)

    def limit(self, bucket: str) -> int:
        return self.limits.get(bucket, self.limits[DEFAULT_BUCKET])


def charge(table: QuotaTable, used: MutableMapping[str, int], method: str) -> int:
    """Spend a method's cost from today's `used` counters, or refuse with quotaExceeded.

    A refused request spends nothing, as with Google: the counters only grow by what was served.
    """
    bucket, cost = table.bucket(method), table.cost(method)
    spent = used.get(bucket, 0)
    if spent + cost > table.limit(bucket):
        raise ApiError("quotaExceeded")
    used[bucket] = spent + cost
    return cost


def exhaust(table: QuotaTable, used: MutableMapping[str, int], bucket: str | None = None) -> None:
    """Use up a bucket (all of them when None) for the rest of the day."""
    for name in [bucket] if bucket else list(table.limits):
        used[name] = table.limit(name)

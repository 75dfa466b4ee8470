"""What a `publish` change would do, field by field, as Terraform's plan shows it: the value on
the platform, then the catalog's."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from media_hub.bidi import isolate

SHOWN_CHARS = 60  # of a long value; descriptions are shown from where they first differ


def field_changes(want: Mapping[str, Any], have: Mapping[str, Any], prefix: str = "") -> list[str]:
    """`field: old → new` for each field (nested ones dotted) that differs."""
    lines: list[str] = []
    for key in sorted(set(want) | set(have)):
        name = f"{prefix}{key}"
        new, old = want.get(key), have.get(key)
        if new == old:
            continue
        if isinstance(new, Mapping) and isinstance(old, Mapping | None):
            lines += field_changes(new, old or {}, f"{name}.")
        elif isinstance(old, Mapping) and new is None:
            lines += field_changes({}, old, f"{name}.")
        else:
            lines.append(f"{name}: {_pair(old, new)}")
    return lines


def _pair(old: Any, new: Any) -> str:
    if isinstance(old, str) and isinstance(new, str):
        start = _first_difference(old, new)
        if start > SHOWN_CHARS // 2 or "\n" in old[:start]:  # a long text: where it changes
            start = max(0, start - 10)
            return f"…{_shown(old[start:])} → …{_shown(new[start:])}"
    return f"{_shown(old)} → {_shown(new)}"


def _first_difference(old: str, new: str) -> int:
    for index, (a, b) in enumerate(zip(old, new, strict=False)):
        if a != b:
            return index
    return min(len(old), len(new))


def _shown(value: Any) -> str:
    if value is None:
        return "∅"
    if isinstance(value, list | tuple):
        value = ", ".join(str(item) for item in value)
    text = str(value).replace("\n", "⏎")
    return isolate(repr(text[:SHOWN_CHARS] + ("…" if len(text) > SHOWN_CHARS else "")))

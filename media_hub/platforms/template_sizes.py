"""How long the result of a string operation would be, computed before it runs.

The operations that multiply (`replace`, padding to a width, joining with a separator,
`%` and `format` with widths and repeated fields, repeating a sequence) can ask for gigabytes
in one call; these bounds let the sandbox refuse them before a byte is allocated. Each is an
upper bound, cheap to compute (linear in the operands, which are bounded themselves).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from string import Formatter
from typing import Any

from media_hub.platforms.template_budget import weight

# `%f` of a large float prints every digit before the point: up to 309 of them.
_FLOAT_DIGITS = 330
# A value printed by `%r`, `!r` or `{:,}` may grow: escapes, quotes, thousands separators.
_GROWTH = 4
_PRINTF_SPEC = re.compile(
    r"%(?:\([^)]*\))?[#0\- +]*(?P<width>\*|\d+)?(?:\.(?P<precision>\*|\d+))?[hlL]?(?P<kind>.)",
    re.DOTALL,
)
_NUMBER = re.compile(r"\d+")


def repeated_size(sequence: Any, count: int) -> int:
    """`sequence * count`: the sequence's printed size (items included) times `count`."""
    return weight(sequence) * max(count, 0)


def replaced_size(text: Any, old: Any, new: Any, count: int | None = None) -> int:
    """`text.replace(old, new, count)` (str or bytes); an empty `old` matches between every
    character."""
    matches = text.count(old) if old else len(text) + 1
    if count is not None and count >= 0:
        matches = min(matches, count)
    return len(text) + matches * max(len(new) - len(old), 0)


def padded_size(text: Any, width: Any) -> int:
    """`center`, `ljust`, `rjust`, `zfill` to `width`."""
    return max(weight(text), width if isinstance(width, int) else 0)


def indented_size(text: str, width: Any) -> int:
    """The `indent` filter: every line gets `width` spaces, or the string `width`."""
    pad = width if isinstance(width, int) else weight(width)
    return len(text) + (text.count("\n") + 1) * max(pad, 0)


def wrapped_size(text: str, wrapstring: str) -> int:
    """The `wordwrap` filter: at worst a break between every two characters."""
    return len(text) + (len(text) + 1) * len(wrapstring)


def tab_expanded_size(text: str, tabsize: Any) -> int:
    tab = tabsize if isinstance(tabsize, int) else 8
    return len(text) + text.count("\t") * max(tab, 0)


def joined_size(items: Iterable[Any], separator: Any) -> int:
    """`separator.join(items)` (items a list: the caller makes one of a generator)."""
    listed = list(items)
    return sum(weight(item) for item in listed) + max(len(listed) - 1, 0) * weight(separator)


def translated_size(text: str, table: Any) -> int:
    """`text.translate(table)`: each character becomes what the table maps it to."""
    if not isinstance(table, Mapping):
        return len(text)  # a table that is not a mapping is refused by Python itself
    return sum(_mapped_size(table.get(ord(char), char)) for char in text)


def _mapped_size(mapped: Any) -> int:
    return len(mapped) if isinstance(mapped, str) else 1


def printf_size(template: str | bytes, args: Any) -> int:
    """`template % args`: per conversion, its width and precision (`*` takes the largest
    integer given) and the largest argument, grown as `%r` may."""
    text = template.decode("latin-1") if isinstance(template, bytes) else template
    values = _values(args)
    largest_int = max((v for v in values if isinstance(v, int)), default=0)
    largest = max((weight(v) for v in values), default=0)
    size = len(text)
    for spec in _PRINTF_SPEC.finditer(text):
        if spec["kind"] == "%":
            continue
        for number in (spec["width"], spec["precision"]):
            if number:
                size += largest_int if number == "*" else int(number)
        size += _GROWTH * largest + (_FLOAT_DIGITS if spec["kind"] in "fF" else 0)
    return size


def format_size(template: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> int:
    """`template.format(*args, **kwargs)`: per field, the numbers in its spec (a nested
    `{}` takes the largest integer given) and the largest argument, grown as `!r` may."""
    values = [*args, *kwargs.values()]
    largest_int = max((v for v in values if isinstance(v, int)), default=0)
    largest = max((weight(v) for v in values), default=0)
    size = len(template)
    for _, field, spec, _ in Formatter().parse(template):
        if field is None:
            continue
        spec = spec or ""
        numbers = [int(number) for number in _NUMBER.findall(spec)]
        size += max(numbers, default=0) + (largest_int if "{" in spec else 0)
        size += _GROWTH * largest + _FLOAT_DIGITS
    return size


def _values(args: Any) -> list[Any]:
    if isinstance(args, tuple):
        return list(args)
    if isinstance(args, Mapping):
        return list(args.values())
    return [args]

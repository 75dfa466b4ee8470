"""A render's allowance: how big any value may get, how much it may make, how long it may run.

Jinja2's sandbox stops templates from reaching Python's insides, not from exhausting the
machine: `('x'*100000)|replace('x', 'x'*100000)` asks for 10 GB, a macro doubling a string
forty times for a terabyte, and two nested `range(100000)` loops run for hours. The sandbox
in `template_sandbox` charges every operation a template makes (an operator, a call, a
filter, a `~`, a loop's turn, a printed value) to the `RenderBudget` of the render under
way, which refuses, before the work is done where it can be computed beforehand:

- any single value longer than `MAX_VALUE` characters (or items), and a text longer than
  that;
- more than `MAX_MADE` characters made in all (what is made and dropped counts too: memory
  is bounded by what was made, whatever is kept);
- more than `MAX_STEPS` operations, or `MAX_SECONDS` of rendering.

Metadata texts are short (a YouTube description holds 5,000 bytes): the bounds are far above
any real template and far below what would hurt a machine rendering thousands of them.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import ItemsView, Iterator, KeysView, Mapping, ValuesView
from contextvars import ContextVar
from typing import Any

from jinja2 import Undefined
from jinja2.exceptions import SecurityError

MAX_VALUE = 100_000  # characters (or items) of any one value, and of the rendered text
MAX_MADE = 1_000_000  # characters made by one render in all, printed or not
MAX_STEPS = 1_000_000  # operations, loop turns and calls of one render
# Of the rendering thread's own CPU time: a busy machine slows a render without making the
# template ask for more, and the step count must decide first for the same template anywhere.
MAX_SECONDS = 2.0  # a render normally takes well under a millisecond
MAX_INT_BITS = 8_192  # integers past ~2,500 digits are no catalog's numbers


class BudgetError(SecurityError):
    """A template asked for more than a render is allowed; the message says what."""


class RenderBudget:
    """The allowance of one render, charged by the sandbox's hooks."""

    __slots__ = ("deadline", "made", "steps")

    def __init__(self) -> None:
        self.deadline = time.thread_time() + MAX_SECONDS
        self.steps = 0
        self.made = 0

    def step(self) -> None:
        """One operation, loop turn or call; the clock is read every 64 of them."""
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise BudgetError(
                f"more than {MAX_STEPS:,} loop turns and calls; a loop or a macro runs too "
                "often (nested loops over long ranges?)"
            )
        if not self.steps % 64 and time.thread_time() > self.deadline:
            raise BudgetError(
                f"rendering took more than {MAX_SECONDS:g} s; a loop or a macro runs too "
                "often (nested loops over long ranges?)"
            )

    def charge(self, size: int) -> None:
        """`size` characters made (or written)."""
        self.made += size
        if self.made > MAX_MADE:
            raise BudgetError(
                f"the template makes more than {MAX_MADE:,} characters in all; "
                "a loop or a macro runs too often"
            )


_CURRENT: ContextVar[RenderBudget | None] = ContextVar("media_hub_render_budget", default=None)


class render_budget:  # noqa: N801 (used as a function: `with render_budget():`)
    """A fresh allowance for the render run inside the block (one per text rendered); a
    class rather than a generator, since thousands of texts are rendered in a row."""

    def __enter__(self) -> RenderBudget:
        budget = RenderBudget()
        self._token = _CURRENT.set(budget)
        return budget

    def __exit__(self, *_: object) -> None:
        _CURRENT.reset(self._token)


def step() -> None:
    """Charge one step to the render under way (none while compiling: constants are folded
    once, and every value is still bounded by `bounded`)."""
    budget = _CURRENT.get()
    if budget is not None:
        budget.step()


def charge(size: int) -> None:
    budget = _CURRENT.get()
    if budget is not None:
        budget.charge(size)


def refuse_over(size: int, what: str) -> None:
    """BudgetError when an operation's result would be longer than MAX_VALUE."""
    if size > MAX_VALUE:
        raise BudgetError(
            f"{what}: more than {MAX_VALUE:,} characters; templates write short texts"
        )


def bounded(value: Any, what: str) -> Any:
    """`value`, once checked against MAX_VALUE and charged to the render; for results."""
    size = weight(value)
    refuse_over(size, what)
    charge(size)
    return value


def weight(value: Any, limit: int = MAX_VALUE) -> int:
    """About the characters `value` takes printed (a bound on any text made of it), counted
    through nested containers and stopping once past `limit`: shared references (`[big] * 9`
    or a list literal of lists) count as often as they would print, a namespace holding
    itself stops at the limit.

    A container's items count their depth too, as `pprint` and `tojson` indent them. Ranges
    and generators count as they print (`range(0, 9)`), not as the items they would give.
    """
    if type(value) is str:  # the common case, printed values and arguments
        return len(value)
    total = _own_size(value)
    stack: list[tuple[Iterator[Any], int]] = []
    children = _children(value)
    if children is not None:
        stack.append((children, 1))
    while stack and total <= limit:
        siblings, depth = stack[-1]
        child = next(siblings, _END)
        if child is _END:
            stack.pop()
            continue
        total += depth + _own_size(child)
        children = _children(child)
        if children is not None:
            stack.append((children, depth + 1))
    return total


_END = object()


def _own_size(item: Any) -> int:
    if isinstance(item, Undefined):
        return 2  # never iterated nor printed here: printing it is the template's error
    if isinstance(item, str | bytes | bytearray):
        return len(item)
    if isinstance(item, bool) or item is None:
        return 5
    if isinstance(item, int):
        return item.bit_length() // 3 + 1
    if isinstance(item, float):
        return 24
    return 2  # brackets, or an object printed by a name (a date, a macro, a range)


def _children(item: Any) -> Iterator[Any] | None:
    """What a container prints: its items, or a mapping's keys and values."""
    if isinstance(item, Undefined | str | bytes | bytearray | range):
        return None
    if isinstance(item, Mapping):
        return _pairs(item)
    if isinstance(item, list | tuple | set | frozenset | deque | KeysView | ItemsView | ValuesView):
        return iter(item)
    # jinja2.utils.Namespace prints its attributes; Jinja2 keeps them in a private dict.
    attributes = getattr(item, "_Namespace__attrs", None) if _is_namespace(item) else None
    return _pairs(attributes) if isinstance(attributes, dict) else None


def _pairs(mapping: Mapping[Any, Any]) -> Iterator[Any]:
    for key, value in mapping.items():
        yield key
        yield value


def _is_namespace(item: Any) -> bool:
    return type(item).__name__ == "Namespace" and type(item).__module__ == "jinja2.utils"

"""The sandbox librarians' templates run in: Jinja2's, with every operation metered.

Jinja2's `ImmutableSandboxedEnvironment` keeps templates from Python's insides and from
mutating what they are given. What it leaves open is cost: this environment charges each
operation to the render's `RenderBudget` (see `template_budget`) through Jinja2's own hooks:

- operators `*`, `**`, `+` and `%` (`intercepted_binops`, `call_binop`): sequence repeats,
  integer growth, concatenation and `%` widths are bounded before they run;
- calls (`call`): macros, `caller()`, `range`, string methods; the widening ones (`center`,
  `ljust`, `replace`, `join`, `format`...) are bounded before they run;
- filters, each wrapped: its arguments must be of bounded size, the widening ones (`replace`,
  `center`, `indent`, `join`, `format`, `wordwrap`...) are bounded before they run;
- and, by rewriting the parsed template before it is compiled (`Metering`), each `~`
  concatenation, each printed value and each turn of a `{% for %}` loop with the static text
  its body writes. Loops are where a template repeats, so nested loops are stopped by the
  step and time limits, and what they write by the size limits.

Every result is checked against `MAX_VALUE` and charged to the render.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Iterator
from functools import wraps
from types import BuiltinFunctionType, BuiltinMethodType
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import generate_lorem_ipsum
from jinja2.visitor import NodeTransformer

from media_hub.platforms import template_sizes as sizes
from media_hub.platforms.template_budget import (
    MAX_INT_BITS,
    BudgetError,
    bounded,
    charge,
    refuse_over,
    step,
    weight,
)

MAX_EXPONENT = 64

# The metering filters the rewritten template calls. Not names a template can write.
_OUTPUT = "media-hub:output"
_CONCAT = "media-hub:concat"
_LOOP = "media-hub:loop"
# Keyword arguments Jinja2 adds to calls made inside loops and blocks.
_JINJA_KWARGS = frozenset({"_loop_vars", "_block_vars"})
# String methods whose result may be far longer than the string.
_PADDING = frozenset({"center", "ljust", "rjust", "zfill"})


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox with every operation charged to the render's budget."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.filters = {name: _metered_filter(name, f) for name, f in self.filters.items()}
        self.filters[_OUTPUT] = _written
        self.filters[_CONCAT] = _concatenated
        self.filters[_LOOP] = _turns

    def compile_metered(self, source: str) -> jinja2.Template:
        """The template of `source`, rewritten so that its loops, concatenations and output
        are metered."""
        return self.from_string(Metering().visit(self.parse(source)))

    def call_binop(self, context: Context, operator_: str, left: Any, right: Any) -> Any:
        step()
        if operator_ == "**":
            _check_power(left, right)
        elif operator_ == "*":
            _check_product(left, right)
        elif operator_ == "+":
            _check_sum(left, right)
        elif isinstance(left, str | bytes):  # '%' formatting; a number's modulo is small
            refuse_over(sizes.printf_size(left, right), "'%' formatting")
        return bounded(self.binop_table[operator_](left, right), f"'{operator_}'")

    def call(self, context: Context, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        step()
        _check_arguments(args, kwargs)
        args = _check_call(obj, args, kwargs)
        return bounded(super().call(context, obj, *args, **kwargs), f"calling {_name(obj)}")


class Metering(NodeTransformer):
    """Rewrites a parsed template so that what the sandbox's hooks cannot see is metered:
    printed values, `~` concatenations and loop turns (with the static text of their body)."""

    def visit_Output(self, node: nodes.Output) -> nodes.Node:  # noqa: N802 (Jinja2's name)
        self.generic_visit(node)
        node.nodes = [
            child if isinstance(child, nodes.TemplateData) else _filter(child, _OUTPUT)
            for child in node.nodes
        ]
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:  # noqa: N802 (Jinja2's name)
        self.generic_visit(node)
        parts = nodes.Tuple(node.nodes, "load", lineno=node.lineno)
        return _filter(parts, _CONCAT)

    def visit_For(self, node: nodes.For) -> nodes.Node:  # noqa: N802 (Jinja2's name)
        self.generic_visit(node)
        static = sum(len(data.data) for data in _static_text(node.body))
        assert isinstance(node.iter, nodes.Expr)
        node.iter = _filter(node.iter, _LOOP, nodes.Const(static, lineno=node.lineno))
        return node


def _filter(node: nodes.Expr, name: str, *args: nodes.Expr) -> nodes.Filter:
    return nodes.Filter(node, name, list(args), [], None, None, lineno=node.lineno)


def _static_text(body: list[nodes.Node]) -> Iterator[nodes.TemplateData]:
    """The literal text in a loop's body, outside nested loops and macros (which charge
    their own)."""
    stack: list[nodes.Node] = list(body)
    while stack:
        node = stack.pop()
        if isinstance(node, nodes.TemplateData):
            yield node
        elif not isinstance(node, nodes.For | nodes.Macro | nodes.CallBlock):
            stack.extend(node.iter_child_nodes())


# --- the metering filters --------------------------------------------------------------------
# `pass_context` keeps Jinja2 from calling them at compile time to fold constants: a folded
# value would no longer be charged each time it is written.


@jinja2.pass_context
def _written(_context: Context, value: Any) -> Any:
    step()
    size = weight(value)
    refuse_over(size, "a printed value")
    charge(size)
    return value


@jinja2.pass_context
def _concatenated(_context: Context, parts: tuple[Any, ...]) -> str:
    step()
    refuse_over(sum(weight(part) for part in parts), "'~'")
    joined = "".join(str(part) for part in parts)
    charge(len(joined))
    return joined


@jinja2.pass_context
def _turns(_context: Context, iterable: Iterable[Any], static: int) -> Iterator[Any]:
    for item in iterable:
        step()
        charge(static)
        yield item


# --- operators ---------------------------------------------------------------------------------


def _check_power(base: Any, exponent: Any) -> None:
    if isinstance(exponent, int | float) and abs(exponent) > MAX_EXPONENT:
        raise BudgetError(f"exponent {exponent} is larger than {MAX_EXPONENT}")
    if isinstance(base, int) and isinstance(exponent, int) and exponent > 0:
        _check_bits(base.bit_length() * exponent)


def _check_product(left: Any, right: Any) -> None:
    if isinstance(left, int) and isinstance(right, int):
        _check_bits(left.bit_length() + right.bit_length())
    for sequence, count in ((left, right), (right, left)):
        if isinstance(sequence, str | bytes | list | tuple) and isinstance(count, int):
            refuse_over(sizes.repeated_size(sequence, count), "repeating")


def _check_sum(left: Any, right: Any) -> None:
    if isinstance(left, str | bytes | list | tuple) and isinstance(
        right, str | bytes | list | tuple
    ):
        refuse_over(weight(left) + weight(right), "'+'")


def _check_bits(bits: int) -> None:
    if bits > MAX_INT_BITS:
        raise BudgetError(f"a number of more than {MAX_INT_BITS} bits; templates count small")


# --- calls ---------------------------------------------------------------------------------------


def _check_arguments(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Values too big to print are too big to pass (a nested list literal of big strings)."""
    for value in (*args, *(v for k, v in kwargs.items() if k not in _JINJA_KWARGS)):
        refuse_over(weight(value), "a value given to a call or filter")


def _check_call(obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
    """Bound the calls that widen what they are given; returns the arguments to call with
    (a generator given to `join` is made a list, to be measured)."""
    wrapped = getattr(obj, "__wrapped__", None)  # the sandbox's wrapper of str.format
    if isinstance(wrapped, BuiltinMethodType) and isinstance(wrapped.__self__, str):
        if wrapped.__name__ == "format":
            refuse_over(sizes.format_size(wrapped.__self__, args, kwargs), "format")
        elif wrapped.__name__ == "format_map" and args:
            refuse_over(sizes.format_size(wrapped.__self__, (), args[0]), "format_map")
        return args
    if obj is generate_lorem_ipsum:
        count, most = _argument(args, kwargs, 0, "n", 5), _argument(args, kwargs, 3, "max", 100)
        refuse_over(count * most * 16, "lipsum")
        return args
    if not isinstance(obj, BuiltinMethodType | BuiltinFunctionType):
        return args
    owner, name = getattr(obj, "__self__", None), obj.__name__
    if isinstance(owner, int) and name == "to_bytes":
        refuse_over(_argument(args, kwargs, 0, "length", 1), "to_bytes")
    if not isinstance(owner, str | bytes):
        return args
    if name in _PADDING:
        refuse_over(sizes.padded_size(owner, _argument(args, kwargs, 0, "width", 0)), name)
    elif name == "expandtabs":
        tabsize = _argument(args, kwargs, 0, "tabsize", 8)
        refuse_over(sizes.tab_expanded_size(str(owner), tabsize), name)
    elif name == "replace" and len(args) >= 2:
        count = args[2] if len(args) > 2 else kwargs.get("count")
        refuse_over(sizes.replaced_size(owner, args[0], args[1], count), name)
    elif name == "join" and args:
        items = list(args[0])
        refuse_over(sizes.joined_size(items, owner), name)
        return (items, *args[1:])
    elif name == "translate" and args and isinstance(owner, str):
        refuse_over(sizes.translated_size(owner, args[0]), name)
    return args


def _argument(
    args: tuple[Any, ...], kwargs: dict[str, Any], index: int, name: str, default: Any
) -> Any:
    value = args[index] if len(args) > index else kwargs.get(name, default)
    return value if isinstance(value, int) else default


def _name(obj: Any) -> str:
    return str(getattr(obj, "__name__", None) or getattr(obj, "name", None) or type(obj).__name__)


# --- filters -------------------------------------------------------------------------------------


def _metered_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """`function` (a Jinja2 filter) charged a step, its arguments and its result bounded,
    and, for the filters that widen their input, its result's size bounded beforehand."""
    check = _FILTER_CHECKS.get(name)
    signature = inspect.signature(function) if check is not None else None

    @wraps(function)  # keeps Jinja2's pass_context/pass_eval_context marks
    def metered(*args: Any, **kwargs: Any) -> Any:
        step()
        _check_arguments(args[1:] if _passes_first(function) else args, kwargs)
        if signature is not None and check is not None:
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            check(bound.arguments)
            args, kwargs = bound.args, bound.kwargs
        return bounded(function(*args, **kwargs), f"the filter {name}")

    return metered


def _passes_first(function: Callable[..., Any]) -> bool:
    """Whether Jinja2 passes the context, eval context or environment first."""
    return getattr(function, "jinja_pass_arg", None) is not None


def _materialized(arguments: dict[str, Any], name: str) -> list[Any]:
    """The iterable argument as a list (a generator can be measured only once made)."""
    value = arguments[name]
    listed = value if isinstance(value, list) else list(value)
    arguments[name] = listed
    return listed


def _check_replace(arguments: dict[str, Any]) -> None:
    text, old, new = (str(arguments[key]) for key in ("s", "old", "new"))
    refuse_over(sizes.replaced_size(text, old, new, arguments["count"]), "replace")


def _check_center(arguments: dict[str, Any]) -> None:
    refuse_over(sizes.padded_size(arguments["value"], arguments["width"]), "center")


def _check_indent(arguments: dict[str, Any]) -> None:
    refuse_over(sizes.indented_size(str(arguments["s"]), arguments["width"]), "indent")


def _check_wordwrap(arguments: dict[str, Any]) -> None:
    wrapstring = arguments["wrapstring"] or "\n"
    refuse_over(sizes.wrapped_size(str(arguments["s"]), str(wrapstring)), "wordwrap")


def _check_join(arguments: dict[str, Any]) -> None:
    items = _materialized(arguments, "value")
    refuse_over(sizes.joined_size(items, arguments["d"]), "join")


def _check_sum_filter(arguments: dict[str, Any]) -> None:
    """Numbers add up small; sequences (`[[...], ...]|sum(start=[])`) concatenate."""
    items = _materialized(arguments, "iterable")
    if any(isinstance(item, str | bytes | list | tuple) for item in items):
        refuse_over(weight(items) + weight(arguments["start"]), "sum")


def _check_format(arguments: dict[str, Any]) -> None:
    values = arguments["args"] or arguments["kwargs"]
    refuse_over(sizes.printf_size(str(arguments["value"]), values), "format")


def _check_count_argument(name: str) -> Callable[[dict[str, Any]], None]:
    def check(arguments: dict[str, Any]) -> None:
        count = arguments[name]
        refuse_over(count if isinstance(count, int) else 0, f"{name}={count}")

    return check


def _check_tojson(arguments: dict[str, Any]) -> None:
    indent = arguments["indent"]
    step_size = indent if isinstance(indent, int) else weight(indent or "")
    refuse_over(weight(arguments["value"]) * (1 + max(step_size, 0)), "tojson")


def _check_urlize(arguments: dict[str, Any]) -> None:
    text = str(arguments["value"])
    extra = weight(arguments["rel"] or "") + weight(arguments["target"] or "") + 40
    refuse_over(10 * len(text) + (len(text.split()) + 1) * extra, "urlize")


_FILTER_CHECKS: dict[str, Callable[[dict[str, Any]], None]] = {
    "replace": _check_replace,
    "center": _check_center,
    "indent": _check_indent,
    "wordwrap": _check_wordwrap,
    "join": _check_join,
    "sum": _check_sum_filter,
    "format": _check_format,
    "batch": _check_count_argument("linecount"),  # fill_with pads the last batch to it
    "slice": _check_count_argument("slices"),
    "tojson": _check_tojson,
    "urlize": _check_urlize,
}

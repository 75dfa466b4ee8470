"""Tables drawn by `output.print_table` are exactly the ones Rich would print.

`print_table` lets Rich lay out the columns and draw the frame but pads the body rows itself
(Rich's per-cell rendering cost 0.6 s for a thousand rows): whatever the cells, widths and
terminal, its output must be Rich's own, character for character, escape codes included.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from media_hub.cli import output

# Latin, spaces, Arabic with short vowels, wide CJK, an emoji, and emoji codes (`:smile:`).
# A cell with "[" (markup) leaves the whole table to Rich: the last test checks that.
PIECES = [*"abcé xyz0", *"السيرة", "\u0650", "\u0651", *"日本", "😀", ":", "]", "/", "smile"]
CELL = st.one_of(
    st.none(),
    st.integers(-5, 100_000),
    st.lists(st.sampled_from(PIECES), max_size=30).map("".join),
)


def printed(
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    width: int,
    terminal: bool,
    title: str | None = None,
    reference: bool = False,
) -> str:
    """What `print_table` (or, for `reference`, Rich alone) writes on such a console."""
    buffer = io.StringIO()

    def console() -> Console:
        return Console(
            soft_wrap=False,
            file=buffer,
            width=width,
            force_terminal=terminal,
            color_system="truecolor" if terminal else None,
        )

    with mock.patch.object(output, "console", console):
        if reference:
            cells = output.table_cells(rows)
            if cells:
                console().print(output._rich_table(title, columns, cells, width))
            else:
                console().print("[dim]nothing found[/dim]")
        else:
            output.print_table(title, columns, rows)
    return buffer.getvalue()


def outcome(columns: Sequence[str], rows: Sequence[Sequence[Any]], **kwargs: Any) -> str:
    """The text printed, or the error raised (Rich refuses a cell such as `[/]`)."""
    try:
        return printed(columns, rows, **kwargs)
    except Exception as exc:  # compared with Rich's own, not hidden
        return f"raised {exc!r}"


def assert_same(columns: Sequence[str], rows: Sequence[Sequence[Any]], **kwargs: Any) -> None:
    assert outcome(columns, rows, **kwargs) == outcome(columns, rows, reference=True, **kwargs)


@settings(max_examples=150, deadline=None)
@given(
    data=st.data(),
    width=st.integers(8, 140),
    terminal=st.booleans(),
    title=st.one_of(st.none(), st.sampled_from(["jobs", "asset 12", "hub /tmp/a-long-folder"])),
)
def test_any_table_prints_as_rich_prints_it(
    data: st.DataObject, width: int, terminal: bool, title: str | None
) -> None:
    count = data.draw(st.integers(1, 6), label="columns")
    columns = data.draw(
        st.lists(st.sampled_from(["id", "kind", "series", "ep.", "title", "العنوان", ""]),
                 min_size=count, max_size=count),
        label="headers",
    )  # fmt: skip
    rows = data.draw(st.lists(st.lists(CELL, min_size=count, max_size=count), max_size=8))
    assert_same(columns, rows, width=width, terminal=terminal, title=title)


def catalog_rows(count: int) -> list[list[Any]]:
    """Rows as `catalog list` shows them, with Arabic and French titles of every length."""
    words = ["السيرة", "الذاتية", "مقابلة", "العمل", "Rédiger", "son", "CV", "d'embauche"]
    return [
        [n, "video", "advisory-clips", f"S1E{n}" if n % 3 else "", "draft",
         " ".join(words[(n + k) % len(words)] for k in range(n % 9)), "cv, job-interview"]
        for n in range(1, count + 1)
    ]  # fmt: skip


def test_a_thousand_catalog_rows_print_as_rich_prints_them() -> None:
    columns = ["id", "kind", "series", "ep.", "status", "title", "topics"]
    rows = catalog_rows(1000)
    for width in (80, 120):
        for terminal in (False, True):
            assert_same(columns, rows, width=width, terminal=terminal)


def test_plain_tables_are_drawn_here_and_markup_is_left_to_rich() -> None:
    """The comparison above must exercise the drawing here, not only the fallback to Rich."""
    out = Console(width=80, file=io.StringIO())
    cells = [["1", "السيرة الذاتية :smile:"], ["2", "x"]]
    shown = output._shown_texts(out, cells)
    assert shown is not None
    assert shown[0][1] == "السيرة الذاتية 😄"
    assert output._drawn_table(out, None, ["id", "title"], cells, shown) is not None
    assert output._shown_texts(out, [["[bold]x[/bold]"]]) is None
    assert output._shown_texts(out, [["tab\there"]]) is None


def test_nothing_found() -> None:
    assert printed(["id"], [], width=80, terminal=False) == "nothing found\n"


def test_markup_in_a_cell_is_rich_s_business() -> None:
    for rows in ([["[bold]x[/bold]", "2"]], [["[/]", "2"]], [["tab\there", ":smile:"]]):
        assert_same(["a", "b"], rows, width=40, terminal=True)

"""Rendering records: Rich tables for people, JSON and CSV for programs.

Rich is imported when a table is printed (JSON and CSV do without it). A table is laid out
by Rich, but its plain body rows are drawn here: Rich measures and renders every cell
through several layers, 0.6 s for a thousand rows, which `catalog list` would pay each time;
the output is the same character for character (tests/test_output_table.py compares them).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, tzinfo
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Literal

from media_hub.bidi import FIRST_STRONG_ISOLATE, isolate
from media_hub.catalog.vocabulary import LANGUAGES
from media_hub.csv_cells import InertWriter

if TYPE_CHECKING:
    from rich.console import Console
    from rich.segment import Segments
    from rich.table import Table

# Characters that Rich would strip or expand in a cell: such tables are left to Rich whole.
_UNUSUAL = re.compile(r"[\x00-\x1f\x7f]")
SHORT_COLUMN = 24  # cells up to this wide keep their column from folding…
LONG_COLUMN_MIN = 12  # …when each longer column keeps at least this much room


def _right_to_left(cell: str) -> bool:
    return cell.startswith(FIRST_STRONG_ISOLATE)


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"


def console() -> Console:
    from rich.console import Console

    return Console(soft_wrap=False)


def print_json(data: Any) -> None:
    """Exact text (Arabic included, unescaped), one document, newline-terminated.

    A list is written one compact record per line: readable, greppable, and encoded by
    json's C encoder (indenting falls back to pure Python, 5x slower on 20,000 records).
    """
    if isinstance(data, list):
        lines = ",\n ".join(json.dumps(item, ensure_ascii=False) for item in data)
        sys.stdout.write(f"[{lines}]\n")
    else:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def print_json_line(data: Any) -> None:
    """One JSON object on one line, flushed: a stream another program reads as it comes."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def print_table(title: str | None, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Rows in a table; a cell in a right-to-left script is isolated and set to the right."""
    cells = table_cells(rows)
    out = console()
    if not cells:
        out.print("[dim]nothing found[/dim]")
        return
    shown = _shown_texts(out, cells)
    drawn = _drawn_table(out, title, columns, cells, shown) if shown is not None else None
    out.print(_rich_table(title, columns, cells, out.width) if drawn is None else drawn)


def table_cells(rows: Iterable[Sequence[Any]]) -> list[list[str]]:
    """The rows as the table's cell texts (None empty, right-to-left text isolated)."""
    return [["" if cell is None else isolate(str(cell)) for cell in row] for row in rows]


def _rich_table(
    title: str | None,
    columns: Sequence[str],
    cells: Sequence[Sequence[str]],
    width: int | None = None,
) -> Table:
    from rich.cells import cell_len
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, show_lines=False)
    widest = [
        max(cell_len(text) for text in (column, *(row[j] for row in cells)))
        for j, column in enumerate(columns)
    ]
    short = [width <= SHORT_COLUMN for width in widest]
    # Short columns (an id, a date, a field name) are kept whole and the long ones fold, when
    # the terminal has room for that; otherwise every column folds as Rich sees fit.
    room = sum(w + 3 for w, keep in zip(widest, short, strict=True) if keep)
    room += sum(LONG_COLUMN_MIN + 3 for keep in short if not keep) + 1
    keep_whole = width is not None and room <= width
    for column, keep in zip(columns, short, strict=True):
        table.add_column(column, overflow="fold", no_wrap=keep_whole and keep)
    for row in cells:
        table.add_row(
            *(Text.from_markup(c, justify="right") if _right_to_left(c) else c for c in row)
        )
    return table


def _shown_texts(out: Console, cells: list[list[str]]) -> list[list[str]] | None:
    """Each cell as Rich shows it (emoji codes replaced), or None if any cell has markup
    or characters Rich strips or expands: such tables are left to Rich whole."""
    texts: list[list[str]] = []
    for row in cells:
        shown: list[str] = []
        for cell in row:
            if "[" in cell or _UNUSUAL.search(cell):
                return None
            if ":" in cell:
                rendered = out.render_str(cell, highlight=False)
                if rendered.spans or rendered.style:
                    return None
                cell = rendered.plain
            shown.append(cell)
        texts.append(shown)
    return texts


def _drawn_table(
    out: Console,
    title: str | None,
    columns: Sequence[str],
    cells: list[list[str]],
    shown: list[list[str]],
) -> Segments | None:
    """The table as Rich would print it, its body drawn here.

    Rich lays out the columns from the cells that decide each width (the widest and the one
    with the longest word) and draws the title, header and frame; the plain body rows are
    padded here, and a cell too wide for its column is wrapped by Rich's Text. None when Rich's
    layout cannot be had (another Rich version): the caller then prints with Rich alone.
    """
    from rich.cells import cell_len, set_cell_size
    from rich.segment import Segment, Segments
    from rich.text import Text

    def widest(j: int) -> int:
        return max(range(len(shown)), key=lambda i: cell_len(shown[i][j]))

    def wordiest(j: int) -> int:
        return max(
            range(len(shown)), key=lambda i: max(map(cell_len, shown[i][j].split()), default=0)
        )

    picks = [[pick(j) for j in range(len(columns))] for pick in (widest, wordiest)]
    deciding = _rich_table(
        title, columns, [[cells[i][j] for j, i in enumerate(p)] for p in picks], out.width
    )
    options = out.options
    try:
        widths: list[int] = deciding._calculate_column_widths(
            out, options.update_width(options.max_width - deciding._extra_width)
        )
    except AttributeError:
        return None
    padding = 2  # Rich's default cell padding: a space either side
    box = deciding.box.substitute(options, safe=out.safe_box) if deciding.box else None
    if box is None or min(widths) <= padding:
        return None
    frame = _rich_table(title, [], [])  # no rows: the title, header and frame at those widths
    for column, width in zip(columns, widths, strict=True):
        frame.add_column(column, overflow="fold", width=width - padding)
    *head, bottom = Segment.split_lines(out.render(frame, options))
    segments = [segment for line in head for segment in (*line, Segment.line())]
    for index, texts in enumerate(shown):
        if index == len(shown) - 1:
            left, right, divider = box.foot_left, box.foot_right, box.foot_vertical
        else:
            left, right, divider = box.mid_left, box.mid_right, box.mid_vertical
        drawn: list[list[str]] = []
        for text, width in zip(texts, widths, strict=True):
            room = width - padding
            rtl = _right_to_left(text)
            if cell_len(text) <= room:
                gap = " " * (room - cell_len(text))
                drawn.append([f" {gap}{text} " if rtl else f" {text}{gap} "])
            else:  # as Rich renders a Text in a cell: wrapped, then padded or cropped
                justify: Literal["left", "right"] = "right" if rtl else "left"
                lines = Text(text).wrap(out, room, justify=justify, overflow="fold")
                drawn.append([f" {set_cell_size(line.plain, room)} " for line in lines])
        for line_no in range(max(len(lines) for lines in drawn)):
            parts = [
                lines[line_no] if line_no < len(lines) else " " * width
                for lines, width in zip(drawn, widths, strict=True)
            ]
            segments += [Segment(left + divider.join(parts) + right), Segment.line()]
    segments += [*bottom, Segment.line()]
    return Segments(segments)


def print_csv(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Rows as CSV on stdout, no cell a spreadsheet would run as a formula."""
    writer = InertWriter(sys.stdout, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(row)


def print_assets(
    assets: Sequence[Mapping[str, Any]], output: Format, *, language: str | None = None
) -> None:
    """Assets as a table (the title in `language` when asked and there, else the default
    language's), CSV (every language) or JSON."""
    if output is Format.JSON:
        print_json(assets)
        return
    if output is Format.CSV:
        languages = [lang for lang in LANGUAGES if any(lang in a["titles"] for a in assets)]
        columns = [
            "id",
            "kind",
            "series",
            "season",
            "episode",
            "status",
            "default_language",
            *(f"title.{lang}" for lang in languages),
            "topics",
            "version",
        ]
        print_csv(
            columns,
            (
                [
                    a["id"],
                    a["kind"],
                    a["series"],
                    a["season"],
                    a["episode"],
                    a["status"],
                    a["default_language"],
                    *(a["titles"].get(lang) for lang in languages),
                    " ".join(a["topics"]),
                    a["version"],
                ]
                for a in assets
            ),
        )
        return
    print_table(
        None,
        ["id", "kind", "series", "ep.", "status", "title", "topics"],
        (
            [
                a["id"],
                a["kind"],
                a["series"] or "",
                episode_label(a["season"], a["episode"]),
                a["status"],
                a["titles"].get(language or "") or a["titles"].get(a["default_language"], ""),
                ", ".join(a["topics"]),
            ]
            for a in assets
        ),
    )


def episode_label(season: int | None, episode: int | None) -> str:
    if episode is None:
        return ""
    return f"S{season}E{episode}" if season else str(episode)


def print_asset(asset: Mapping[str, Any], zone: tzinfo | None = None) -> None:
    out = console()
    out.print(
        f"[bold]asset {asset['id']}[/bold]  {asset['kind']}, {asset['status']}, "
        f"version {asset['version']}"
    )
    fields = [
        ("series", asset["series"] or ""),
        ("episode", episode_label(asset["season"], asset["episode"])),
        ("default language", asset["default_language"]),
        ("topics", ", ".join(asset["topics"])),
        ("playlists", ", ".join(asset.get("playlists", []))),
        ("recorded", asset["recorded_date"] or ""),
        ("texts", _as_published(asset.get("texts_as_published", []))),
        ("checksum", asset["source_checksum"] or ""),
        ("updated", f"{asset['updated_at'][:16]} by {asset['updated_by']}"),
    ]
    for label, value in fields:
        if value:
            out.print(f"  {label:<17}{value}", markup=False)
    for lang, title in asset["titles"].items():
        out.print(f"  title.{lang:<11}{title}", markup=False)
        description = asset["descriptions"].get(lang)
        if description:
            out.print(f"  description.{lang:<5}{description}", markup=False)
    for publication in asset.get("publications", []):
        line = f"  {publication['platform']:<17}{publication_line(publication, zone)}"
        out.print(line, markup=False, soft_wrap=True)  # a URL is never cut


def publication_line(publication: Mapping[str, Any], zone: tzinfo | None) -> str:
    """`scheduled 2026-12-15 10:00 +01:00, private, URL`: times in the hub's zone."""
    parts = [publication["status"]]
    when = publication.get("scheduled_at")
    if when:
        parts[0] += " " + local_time(when, zone)
    if publication.get("privacy") and publication["privacy"] != publication["status"]:
        parts.append(publication["privacy"])
    if publication.get("url"):
        parts.append(publication["url"])
    return ", ".join(parts)


def local_time(iso: str, zone: tzinfo | None) -> str:
    """An ISO instant as the hub's wall-clock time with its offset (`2026-12-15 10:00+01:00`),
    so the instant stays unambiguous."""
    moment = datetime.fromisoformat(iso)
    if zone is not None:
        moment = moment.astimezone(zone)
    return moment.isoformat(sep=" ", timespec="minutes")


def _as_published(platforms: Sequence[str]) -> str:
    if not platforms:
        return ""
    from media_hub.platforms import registry

    labels = [registry.get(name).label for name in platforms]
    return f"as on {' and '.join(labels)} (catalog edit ID --use-template to render them)"


# Fields holding a set of slugs: a change is one slug added or taken out, not replaced.
SET_FIELDS = frozenset({"topics", "playlists"})


def change_text(change: Mapping[str, Any]) -> str:
    """`old → new`, each value isolated (Arabic on both sides stays in that order); for a
    set of slugs, `+ added` or `− removed`, since the others were kept."""
    old, new = change["old"], change["new"]
    if change["field"] in SET_FIELDS and (old is None) != (new is None):
        return f"+ {new}" if old is None else f"− {old}"
    shown_old = "∅" if old in (None, "") else isolate(str(old))
    shown_new = "∅" if new in (None, "") else isolate(str(new))
    return f"{shown_old} → {shown_new}"


def print_changes(changes: list[dict[str, Any]]) -> None:
    for change in changes:
        console().print(f"  {change['field']}: {change_text(change)}", markup=False)

"""Rendering records: Rich tables for people, JSON and CSV for programs."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Any

from rich.console import Console
from rich.table import Table

from media_hub.catalog.vocabulary import LANGUAGES


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"


def console() -> Console:
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


def print_table(title: str | None, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    table = Table(title=title, show_lines=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    count = 0
    for row in rows:
        table.add_row(*("" if cell is None else str(cell) for cell in row))
        count += 1
    if count:
        console().print(table)
    else:
        console().print("[dim]nothing found[/dim]")


def print_csv(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if cell is None else cell for cell in row])


def print_assets(assets: list[dict[str, Any]], output: Format) -> None:
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
                a["titles"].get(a["default_language"], ""),
                ", ".join(a["topics"]),
            ]
            for a in assets
        ),
    )


def episode_label(season: int | None, episode: int | None) -> str:
    if episode is None:
        return ""
    return f"S{season}E{episode}" if season else str(episode)


def print_asset(asset: dict[str, Any]) -> None:
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


def print_changes(changes: list[dict[str, Any]]) -> None:
    for change in changes:
        old = "∅" if change["old"] is None else change["old"]
        new = "∅" if change["new"] is None else change["new"]
        console().print(f"  {change['field']}: {old} → {new}", markup=False)

"""Start-up cost: whole `media-hub` processes against a bare `python -c pass` in the same run.

Makes a hub with 1,000 assets through the library (`CatalogService.add`, in one SQLite
catalog), then runs each command as its own process several times: `python -c pass` (the
interpreter alone, the baseline), `media-hub --version`, `media-hub --help` and
`media-hub catalog list`. Rounds alternate the commands, so that load from elsewhere on the
machine weighs on all alike. For each command it prints the median user+sys CPU (from
getrusage of the children) and wall time, and the margin above the bare interpreter: the cost
of media-hub's own start. For scale it also runs a bare Typer command with four options, the
least any command costs (Typer builds a pydantic validator per option as it parses). The load
average is printed too. Not a test.

    .venv/bin/python bench/bench_startup.py [--runs 9] [--assets 1000]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

SERIES = ["advisory-clips", "reports", "events", "educational-films"]
FR_WORDS = ["rédiger", "son", "CV", "entretien", "d'embauche", "emploi", "métier", "conseils"]
AR_WORDS = ["السيرة", "الذاتية", "مقابلة", "العمل", "البحث", "عن", "التشغيل", "المهني", "نصائح"]


# A Typer command with options like catalog list's, and nothing else.
BARE_TYPER = """
from enum import StrEnum
from typing import Annotated
import typer
class Format(StrEnum):
    TABLE = "table"
    JSON = "json"
def main(
    series: Annotated[str | None, typer.Option("--series")] = None,
    limit: Annotated[int | None, typer.Option("--limit", min=1)] = None,
    output_format: Annotated[Format, typer.Option("--format")] = Format.TABLE,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    pass
typer.run(main)
"""


@dataclass(frozen=True)
class Run:
    cpu_s: float  # user + sys of the child
    wall_s: float


def make_hub(folder: Path, count: int) -> None:
    """A hub whose catalog holds `count` video assets, each with Arabic and French titles."""
    from media_hub.catalog.assets import NewAsset
    from media_hub.catalog.vocabulary import AssetKind
    from media_hub.hub import Hub, init_hub
    from media_hub.settings import load_settings

    init_hub(folder)
    hub = Hub(load_settings(folder))
    try:
        hub.catalog.load_conventions(hub.settings.definitions_dir)
        for n in range(count):
            series = SERIES[n % len(SERIES)]
            titles = {
                "ar": " ".join(AR_WORDS[(n + k) % len(AR_WORDS)] for k in range(4)),
                "fr": " ".join(FR_WORDS[(n + k) % len(FR_WORDS)] for k in range(4)) + f" {n}",
            }
            hub.catalog.add(NewAsset(kind=AssetKind.VIDEO, series=series, titles=titles))
    finally:
        hub.close()


def run_once(command: list[str], env: dict[str, str]) -> Run:
    """One process to its end; its CPU is the rise of the children's rusage."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(cpu, wall)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="processes per command")
    parser.add_argument("--assets", type=int, default=1000)
    args = parser.parse_args()
    media_hub = str(Path(sys.executable).parent / "media-hub")
    with tempfile.TemporaryDirectory() as tmp:
        hub = Path(tmp) / "hub"
        start = time.perf_counter()
        make_hub(hub, args.assets)
        print(f"hub with {args.assets:,} assets made in {time.perf_counter() - start:.1f} s")
        env = {**os.environ, "MEDIA_HUB_HOME": str(hub), "COLUMNS": "120"}
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "media-hub --version": [media_hub, "--version"],
            "media-hub --help": [media_hub, "--help"],
            "media-hub catalog list": [media_hub, "catalog", "list"],
            "(bare Typer command)": [sys.executable, "-c", BARE_TYPER],
        }
        for command in commands.values():  # warm the file cache and the bytecode
            run_once(command, env)
        runs: dict[str, list[Run]] = {label: [] for label in commands}
        for _ in range(args.runs):
            for label, command in commands.items():
                runs[label].append(run_once(command, env))
    print(f"load average {os.getloadavg()[0]:.2f}; median of {args.runs} runs each")
    base_cpu = statistics.median(run.cpu_s for run in runs["python -c pass"])
    base_wall = statistics.median(run.wall_s for run in runs["python -c pass"])
    for label, measured in runs.items():
        cpu = statistics.median(run.cpu_s for run in measured)
        wall = statistics.median(run.wall_s for run in measured)
        print(
            f"{label:<24} CPU {cpu:.3f} s (+{cpu - base_cpu:.3f} s above bare python), "
            f"wall {wall:.3f} s (+{wall - base_wall:.3f} s)"
        )


if __name__ == "__main__":
    main()

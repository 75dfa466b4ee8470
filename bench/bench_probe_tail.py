"""The cost of refusing truncated files: `probe()` against one bare ffprobe of the same file.

`probe()` asks the same ffprobe run for the header (`-show_format -show_streams`) and for
the packets from the last key frame on (`completeness`): a seek through the index, nothing
decoded. The clip is a 60 s 1080p30 H.264 + AAC faststart MP4 with a key frame every 250
frames (8.3 s: up to that much of the end is read, the slow case). Prints the median CPU
time (user + system of the children) and wall time of each over N runs, and the ratios.
Not a test.

    .venv/bin/python bench/bench_probe_tail.py [--repeat N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from media_hub.media.probe import probe
from media_hub.media.safety import input_args

VIDEO = "testsrc2=size=1920x1080:rate=30"
AUDIO = "sine=frequency=440:sample_rate=48000"
GOP = 250


def clip(folder: Path) -> Path:
    path = folder / "testsrc2-1080p30-60s-faststart.mp4"
    if not path.exists():
        partial = path.with_suffix(".partial.mp4")
        subprocess.run(
            [
                *("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", VIDEO, "-f", "lavfi"),
                *("-i", AUDIO, "-t", "60", "-c:v", "libx264", "-preset", "ultrafast"),
                *("-g", str(GOP), "-pix_fmt", "yuv420p", "-c:a", "aac"),
                *("-movflags", "+faststart", str(partial)),
            ],
            check=True,
        )
        partial.rename(path)
    return path


def measured(action: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median CPU seconds of the child processes, and median wall seconds, per run."""
    cpu, wall = [], []
    for _ in range(repeat):
        before = os.times()
        start = time.perf_counter()
        action()
        wall.append(time.perf_counter() - start)
        after = os.times()
        cpu.append(
            (after.children_user - before.children_user)
            + (after.children_system - before.children_system)
        )
    return statistics.median(cpu), statistics.median(wall)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--keep", type=Path, help="folder to keep the generated clip in")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = options.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        print("generating a 60 s 1080p30 clip (GOP 250, faststart)...")
        source = clip(folder).resolve()
        bare = [
            *("ffprobe", "-v", "error", "-print_format", "json", "-show_format"),
            *("-show_streams", *input_args(source)),
        ]
        print(f"{source.stat().st_size / 2**20:.0f} MiB; median of {options.repeat} runs:")
        base_cpu, base_wall = measured(
            lambda: subprocess.run(bare, check=True, capture_output=True), options.repeat
        )
        full_cpu, full_wall = measured(lambda: probe(source), options.repeat)
    print(f"  bare ffprobe: {base_cpu * 1000:.0f} ms CPU, {base_wall * 1000:.0f} ms wall")
    print(f"  probe(): {full_cpu * 1000:.0f} ms CPU, {full_wall * 1000:.0f} ms wall")
    print(f"ratio: {full_cpu / base_cpu:.2f}x CPU, {full_wall / base_wall:.2f}x wall")


if __name__ == "__main__":
    main()

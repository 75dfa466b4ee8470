"""Thumbnail candidates of a 30-minute clip against a 1-minute clip.

Fast input seeking should make a candidate cost one short ffmpeg run (a seek and at most one
group of pictures decoded) whatever the clip's length, so the ratio of the two times should
stay near 1 (target: at most 2). Both clips are generated with lavfi at 640x360, 25 fps, a key
frame every 250 frames (10 s, longer than most real encodes: the fair, slow case). Prints the
times, the ffmpeg runs and the ratio. Not a test.

    .venv/bin/python bench/bench_thumbnails.py [--candidates N] [--repeat N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from media_hub.media import frames
from media_hub.media.frames import best, extract_candidates

SOURCE = "testsrc2=size=640x360:rate=25"
GOP = 250
TARGET_RATIO = 2.0


def clip(folder: Path, seconds: int) -> Path:
    """The generated clip, made once per folder (the 30-minute one takes under a minute)."""
    path = folder / f"testsrc2-640x360-{seconds}s.mp4"
    if not path.exists():
        partial = path.with_suffix(".partial.mp4")
        subprocess.run(
            [
                *("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", SOURCE, "-t", str(seconds)),
                *("-c:v", "libx264", "-preset", "ultrafast", "-crf", "30", "-g", str(GOP)),
                *("-pix_fmt", "yuv420p", str(partial)),
            ],
            check=True,
        )
        partial.rename(path)
    return path


def timed(source: Path, count: int, repeat: int) -> tuple[float, int]:
    """Best wall time of `repeat` extractions, and the ffmpeg runs one extraction makes."""
    runs = 0

    def counting(args: Sequence[str]) -> subprocess.CompletedProcess[bytes]:
        nonlocal runs
        runs += args[0] == "ffmpeg"
        return frames.run(args)

    times = []
    for _ in range(repeat):
        runs = 0
        with tempfile.TemporaryDirectory() as workdir:
            start = time.perf_counter()
            chosen = best(extract_candidates(source, Path(workdir), count=count, runner=counting))
            times.append(time.perf_counter() - start)
    print(f"  {source.name}: best candidate #{chosen.index} at {chosen.time:.1f} s")
    return min(times), runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=frames.DEFAULT_COUNT)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="folder to keep the generated clips in")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = options.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        print("generating clips (640x360, 25 fps, GOP 250)...")
        short, long = clip(folder, 60), clip(folder, 1800)
        print(f"{options.candidates} candidates, best of {options.repeat} runs:")
        short_time, short_runs = timed(short, options.candidates, options.repeat)
        long_time, long_runs = timed(long, options.candidates, options.repeat)
    ratio = long_time / short_time
    print(f"1-minute clip:  {short_time:6.2f} s  ({short_runs} ffmpeg runs)")
    print(f"30-minute clip: {long_time:6.2f} s  ({long_runs} ffmpeg runs)")
    verdict = "within" if ratio <= TARGET_RATIO else "OVER"
    print(f"ratio: {ratio:.2f} ({verdict} the target of {TARGET_RATIO:.0f}; length ratio 30)")


if __name__ == "__main__":
    main()

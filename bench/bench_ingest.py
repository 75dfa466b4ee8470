"""Ingesting a 2 GB file: peak memory of `media-hub ingest` (beside that of a command that
reads nothing, `catalog list`), and its time against the naive baseline of `sha256sum` then
`cp` (two passes over the bytes) run in the same process.

The file is a real MPEG-TS stream (TS packets concatenate into a valid stream), so the
probe is real too. Not a test: it prints figures.

    .venv/bin/python bench/bench_ingest.py [--gigabytes 2]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Run a command and print its peak RSS alone (this process's other children, such as the
# ffmpeg that made the stream, would otherwise count).
_PEAK_OF_CHILD = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
    "stdout=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def make_stream(path: Path, size: int, work: Path) -> None:
    segment = work / "segment.ts"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=25",
         "-f", "lavfi", "-i", "sine=frequency=440", "-t", "10", "-c:v", "libx264",
         "-preset", "ultrafast", "-b:v", "40M", "-c:a", "aac", "-f", "mpegts", str(segment)],
        check=True,
    )  # fmt: skip
    chunk = segment.read_bytes()
    with path.open("wb") as out:
        written = 0
        while written < size:
            out.write(chunk)
            written += len(chunk)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gigabytes", type=float, default=2.0)
    args = parser.parse_args()
    media_hub = Path(sys.executable).parent / "media-hub"
    with tempfile.TemporaryDirectory(dir=Path.cwd()) as tmp:
        work = Path(tmp)
        source = work / "master.ts"
        make_stream(source, int(args.gigabytes * 1024**3), work)
        size = source.stat().st_size
        hub = work / "hub"
        subprocess.run([str(media_hub), "init", str(hub)], check=True, capture_output=True)
        env = {**os.environ, "MEDIA_HUB_HOME": str(hub)}

        start = time.perf_counter()
        peak_kib = subprocess.run(
            [sys.executable, "-c", _PEAK_OF_CHILD, str(media_hub), "ingest", str(source)],
            check=True, env=env, capture_output=True, text=True,
        ).stdout.split()[-1]  # fmt: skip
        ours = time.perf_counter() - start
        peak_mib = int(peak_kib) / 1024

        idle_kib = subprocess.run(
            [sys.executable, "-c", _PEAK_OF_CHILD, str(media_hub), "catalog", "list"],
            check=True, env=env, capture_output=True, text=True,
        ).stdout.split()[-1]  # fmt: skip

        start = time.perf_counter()
        subprocess.run(["sha256sum", str(source)], check=True, capture_output=True)
        shutil.copyfile(source, work / "copy.ts")
        naive = time.perf_counter() - start

        print(
            f"ingest of {size / 1024**3:.2f} GiB: {ours:.1f} s, peak memory {peak_mib:.0f} MiB "
            f"('catalog list' in the same hub: {int(idle_kib) / 1024:.0f} MiB)"
        )
        print(f"baseline sha256sum + cp: {naive:.1f} s; ratio {ours / naive:.2f}x")


if __name__ == "__main__":
    main()

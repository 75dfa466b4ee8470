"""Which x264 preset for the youtube profile: quality (SSIM against the source) per CPU second.

Makes a lossless 1080p25 source (testsrc2 with moving grain, as a camera's noise: the
content a preset's extra analysis pays for), then encodes it with the youtube profile's own
command (`build_transcode`, the ladder's 8 Mb/s VBR, maxrate and GOP as in production)
at each preset, and reports the CPU time of ffmpeg (user + system of the child), the SSIM
of the result against the source (ffmpeg's ssim filter, luma and chroma) and its dB figure
(-10·log10(1 - SSIM)), and the dB gained per extra CPU second against the fastest preset.
Not a test.

    .venv/bin/python bench/bench_presets.py [--seconds 10] [--grain 12] [--presets fast,medium]
"""

from __future__ import annotations

import argparse
import math
import re
import resource
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from media_hub.media.probe import probe
from media_hub.media.profiles import load_profile
from media_hub.media.transcode import thread_count
from media_hub.media.transcode_command import build_transcode

_QUIET = ("-hide_banner", "-nostdin", "-v", "error", "-y")


def make_source(path: Path, seconds: float, grain_level: int) -> Path:
    grain = f"testsrc2=size=1920x1080:rate=25,noise=alls={grain_level}:allf=t+u"
    subprocess.run(
        ["ffmpeg", *_QUIET, "-f", "lavfi", "-i", grain, "-t", str(seconds), "-c:v", "libx264",
         "-preset", "ultrafast", "-qp", "0", "-pix_fmt", "yuv420p", str(path)],
        check=True,
    )  # fmt: skip
    return path


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def ssim(encoded: Path, source: Path) -> float:
    done = subprocess.run(
        ["ffmpeg", "-hide_banner", "-nostdin", "-i", str(encoded), "-i", str(source),
         "-lavfi", "[0:v][1:v]ssim", "-f", "null", "-"],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    found = re.search(r"All:([\d.]+)", done.stderr)
    assert found, done.stderr[-500:]
    return float(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--presets", default="faster,fast,medium")
    parser.add_argument("--grain", type=int, default=12, help="noise strength, 0 for none")
    options = parser.parse_args()
    base = load_profile("youtube")
    folder = Path(tempfile.mkdtemp(prefix="bench-presets-"))
    try:
        source = make_source(folder / "source.mkv", options.seconds, options.grain)
        info = probe(source)
        threads = thread_count(1)
        print(
            f"source: {options.seconds:g} s 1080p25 lossless testsrc2, grain {options.grain}; "
            "8 Mb/s VBR"
        )
        rows = []
        for preset in options.presets.split(","):
            profile = base.with_video(preset=preset)
            output = folder / f"{preset}.mp4"
            args = build_transcode(profile, info, source, output, None, None, threads)
            cpu, started = children_cpu(), time.perf_counter()
            subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
            cpu, wall = children_cpu() - cpu, time.perf_counter() - started
            value = ssim(output, source)
            rows.append((preset, cpu, wall, value, -10 * math.log10(1 - value)))
            print(f"{preset:>8}: CPU {cpu:6.1f} s, wall {wall:6.1f} s, SSIM {value:.5f} "
                  f"({rows[-1][4]:.2f} dB)", flush=True)  # fmt: skip
        first = rows[0]
        for preset, cpu, _wall, _value, decibels in rows[1:]:
            extra = cpu - first[1]
            gain = decibels - first[4]
            print(f"{preset} over {first[0]}: +{extra:.1f} CPU s for {gain:+.3f} dB "
                  f"({gain / extra if extra > 0 else float('nan'):.4f} dB per CPU s)")  # fmt: skip
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()

"""Transcoding overhead: media-hub's `transcode` against the same ffmpeg command run bare.

Generates a 20-second 720p30 clip with sound, then times, alternately:
- media-hub: `transcode()` with the real `youtube` profile (loudness pass 1, the command,
  progress parsing, temporary file and rename);
- bare: `subprocess.run` of the identical argument list `build_transcode` gives for the
  same measurement, output to another file, without progress parsing.
Prints each run, the best of each and the ratio (target: at most 1.05). Not a test.

    .venv/bin/python bench/bench_transcode.py [--seconds 20] [--rounds 3] [--slots 2]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from media_hub.media.loudness import measure_loudness
from media_hub.media.probe import probe
from media_hub.media.profiles import load_profile
from media_hub.media.transcode import thread_count, transcode
from media_hub.media.transcode_command import build_transcode


def make_source(path: Path, seconds: float) -> Path:
    """720p30 test pattern with speech-like sound (pink noise with a swinging level)."""
    sound = "anoisesrc=color=pink:amplitude=0.15:seed=7:sample_rate=48000,tremolo=f=0.7:d=0.6"
    command = ["ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-y"]
    command += ["-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30", "-f", "lavfi", "-i", sound]
    command += ["-t", str(seconds), "-c:v", "libx264", "-preset", "ultrafast"]
    command += ["-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "192k", str(path)]
    subprocess.run(command, check=True)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--slots", type=int, default=2, help="transcodes sharing the machine")
    options = parser.parse_args()
    profile = load_profile("youtube")
    folder = Path(tempfile.mkdtemp(prefix="bench-transcode-"))
    try:
        source = make_source(folder / "source.mp4", options.seconds)
        info = probe(source)
        threads = thread_count(options.slots)
        print(f"source: {options.seconds:g} s 1280x720 30 fps; profile youtube; threads {threads}")
        hub_times, bare_times, measure_times = [], [], []
        for round_number in range(1, options.rounds + 1):
            bare_output = folder / "bare.mp4"
            started = time.perf_counter()
            loudness = measure_loudness(info, profile.audio, profile.loudness)
            args = build_transcode(profile, info, source, bare_output, loudness, None, threads)
            measured_at = time.perf_counter()
            subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
            bare = time.perf_counter() - measured_at
            measure = measured_at - started
            bare_times.append(bare)
            measure_times.append(measure)

            fractions: list[float] = []
            started = time.perf_counter()
            transcode(
                source,
                folder / "hub.mp4",
                profile,
                info,
                progress=fractions.append,
                slots=options.slots,
            )
            hub = time.perf_counter() - started
            hub_times.append(hub)
            print(
                f"round {round_number}: media-hub {hub:.2f} s (with loudness pass 1, "
                f"{len(fractions)} progress reports); bare ffmpeg {bare:.2f} s "
                f"(+ pass 1 alone {measure:.2f} s)"
            )
        paired = sorted(hub / bare for hub, bare in zip(hub_times, bare_times, strict=True))
        best_hub, best_bare = min(hub_times), min(bare_times)
        print(f"best: media-hub {best_hub:.2f} s, bare ffmpeg {best_bare:.2f} s")
        print(f"ratio media-hub / bare: {best_hub / best_bare:.3f} (target <= 1.05)")
        print(f"median of the rounds' ratios: {paired[len(paired) // 2]:.3f}")
        print(f"ratio without the loudness pass: {(best_hub - min(measure_times)) / best_bare:.3f}")
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()

"""Pass-through against the full transcode and against the bare commands, in one run.

Makes a 60 s 1080p25 master as editing suites export it for YouTube (H.264 High, yuv420p,
progressive, 10 Mb/s constant bitrate, a key frame every half second, AAC-LC 48 kHz stereo
384 kb/s at -14 LUFS) and a copy whose sound is 12 LU too quiet. Then times, wall clock:

- full: `transcode()` of the master on the youtube profile's transcode path (x264 medium,
  loudnorm measured then applied): what every source cost before pass-through;
- pass-through: `choose()` (packet scan, key frames decoded, one loudness measurement, side
  by side) then the remux, on the compliant master;
- bare: `ffmpeg -i master -c copy -movflags +faststart` plus one bare loudnorm measuring
  run of the same master, one after the other;
- audio only: `choose()` then the audio path, on the quiet copy.

Targets (issue 18): pass-through at least 30x faster than full and within 1.2x of bare;
audio only at least 10x faster than full. Best of N rounds (the full transcode once: it
takes minutes). Not a test.

    .venv/bin/python bench/bench_passthrough.py [--seconds 60] [--rounds 3] [--full-rounds 1]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from media_hub.media.passthrough import choose
from media_hub.media.probe import probe
from media_hub.media.profiles import Profile, load_profile
from media_hub.media.transcode import transcode

AT_TARGET = "aevalsrc='0.2*sin(2*PI*1000*t)':s=48000:c=stereo"  # about -14 LUFS
TOO_QUIET = "aevalsrc='0.05*sin(2*PI*1000*t)':s=48000:c=stereo"  # about -26 LUFS
_QUIET = ("-hide_banner", "-nostdin", "-v", "error", "-y")


def make_master(path: Path, seconds: float, sound: str) -> Path:
    command = ["ffmpeg", *_QUIET, "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=25"]
    command += ["-f", "lavfi", "-i", sound, "-t", str(seconds)]
    command += ["-c:v", "libx264", "-preset", "veryfast", "-profile:v", "high"]
    command += ["-pix_fmt", "yuv420p", "-b:v", "10M", "-minrate", "10M", "-maxrate", "10M"]
    command += ["-bufsize", "5M", "-x264-params", "nal-hrd=cbr", "-g", "12", "-bf", "2"]
    command += ["-c:a", "aac", "-b:a", "384k", "-ar", "48000", "-ac", "2"]
    command += ["-movflags", "+faststart", str(path)]
    subprocess.run(command, check=True)
    return path


def bare(source: Path, output: Path) -> None:
    """The bare commands: a stream copy with the index first, and one loudness measurement."""
    subprocess.run(
        ["ffmpeg", *_QUIET, "-i", str(source), "-map", "0", "-c", "copy",
         "-movflags", "+faststart", str(output)],
        check=True,
    )  # fmt: skip
    subprocess.run(
        ["ffmpeg", "-hide_banner", "-nostdin", "-nostats", "-i", str(source), "-map", "0:a",
         "-af", "aformat=channel_layouts=stereo,loudnorm=I=-14:TP=-1:LRA=11:print_format=json",
         "-f", "null", "-"],
        check=True, capture_output=True,
    )  # fmt: skip


def through_hub(source: Path, output: Path, profile: Profile, expected: str) -> None:
    info = probe(source)
    choice = choose(profile, info)
    assert choice.decision.path == expected, choice.decision
    transcode(
        source, output, profile, info, path=choice.decision.path,
        loudness=choice.loudness_for_transcode(profile),
    )  # fmt: skip


def full(source: Path, output: Path, profile: Profile) -> None:
    transcode(source, output, profile, probe(source))


def best(rounds: int, label: str, run: Callable[[], None]) -> float:
    times = []
    for number in range(1, rounds + 1):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
        print(f"  {label} round {number}: {times[-1]:.2f} s", flush=True)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--full-rounds", type=int, default=1)
    options = parser.parse_args()
    profile = load_profile("youtube")
    folder = Path(tempfile.mkdtemp(prefix="bench-passthrough-"))
    try:
        master = make_master(folder / "master.mp4", options.seconds, AT_TARGET)
        quiet = make_master(folder / "quiet.mp4", options.seconds, TOO_QUIET)
        print(f"master: {options.seconds:g} s 1920x1080 25 fps H.264 High 10 Mb/s, AAC 384k")
        out = folder / "out.mp4"
        passed = best(options.rounds, "pass-through",
                      lambda: through_hub(master, out, profile, "remux"))  # fmt: skip
        plain = best(options.rounds, "bare copy + measurement", lambda: bare(master, out))
        audio = best(options.rounds, "audio only",
                     lambda: through_hub(quiet, out, profile, "audio"))  # fmt: skip
        whole = best(options.full_rounds, "full transcode", lambda: full(master, out, profile))
        print(f"best: pass-through {passed:.2f} s, bare {plain:.2f} s, audio only {audio:.2f} s, "
              f"full transcode {whole:.2f} s")  # fmt: skip
        print(f"full / pass-through: {whole / passed:.1f}x (target >= 30)")
        print(f"pass-through / bare: {passed / plain:.3f} (target <= 1.2)")
        print(f"full / audio only: {whole / audio:.1f}x (target >= 10)")
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()

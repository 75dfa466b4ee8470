"""An intro and an outro joined to a body that is not re-encoded, and the joins checked.

The clips are encoded once to the body's format (`transcode_command.clip_graph`); the
three files are then joined by ffmpeg's concat demuxer with stream copy. Its automatic
conversion puts each part's H.264 parameter sets in the stream, so parts from different
encoders decode in order. The demuxer reads a list of files, which is why media-hub never
lets it near a user's input: here the list is written by this module, in a folder of its
own, naming three files it put there (`-safe 1` refuses any other name).

A join is checked on the result's packets: the video runs on without a gap or a repeated
frame (one tick of its time base allowed), and the sound neither stops nor overlaps by
more than one AAC frame (1024 samples), as issue 18 asks.
"""

from __future__ import annotations

import itertools
import json
import subprocess
from pathlib import Path
from typing import Any

from media_hub.errors import MediaError
from media_hub.media.tools import executable

AAC_FRAME = 1024  # samples
JOIN_TIMEOUT_S = 600.0


def join(parts: list[tuple[Path, float]], output: Path, work: Path) -> None:
    """Concatenate `parts` (same streams, same formats) into `output`, moov first.

    Each part is given with its picture's length: the next part starts there, not where
    the part's longest stream ends (AAC pads its last frame, which would leave a gap in
    the video of up to 21 ms at each join, and the sound overlapping by as much instead).
    """
    names = []
    for number, (part, seconds) in enumerate(parts):
        name = f"part{number}.mp4"
        linked = work / name
        linked.unlink(missing_ok=True)
        linked.symlink_to(part.resolve())
        names.append(f"file '{name}'\nduration {seconds:.6f}")
    listing = work / "parts.txt"
    listing.write_text("ffconcat version 1.0\n" + "\n".join(names) + "\n", encoding="utf-8")
    command = [executable("ffmpeg", output), "-hide_banner", "-nostdin", "-v", "error", "-y"]
    command += ["-protocol_whitelist", "file", "-f", "concat", "-safe", "1", "-i", str(listing)]
    command += ["-map", "0", "-c", "copy", "-movflags", "+faststart", str(output)]
    done = subprocess.run(command, capture_output=True, timeout=JOIN_TIMEOUT_S, check=False)
    if done.returncode != 0:
        reason = done.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["no message"]
        raise MediaError(str(output), f"joining the intro and outro failed: {reason[0]}")


def join_problems(path: Path) -> list[str]:
    """What is wrong at the joins of `path`: gaps or overlaps in its video or sound."""
    command = [executable("ffprobe", path), "-v", "error", "-print_format", "json"]
    command += ["-show_entries", "stream=index,codec_type,time_base,sample_rate"]
    command += ["-show_entries", "packet=stream_index,pts,duration,flags", str(path)]
    done = subprocess.run(command, capture_output=True, timeout=JOIN_TIMEOUT_S, check=True)
    return problems_from_probe(json.loads(done.stdout))


def problems_from_probe(data: dict[str, Any]) -> list[str]:
    """Read `join_problems`' ffprobe output: a pure function, for tests of each case."""
    problems = []
    for stream in data.get("streams") or []:
        index, kind = stream.get("index"), stream.get("codec_type")
        packets = [
            p
            for p in data.get("packets") or []
            if p.get("stream_index") == index
            and isinstance(p.get("pts"), int)
            and "D" not in str(p.get("flags", ""))
        ]
        numerator, _, denominator = str(stream.get("time_base", "1/1")).partition("/")
        base = int(numerator) / int(denominator or 1)
        if kind == "video":
            problems += _video_problems(packets, base)
        elif kind == "audio":
            rate = int(stream.get("sample_rate") or 48000)
            problems += _audio_problems(packets, base, AAC_FRAME / rate)
    return problems


def _video_problems(packets: list[dict[str, Any]], base: float) -> list[str]:
    stamps = sorted(int(p["pts"]) for p in packets)
    gaps = [later - earlier for earlier, later in itertools.pairwise(stamps)]
    if not gaps:
        return []
    usual = max(set(gaps), key=gaps.count)
    odd = [(i, gap) for i, gap in enumerate(gaps) if abs(gap - usual) > 1]
    return [
        f"video jumps {(gap - usual) * base * 1000:+.1f} ms at {stamps[i + 1] * base:.2f} s"
        for i, gap in odd[:3]
    ]


def _audio_problems(packets: list[dict[str, Any]], base: float, frame: float) -> list[str]:
    problems = []  # in file order: a join is where one part's packets give way to the next's
    for earlier, later in itertools.pairwise(packets):
        end = (int(earlier["pts"]) + int(earlier.get("duration") or 0)) * base
        start = int(later["pts"]) * base
        if abs(start - end) > frame + base:
            kind = "a gap" if start > end else "an overlap"
            problems.append(f"sound has {kind} of {abs(start - end) * 1000:.1f} ms at {end:.2f} s")
    return problems[:3]

"""Thumbnail candidates: a few frames of a clip, each fetched by fast input seeking, scored.

`-ss T` before `-i` makes ffmpeg jump through the container index to the key frame before T
and decode at most one group of pictures to reach T, so one candidate costs the same in a
1-minute clip as in a 3-hour one: the work grows with the number of candidates, never with
the clip's length. Candidates are spread evenly, skipping the first and last 5% where intros
and outros fade. Each frame is written as a PNG (at most the size a 1280x720 thumbnail needs)
into a folder the caller owns, so the chosen one can be rendered and the rest shown on a
contact sheet.
"""

from __future__ import annotations

import json
import logging
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from media_hub.errors import MediaError
from media_hub.media.images import check_pixels, open_image
from media_hub.media.safety import checked_source, input_args
from media_hub.media.scoring import score_frame

log = logging.getLogger(__name__)

DEFAULT_COUNT = 12
EDGE_MARGIN = 0.05  # of the duration, skipped at each end (fades in and out)
TARGET_SIZE = (1280, 720)  # frames are scaled down only to what this size needs
RUN_TIMEOUT = 120.0  # seconds for one frame: one GOP to decode, even for 4K

Runner = Callable[[Sequence[str]], "subprocess.CompletedProcess[bytes]"]


@dataclass(frozen=True)
class Candidate:
    """One frame that could become the thumbnail; `index` is what a librarian picks by."""

    index: int
    time: float
    image_path: Path
    sharpness: float
    exposure: float
    score: float


@dataclass(frozen=True)
class VideoInfo:
    """What candidate extraction needs from ffprobe."""

    duration: float | None
    width: int
    height: int


def run(args: Sequence[str]) -> subprocess.CompletedProcess[bytes]:
    """Run ffmpeg or ffprobe, capturing output (the default runner; tests wrap it)."""
    return subprocess.run(list(args), capture_output=True, timeout=RUN_TIMEOUT, check=False)


def _call(runner: Runner, args: list[str], source: Path) -> subprocess.CompletedProcess[bytes]:
    try:
        result = runner(args)
    except FileNotFoundError as exc:
        raise MediaError(
            str(source), f"{args[0]} is not installed (apt-get install ffmpeg)"
        ) from exc
    except subprocess.TimeoutExpired as exc:
        raise MediaError(str(source), f"{args[0]} took over {exc.timeout:.0f} s") from exc
    if result.returncode != 0:
        raise MediaError(str(source), f"{args[0]} cannot read it: {_last_line(result.stderr)}")
    return result


def probe_args(source: Path) -> list[str]:
    """ffprobe arguments for the duration and the first video stream's size."""
    return [
        "ffprobe",
        "-v",
        "error",
        "-select_streams",
        "v:0",
        "-show_entries",
        "format=duration:stream=width,height,duration",
        "-of",
        "json",
        *input_args(source),
    ]


def probe_video(source: Path, runner: Runner = run) -> VideoInfo:
    """Duration and frame size of a checked file; refuses a frame past Pillow's pixel limit."""
    result = _call(runner, probe_args(source), source)
    data = json.loads(result.stdout or b"{}")
    streams = data.get("streams") or []
    if not streams:
        raise MediaError(str(source), "no video stream to take a thumbnail from")
    stream = streams[0]
    if not stream.get("width") or not stream.get("height"):
        reason = _last_line(result.stderr)
        raise MediaError(
            str(source), f"cannot read the picture size ({reason}): damaged, or too large"
        )
    width, height = int(stream["width"]), int(stream["height"])
    check_pixels(str(source), width, height)
    duration = _seconds(data.get("format", {}).get("duration")) or _seconds(stream.get("duration"))
    return VideoInfo(duration=duration, width=width, height=height)


def candidate_times(duration: float | None, count: int) -> list[float]:
    """`count` times spread evenly over the clip without its first and last 5%."""
    if count < 1:
        raise ValueError("count must be at least 1")
    if not duration or duration <= 0:
        return [0.0]  # a still picture, or a stream that does not say how long it is
    start = duration * EDGE_MARGIN
    step = duration * (1 - 2 * EDGE_MARGIN) / count
    return [round(start + (i + 0.5) * step, 3) for i in range(count)]


def frame_args(source: Path, time: float) -> list[str]:
    """ffmpeg arguments writing one frame at `time` as PNG to stdout (`-ss` before `-i`)."""
    width, height = TARGET_SIZE
    # Interlaced frames are deinterlaced (combing would look ugly and score as sharp), then
    # made of square pixels and scaled down (never up) to just cover the target: the
    # thumbnail is cropped from this frame, so it must keep its full width or height.
    factor = f"min(1,max({width}/(iw*sar),{height}/ih))"
    scale = (
        "yadif=mode=send_frame:deint=interlaced,"
        f"scale=w='max(2,round(iw*sar*{factor}))':h='max(2,round(ih*{factor}))',setsar=1"
    )
    return [
        "ffmpeg",
        "-nostdin",
        "-hide_banner",
        "-loglevel",
        "error",
        "-ss",
        f"{time:.3f}",
        *input_args(source),
        "-map",
        "0:v:0",
        "-frames:v",
        "1",
        "-vf",
        scale,
        "-pix_fmt",
        "rgb24",
        "-f",
        "image2pipe",
        "-c:v",
        "png",
        "pipe:1",
    ]


def extract_candidates(
    source: Path,
    workdir: Path,
    *,
    count: int = DEFAULT_COUNT,
    runner: Runner = run,
) -> list[Candidate]:
    """Fetch, save and score `count` candidate frames of `source`, sorted by index."""
    path = checked_source(source)
    info = probe_video(path, runner)
    workdir.mkdir(parents=True, exist_ok=True)
    candidates: list[Candidate] = []
    for index, time in enumerate(candidate_times(info.duration, count), start=1):
        result = _call(runner, frame_args(path, time), source)
        if not result.stdout:
            log.warning("%s: no frame at %.3f s; candidate %d skipped", source, time, index)
            continue
        image_path = workdir / f"candidate-{index:02d}.png"
        image_path.write_bytes(result.stdout)
        scored = score_frame(open_image(image_path))
        candidates.append(
            Candidate(index, time, image_path, scored.sharpness, scored.exposure, scored.score)
        )
    if not candidates:
        raise MediaError(str(source), "no frame could be decoded at any candidate time")
    return candidates


def best(candidates: Sequence[Candidate]) -> Candidate:
    """The highest-scoring candidate (the earliest one on a tie)."""
    if not candidates:
        raise ValueError("no candidates to choose from")
    return max(candidates, key=lambda c: (c.score, -c.index))


def _seconds(value: object) -> float | None:
    try:
        seconds = float(str(value))
    except ValueError:
        return None
    return seconds if seconds > 0 else None


def _last_line(stderr: bytes) -> str:
    lines = stderr.decode("utf-8", "replace").strip().splitlines()
    return lines[-1] if lines else "no message"

"""Running a transcode: measure loudness, build the command, run ffmpeg with progress.

The rendition is written to a temporary file beside `output` and renamed when ffmpeg
succeeds and the file lasts as long as the source with its branding, so a reader never sees
half a file (nor a short one) under the final name; on failure, Ctrl-C or SIGTERM ffmpeg is
killed and the temporary file removed.

Threads: a machine runs `slots` transcodes at once (two on the 2-core build machine) and
each ffmpeg gets `cpu_count // slots` threads (at least one) for its decoders, its filter
graph and x264, so that concurrent transcodes share the cores instead of oversubscribing
them (x264 alone would start 1.5 threads per core, and ffmpeg as many decoder threads).
"""

from __future__ import annotations

import collections
import logging
import os
import threading
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any, Literal

from media_hub import fence
from media_hub.errors import MediaError
from media_hub.media import safety
from media_hub.media.branding import BrandClip, Branding, prepare_branding
from media_hub.media.compliance import RenditionPath
from media_hub.media.loudness import LoudnessMeasurement, measure_loudness
from media_hub.media.media_info import MediaInfo
from media_hub.media.probe import probe
from media_hub.media.profiles import Profile
from media_hub.media.tools import executable
from media_hub.media.transcode_command import clip_graph, copy_graph, transcode_graph

log = logging.getLogger(__name__)

ProgressCallback = Callable[[float], None]  # the fraction done, 0.0 to 1.0, never decreasing
DEFAULT_SLOTS = 2
# How far a rendition's duration may stray from the source's (with the series' intro and
# outro): encoders round to whole frames and audio frames, containers to their time base.
DURATION_TOLERANCE_S = 0.5
_STDERR_TAIL_LINES = 30


def thread_count(slots: int = DEFAULT_SLOTS, cpus: int | None = None) -> int:
    """Threads for one ffmpeg when `slots` of them run at once on this machine."""
    if cpus is None:
        cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, (cpus or 1) // max(1, slots))


def transcode(
    source: Path,
    output: Path,
    profile: Profile,
    info: MediaInfo,
    *,
    progress: ProgressCallback | None = None,
    branding: Branding | None = None,
    slots: int = DEFAULT_SLOTS,
    path: RenditionPath = "transcode",
    loudness: LoudnessMeasurement | Literal["measure"] | None = "measure",
) -> Path:
    """Make the `profile` rendition of `source` (probed as `info`) at `output`.

    `path` is the one `passthrough.choose` decided: "remux" and "audio" copy the video (and
    take no branding). `loudness` is the source's measurement when one was made already.
    """
    source = safety.checked_source(source)
    if not output.parent.is_dir():
        raise MediaError(str(output), "the folder to write into does not exist")
    threads = thread_count(slots)
    if path != "transcode" and branding is not None:
        raise MediaError(str(source), "branding needs a transcode; the video cannot be copied")
    media = prepare_branding(branding, profile) if branding is not None else None
    if loudness == "measure":
        loudness = (
            None if path == "remux" else measure_loudness(info, profile.audio, profile.loudness)
        )
    total = (info.duration or 0.0) + (media.duration if media is not None else 0.0)
    # Not created beforehand (as mkstemp would, mode 0600): ffmpeg makes it under the umask.
    temp = output.with_name(f".{output.name}.{uuid.uuid4().hex}.part")
    try:
        if path == "transcode":
            graph = transcode_graph(profile, info, source, temp, loudness, media, threads)
        else:
            graph = copy_graph(
                profile, info, source, temp, loudness, threads, encode_audio=path == "audio"
            )
        log.info("%s %s to %s with profile %s", path, source, output, profile.name)
        log.debug("loudness %s; command %s", loudness, graph.compile())
        _run(graph, executable("ffmpeg", source), source, ProgressReader(total, progress))
        _check_duration(temp, total if info.duration else None, source)
        temp.replace(output)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return output


def encode_clip(
    clip: BrandClip, body: MediaInfo, output: Path, profile: Profile, timescale: int
) -> Path:
    """An intro or outro made to join the rendition `body` by stream copy (its size, rate,
    time base and sound): once per series and body format, the pipeline caches it."""
    if not output.parent.is_dir():
        raise MediaError(str(output), "the folder to write into does not exist")
    threads = thread_count()
    temp = output.with_name(f".{output.name}.{uuid.uuid4().hex}.part")
    try:
        graph = clip_graph(profile, clip, body, temp, timescale, threads)
        log.debug("branding clip: %s", graph.compile())
        source = clip.info.path
        _run(graph, executable("ffmpeg", source), source, ProgressReader(0.0, None))
        temp.replace(output)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return output


def _check_duration(made: Path, expected: float | None, source: Path) -> None:
    """Refuse a rendition shorter or longer than its source (and branding) by more than the
    tolerance: ffmpeg exits 0 on a master whose data stops early ("partial file")."""
    if expected is None:
        return
    duration = probe(made).duration
    if duration is not None and abs(duration - expected) <= DURATION_TOLERANCE_S:
        return
    got = "no duration" if duration is None else f"{duration:.2f} s"
    raise MediaError(
        str(source),
        f"the rendition lasts {got} where {expected:.2f} s were expected (the master with "
        "its intro and outro); the master may be damaged: ingest the original file again",
    )


def _run(graph: Any, ffmpeg_path: str, source: Path, reader: ProgressReader) -> None:
    process = graph.run_async(cmd=ffmpeg_path, pipe_stdout=True, pipe_stderr=True)
    tail: collections.deque[str] = collections.deque(maxlen=_STDERR_TAIL_LINES)
    drain = threading.Thread(target=_keep_tail, args=(process.stderr, tail), daemon=True)
    drain.start()
    try:
        reader.feed(process.stdout)
        returncode = process.wait()
    except BaseException:
        process.kill()
        process.wait()
        raise
    finally:
        drain.join(timeout=5)
    if returncode != 0:
        reason = next((line for line in reversed(tail) if line.strip()), "no message")
        raise MediaError(str(source), f"ffmpeg failed (exit {returncode}): {reason.strip()}")
    reader.finish()


def _keep_tail(stream: IO[bytes], tail: collections.deque[str]) -> None:
    for raw in stream:
        tail.append(raw.decode(errors="replace").rstrip())


class ProgressReader:
    """Turns ffmpeg's `-progress` key=value lines into a fraction of `total` seconds."""

    def __init__(self, total: float, callback: ProgressCallback | None) -> None:
        self.total = total
        self.callback = callback
        self.done = 0.0

    def feed(self, lines: Iterable[bytes]) -> None:
        for raw in lines:
            fence.raise_if_stopped("finishing the transcode")  # a lost job's ffmpeg is killed
            key, _, value = raw.decode(errors="replace").strip().partition("=")
            if key == "out_time_us" and self.total > 0:
                try:
                    seconds = int(value) / 1_000_000
                except ValueError:  # "N/A" before the first frame
                    continue
                self._report(min(seconds / self.total, 0.999))
            elif key == "progress" and value == "end":
                self.finish()

    def finish(self) -> None:
        self._report(1.0)

    def _report(self, fraction: float) -> None:
        if fraction > self.done:
            self.done = fraction
            if self.callback is not None:
                self.callback(fraction)

"""EBU R128 loudness: ffmpeg's loudnorm in two passes.

One pass of loudnorm adapts its gain as it goes (audible pumping on speech); with the
whole file measured first, the second pass applies one linear gain when the true peak
allows it, else loudnorm's dynamic mode. A silent track has no loudness to measure (-inf),
and no audio needs none: both give None, meaning "leave it".

A profile may ask for one pass (`[loudness] two_pass = false`): nothing is measured and
loudnorm runs in its dynamic mode, pumping and all, in exchange for one run of ffmpeg
instead of two. Drafts and the test suite use it; the built-in profiles do not.

Inputs shorter than loudnorm's 3-second window (short intros and outros) that cannot be
raised linearly come out of ffmpeg 5.1's loudnorm barely changed (seen here: -34 LUFS in,
-36 out, target -14); they get a plain gain instead, lowered to keep the true peak.
"""

from __future__ import annotations

import json
import math
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ffmpeg

from media_hub import progress
from media_hub.errors import MediaError
from media_hub.media import safety
from media_hub.media.media_info import MediaInfo
from media_hub.media.profiles import AudioSettings, LoudnessTarget
from media_hub.media.tools import executable

SILENCE_LUFS = -70.0  # EBU R128's absolute gate: below it nothing counts as programme
LOUDNORM_WINDOW_S = 3.0
_JSON_BLOCK = re.compile(r"\{[^{}]*\"input_i\"[^{}]*\}")


@dataclass(frozen=True)
class LoudnessMeasurement:
    input_i: float  # integrated loudness, LUFS
    input_tp: float  # true peak, dBTP
    input_lra: float  # loudness range, LU
    input_thresh: float  # the relative gate, LUFS
    target_offset: float  # the gain loudnorm adds after its limiter, LU


def measure_loudness(
    info: MediaInfo, audio: AudioSettings, target: LoudnessTarget
) -> LoudnessMeasurement | None:
    """Measure the file's first audio track as the second pass will hear it (downmixed).

    None when there is nothing to measure, and for a one-pass profile, which needs no
    measurement.
    """
    if not target.two_pass:
        return None
    return measure_programme(info, audio, target)


def measure_programme(
    info: MediaInfo, audio: AudioSettings, target: LoudnessTarget
) -> LoudnessMeasurement | None:
    """loudnorm's first pass whatever the profile's passes: deciding whether a source may
    pass through needs its loudness even when its transcode would not (one-pass profiles).
    None for no audio and for silence."""
    if info.audio is None:
        return None
    source = info.path
    stream = ffmpeg.input(safety.input_url(source), **safety.input_options())[str(info.audio.index)]
    measured = loudnorm(prepare_audio(stream, audio), target, None, print_json=True)
    command = (
        measured.output("-", f="null")
        .global_args("-hide_banner", "-nostdin", "-nostats")
        .compile(cmd=executable("ffmpeg", source))
    )
    # ffmpeg reads the whole sound before it says anything: a step shows the wait (~10 s a
    # two-minute clip) instead of a transcode bar standing at 0 %.
    with progress.step(f"measuring the loudness of {source.name}"):
        done = subprocess.run(command, capture_output=True, check=False)
    stderr = done.stderr.decode(errors="replace")
    if done.returncode != 0:
        last = stderr.strip().splitlines()[-1:] or ["no message"]
        raise MediaError(str(source), f"loudness measurement failed: {last[0]}")
    return parse_loudnorm_output(stderr, source)


def parse_loudnorm_output(stderr: str, source: Path) -> LoudnessMeasurement | None:
    """The last JSON block loudnorm printed; None for silence."""
    blocks = _JSON_BLOCK.findall(stderr)
    if not blocks:
        raise MediaError(str(source), "loudness measurement printed no result")
    values: dict[str, Any] = json.loads(blocks[-1])
    measurement = LoudnessMeasurement(
        input_i=float(values["input_i"]),
        input_tp=float(values["input_tp"]),
        input_lra=float(values["input_lra"]),
        input_thresh=float(values["input_thresh"]),
        target_offset=float(values["target_offset"]),
    )
    if not math.isfinite(measurement.input_i) or measurement.input_i <= SILENCE_LUFS:
        return None
    return measurement


def prepare_audio(stream: Any, audio: AudioSettings) -> Any:
    """Downmix (or upmix) to the profile's channels, before measuring and before encoding."""
    layout = "stereo" if audio.channels == 2 else "mono"
    return stream.filter("aformat", channel_layouts=layout)


def normalise(
    stream: Any,
    target: LoudnessTarget,
    measurement: LoudnessMeasurement | None,
    duration: float | None,
) -> Any:
    """The second pass: loudnorm with the measurement, or a plain gain for short clips.

    A one-pass profile gets loudnorm's dynamic mode, which needs no measurement.
    """
    if not target.two_pass:
        return loudnorm(stream, target, None)
    if measurement is None:
        return stream
    short = duration is not None and duration < LOUDNORM_WINDOW_S
    if short and not linear_possible(measurement, target):
        return stream.filter("volume", f"{_number(peak_safe_gain(measurement, target))}dB")
    return loudnorm(stream, target, measurement)


def linear_possible(measurement: LoudnessMeasurement, target: LoudnessTarget) -> bool:
    """loudnorm's own test: one gain reaches the target without the peak passing its limit."""
    gain = target.integrated - measurement.input_i
    return measurement.input_tp + gain <= target.true_peak and measurement.input_lra <= target.lra


def peak_safe_gain(measurement: LoudnessMeasurement, target: LoudnessTarget) -> float:
    """The gain (dB) towards the integrated target that keeps the true peak under its own."""
    return min(target.integrated - measurement.input_i, target.true_peak - measurement.input_tp)


def loudnorm(
    stream: Any,
    target: LoudnessTarget,
    measurement: LoudnessMeasurement | None,
    *,
    print_json: bool = False,
) -> Any:
    """loudnorm towards `target`: measuring when `measurement` is None, else linear."""
    options: dict[str, str] = {
        "I": _number(target.integrated),
        "TP": _number(target.true_peak),
        "LRA": _number(target.lra),
    }
    if print_json:
        options["print_format"] = "json"
    if measurement is not None:
        options |= {
            "measured_I": _number(_clamp(measurement.input_i, -99, 0)),
            "measured_TP": _number(_clamp(measurement.input_tp, -99, 99)),
            "measured_LRA": _number(_clamp(measurement.input_lra, 0, 99)),
            "measured_thresh": _number(_clamp(measurement.input_thresh, -99, 0)),
            "offset": _number(_clamp(measurement.target_offset, -99, 99)),
            "linear": "true",
        }
    return stream.filter("loudnorm", **options)


def _clamp(value: float, low: float, high: float) -> float:
    return min(high, max(low, value)) if math.isfinite(value) else (high if value > 0 else low)


def _number(value: float) -> str:
    return f"{value:.2f}"

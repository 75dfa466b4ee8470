"""Real media made on the spot with ffmpeg's lavfi sources, for the probe and transcode tests.

Short clips (1-3 s) so the suite stays fast on two cores; each file is made once per
`SampleMedia` folder and reused. The generating commands read lavfi sources only, never a
user's file, so they need none of `safety`'s guards.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

TONE = "sine=frequency=440:sample_rate=48000"
# Quiet pink noise whose level swings, as speech does: broadband enough for AAC to use its
# bitrate, and well below the profiles' targets so that normalisation has work to do.
SPEECH_LIKE = (
    "anoisesrc=color=pink:amplitude=0.15:seed=7:sample_rate=48000,tremolo=f=0.7:d=0.6,"
    "aformat=channel_layouts=stereo"
)


def ffmpeg(*args: str) -> None:
    subprocess.run(
        ["ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-y", *args],
        check=True,
        capture_output=True,
    )


def ffprobe_json(path: Path, *args: str) -> dict[str, Any]:
    done = subprocess.run(
        ["ffprobe", "-v", "error", "-print_format", "json", *args, str(path)],
        check=True,
        capture_output=True,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def make_clip(
    path: Path,
    *,
    size: str = "1280x720",
    fps: int = 30,
    seconds: float = 2.0,
    audio: str | None = SPEECH_LIKE,
    source: str = "testsrc2",
) -> Path:
    """A progressive H.264 + AAC clip (moov at the end, as cameras write it)."""
    inputs = ["-f", "lavfi", "-i", f"{source}=size={size}:rate={fps}"]
    if audio is not None:
        inputs += ["-f", "lavfi", "-i", audio]
    codecs = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
    if audio is not None:
        codecs += ["-c:a", "aac", "-b:a", "128k"]
    ffmpeg(*inputs, "-t", str(seconds), *codecs, str(path))
    return path


def make_interlaced_1080i25(path: Path, seconds: float = 2.0) -> Path:
    """Broadcast-style 1080i25: MPEG-2, top field first, fields from 50p motion, in MPEG-TS."""
    ffmpeg(
        *("-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=50,interlace=scan=tff"),
        *("-f", "lavfi", "-i", SPEECH_LIKE),
        *("-t", str(seconds), "-c:v", "mpeg2video", "-b:v", "12M"),
        *("-flags", "+ildct+ilme", "-top", "1", "-c:a", "mp2", "-b:a", "192k"),
        str(path),
    )
    return path


def make_rotated_phone_clip(path: Path, work: Path) -> Path:
    """A landscape-coded clip that players show turned 90° clockwise, as phones record."""
    coded = make_clip(work / "phone-coded.mp4", size="640x360", seconds=1.0)
    ffmpeg("-i", str(coded), "-c", "copy", "-metadata:s:v:0", "rotate=-90", str(path))
    return path


def make_audio_only(path: Path) -> Path:
    ffmpeg("-f", "lavfi", "-i", TONE, "-t", "1", "-c:a", "aac", str(path))
    return path


def make_truncated_mp4(path: Path, work: Path) -> Path:
    """An MP4 cut in half: its moov atom, written last, is gone."""
    whole = make_clip(work / "whole.mp4", size="320x240", seconds=2.0)
    data = whole.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def make_logo(path: Path) -> Path:
    """A half-transparent red square PNG."""
    ffmpeg(
        *("-f", "lavfi", "-i", "color=c=red@0.6:size=200x200,format=rgba"),
        *("-frames:v", "1", str(path)),
    )
    return path


def top_level_boxes(path: Path) -> list[str]:
    """The types of an MP4's top-level boxes, in file order (read from the bytes)."""
    boxes = []
    with path.open("rb") as stream:
        while header := stream.read(8):
            size = int.from_bytes(header[:4], "big")
            boxes.append(header[4:8].decode("latin-1"))
            if size == 1:
                size = int.from_bytes(stream.read(8), "big") - 8
            elif size == 0:
                break
            stream.seek(size - 8, 1)
    return boxes


def keyframe_times(path: Path) -> list[float]:
    frames = ffprobe_json(
        path, "-select_streams", "v:0", "-skip_frame", "nokey", "-show_entries", "frame=pts_time"
    )["frames"]
    return [float(frame["pts_time"]) for frame in frames]


def picture_types(path: Path) -> str:
    """I, P and B of every frame in display order, e.g. 'IBBPBBP...'."""
    frames = ffprobe_json(path, "-select_streams", "v:0", "-show_entries", "frame=pict_type")
    return "".join(frame["pict_type"] for frame in frames["frames"])


def x264_settings(path: Path) -> dict[str, str]:
    """The options x264 writes into its SEI message ('cabac=1 ref=3 ... keyint=12 ...')."""
    data = path.read_bytes()
    found = re.search(rb"x264 - core \d+.*? - options: ([^\x00]*)", data)
    assert found, "no x264 SEI in the file"
    pairs = found.group(1).decode("latin-1").split()
    return dict(pair.split("=", 1) for pair in pairs if "=" in pair)


def combed_frames(path: Path) -> int:
    """Frames ffmpeg's idet filter sees as interlaced (fields woven together)."""
    command = ["ffmpeg", "-hide_banner", "-nostdin", "-i", str(path), "-an", "-vf", "idet"]
    done = subprocess.run([*command, "-f", "null", "-"], check=True, capture_output=True)
    found = re.search(
        r"Multi frame detection: TFF:\s*(\d+) BFF:\s*(\d+)", done.stderr.decode(errors="replace")
    )
    assert found, "idet printed no result"
    return int(found.group(1)) + int(found.group(2))


def integrated_loudness(path: Path) -> float:
    """The integrated loudness (LUFS) ffmpeg's ebur128 measures in the file's audio."""
    return loudness_and_true_peak(path)[0]


def loudness_and_true_peak(path: Path) -> tuple[float, float]:
    """Integrated loudness (LUFS) and true peak (dBTP), measured by ffmpeg's ebur128."""
    command = ["ffmpeg", "-hide_banner", "-nostdin", "-i", str(path), "-vn"]
    command += ["-af", "ebur128=peak=true", "-f", "null", "-"]
    done = subprocess.run(command, check=True, capture_output=True)
    summary = done.stderr.decode(errors="replace").rsplit("Summary:", 1)[-1]
    loudness = re.search(r"I:\s+(-?[\d.]+|-inf) LUFS", summary)
    peak = re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary)
    assert loudness, summary
    assert peak, summary
    return float(loudness.group(1)), float(peak.group(1))


class SampleMedia:
    """The generated samples of one test session, each made on first use."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._made: dict[str, Path] = {}

    def _once(self, name: str, make: Any) -> Path:
        if name not in self._made:
            self._made[name] = make(self.folder / name)
        return self._made[name]

    def interlaced_1080i25(self) -> Path:
        return self._once("1080i25.ts", make_interlaced_1080i25)

    def progressive_720p30(self) -> Path:
        return self._once("720p30.mp4", lambda p: make_clip(p, size="1280x720", fps=30))

    def progressive_720p60(self) -> Path:
        return self._once("720p60.mp4", lambda p: make_clip(p, size="1280x720", fps=60, seconds=1))

    def vga_640x480(self) -> Path:
        return self._once("640x480.mp4", lambda p: make_clip(p, size="640x480", fps=25))

    def silent_audio(self) -> Path:
        silence = "anullsrc=r=48000:cl=stereo"
        return self._once("silent.mp4", lambda p: make_clip(p, size="320x240", audio=silence))

    def no_audio(self) -> Path:
        return self._once("no-audio.mp4", lambda p: make_clip(p, size="320x240", audio=None))

    def audio_only(self) -> Path:
        return self._once("audio-only.m4a", make_audio_only)

    def truncated_mp4(self) -> Path:
        return self._once("truncated.mp4", lambda p: make_truncated_mp4(p, self.folder))

    def text_named_mp4(self) -> Path:
        return self._once("notes.mp4", _write_text)

    def empty_mp4(self) -> Path:
        return self._once("empty.mp4", _write_nothing)

    def rotated_phone(self) -> Path:
        return self._once("phone.mp4", lambda p: make_rotated_phone_clip(p, self.folder))

    def intro_4x3(self) -> Path:
        """An intro of another shape, rate and sound than the main video."""
        return self._once(
            "intro.mp4", lambda p: make_clip(p, size="640x480", fps=25, seconds=1, audio=TONE)
        )

    def outro_silent(self) -> Path:
        """An outro without an audio track."""
        return self._once(
            "outro.mp4",
            lambda p: make_clip(
                p, size="1280x720", fps=30, seconds=1, audio=None, source="smptehdbars"
            ),
        )

    def short_peaky(self) -> Path:
        """2 s of quiet tone with loud clicks: one gain cannot reach -14 LUFS unclipped."""
        clicks = "aevalsrc='0.02*sin(2*PI*440*t)+0.5*lt(mod(t\\,0.5)\\,0.002)':s=48000:c=stereo"
        return self._once("peaky.mp4", lambda p: make_clip(p, size="320x240", audio=clicks))

    def logo(self) -> Path:
        return self._once("logo.png", make_logo)


def _write_text(path: Path) -> Path:
    path.write_text("Minutes of the meeting, not a video.\n", encoding="utf-8")
    return path


def _write_nothing(path: Path) -> Path:
    path.write_bytes(b"")
    return path

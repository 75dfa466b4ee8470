"""Sources for the pass-through tests: tiny clips that meet the youtube profile, or miss it
in exactly one way each (loudness, bit depth, interlacing, frame timing, audio, size and
rate, damage, edit list, stream lengths).

The compliant video is H.264 High at x264's constant bitrate (padded with filler), so its
bitrate lands on the ladder's figure however short the clip; the compliant sound is a
1 kHz tone whose level was chosen to measure -14 LUFS (a stereo sine of amplitude A
measures close to 20·log10(A) LUFS), with its true peak at -14 dBTP.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.media_fixtures import ffmpeg

AT_TARGET = "aevalsrc='0.2*sin(2*PI*1000*t)':s=48000:c=stereo"  # about -14 LUFS
TOO_QUIET = "aevalsrc='0.05*sin(2*PI*1000*t)':s=48000:c=stereo"  # about -26 LUFS


def _h264(kbps: int, *extra: str, preset: str = "veryfast") -> list[str]:
    """x264 High at a constant `kbps`, a keyframe every half second (at 25 fps)."""
    rate = f"{kbps}k"
    return [
        *("-c:v", "libx264", "-preset", preset, "-profile:v", "high", "-pix_fmt", "yuv420p"),
        *("-b:v", rate, "-minrate", rate, "-maxrate", rate, "-bufsize", f"{kbps // 2}k"),
        *("-x264-params", "nal-hrd=cbr", "-g", "12", "-bf", "2", *extra),
    ]


_AAC = ("-c:a", "aac", "-b:a", "384k", "-ar", "48000", "-ac", "2")


def make_compliant(
    path: Path,
    *,
    audio: str | None = AT_TARGET,
    size: str = "640x360",
    fps: int = 25,
    seconds: float = 3.0,
    kbps: int = 1000,
    video_extra: tuple[str, ...] = (),
    output_extra: tuple[str, ...] = ("-movflags", "+faststart"),
) -> Path:
    """A clip the youtube profile passes through (360p25: the ladder says 1 Mb/s)."""
    inputs = ["-f", "lavfi", "-i", f"testsrc2=size={size}:rate={fps}"]
    if audio is not None:
        inputs += ["-f", "lavfi", "-i", audio]
    codecs = [*_h264(kbps, *video_extra), *(_AAC if audio is not None else ())]
    ffmpeg(*inputs, "-t", str(seconds), *codecs, *output_extra, str(path))
    return path


def make_ten_bit(path: Path) -> Path:
    ffmpeg(
        *("-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25", "-f", "lavfi", "-i", AT_TARGET),
        *("-t", "2", "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv422p10le"),
        *("-b:v", "1000k", *_AAC, str(path)),
    )
    return path


def make_interlaced(path: Path) -> Path:
    """H.264 coded as interlaced fields, top field first, 576i25."""
    return make_compliant(
        path, size="720x576", seconds=2, kbps=2500, video_extra=("-flags", "+ildct+ilme")
    )


def make_variable_rate(path: Path) -> Path:
    """Every third frame dropped and the timestamps kept: frames last 40 or 80 ms."""
    ffmpeg(
        *("-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25,select='not(eq(mod(n\\,3)\\,0))'"),
        *("-f", "lavfi", "-i", AT_TARGET, "-t", "3", "-fps_mode", "vfr"),
        *_h264(1000), *_AAC, str(path),
    )  # fmt: skip
    return path


def make_4k60_high_bitrate(path: Path) -> Path:
    """Half a second of 2160p60 at 120 Mb/s, twice the ladder's 60 Mb/s."""
    ffmpeg(
        *("-f", "lavfi", "-i", "testsrc2=size=3840x2160:rate=60", "-f", "lavfi", "-i", AT_TARGET),
        *("-t", "0.5", *_h264(120_000, preset="superfast"), *_AAC, str(path)),
    )
    return path


def make_broken_keyframes(path: Path, work: Path) -> Path:
    """A compliant clip whose bytes are overwritten over 0.6 s of its video, so a key frame
    (one each half second) is damaged: the header still says H.264 High."""
    whole = make_compliant(work / "to-break.mp4", audio=None, seconds=3, kbps=1000)
    data = bytearray(whole.read_bytes())
    start = len(data) // 3
    length = 1000 * 1000 // 8 * 6 // 10  # 0.6 s at 1 Mb/s
    data[start : start + length] = bytes((i * 37) % 251 for i in range(length))
    path.write_bytes(bytes(data))
    return path


def make_edit_list(path: Path, work: Path) -> Path:
    """A compliant clip cut by stream copy at 1.3 s: an edit list hides the frames from the
    key frame at 1.0 s to the cut."""
    whole = make_compliant(work / "to-cut.mp4")
    ffmpeg("-ss", "1.3", "-i", str(whole), "-c", "copy", str(path))
    return path


def make_short_audio(path: Path) -> Path:
    """3 s of compliant video with 1.5 s of sound."""
    ffmpeg(
        *("-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25"),
        *("-f", "lavfi", "-i", AT_TARGET + ",atrim=duration=1.5"),
        *("-t", "3", *_h264(1000), *_AAC, str(path)),
    )
    return path


class PassThroughMedia:
    """Each source made once per folder, on first use."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._made: dict[str, Path] = {}

    def _once(self, name: str, make: Any) -> Path:
        if name not in self._made:
            self._made[name] = make(self.folder / name)
        return self._made[name]

    def compliant(self) -> Path:
        return self._once("compliant.mp4", make_compliant)

    def quiet(self) -> Path:
        return self._once("quiet.mp4", lambda p: make_compliant(p, audio=TOO_QUIET))

    def no_audio(self) -> Path:
        return self._once("no-audio.mp4", lambda p: make_compliant(p, audio=None))

    def ten_bit(self) -> Path:
        return self._once("ten-bit.mp4", make_ten_bit)

    def interlaced(self) -> Path:
        return self._once("interlaced.mp4", make_interlaced)

    def variable_rate(self) -> Path:
        return self._once("vfr.mp4", make_variable_rate)

    def uhd_60_high_bitrate(self) -> Path:
        return self._once("2160p60.mp4", make_4k60_high_bitrate)

    def broken_keyframes(self) -> Path:
        return self._once("broken.mp4", lambda p: make_broken_keyframes(p, self.folder))

    def edit_list(self) -> Path:
        return self._once("edit-list.mp4", lambda p: make_edit_list(p, self.folder))

    def short_audio(self) -> Path:
        return self._once("short-audio.mp4", make_short_audio)

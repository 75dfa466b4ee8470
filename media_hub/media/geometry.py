"""The arithmetic of a rendition: its size, keyframe interval and bitrate.

Pure functions over numbers, so that the rules (never upscale, even sizes, the
profile's bitrate ladder) are checked by property tests rather than by encoding video.
"""

from __future__ import annotations

from fractions import Fraction

from media_hub.media.profiles import LadderRung

HIGH_FRAME_RATE = Fraction(30)  # above it, the ladder's high_fps figure applies


def output_size(display_width: int, display_height: int, max_height: int) -> tuple[int, int]:
    """The display size brought down to `max_height` (never up), aspect kept, both even.

    H.264 4:2:0 needs even sizes; rounding down keeps the never-upscale promise.
    """
    height = min(display_height, max_height)
    width = round(display_width * height / display_height)
    return max(2, width // 2 * 2), max(2, height // 2 * 2)


def gop_frames(fps: Fraction, seconds: float) -> int:
    """Frames between keyframes: `seconds` of video (round(fps / 2) for half a second)."""
    return max(1, round(fps * Fraction(seconds)))


def ladder_kbps(ladder: tuple[LadderRung, ...], width: int, height: int, fps: Fraction) -> int:
    """The bitrate for an output size and frame rate.

    The lowest rung at or above `height`; above the top rung, the top rung's figure; below
    the bottom rung, its figure scaled by the pixel count (16:9 frame of that height).
    """
    rungs = sorted(ladder, key=lambda rung: rung.height)

    def pick(rung: LadderRung) -> int:
        return rung.high_fps_kbps if fps > HIGH_FRAME_RATE else rung.kbps

    if height < rungs[0].height:
        bottom = rungs[0]
        bottom_pixels = bottom.height * bottom.height * 16 / 9
        return max(1, round(pick(bottom) * width * height / bottom_pixels))
    for rung in rungs:
        if rung.height >= height:
            return pick(rung)
    return pick(rungs[-1])


# ffprobe's colour space names → swscale's input matrix names.
_SWSCALE_MATRIX = {
    "bt709": "bt709",
    "bt470bg": "bt601",
    "smpte170m": "smpte170m",
    "fcc": "fcc",
    "smpte240m": "smpte240m",
    "bt2020nc": "bt2020",
    "bt2020c": "bt2020",
}


def input_matrix(color_space: str | None, height: int) -> str:
    """The source's YUV matrix; untagged sources follow the convention: HD is BT.709, SD 601."""
    if color_space in _SWSCALE_MATRIX:
        return _SWSCALE_MATRIX[color_space]
    return "bt709" if height >= 720 else "bt601"

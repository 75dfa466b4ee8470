"""How good a frame would look as a thumbnail: sharp, well exposed, with contrast.

Both measures are taken on a small grayscale copy, so a 4K frame costs the same as a 320-pixel
one and scores from one clip compare fairly. Each lies in [0, 1]; the score is their product,
so a frame must be both sharp and well exposed: a black frame, a blown-out one, a blurred one
and one caught mid-fade (little contrast, dim) all score low.
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image, ImageFilter, ImageStat

SCORING_WIDTH = 320
# Laplacian variance at which sharpness reaches one half: a crisp 320-pixel frame of real
# footage gives several hundred, the same frame blurred or half faded a few tens.
SHARPNESS_HALF = 120.0
# Standard deviation of luminance (0-255) from which contrast counts as full.
FULL_CONTRAST = 48.0
# Mean luminance (0-1): full marks inside [LOW, HIGH], none below DARK or above BRIGHT.
DARK, LOW, HIGH, BRIGHT = 0.06, 0.25, 0.75, 0.94

_LAPLACIAN = ImageFilter.Kernel((3, 3), (0, 1, 0, 1, -4, 1, 0, 1, 0), scale=1, offset=128)


@dataclass(frozen=True)
class FrameScore:
    """Sharpness and exposure, each in [0, 1], and their product."""

    sharpness: float
    exposure: float

    @property
    def score(self) -> float:
        return self.sharpness * self.exposure


def score_frame(image: Image.Image) -> FrameScore:
    """Score a decoded frame (any size or mode)."""
    gray = _small_gray(image)
    stats = ImageStat.Stat(gray)
    mean, spread = stats.mean[0], stats.stddev[0]
    return FrameScore(sharpness=sharpness(gray), exposure=exposure(mean, spread))


def sharpness(gray: Image.Image) -> float:
    """Variance of the Laplacian (edge strength), squashed into [0, 1)."""
    edges = gray.filter(_LAPLACIAN)
    # Pillow leaves the outermost pixels unfiltered; they would count as edges.
    inner = edges.crop((1, 1, edges.width - 1, edges.height - 1))
    variance = ImageStat.Stat(inner).var[0] if inner.width > 0 and inner.height > 0 else 0.0
    return variance / (variance + SHARPNESS_HALF)


def exposure(mean: float, spread: float) -> float:
    """Brightness far from black and white, times enough contrast (luminance 0-255)."""
    level = mean / 255.0
    if level < LOW:
        brightness = (level - DARK) / (LOW - DARK)
    elif level > HIGH:
        brightness = (BRIGHT - level) / (BRIGHT - HIGH)
    else:
        brightness = 1.0
    contrast = min(1.0, spread / FULL_CONTRAST)
    return max(0.0, min(1.0, brightness)) * contrast


def _small_gray(image: Image.Image) -> Image.Image:
    gray = image.convert("L")
    if gray.width <= SCORING_WIDTH:
        return gray
    height = max(3, round(gray.height * SCORING_WIDTH / gray.width))
    return gray.resize((SCORING_WIDTH, height), Image.Resampling.BILINEAR)

"""A series' branding: an intro and an outro clip around the video, a logo over it.

The caller names the files (`Branding`); `prepare_branding` probes and measures them once,
so that `build_transcode` stays a pure function of what it is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from media_hub.media import safety
from media_hub.media.loudness import LoudnessMeasurement, measure_loudness
from media_hub.media.media_info import MediaInfo
from media_hub.media.probe import probe
from media_hub.media.profiles import Profile

LogoPosition = Literal["top-left", "top-right", "bottom-left", "bottom-right"]


@dataclass(frozen=True)
class Branding:
    intro: Path | None = None
    outro: Path | None = None
    logo: Path | None = None  # an image (PNG with transparency), shown over the main video
    logo_position: LogoPosition = "top-right"
    logo_scale: float = 0.12  # the logo's width as a fraction of the video's width
    logo_margin: float = 0.04  # its distance from the edges, a fraction of the video's height

    def __post_init__(self) -> None:
        if not 0 < self.logo_scale <= 1:
            raise ValueError(f"logo_scale must be in (0, 1], not {self.logo_scale}")
        if not 0 <= self.logo_margin < 0.5:
            raise ValueError(f"logo_margin must be in [0, 0.5), not {self.logo_margin}")


@dataclass(frozen=True)
class BrandClip:
    info: MediaInfo
    loudness: LoudnessMeasurement | None


@dataclass(frozen=True)
class BrandingMedia:
    """Branding with its clips probed and measured: what `build_transcode` needs."""

    branding: Branding
    intro: BrandClip | None
    outro: BrandClip | None

    @property
    def duration(self) -> float:
        """Seconds the intro and outro add."""
        return sum(clip.info.duration or 0.0 for clip in (self.intro, self.outro) if clip)


def prepare_branding(branding: Branding, profile: Profile) -> BrandingMedia:
    """Probe the clips (each must hold video) and measure their loudness; check the logo."""
    if branding.logo is not None:
        probe(branding.logo, require_video=True)
    return BrandingMedia(
        branding=branding,
        intro=_clip(branding.intro, profile),
        outro=_clip(branding.outro, profile),
    )


def _clip(path: Path | None, profile: Profile) -> BrandClip | None:
    if path is None:
        return None
    info = probe(safety.checked_source(path), require_video=True)
    return BrandClip(info, measure_loudness(info, profile.audio, profile.loudness))


def logo_placement(position: LogoPosition, margin: int) -> tuple[str, str]:
    """overlay's x and y expressions for a corner, `margin` pixels from the edges."""
    x = str(margin) if position.endswith("left") else f"main_w-overlay_w-{margin}"
    y = str(margin) if position.startswith("top") else f"main_h-overlay_h-{margin}"
    return x, y

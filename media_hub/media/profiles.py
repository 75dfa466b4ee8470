"""Transcoding profiles: what a rendition should be, declared in TOML.

Built-in profiles travel in the package (`profiles/*.toml`); a hub may add its own or
replace a built-in by name in a folder of its own (e.g. `catalog/profiles/NAME.toml`). A
user profile may start from a built-in with `extends = "youtube"` and change a few keys.
The checksum of the effective profile goes into a rendition's identity, so editing a
profile makes new renditions instead of silently reusing old ones.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import pydantic
from pydantic import BaseModel, ConfigDict, Field, model_validator

from media_hub.errors import ConventionsError, NotFoundError

# Bumped when build_transcode turns the same profile into a different command, so that
# renditions made by the old command are not taken for the new ones.
COMMAND_VERSION = 1
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
X264Preset = Literal[
    "ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow"
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LadderRung(_Model):
    """Bitrates for one output height: up to 30 fps, and above (48-60 fps)."""

    height: int = Field(gt=0)
    kbps: int = Field(gt=0)
    high_fps_kbps: int = Field(gt=0)


class VideoSettings(_Model):
    codec: Literal["libx264"] = "libx264"
    profile: Literal["baseline", "main", "high"] = "high"
    preset: X264Preset = "medium"
    pix_fmt: Literal["yuv420p"] = "yuv420p"
    max_height: int = Field(2160, gt=0)  # sources are scaled down to it, never up
    bframes: int = Field(2, ge=0, le=16)
    gop_seconds: float = Field(0.5, gt=0)  # keyframe interval
    closed_gop: bool = True
    rate_control: Literal["vbr", "crf"] = "vbr"  # vbr: -b:v from the ladder; crf: capped by it
    crf: int | None = Field(None, ge=0, le=51)
    maxrate_factor: float = Field(1.5, ge=1)
    bufsize_factor: float = Field(2.0, gt=0)
    deinterlace: Literal["bwdif", "yadif"] = "bwdif"
    colour: Literal["bt709"] = "bt709"
    ladder: tuple[LadderRung, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> VideoSettings:
        if self.rate_control == "crf" and self.crf is None:
            raise ValueError("rate_control = 'crf' needs a crf value")
        heights = [rung.height for rung in self.ladder]
        if len(set(heights)) != len(heights):
            raise ValueError("the ladder has two rungs of the same height")
        return self


class AudioSettings(_Model):
    codec: Literal["aac"] = "aac"
    profile: Literal["aac_low"] = "aac_low"
    sample_rate: Literal[44100, 48000, 96000] = 48000
    channels: Literal[1, 2] = 2
    kbps: int = Field(384, gt=0, le=512)


class LoudnessTarget(_Model):
    """EBU R128 targets, within the ranges ffmpeg's loudnorm accepts."""

    integrated: float = Field(-14.0, ge=-70, le=-5)  # LUFS
    true_peak: float = Field(-1.0, ge=-9, le=0)  # dBTP
    lra: float = Field(11.0, ge=1, le=50)  # LU
    # False: one loudnorm pass in its dynamic mode, without measuring the file first. Faster
    # (no measuring run) but the gain adapts as it goes; for drafts and the test suite.
    two_pass: bool = True


class Tolerance(_Model):
    """How far a source may stray from the profile and still be sent as it is
    (`pass_through = "auto"`): see `media.compliance`."""

    # The source's video bitrate as a fraction of the ladder's figure for its size and rate.
    min_bitrate_factor: float = Field(0.5, gt=0)
    max_bitrate_factor: float = Field(1.5, gt=0)
    max_level: int = Field(52, gt=0)  # H.264 level times ten: 5.2 carries 2160p60
    loudness_lu: float = Field(1.0, ge=0, le=10)  # integrated loudness, either side of target
    true_peak_db: float = Field(0.5, ge=0, le=6)  # above the target's true peak
    frame_rates: tuple[float, ...] = (23.976, 24, 25, 29.97, 30, 48, 50, 59.94, 60)

    @model_validator(mode="after")
    def _ordered(self) -> Tolerance:
        if self.min_bitrate_factor > self.max_bitrate_factor:
            raise ValueError("min_bitrate_factor is above max_bitrate_factor")
        return self


class Profile(_Model):
    name: str
    description: str = ""
    container: Literal["mp4"] = "mp4"
    faststart: bool = True  # moov before mdat: playback and processing start before the end
    # "auto": a source that already meets the profile is remuxed (or only its audio encoded)
    # instead of transcoded; "never": every source is transcoded.
    pass_through: Literal["auto", "never"] = "never"  # noqa: S105 - not a password
    tolerance: Tolerance = Tolerance()
    video: VideoSettings
    audio: AudioSettings = AudioSettings()
    loudness: LoudnessTarget = LoudnessTarget()

    def with_video(self, **changes: Any) -> Profile:
        """A copy with some video settings changed (a faster preset for drafts and tests)."""
        video = VideoSettings.model_validate({**self.video.model_dump(), **changes})
        return self.model_copy(update={"video": video})


def profile_checksum(profile: Profile) -> str:
    """sha256 of the canonical JSON of what the encoded bytes depend on.

    Name and description are left out: renaming or re-describing a profile changes no byte.
    So are the pass-through settings: they change which path a source takes, not the bytes
    a transcode makes; the path and, for pass-through, the tolerance that admitted the
    source join the rendition's key in `pipeline.renditions`.
    """
    dumped = profile.model_dump(
        mode="json", exclude={"name", "description", "pass_through", "tolerance"}
    )
    if profile.loudness.two_pass:
        # The default, left out so that renditions made before the option keep their identity.
        del dumped["loudness"]["two_pass"]
    document = {"command_version": COMMAND_VERSION, "profile": dumped}
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


def builtin_profile_names() -> list[str]:
    folder = resources.files("media_hub.media").joinpath("profiles")
    return sorted(
        entry.name.removesuffix(".toml")
        for entry in folder.iterdir()
        if entry.name.endswith(".toml")
    )


def profile_names(user_dir: Path | None = None) -> list[str]:
    """Every profile a hub can use: the built-in ones and those in `user_dir`."""
    names = set(builtin_profile_names())
    if user_dir is not None and user_dir.is_dir():
        names.update(path.stem for path in user_dir.glob("*.toml") if _NAME.match(path.stem))
    return sorted(names)


def load_profile(name: str, user_dir: Path | None = None) -> Profile:
    """The profile `name`: `user_dir/NAME.toml` when present, else the built-in one."""
    if not _NAME.match(name):
        raise NotFoundError(f"profile {name!r}", "profile names are lower-case letters, digits, -")
    if user_dir is not None:
        user_file = user_dir / f"{name}.toml"
        if user_file.is_file():
            return _load_user(name, user_file)
    if name not in builtin_profile_names():
        raise NotFoundError(
            f"profile {name!r}", "known profiles: " + ", ".join(profile_names(user_dir))
        )
    return _validate(name, _builtin_document(name), f"built-in profile {name}")


def _load_user(name: str, path: Path) -> Profile:
    document = _read_toml(path)
    base = document.pop("extends", None)
    if base is not None:
        if not isinstance(base, str) or base not in builtin_profile_names():
            raise ConventionsError(
                str(path),
                f"extends = {base!r}: not a built-in profile "
                f"({', '.join(builtin_profile_names())})",
            )
        document = _merge(_builtin_document(base), document)
    return _validate(name, document, str(path))


def _builtin_document(name: str) -> dict[str, Any]:
    text = (
        resources.files("media_hub.media")
        .joinpath("profiles", f"{name}.toml")
        .read_text(encoding="utf-8")
    )
    return tomllib.loads(text)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConventionsError(str(path), f"not valid TOML: {exc}") from exc


def _merge(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """Tables merge key by key; any other value (the ladder array too) replaces the base's."""
    merged = dict(base)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _validate(name: str, document: dict[str, Any], where: str) -> Profile:
    if "name" in document:
        raise ConventionsError(where, "'name' is the file name; remove the key")
    try:
        return Profile.model_validate({**document, "name": name})
    except pydantic.ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(part) for part in first["loc"]) or "(file)"
        raise ConventionsError(where, f"{key}: {first['msg']}") from exc

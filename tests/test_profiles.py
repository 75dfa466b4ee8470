"""Transcoding profiles (built-in and user), their checksum, and the rendition arithmetic."""

from __future__ import annotations

import copy
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from media_hub.errors import ConventionsError, NotFoundError
from media_hub.media.geometry import gop_frames, ladder_kbps, output_size
from media_hub.media.profiles import (
    Profile,
    load_profile,
    profile_checksum,
    profile_names,
)

YOUTUBE_COPY = """
# the built-in youtube profile, keys in another order, numbers written differently
container = "mp4"
description = "Our own words"
faststart = true

[loudness]
lra = 11
true_peak = -1
integrated = -14

[audio]
kbps = 384
channels = 2
sample_rate = 48_000
profile = "aac_low"
codec = "aac"

[video]
colour = "bt709"
deinterlace = "bwdif"
bufsize_factor = 2
maxrate_factor = 1.5
rate_control = "vbr"
closed_gop = true
gop_seconds = 0.5
bframes = 2
max_height = 2160
pix_fmt = "yuv420p"
preset = "faster"
profile = "high"
codec = "libx264"
ladder = [
    { height = 2160, kbps = 40_000, high_fps_kbps = 60_000 },
    { height = 1440, kbps = 16_000, high_fps_kbps = 24_000 },
    { height = 1080, kbps = 8_000, high_fps_kbps = 12_000 },
    { height = 720, kbps = 5_000, high_fps_kbps = 7_500 },
    { height = 480, kbps = 2_500, high_fps_kbps = 4_000 },
    { height = 360, kbps = 1_000, high_fps_kbps = 1_500 },
]
"""


def test_builtin_profiles() -> None:
    assert profile_names() == ["web", "youtube"]
    youtube = load_profile("youtube")
    assert youtube.container == "mp4"
    assert youtube.faststart
    assert (youtube.video.profile, youtube.video.pix_fmt, youtube.video.bframes) == (
        "high",
        "yuv420p",
        2,
    )
    assert youtube.video.closed_gop
    assert youtube.video.gop_seconds == 0.5
    assert (youtube.audio.codec, youtube.audio.profile) == ("aac", "aac_low")
    assert (youtube.audio.sample_rate, youtube.audio.channels, youtube.audio.kbps) == (
        48000,
        2,
        384,
    )
    web = load_profile("web")
    assert web.video.max_height == 720
    assert web.video.rate_control == "crf"


def test_user_profile_overrides_builtin(tmp_path: Path) -> None:
    (tmp_path / "youtube.toml").write_text(
        'extends = "youtube"\n[video]\npreset = "slow"\n', encoding="utf-8"
    )
    own = load_profile("youtube", tmp_path)
    builtin = load_profile("youtube")
    assert own.video.preset == "slow"
    assert own.video.ladder == builtin.video.ladder
    assert profile_checksum(own) != profile_checksum(builtin)
    assert load_profile("web", tmp_path) == load_profile("web")


def test_user_profile_of_its_own(tmp_path: Path) -> None:
    (tmp_path / "archive.toml").write_text(YOUTUBE_COPY, encoding="utf-8")
    assert profile_names(tmp_path) == ["archive", "web", "youtube"]
    assert load_profile("archive", tmp_path).description == "Our own words"


def test_checksum_ignores_layout_name_and_description(tmp_path: Path) -> None:
    (tmp_path / "copy.toml").write_text(YOUTUBE_COPY, encoding="utf-8")
    copy = load_profile("copy", tmp_path)
    assert copy != load_profile("youtube")  # another name and description
    assert profile_checksum(copy) == profile_checksum(load_profile("youtube"))


def _leaves(document: Any, path: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    if isinstance(document, dict):
        return [leaf for key, value in document.items() for leaf in _leaves(value, (*path, key))]
    if isinstance(document, list):
        return [leaf for i, value in enumerate(document) for leaf in _leaves(value, (*path, i))]
    return [path]


_ALTERNATIVES: dict[str, Any] = {
    "codec": None,  # a single choice each for video and audio: nothing to change
    "container": None,
    "pix_fmt": None,
    "colour": None,
    "profile": {"high": "main", "aac_low": None},
    "preset": {"faster": "fast", "veryfast": "faster"},
    "deinterlace": {"bwdif": "yadif"},
    "rate_control": {"vbr": "crf", "crf": "vbr"},
    "sample_rate": {48000: 44100},
    "channels": {2: 1},
}


def _changed(value: Any, key: str | int) -> Any:
    if isinstance(key, str) and key in _ALTERNATIVES:
        table = _ALTERNATIVES[key]
        return None if table is None else table.get(value)
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        return value - 1 if key in ("integrated", "true_peak") else value + 1
    return None


@pytest.mark.parametrize("name", ["youtube", "web"])
def test_checksum_changes_with_every_value(name: str) -> None:
    profile = load_profile(name)
    # Pass-through settings change the path, not a transcode's bytes: the rendition key
    # adds them for the paths they admit (test_passthrough).
    document = profile.model_dump(
        mode="json", exclude={"name", "description", "pass_through", "tolerance"}
    )
    seen = {profile_checksum(profile)}
    for path in _leaves(document):
        new_value = _changed(_get(document, path), path[-1])
        if new_value is None:
            continue
        variant = copy.deepcopy(document)
        _get(variant, path[:-1])[path[-1]] = new_value
        if path == ("video", "rate_control") and new_value == "crf":
            variant["video"]["crf"] = 23
        checksum = profile_checksum(Profile.model_validate({**variant, "name": name}))
        assert checksum not in seen, path
        seen.add(checksum)
    assert len(seen) > 20


def _get(document: Any, path: tuple[str | int, ...]) -> Any:
    for key in path:
        document = document[key]
    return document


def test_bad_user_profile_names_file_and_key(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('extends = "youtube"\n[video]\nbframes = "two"\n', encoding="utf-8")
    with pytest.raises(ConventionsError, match=r"bad\.toml: video\.bframes: "):
        load_profile("bad", tmp_path)
    path.write_text('extends = "youtube"\n[video]\nbframe = 2\n', encoding="utf-8")
    with pytest.raises(ConventionsError, match=r"video\.bframe: Extra inputs"):
        load_profile("bad", tmp_path)
    path.write_text('extends = "vimeo"\n', encoding="utf-8")
    with pytest.raises(ConventionsError, match="not a built-in profile"):
        load_profile("bad", tmp_path)


def test_unknown_profile() -> None:
    with pytest.raises(NotFoundError, match="known profiles: web, youtube"):
        load_profile("vimeo")
    with pytest.raises(NotFoundError):
        load_profile("../youtube")


LADDER = load_profile("youtube").video.ladder


@pytest.mark.parametrize(
    ("size", "fps", "kbps"),
    [
        ((1920, 1080), Fraction(25), 8000),
        ((1920, 1080), Fraction(30000, 1001), 8000),
        ((1920, 1080), Fraction(50), 12000),
        ((1280, 720), Fraction(60), 7500),
        ((1280, 720), Fraction(30), 5000),
        ((640, 480), Fraction(25), 2500),
        ((854, 480), Fraction(60), 4000),
        ((640, 360), Fraction(30), 1000),
        ((3840, 2160), Fraction(60), 60000),
        ((2560, 1440), Fraction(24), 16000),
        ((1024, 576), Fraction(25), 5000),  # between rungs: the higher one
        ((320, 180), Fraction(30), 250),  # below the ladder: scaled by pixels
    ],
)
def test_bitrate_ladder(size: tuple[int, int], fps: Fraction, kbps: int) -> None:
    assert ladder_kbps(LADDER, *size, fps) == kbps


@pytest.mark.parametrize(
    ("fps", "frames"),
    [(Fraction(25), 12), (Fraction(30000, 1001), 15), (Fraction(50), 25), (Fraction(60), 30)],
)
def test_gop_is_half_the_frame_rate(fps: Fraction, frames: int) -> None:
    assert gop_frames(fps, 0.5) == frames


@given(
    width=st.integers(2, 8000),
    height=st.integers(2, 8000),
    max_height=st.integers(2, 4320),
)
def test_output_size_never_upscales_and_keeps_the_shape(
    width: int, height: int, max_height: int
) -> None:
    out_width, out_height = output_size(width, height, max_height)
    assert out_width % 2 == 0
    assert out_height % 2 == 0
    assert out_height <= max(2, min(height, max_height))
    assert out_width <= max(2, width)
    if out_width >= 100 and out_height >= 100:
        assert out_width / out_height == pytest.approx(width / height, rel=0.02)

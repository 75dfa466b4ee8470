"""probe: facts read from real files (the sample and generated ones), and a one-line reason
for every file that cannot be used."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest

from media_hub.errors import MediaError
from media_hub.media.media_info import MediaInfo, VideoStream, media_info_from_probe
from media_hub.media.probe import probe
from tests.media_fixtures import SampleMedia

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> SampleMedia:
    return SampleMedia(tmp_path_factory.mktemp("probe-media"))


def test_the_sample_clip() -> None:
    info = probe(DATA / "in.mp4")
    assert info.path == (DATA / "in.mp4").resolve()
    assert info.format_name == "mov,mp4,m4a,3gp,3g2,mj2"
    assert info.duration == pytest.approx(7.036, abs=0.01)
    assert info.size == (DATA / "in.mp4").stat().st_size
    assert info.bit_rate is not None
    assert 300_000 < info.bit_rate < 450_000
    video = info.video
    assert video is not None
    assert (video.codec, video.profile, video.pix_fmt) == ("h264", "Main", "yuv420p")
    assert (video.width, video.height) == (320, 240)
    assert (video.display_width, video.display_height) == (320, 240)
    assert video.fps == Fraction(30000, 1001)
    assert not video.interlaced
    assert video.rotation == 0
    assert video.has_b_frames == 0
    assert video.bit_rate is not None
    audio = info.audio
    assert audio is not None
    assert (audio.codec, audio.sample_rate, audio.channels) == ("aac", 44100, 2)
    assert audio.channel_layout == "stereo"


def test_to_json_is_plain_json() -> None:
    document = probe(DATA / "in.mp4").to_json()
    assert json.loads(json.dumps(document)) == document
    assert document["video"]["fps"] == "30000/1001"
    assert document["audio"]["sample_rate"] == 44100
    assert document["path"].endswith("in.mp4")


def test_interlaced_broadcast_source(media: SampleMedia) -> None:
    video = probe(media.interlaced_1080i25()).video
    assert video is not None
    assert (video.codec, video.width, video.height) == ("mpeg2video", 1920, 1080)
    assert video.field_order == "tt"
    assert video.interlaced
    assert video.fps == 25


def test_progressive_high_frame_rate(media: SampleMedia) -> None:
    video = probe(media.progressive_720p60()).video
    assert video is not None
    assert not video.interlaced
    assert video.fps == 60


def test_phone_clip_is_shown_turned(media: SampleMedia) -> None:
    video = probe(media.rotated_phone()).video
    assert video is not None
    assert (video.width, video.height) == (640, 360)
    assert video.rotation == 90
    assert (video.display_width, video.display_height) == (360, 640)


def test_audio_only_file(media: SampleMedia) -> None:
    info = probe(media.audio_only())
    assert info.video is None
    assert info.audio is not None
    assert info.audio.channels == 1


def _one_line_error(path: Path, **options: bool) -> str:
    with pytest.raises(MediaError) as caught:
        probe(path, **options)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    return message


def test_empty_file(media: SampleMedia) -> None:
    assert "empty (0 bytes)" in _one_line_error(media.empty_mp4())


def test_text_file_named_mp4(media: SampleMedia) -> None:
    message = _one_line_error(media.text_named_mp4())
    assert "not a media file" in message
    assert "truncated" not in message


def test_truncated_mp4(media: SampleMedia) -> None:
    message = _one_line_error(media.truncated_mp4())
    assert "truncated MP4" in message
    assert "moov atom" in message


def test_video_required(media: SampleMedia) -> None:
    message = _one_line_error(media.audio_only(), require_video=True)
    assert "no video stream" in message


def test_missing_file(tmp_path: Path) -> None:
    assert "no such file" in _one_line_error(tmp_path / "gone.mp4")


def test_ffprobe_not_installed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # a folder without ffprobe
    message = _one_line_error(DATA / "in.mp4")
    assert "ffprobe is not installed; install ffmpeg: apt-get install ffmpeg" in message


def _stream(**fields: object) -> dict[str, object]:
    base: dict[str, object] = {
        "index": 0,
        "codec_type": "video",
        "codec_name": "h264",
        "width": 1920,
        "height": 1080,
        "r_frame_rate": "25/1",
        "avg_frame_rate": "25/1",
    }
    return base | fields


def _info(*streams: dict[str, object]) -> MediaInfo:
    data = {"format": {"format_name": "mov", "duration": "2.0"}, "streams": list(streams)}
    return media_info_from_probe(Path("/x.mp4"), data, 10)


def _video_of(*streams: dict[str, object]) -> VideoStream:
    video = _info(*streams).video
    assert video is not None
    return video


@pytest.mark.parametrize(
    ("field_order", "interlaced"),
    [("tt", True), ("bb", True), ("tb", True), ("bt", True), ("progressive", False), (None, False)],
)
def test_interlacing_read_from_field_order(field_order: str | None, interlaced: bool) -> None:
    video = _video_of(_stream(field_order=field_order))
    assert video.interlaced is interlaced


@pytest.mark.parametrize(
    ("stream_fields", "rotation", "display"),
    [
        ({"side_data_list": [{"rotation": -90}]}, 90, (1080, 1920)),
        ({"side_data_list": [{"rotation": 90}]}, 270, (1080, 1920)),
        ({"side_data_list": [{"rotation": 180}]}, 180, (1920, 1080)),
        ({"tags": {"rotate": "90"}}, 90, (1080, 1920)),
        ({"tags": {"rotate": "0"}}, 0, (1920, 1080)),
        ({"tags": {"rotate": "sideways"}}, 0, (1920, 1080)),
        ({"side_data_list": [{"side_data_type": "Stereo 3D"}]}, 0, (1920, 1080)),
        ({"sample_aspect_ratio": "4:3", "width": 1440}, 0, (1920, 1080)),
    ],
)
def test_rotation_and_display_size(
    stream_fields: dict[str, object], rotation: int, display: tuple[int, int]
) -> None:
    video = _video_of(_stream(**stream_fields))
    assert video.rotation == rotation
    assert (video.display_width, video.display_height) == display


def test_album_art_is_not_a_video() -> None:
    cover = _stream(codec_name="mjpeg", disposition={"attached_pic": 1})
    info = _info(cover, {"index": 1, "codec_type": "audio", "codec_name": "aac"})
    assert info.video is None
    assert info.audio is not None


def test_field_rate_of_interlaced_h264_gives_the_frame_rate() -> None:
    video = _video_of(_stream(r_frame_rate="50/1", avg_frame_rate="25/1", field_order="tt"))
    assert video.fps == 25

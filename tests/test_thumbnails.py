"""Thumbnails: candidate frames from real ffmpeg runs, scoring, rendering, contact sheets.

Clips are generated with ffmpeg's lavfi sources; one of them is built to hold every kind of
bad thumbnail (black, fading in, blurred, fading out) around a few seconds of sharp picture.
"""

from __future__ import annotations

import io
import itertools
import struct
import subprocess
import zlib
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageChops, ImageDraw, ImageFont

from media_hub.errors import ConfigError, MediaError
from media_hub.media import frames
from media_hub.media.contact_sheet import (
    CHOSEN_COLOUR,
    GAP,
    LABEL_HEIGHT,
    TILE,
    contact_sheet,
    sheet_size,
    tile_origin,
)
from media_hub.media.fonts import find_font
from media_hub.media.frames import Candidate, best, candidate_times, extract_candidates
from media_hub.media.images import open_image
from media_hub.media.scoring import score_frame
from media_hub.media.textfit import ELLIPSIS, block_extent, fit_text
from media_hub.media.textshaping import Shaper, script_of
from media_hub.media.thumbnail import (
    HEIGHT,
    WIDTH,
    band_box,
    layout_title,
    render_thumbnail,
    save_jpeg,
    text_box,
)
from media_hub.media.thumbnail_style import ThumbnailStyle, load_style

DATA = Path(__file__).parent / "data"
# Black until 2 s, fades in until 5 s, sharp until 11 s, blurred until 17 s, fades out by 18 s.
STAGES = (
    "testsrc2=size=320x180:rate=10:duration=20,"
    "boxblur=luma_radius=12:luma_power=2:enable='between(t,11,17)',"
    "fade=t=in:st=2:d=3,fade=t=out:st=17:d=1"
)
SHARP = (5.0, 11.0)
GOP = 50  # frames between key frames in the generated clips
ARABIC_TITLE = "السيرة الذاتية"
LONG_FRENCH = (
    "Comment rédiger une lettre de motivation convaincante pour un premier emploi dans "
    "l'administration publique régionale, préparer l'entretien d'embauche face au jury, "
    "négocier son salaire et réussir sa période d'essai sans stress inutile"
)


def generate(path: Path, source: str, seconds: float | None = None) -> Path:
    duration = ["-t", str(seconds)] if seconds else []
    subprocess.run(
        [
            *("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", source, *duration),
            *("-c:v", "libx264", "-preset", "ultrafast", "-g", str(GOP), "-pix_fmt", "yuv420p"),
            str(path),
        ],
        check=True,
    )
    return path


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="module")
def stages_clip(media: Path) -> Path:
    return generate(media / "stages.mp4", STAGES)


@pytest.fixture(scope="module")
def stages_candidates(stages_clip: Path, media: Path) -> list[Candidate]:
    workdir = media / "stages-frames"
    workdir.mkdir()
    return extract_candidates(stages_clip, workdir, count=8)


@pytest.fixture
def style() -> ThumbnailStyle:
    return load_style()


def solid(colour: tuple[int, int, int], size: tuple[int, int] = (1920, 1080)) -> Image.Image:
    return Image.new("RGB", size, colour)


def ink_box(image: Image.Image, box: tuple[int, int, int, int], colour: str) -> tuple[int, ...]:
    """Bounding box (in image coordinates) of what differs from `colour` inside `box`."""
    region = image.crop(box)
    found = ImageChops.difference(region, Image.new("RGB", region.size, colour)).getbbox()
    assert found is not None, "nothing drawn"
    return (found[0] + box[0], found[1] + box[1], found[2] + box[0], found[3] + box[1])


# --- candidates -------------------------------------------------------------------------


def test_candidate_times_are_even_and_skip_the_first_and_last_five_percent() -> None:
    times = candidate_times(100.0, 9)
    assert times[0] > 5.0
    assert times[-1] < 95.0
    steps = {round(b - a, 3) for a, b in itertools.pairwise(times)}
    assert steps == {10.0}
    assert candidate_times(None, 5) == [0.0]  # a still picture


def test_frame_args_seek_before_the_input_and_take_one_frame() -> None:
    args = frames.frame_args(DATA / "in.mp4", 3.5)
    assert args.index("-ss") < args.index("-i")
    assert args[args.index("-ss") + 1] == "3.500"
    assert args[args.index("-i") + 1] == f"file:{(DATA / 'in.mp4').resolve()}"
    assert args[args.index("-frames:v") + 1] == "1"
    assert args.index("-protocol_whitelist") < args.index("-i")
    assert "-noautorotate" not in args  # ffmpeg turns phone videos upright
    assert args[args.index("-vf") + 1].startswith("yadif=mode=send_frame:deint=interlaced,")


def rotated(source: Path, target: Path) -> Path:
    """A copy whose track header asks players to turn the picture by 90 degrees."""
    data = bytearray(source.read_bytes())
    box = data.index(b"tkhd")
    version = data[box + 4]
    matrix = box + 8 + (32 if version == 1 else 20) + 16
    data[matrix : matrix + 36] = struct.pack(
        ">9I", 0, 0x10000, 0, 0xFFFF0000, 0, 0, 0, 0, 0x40000000
    )
    target.write_bytes(data)
    return target


def test_a_rotated_clip_gives_upright_frames(media: Path, tmp_path: Path) -> None:
    clip = generate(media / "landscape.mp4", "testsrc2=size=320x180:rate=10", 2)
    candidates = extract_candidates(rotated(clip, media / "portrait.mp4"), tmp_path, count=2)
    assert {open_image(c.image_path).size for c in candidates} == {(180, 320)}


def test_the_chosen_candidate_is_sharp_and_exposed(stages_candidates: list[Candidate]) -> None:
    assert [c.index for c in stages_candidates] == list(range(1, 9))
    chosen = best(stages_candidates)
    assert SHARP[0] <= chosen.time <= SHARP[1]
    assert chosen.score == max(c.score for c in stages_candidates)
    for candidate in stages_candidates:
        assert candidate.image_path.is_file()
        if candidate.time < 2.5 or candidate.time > 17.5:  # black, or nearly
            assert candidate.score < 0.1, candidate
        if 11.5 < candidate.time < 16.5:  # blurred
            assert candidate.sharpness < 0.2, candidate
            assert candidate.score < 0.2 * chosen.score, candidate


def test_a_frame_caught_mid_fade_scores_low(stages_clip: Path) -> None:
    def score_at(time: float) -> float:
        result = frames.run(frames.frame_args(stages_clip, time))
        return score_frame(Image.open(io.BytesIO(result.stdout))).score

    assert score_at(3.5) < 0.6 * score_at(8.0)  # halfway through the fade in


def test_the_sample_clip_skips_its_black_ending(tmp_path: Path) -> None:
    candidates = extract_candidates(DATA / "in.mp4", tmp_path, count=8)
    chosen = best(candidates)
    assert chosen.exposure > 0.8
    assert chosen.sharpness > 0.5
    frame = open_image(chosen.image_path)
    assert frame.size == (320, 240)  # never scaled up
    assert frame.convert("L").point(lambda v: 255 if v > 128 else 0).getbbox()  # not black
    assert candidates[-1].score < 0.05  # the clip ends on black


def test_cost_grows_with_candidates_not_with_length(media: Path, tmp_path: Path) -> None:
    """Structural, not timed: the same runs for a 20-second and a 10-minute clip, each
    decoding at most one group of pictures (ffmpeg's -debug_ts lists every decoded frame)."""
    clips = {
        seconds: generate(media / f"plain-{seconds}.mp4", "testsrc2=size=160x90:rate=5", seconds)
        for seconds in (20, 600)
    }
    decoded: dict[int, list[int]] = {}
    runs: dict[int, list[list[str]]] = {}

    def counting(args: Sequence[str]) -> subprocess.CompletedProcess[bytes]:
        args = list(args)
        if args[0] == "ffmpeg":
            runs[seconds].append(args)
            level = args.index("-loglevel") + 1
            args = [*args[:level], "info", "-debug_ts", *args[level + 1 :]]
        result = frames.run(args)
        if args[0] == "ffmpeg":
            decoded[seconds].append(result.stderr.count(b"\ndecoder -> "))
        return result

    for seconds, clip in clips.items():
        decoded[seconds], runs[seconds] = [], []
        workdir = tmp_path / str(seconds)
        workdir.mkdir()
        assert len(extract_candidates(clip, workdir, count=6, runner=counting)) == 6

    assert len(runs[20]) == len(runs[600]) == 6
    for args in runs[20] + runs[600]:
        assert args.index("-ss") < args.index("-i")
    for counts in decoded.values():
        assert all(1 <= count <= GOP + 2 for count in counts), decoded
    assert sum(decoded[600]) < 6 * (GOP + 2) < 600 * 5  # a fraction of the 3,000 frames


def test_a_file_without_video_is_refused(media: Path, tmp_path: Path) -> None:
    audio = media / "tone.wav"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "sine=duration=1", str(audio)],
        check=True,
    )
    with pytest.raises(MediaError, match="no video stream"):
        extract_candidates(audio, tmp_path)


# --- decompression bombs ------------------------------------------------------------------


def bomb_png(path: Path, width: int = 100_000, height: int = 100_000) -> Path:
    """A few hundred bytes whose header claims `width` x `height` pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\0" * 64)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )
    return path


def assert_one_line_naming(error: pytest.ExceptionInfo[MediaError], path: Path) -> None:
    message = str(error.value)
    assert "\n" not in message
    assert str(path) in message


def test_a_picture_claiming_huge_dimensions_is_refused(tmp_path: Path) -> None:
    bomb = bomb_png(tmp_path / "bomb.png")
    with pytest.raises(MediaError, match="past the limit") as error:
        open_image(bomb)
    assert_one_line_naming(error, bomb)
    with pytest.raises(MediaError, match="too large") as error:
        extract_candidates(bomb, tmp_path)  # ffmpeg itself refuses to decode this one
    assert_one_line_naming(error, bomb)
    large = bomb_png(tmp_path / "large.png", 15_000, 15_000)  # ffmpeg would decode this one
    with pytest.raises(MediaError, match="15000x15000 pixels, past the limit") as error:
        extract_candidates(large, tmp_path)
    assert_one_line_naming(error, large)


def test_frames_past_the_pixel_limit_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 320 * 240 - 1)
    with pytest.raises(MediaError, match="320x240") as error:
        extract_candidates(DATA / "in.mp4", tmp_path)
    assert_one_line_naming(error, (DATA / "in.mp4").resolve())


def test_a_bomb_logo_is_refused(tmp_path: Path, style: ThumbnailStyle) -> None:
    bomb = bomb_png(tmp_path / "logo.png")
    with pytest.raises(MediaError) as error:
        render_thumbnail(solid((90, 90, 90)), "Titre", "fr", style, logo=bomb)
    assert_one_line_naming(error, bomb)


# --- rendering ------------------------------------------------------------------------------


def test_thumbnail_is_a_1280x720_jpeg_under_2_mb(
    stages_candidates: list[Candidate], style: ThumbnailStyle, tmp_path: Path
) -> None:
    frame = open_image(best(stages_candidates).image_path)
    image = render_thumbnail(frame, "Rédiger son CV", "fr", style)
    assert (image.mode, image.size) == ("RGB", (WIDTH, HEIGHT))
    size = save_jpeg(image, tmp_path / "thumb.jpg")
    assert size == (tmp_path / "thumb.jpg").stat().st_size < 2 * 1024 * 1024
    with Image.open(tmp_path / "thumb.jpg") as saved:
        assert (saved.format, saved.size) == ("JPEG", (WIDTH, HEIGHT))


def test_save_jpeg_lowers_the_quality_to_stay_under_the_limit(tmp_path: Path) -> None:
    noise = Image.effect_noise((WIDTH, HEIGHT), 120).convert("RGB")
    full = save_jpeg(noise, tmp_path / "full.jpg")
    smaller = save_jpeg(noise, tmp_path / "small.jpg", limit=full * 9 // 10)
    assert smaller < full * 9 // 10
    assert not list(tmp_path.glob(".*partial"))


@pytest.mark.parametrize("size", [(400, 300), (300, 600), (1920, 800)])
def test_the_frame_is_cropped_never_stretched(size: tuple[int, int], style: ThumbnailStyle) -> None:
    frame = solid((128, 128, 128), size)
    side = min(size) // 4
    left, top = (size[0] - side) // 2, size[1] // 2 - side
    ImageDraw.Draw(frame).rectangle((left, top, left + side - 1, top + side - 1), fill="red")
    band = band_box(style)
    image = render_thumbnail(frame, "", "fr", style)
    red = image.crop((0, 0, WIDTH, band.top)).convert("RGB")
    mask = Image.eval(red.split()[0], lambda v: 255 if v > 200 else 0)
    found = ImageChops.multiply(mask, Image.eval(red.split()[1], lambda v: 255 if v < 60 else 0))
    box = found.getbbox()
    assert box is not None
    assert abs((box[2] - box[0]) - (box[3] - box[1])) <= 3  # still a square


def column_runs(image: Image.Image) -> int:
    """How many separate stretches of inked columns (letters or joined groups) there are."""
    columns = [any(image.getpixel((x, y)) for y in range(image.height)) for x in range(image.width)]
    return sum(1 for x, inked in enumerate(columns) if inked and (x == 0 or not columns[x - 1]))


def test_arabic_is_shaped_by_raqm() -> None:
    path = find_font("Noto Sans Arabic", "bold")
    drawn = {}
    for layout in (ImageFont.Layout.RAQM, ImageFont.Layout.BASIC):
        font = ImageFont.truetype(str(path), 64, layout_engine=layout)
        raqm = layout == ImageFont.Layout.RAQM
        direction, language = ("rtl", "ar") if raqm else (None, None)
        image = Image.new("L", (900, 140))
        ImageDraw.Draw(image).text(
            (10, 20), ARABIC_TITLE, font=font, fill=255, direction=direction, language=language
        )
        image = Image.eval(image, lambda v: 255 if v > 100 else 0)
        width = font.getlength(ARABIC_TITLE, direction=direction, language=language)
        drawn[layout] = (width, column_runs(image))
    (shaped_width, shaped_gaps), (basic_width, basic_gaps) = drawn.values()
    assert shaped_width != basic_width
    assert shaped_gaps < basic_gaps  # joined letters: fewer separate ink stretches
    assert shaped_width < basic_width  # joined forms are narrower than isolated ones


def test_an_arabic_title_is_right_aligned_in_the_band(style: ThumbnailStyle) -> None:
    image = render_thumbnail(solid((128, 128, 128)), ARABIC_TITLE, "ar", style)
    band, box = band_box(style), text_box(style, None)
    left, top, right, bottom = ink_box(image, (0, band.top, WIDTH, band.bottom), style.band_colour)
    assert box.right - 4 <= right <= box.right
    assert left > WIDTH // 2
    assert box.top <= top
    assert bottom <= box.bottom
    outside = image.crop((0, 0, WIDTH, band.top))
    assert outside.getcolors() == [(WIDTH * band.top, (128, 128, 128))]


def test_a_latin_title_is_left_aligned(style: ThumbnailStyle) -> None:
    image = render_thumbnail(solid((128, 128, 128)), "Rédiger son CV", "fr", style)
    band, box = band_box(style), text_box(style, None)
    left, _, right, _ = ink_box(image, (0, band.top, WIDTH, band.bottom), style.band_colour)
    assert box.left <= left <= box.left + 12  # the R's side bearing, not a misplacement
    assert right < WIDTH // 2 + 200


def test_latin_words_in_an_arabic_title_use_the_latin_font(style: ThumbnailStyle) -> None:
    shaper = Shaper("arabic", "ar", style)
    runs = shaper.runs(f"{ARABIC_TITLE} CV 2025", 40)
    assert [run.text.strip() for run in runs] == ["CV 2025", ARABIC_TITLE]  # drawn left to right
    assert runs[0].font.path != runs[1].font.path
    assert (runs[0].rtl, runs[1].rtl) == (False, True)


@pytest.mark.parametrize(
    ("title", "language", "script"),
    [
        (ARABIC_TITLE, "ar", "arabic"),
        (f"Le mot {ARABIC_TITLE}", "fr", "latin"),  # a French title quoting Arabic
        ("Job Day 2025", "ar", "latin"),  # an Arabic asset with a Latin title
        ("2025", "ar", "arabic"),
        ("ⴰⵎⵓⵍⵍⵉ", "zgh", "tifinagh"),
        ("Tanmirt", "zgh", "latin"),  # Amazigh written in Latin letters
    ],
)
def test_the_script_follows_the_language_and_the_letters(
    title: str, language: str, script: str
) -> None:
    assert script_of(title, language) == script


def test_an_arabic_word_in_a_french_title_is_shaped_in_the_arabic_font(
    style: ThumbnailStyle,
) -> None:
    runs = Shaper("latin", "fr", style).runs(f"Le mot {ARABIC_TITLE}", 40)
    assert [run.text for run in runs] == ["Le mot ", ARABIC_TITLE]
    assert "Arabic" in str(runs[1].font.path)
    assert runs[1].rtl


def test_a_tifinagh_title_uses_a_tifinagh_font(style: ThumbnailStyle) -> None:
    shaper = Shaper("tifinagh", "zgh", style)
    runs = shaper.runs("ⴰⵎⵓⵍⵍⵉ ⵏ ⵓⵙⵡⵓⴳⴳⵯ", 40)
    assert len(runs) == 1
    assert "Tifinagh" in str(runs[0].font.path)


def test_without_raqm_an_arabic_title_is_refused_not_garbled(
    style: ThumbnailStyle, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PIL import features

    real = features.check
    monkeypatch.setattr(features, "check", lambda name: False if name == "raqm" else real(name))
    with pytest.raises(MediaError, match="libfribidi0"):
        render_thumbnail(solid((90, 90, 90)), ARABIC_TITLE, "ar", style)
    with pytest.raises(MediaError, match="libfribidi0"):
        render_thumbnail(solid((90, 90, 90)), f"Le mot {ARABIC_TITLE}", "fr", style)
    assert render_thumbnail(solid((90, 90, 90)), "Rédiger son CV", "fr", style).size == (
        WIDTH,
        HEIGHT,
    )


def test_a_very_long_french_title_is_shrunk_cut_and_kept_in_the_band(
    style: ThumbnailStyle,
) -> None:
    box = text_box(style, None)
    _, layout = layout_title(LONG_FRENCH, "fr", style, box)
    assert layout.fitted.size == style.min_font_size < style.max_font_size
    assert len(layout.fitted.lines) == 2
    assert layout.fitted.truncated
    assert layout.fitted.lines[-1].endswith(ELLIPSIS)
    image = render_thumbnail(solid((128, 128, 128)), LONG_FRENCH, "fr", style)
    band = band_box(style)
    left, top, right, bottom = ink_box(image, (0, band.top, WIDTH, band.bottom), style.band_colour)
    assert box.left <= left
    assert right <= box.right
    assert box.top <= top
    assert bottom <= box.bottom
    outside = image.crop((0, 0, WIDTH, band.top))
    assert outside.getcolors() == [(WIDTH * band.top, (128, 128, 128))]


def test_a_medium_title_is_shrunk_onto_two_lines_without_a_cut(style: ThumbnailStyle) -> None:
    title = "Rédiger une lettre de motivation pour un premier emploi dans l'administration"
    _, layout = layout_title(title, "fr", style, text_box(style, None))
    assert style.min_font_size < layout.fitted.size < style.max_font_size
    assert len(layout.fitted.lines) == 2
    assert not layout.fitted.truncated
    assert " ".join(layout.fitted.lines) == title


WORDS = st.text(
    alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzéèàçôABCDEFGHIJKLMNOPQRSTUVWXYZ0123'-"),
    min_size=1,
    max_size=40,
)
ARABIC_WORDS = st.text(
    alphabet=st.sampled_from("ابتثجحخدذرزسشصضطظعغفقكلمنهويةءأإآىئؤ"), min_size=1, max_size=20
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    words=st.lists(st.one_of(WORDS, ARABIC_WORDS), min_size=1, max_size=40),
    language=st.sampled_from(["fr", "ar"]),
    band_height=st.floats(min_value=0.18, max_value=0.5),
    position=st.sampled_from(["top", "bottom"]),
)
def test_any_title_fits_inside_its_box(
    words: list[str], language: str, band_height: float, position: str
) -> None:
    style = ThumbnailStyle(band_height=band_height, band_position=position)  # type: ignore[arg-type]
    box = text_box(style, None)
    band = band_box(style)
    shaper, layout = layout_title(" ".join(words), language, style, box)
    fitted = layout.fitted
    assert style.min_font_size <= fitted.size <= style.max_font_size
    assert 1 <= len(fitted.lines) <= 2
    for line, (x, y) in zip(fitted.lines, layout.pens, strict=True):
        ink = shaper.measure(line, fitted.size)
        assert box.left - 0.5 <= x + ink.left
        assert x + ink.right <= box.right + 0.5
        assert box.top - 0.5 <= y + ink.top
        assert y + ink.bottom <= box.bottom + 0.5
    assert band.left <= box.left
    assert box.right <= band.right
    assert band.top <= box.top
    assert box.bottom <= band.bottom
    if not fitted.truncated:
        assert " ".join(fitted.lines) == " ".join(words)


@given(
    text=st.text(alphabet="ab ", max_size=200),
    width=st.integers(min_value=60, max_value=1200),
    height=st.integers(min_value=40, max_value=300),
)
def test_fitting_arithmetic_with_a_monospaced_measure(text: str, width: int, height: int) -> None:
    """Any title in any box: a size in range, at most two lines, each within the box."""
    from media_hub.media.textfit import Ink

    def measure(line: str, size: int) -> Ink:
        return Ink(0.0, -0.8 * size, 0.6 * size * len(line), 0.2 * size)

    fitted = fit_text(text, width, height, measure, min_size=10, max_size=60)
    assert 10 <= fitted.size <= 60
    assert len(fitted.lines) <= 2
    assert all(measure(line, fitted.size).width <= width for line in fitted.lines)
    if fitted.lines:
        top, bottom = block_extent(fitted.lines, fitted.size, measure)
        assert bottom - top <= height or len(fitted.lines) == 1
    if fitted.truncated:
        assert fitted.lines[-1].endswith(ELLIPSIS)
    else:
        assert " ".join(fitted.lines) == " ".join(text.split())


def test_the_text_box_leaves_room_for_a_logo_on_the_band(tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    Image.new("RGBA", (200, 200), (255, 0, 0, 255)).save(logo)
    style = ThumbnailStyle(logo=logo, logo_position="bottom-right")
    image = render_thumbnail(solid((128, 128, 128)), "Rédiger son CV et réussir", "fr", style)
    assert image.getpixel((WIDTH - style.padding - 5, HEIGHT - style.padding - 5)) == (255, 0, 0)
    plain = text_box(style, None)
    _, layout = layout_title("x", "fr", style, plain)
    assert layout.box.right == plain.right
    from media_hub.media.thumbnail import logo_box

    narrower = text_box(style, logo_box((100, 100), style))
    assert narrower.right <= WIDTH - style.padding - 100 - style.padding


# --- style and fonts ----------------------------------------------------------------------------


def test_the_default_style_is_a_deep_blue_band_with_white_text() -> None:
    style = load_style()
    red, green, blue = (int(style.band_colour[i : i + 2], 16) for i in (1, 3, 5))
    assert blue > 100
    assert red < 40
    assert green < 80
    assert style.text_colour.upper() == "#FFFFFF"


def test_a_style_file_is_read_and_checked(tmp_path: Path) -> None:
    path = tmp_path / "style.toml"
    path.write_text('[thumbnail]\nband_colour = "#112233"\nlogo = "logo.png"\n', "utf-8")
    style = load_style(path)
    assert style.band_colour == "#112233"
    assert style.logo == tmp_path / "logo.png"
    path.write_text('[thumbnail]\nband_color = "#112233"\n', "utf-8")
    with pytest.raises(ConfigError, match="unknown keys: band_color"):
        load_style(path)
    path.write_text('[thumbnail]\nband_colour = "blue"\n', "utf-8")
    with pytest.raises(ConfigError, match="band_colour"):
        load_style(path)
    path.write_text("[thumbnail]\nmax_font_size = 10\n", "utf-8")
    with pytest.raises(ConfigError, match="max_font_size"):
        load_style(path)
    path.write_text("[thumbnail]\nband_height = 0.12\n", "utf-8")
    with pytest.raises(ConfigError, match="too little for one line"):
        load_style(path)
    path.write_text("[thumbnail]\npadding = '36'\n", "utf-8")
    with pytest.raises(ConfigError, match="padding: a whole number"):
        load_style(path)


def test_a_missing_font_names_the_package(tmp_path: Path) -> None:
    with pytest.raises(MediaError, match="install fonts-noto-core"):
        find_font("Noto Sans Arabic", dirs=[tmp_path], fontconfig=False)
    assert find_font("Noto Sans Arabic").name.startswith("NotoSansArabic-")


# --- contact sheet ----------------------------------------------------------------------------


def test_contact_sheet_shows_every_candidate_and_outlines_the_chosen(
    stages_candidates: list[Candidate],
) -> None:
    sheet = contact_sheet(stages_candidates, columns=3)
    assert sheet.size == sheet_size(8, 3)
    assert sheet.size == (GAP + 3 * (TILE[0] + GAP), GAP + 3 * (TILE[1] + LABEL_HEIGHT + GAP))
    chosen = best(stages_candidates)
    outline = tuple(int(CHOSEN_COLOUR[i : i + 2], 16) for i in (1, 3, 5))
    for position, candidate in enumerate(stages_candidates):
        x, y = tile_origin(position, 3)
        beside = sheet.getpixel((x - 3, y + TILE[1] // 2))
        assert (beside == outline) == (candidate.index == chosen.index)
    picked = contact_sheet(stages_candidates, columns=3, chosen=1)
    x, y = tile_origin(0, 3)
    assert picked.getpixel((x - 3, y + 10)) == outline

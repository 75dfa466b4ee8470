"""Titles of mixed directions are drawn in the order of the Unicode Bidirectional Algorithm.

The order of runs is checked against python-bidi (the Rust crate unicode-bidi), another
implementation of UAX #9 than the FriBidi the thumbnails use, never against orders written
by hand; and in pixels, where the digits of a year sit in the drawn Arabic line.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from bidi import get_display
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageChops, ImageStat

from media_hub.media.bidi_order import segments
from media_hub.media.textshaping import FAUX_BOLD, Run, Shaper, script_of
from media_hub.media.thumbnail import WIDTH, band_box, render_thumbnail
from media_hub.media.thumbnail_style import ThumbnailStyle, load_style

MIXED_TITLES = [
    ("ملتقى 2026 – 3 أيام", "ar"),  # the title: Western digits and an en dash
    ("ملتقى ٢٠٢٦ – ٣ أيام", "ar"),  # Eastern Arabic digits
    ("آخر أجل للتسجيل: 2026-03-01", "ar"),  # a date
    ("خصم 50% على التكوين (الدورة 2)", "ar"),  # a percent sign, parentheses
    ("منتدى التشغيل - الدورة 12 (الرباط)", "ar"),  # a hyphen, a city in parentheses
    ("مُلْتَقَى الشُّغْل 2026", "ar"),  # vowel marks
    ("Forum de l'emploi avec محمد العلمي à Rabat", "fr"),  # an Arabic name inside French
    ("Rencontre « ملتقى 2026 » – 3 jours", "fr"),
    ("ⴰⵎⵓⵍⵍⵉ ⵏ ⵓⵙⵡⵓⴳⴳⵯ 2026 – 3", "zgh"),  # Tifinagh with digits
    ("ⵜⴰⵎⴰⵣⵉⵖⵜ (2026) 5%", "zgh"),
    ("تامازيغت 2026 – 3", "zgh"),  # Tamazight in Arabic letters: right to left
]


@pytest.fixture(scope="module")
def style() -> ThumbnailStyle:
    return load_style()


def drawn_order(runs: list[Run]) -> str:
    """The characters left to right as drawn: a right-to-left run is laid out backwards."""
    return "".join(run.text[::-1] if run.rtl else run.text for run in runs)


def reference_order(text: str, rtl: bool) -> str:
    return str(get_display(text, base_dir="R" if rtl else "L"))


@pytest.mark.parametrize(("title", "language"), MIXED_TITLES)
def test_runs_are_drawn_in_the_reference_bidi_order(
    title: str, language: str, style: ThumbnailStyle
) -> None:
    script = script_of(title, language)
    runs = Shaper(script, language, style).runs(title, 40)
    rtl = any(0x0600 <= ord(char) <= 0x06FF for char in title) and language != "fr"
    assert (script == "arabic") == rtl  # the paragraph's direction, from the language
    assert drawn_order(runs) == reference_order(title, rtl=rtl)


def test_the_year_and_the_count_keep_their_places_in_an_arabic_title(
    style: ThumbnailStyle,
) -> None:
    runs = Shaper("arabic", "ar", style).runs("ملتقى 2026 – 3 أيام", 40)
    texts = [run.text.strip() for run in runs if run.text.strip()]
    assert texts.index("3") < texts.index("2026")  # left of the year, as Chromium draws it
    dash = next(run for run in runs if run.text.strip() == "–")
    assert "Arabic" not in str(dash.font.path)  # the dash falls back to the Latin font...
    assert dash.rtl  # ...and still runs with the Arabic line around it


ALPHABET = "ملتقىأيام" + "0123456789" + "٠١٢٣٤٥٦٧٨٩" + "abcXYZ" + " -–%:/.,()«»"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(alphabet=ALPHABET, min_size=1, max_size=24), rtl=st.booleans())
def test_any_mix_is_ordered_as_the_reference_orders_it(text: str, rtl: bool) -> None:
    order = "".join(
        text[s.start : s.end][::-1] if s.rtl else text[s.start : s.end] for s in segments(text, rtl)
    )
    assert order == reference_order(text, rtl)


def _ink_columns(image: Image.Image, other: Image.Image) -> tuple[int, int]:
    """The columns where two renders of the band differ."""
    box = ImageChops.difference(image, other).getbbox()
    assert box is not None, "the two titles drew the same"
    return box[0], box[2]


def test_the_digits_of_2026_read_left_to_right_inside_the_arabic_line(
    style: ThumbnailStyle,
) -> None:
    """Change one digit at a time (all digits are as wide) and see where the band changes."""
    frame = Image.new("RGB", (1280, 720), (128, 128, 128))
    band = band_box(style)

    def band_of(title: str) -> Image.Image:
        image = render_thumbnail(frame, title, "ar", style)
        return image.crop((0, band.top, WIDTH, band.bottom))

    title = "ملتقى 2026 – 3 أيام"
    drawn = band_of(title)
    first = _ink_columns(drawn, band_of(title.replace("2026", "7026")))
    second = _ink_columns(drawn, band_of(title.replace("2026", "2726")))
    last = _ink_columns(drawn, band_of(title.replace("2026", "2027")))
    count = _ink_columns(drawn, band_of(title.replace("3 أيام", "4 أيام")))
    word = _ink_columns(drawn, band_of(title.replace("ملتقى", "ملتقيات")))  # wider: all shift
    assert first[1] <= second[0] + 2  # 2 then 0 ...
    assert second[1] <= last[0] + 2  # ... then 6, left to right
    assert count[1] < first[0]  # the 3 days are left of the year
    assert word[1] - last[1] > 100  # the first word is right of the year: where reading starts


def _stem_width(shaper: Shaper, text: str, size: int) -> int:
    image = Image.new("L", (size * 4, size * 2))
    shaper.draw(image, text, size, (size, size * 1.5), "white")
    box = image.point(lambda v: 255 if v > 127 else 0).getbbox()
    assert box is not None
    return box[2] - box[0]


def test_tifinagh_is_drawn_as_heavy_as_the_bold_latin_beside_it() -> None:
    """Noto has no bold Tifinagh: a stroke thickens its stems by what bold adds to Latin's."""
    bold, regular = load_style(), ThumbnailStyle(font_weight="regular")
    size = 100
    yan = "ⵏ"  # TIFINAGH LETTER YAN: one vertical stem
    tifinagh = _stem_width(Shaper("tifinagh", "zgh", bold), yan, size) / _stem_width(
        Shaper("tifinagh", "zgh", regular), yan, size
    )
    latin = _stem_width(Shaper("latin", "fr", bold), "l", size) / _stem_width(
        Shaper("latin", "fr", regular), "l", size
    )
    assert latin > 1.1  # Noto Sans Bold is a real bold face
    assert abs(tifinagh - latin) < 0.08
    [run] = Shaper("tifinagh", "zgh", bold).runs(yan, size)
    assert run.stroke == round(size * FAUX_BOLD)
    [latin_run] = Shaper("latin", "fr", bold).runs("l", size)
    assert latin_run.stroke == 0  # a real bold face is never stroked


def test_the_readme_sheet_is_what_the_code_draws(tmp_path: Path) -> None:
    """docs/thumbnail-scripts.png is in the README and is what the script draws today."""
    root = Path(__file__).parent.parent
    assert "(docs/thumbnail-scripts.png)" in (root / "README.md").read_text(encoding="utf-8")
    drawn = tmp_path / "sheet.png"
    subprocess.run(
        [sys.executable, str(root / "scripts/thumbnail_scripts_sheet.py"), str(drawn)],
        check=True,
        cwd=root,
    )
    with Image.open(root / "docs/thumbnail-scripts.png") as shipped, Image.open(drawn) as fresh:
        assert shipped.size == fresh.size
        difference = ImageChops.difference(shipped.convert("RGB"), fresh.convert("RGB"))
        assert max(ImageStat.Stat(difference).mean) < 1.0

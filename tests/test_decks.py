"""Decks on the real samples: PDFs through PDFium, presentations with and without LibreOffice.

Every refusal must be one line naming the file, and no call may leave a temporary file
behind: each test hands the library a scratch folder of its own and checks it is empty after.
"""

from __future__ import annotations

import io
import json
import random
import threading
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from media_hub.errors import MediaError
from media_hub.media.decks import (
    PASSWORD_PROBLEM,
    DeckOptions,
    convert_deck,
    first_page_image,
    probe_deck,
    to_pdf,
)
from media_hub.media.libreoffice import conversion_args, find_converter
from tests.deck_files import (
    DATA,
    PPTX_SAMPLE,
    declare_size,
    minimal_odp,
    png_header_only,
    pptx_with_slides,
    write_zip,
)

HABIBI = DATA / "habibi.pdf"
PDFLATEX = DATA / "pdflatex-4-pages.pdf"
GOOGLE_DOC = DATA / "google-doc-document.pdf"
ENCRYPTED = DATA / "libreoffice-writer-password.pdf"
A4_PT = (210 / 25.4 * 72, 297 / 25.4 * 72)  # 595.28 x 841.89
SOFFICE = find_converter()
needs_libreoffice = pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice is not installed (soffice not on PATH): "
    "apt-get install -y --no-install-recommends libreoffice-impress-nogui",
)


@pytest.fixture
def scratch(tmp_path: Path) -> Iterator[Path]:
    """The temporary folder the library may use; it must be empty again after every call."""
    folder = tmp_path / "scratch"
    folder.mkdir()
    yield folder
    assert sorted(folder.iterdir()) == []


@pytest.fixture
def plain(scratch: Path) -> DeckOptions:
    """Reading packages directly: no LibreOffice, whatever is installed."""
    return DeckOptions(converter=None, temp_dir=scratch)


@pytest.fixture
def office(scratch: Path) -> DeckOptions:
    """LibreOffice for conversions (tests using it are marked needs_libreoffice)."""
    return DeckOptions(converter=SOFFICE, temp_dir=scratch, timeout_s=60)


@pytest.fixture(scope="module")
def deck_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("decks")


@pytest.fixture(scope="module")
def three_slides(deck_dir: Path) -> Path:
    """The sample deck (4:3, embedded preview) with three slides added."""
    return pptx_with_slides(deck_dir / "three-slides.pptx", 3)


@pytest.fixture(scope="module")
def thumbnail_jpeg() -> bytes:
    with zipfile.ZipFile(PPTX_SAMPLE) as package:
        return package.read("docProps/thumbnail.jpeg")


@pytest.fixture(scope="module")
def odp_by_libreoffice(deck_dir: Path, three_slides: Path) -> Path:
    """The three-slide deck saved as ODP by LibreOffice itself."""
    if SOFFICE is None:
        pytest.skip("LibreOffice is not installed (soffice not on PATH)")
    return convert_deck(three_slides, deck_dir, "odp", DeckOptions(converter=SOFFICE))


def refusal(call: Callable[[], Any], path: Path) -> str:
    """The problem of the one-line MediaError `call` raises, checked to name `path`."""
    with pytest.raises(MediaError) as caught:
        call()
    message = str(caught.value)
    assert message.startswith(f"{path.resolve()}: ")
    assert "\n" not in message
    return caught.value.problem


def assert_picture(image: Image.Image, width: int, aspect: float) -> None:
    assert image.mode == "RGB"
    assert image.width == width
    assert image.height == pytest.approx(width / aspect, abs=1)
    dark_pixels = sum(image.convert("L").histogram()[:128])
    assert dark_pixels > 0, "the picture is blank"


# PDFs ------------------------------------------------------------------------------------------


def test_arabic_pdf_has_one_a4_page_and_its_title(plain: DeckOptions) -> None:
    info = probe_deck(HABIBI, plain)
    assert (info.format, info.page_count, info.title) == ("pdf", 1, "habibi")
    assert (info.page_width_pt, info.page_height_pt) == pytest.approx(A4_PT, abs=0.01)
    assert json.loads(json.dumps(info.to_json())) == {
        "path": str(HABIBI),
        "format": "pdf",
        "page_count": 1,
        "page_width_pt": 595.28,
        "page_height_pt": 841.89,
        "title": "habibi",
    }


def test_pdflatex_pdf_has_four_a4_pages(plain: DeckOptions) -> None:
    info = probe_deck(PDFLATEX, plain)
    assert info.page_count == 4
    assert (info.page_width_pt, info.page_height_pt) == pytest.approx(A4_PT, abs=0.01)
    assert info.title is None  # pdfTeX left the Title empty


def test_google_docs_pdf(plain: DeckOptions) -> None:
    info = probe_deck(GOOGLE_DOC, plain)
    assert (info.page_count, info.title) == (1, "PDF Example Document")
    assert (info.page_width_pt, info.page_height_pt) == (596.0, 842.0)  # Skia rounds A4


@pytest.mark.parametrize("sample", [HABIBI, PDFLATEX, GOOGLE_DOC])
def test_first_page_is_an_rgb_picture_of_the_requested_width(
    sample: Path, plain: DeckOptions
) -> None:
    info = probe_deck(sample, plain)
    for width in (1280, 320):
        image = first_page_image(sample, width, plain)
        assert_picture(image, width, info.page_width_pt / info.page_height_pt)


@settings(max_examples=20, deadline=None)
@given(width=st.integers(min_value=1, max_value=2000))
def test_any_width_is_honoured_exactly(width: int) -> None:
    image = first_page_image(HABIBI, width, DeckOptions(converter=None))
    assert image.mode == "RGB"
    assert image.width == width
    assert image.height == pytest.approx(max(1, width * 841.89 / 595.28), abs=1)


def test_width_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        first_page_image(HABIBI, 0)


def test_encrypted_pdf_is_refused_with_what_to_do(plain: DeckOptions, tmp_path: Path) -> None:
    assert refusal(lambda: probe_deck(ENCRYPTED, plain), ENCRYPTED) == PASSWORD_PROBLEM
    assert PASSWORD_PROBLEM == "password-protected; remove the password"  # the CLI adds the rerun
    assert refusal(lambda: first_page_image(ENCRYPTED, 640, plain), ENCRYPTED) == PASSWORD_PROBLEM
    out = tmp_path / "out"
    assert refusal(lambda: to_pdf(ENCRYPTED, out, plain), ENCRYPTED) == PASSWORD_PROBLEM
    assert not out.exists() or sorted(out.iterdir()) == []


def _truncated(fraction: float) -> Callable[[], bytes]:
    return lambda: PDFLATEX.read_bytes()[: int(PDFLATEX.stat().st_size * fraction)]


CORRUPT_PDFS: dict[str, Callable[[], bytes]] = {
    "truncated-at-half": _truncated(0.5),
    "truncated-near-end": _truncated(0.98),
    "random-bytes": lambda: random.Random(3).randbytes(20_000),
    "header-then-garbage": lambda: b"%PDF-1.7\n" + random.Random(4).randbytes(5_000),
    "only-the-header": lambda: b"%PDF-1.4\n%%EOF\n",
}


@pytest.mark.parametrize("name", sorted(CORRUPT_PDFS))
def test_corrupt_pdf_is_refused(name: str, plain: DeckOptions, tmp_path: Path) -> None:
    broken = tmp_path / f"{name}.pdf"
    broken.write_bytes(CORRUPT_PDFS[name]())
    problem = refusal(lambda: probe_deck(broken, plain), broken)
    assert problem.startswith("not a readable PDF")
    assert refusal(lambda: first_page_image(broken, 320, plain), broken) == problem
    assert set(tmp_path.iterdir()) == {broken, tmp_path / "scratch"}


def test_pdf_to_pdf_is_a_checked_copy(plain: DeckOptions, tmp_path: Path) -> None:
    out = tmp_path / "out"
    copied = to_pdf(PDFLATEX, out, plain)
    assert copied == out / "pdflatex-4-pages.pdf"
    assert copied.read_bytes() == PDFLATEX.read_bytes()
    assert sorted(out.iterdir()) == [copied]  # no partial file left
    assert to_pdf(copied, out, plain) == copied


# Refusals common to every kind -----------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".pdf", ".pptx", ".odp", ".ppt"])
def test_empty_file_is_refused(suffix: str, plain: DeckOptions, tmp_path: Path) -> None:
    empty = tmp_path / f"empty{suffix}"
    empty.touch()
    assert refusal(lambda: probe_deck(empty, plain), empty) == "the file is empty (0 bytes)"
    assert refusal(lambda: first_page_image(empty, 64, plain), empty).startswith("the file is")


@pytest.mark.parametrize("name", ["talk.key", "talk.docx", "talk"])
def test_unknown_extension_is_refused(name: str, plain: DeckOptions, tmp_path: Path) -> None:
    other = tmp_path / name
    other.write_bytes(PPTX_SAMPLE.read_bytes())
    problem = refusal(lambda: probe_deck(other, plain), other)
    assert problem.startswith("unsupported deck type")
    assert ".odp, .pdf, .ppt, .pptx" in problem


def test_missing_file_is_refused(plain: DeckOptions, tmp_path: Path) -> None:
    missing = tmp_path / "gone.pdf"
    assert refusal(lambda: probe_deck(missing, plain), missing) == "no such file"


# PPTX and ODP read directly (no LibreOffice) ---------------------------------------------------


def test_sample_pptx_without_slides_is_refused(plain: DeckOptions, office: DeckOptions) -> None:
    # prs-properties.pptx is a real package whose slide list is empty: nothing to publish,
    # and LibreOffice would invent a blank 16:9 slide for it.
    for options in (plain, office):
        problem = refusal(partial(probe_deck, PPTX_SAMPLE, options), PPTX_SAMPLE)
        assert problem == "the presentation has no slides"


def test_pptx_read_directly(three_slides: Path, plain: DeckOptions) -> None:
    info = probe_deck(three_slides, plain)
    assert (info.format, info.page_count, info.title) == ("pptx", 3, "Presentation")
    assert (info.page_width_pt, info.page_height_pt) == (720.0, 540.0)  # 4:3, 10 x 7.5 in


def test_pptx_preview_is_the_embedded_thumbnail(
    three_slides: Path, plain: DeckOptions, thumbnail_jpeg: bytes
) -> None:
    image = first_page_image(three_slides, 1280, plain)
    assert (image.mode, image.size) == ("RGB", (1280, 960))
    with Image.open(io.BytesIO(thumbnail_jpeg)) as embedded:
        expected = embedded.convert("RGB").resize((1280, 960), Image.Resampling.LANCZOS)
    assert image.tobytes() == expected.tobytes()


def test_pptx_without_preview_or_libreoffice_says_what_to_install(
    tmp_path: Path, plain: DeckOptions
) -> None:
    bare = pptx_with_slides(tmp_path / "bare.pptx", 2, drop=("docProps/thumbnail.jpeg",))
    assert probe_deck(bare, plain).page_count == 2
    problem = refusal(lambda: first_page_image(bare, 640, plain), bare)
    assert "libreoffice-impress-nogui" in problem
    problem = refusal(lambda: to_pdf(bare, tmp_path / "out", plain), bare)
    assert "libreoffice-impress-nogui" in problem


def test_odp_read_directly(tmp_path: Path, plain: DeckOptions) -> None:
    preview = Image.new("RGB", (256, 144), "navy")
    buffer = io.BytesIO()
    preview.save(buffer, "PNG")
    odp = minimal_odp(tmp_path / "atelier.odp", 2, buffer.getvalue())
    info = probe_deck(odp, plain)
    assert (info.format, info.page_count, info.title) == ("odp", 2, "Atelier CV")
    assert (info.page_width_pt, info.page_height_pt) == (793.7, 446.46)  # 28 x 15.75 cm
    image = first_page_image(odp, 1280, plain)
    assert (image.mode, image.size) == ("RGB", (1280, 720))
    assert image.getpixel((640, 360)) == (0, 0, 128)


def test_ppt_needs_libreoffice(tmp_path: Path, plain: DeckOptions) -> None:
    legacy = tmp_path / "old.ppt"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1000))
    assert "libreoffice-impress-nogui" in refusal(lambda: probe_deck(legacy, plain), legacy)
    not_ole = tmp_path / "fake.ppt"
    not_ole.write_bytes(b"hello" * 100)
    assert "no OLE2 header" in refusal(lambda: probe_deck(not_ole, plain), not_ole)


def test_pptx_that_is_not_a_zip_is_refused(tmp_path: Path, plain: DeckOptions) -> None:
    fake = tmp_path / "fake.pptx"
    fake.write_bytes(random.Random(5).randbytes(4_000))
    assert (
        refusal(lambda: probe_deck(fake, plain), fake) == "not a valid PPTX file: not a zip archive"
    )
    cut = tmp_path / "cut.pptx"
    cut.write_bytes(PPTX_SAMPLE.read_bytes()[:8_000])
    assert "not a zip archive" in refusal(lambda: probe_deck(cut, plain), cut)


def test_zip_that_is_no_presentation_is_refused(tmp_path: Path, plain: DeckOptions) -> None:
    other = write_zip(tmp_path / "photos.pptx", {"a.txt": b"hello"})
    problem = refusal(lambda: probe_deck(other, plain), other)
    assert problem == "a zip archive but not a PowerPoint presentation (no ppt/presentation.xml)"
    odp = write_zip(tmp_path / "text.odp", {"mimetype": b"application/vnd.oasis.opendocument.text"})
    assert "not an OpenDocument presentation" in refusal(lambda: probe_deck(odp, plain), odp)


def test_xml_entity_bomb_is_refused(tmp_path: Path, plain: DeckOptions) -> None:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main">'
        b"&lol2;</p:presentation>"
    )
    bomb = pptx_with_slides(tmp_path / "laughs.pptx", 1, extra={"ppt/presentation.xml": laughs})
    assert refusal(lambda: probe_deck(bomb, plain), bomb) == "ppt/presentation.xml is not valid XML"


def test_entry_declaring_a_huge_size_is_refused_before_reading(
    tmp_path: Path, plain: DeckOptions, office: DeckOptions
) -> None:
    bomb = pptx_with_slides(tmp_path / "bomb.pptx", 2, extra={"ppt/media/video.bin": b"x" * 100})
    declare_size(bomb, "ppt/media/video.bin", 300_000_000)
    expected = (
        "entry 'ppt/media/video.bin' declares 300000000 bytes uncompressed, "
        "over the 200000000-byte limit; refused as a possible zip bomb"
    )
    for options in (plain, office):  # refused before LibreOffice would see it
        assert refusal(partial(probe_deck, bomb, options), bomb) == expected
        assert refusal(partial(first_page_image, bomb, 64, options), bomb) == expected
        assert refusal(partial(to_pdf, bomb, tmp_path / "out", options), bomb) == expected
    assert not (tmp_path / "out").exists()


def test_entry_really_inflating_past_the_limit_is_refused(
    tmp_path: Path, plain: DeckOptions
) -> None:
    zeros = pptx_with_slides(
        tmp_path / "zeros.pptx", 1, extra={"ppt/media/z.bin": bytes(3_000_000)}
    )
    assert zeros.stat().st_size < 100_000
    strict = replace(plain, max_entry_bytes=2_000_000)
    assert "possible zip bomb" in refusal(lambda: probe_deck(zeros, strict), zeros)
    many = replace(plain, max_entry_bytes=10_000_000, max_total_bytes=2_500_000)
    assert "the archive declares" in refusal(lambda: probe_deck(zeros, many), zeros)


def test_preview_past_the_decompression_bomb_limit_is_refused(
    tmp_path: Path, plain: DeckOptions
) -> None:
    bomb = pptx_with_slides(tmp_path / "pixels.pptx", 1, thumbnail=png_header_only(30_000, 30_000))
    assert probe_deck(bomb, plain).page_count == 1
    problem = refusal(lambda: first_page_image(bomb, 640, plain), bomb)
    assert problem.endswith("refused as a decompression bomb")


def test_preview_in_pillows_warning_band_is_refused_too(
    three_slides: Path, plain: DeckOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The 256 x 192 preview is between MAX_IMAGE_PIXELS and twice it: Pillow only warns.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 40_000)
    problem = refusal(lambda: first_page_image(three_slides, 64, plain), three_slides)
    assert problem.endswith("refused as a decompression bomb")


def test_unreadable_preview_is_refused(tmp_path: Path, plain: DeckOptions) -> None:
    broken = pptx_with_slides(tmp_path / "broken.pptx", 1, thumbnail=b"not a jpeg at all")
    problem = refusal(lambda: first_page_image(broken, 64, plain), broken)
    assert problem == "the embedded preview image cannot be read"


# With LibreOffice ------------------------------------------------------------------------------


def test_conversion_command_uses_a_private_profile(tmp_path: Path) -> None:
    args = conversion_args(
        Path("/usr/bin/soffice"), tmp_path / "a b.pptx", tmp_path / "out", tmp_path / "p", "pdf"
    )
    assert args[0] == "/usr/bin/soffice"
    assert args[1] == f"-env:UserInstallation=file://{tmp_path}/p"
    assert args[-3:] == ["--outdir", str(tmp_path / "out"), str(tmp_path / "a b.pptx")]
    assert "--headless" in args
    assert args[args.index("--convert-to") + 1] == "pdf"


@pytest.mark.slow  # starts LibreOffice
@needs_libreoffice
def test_libreoffice_probe_matches_the_package(three_slides: Path, office: DeckOptions) -> None:
    info = probe_deck(three_slides, office)
    assert info == probe_deck(three_slides, replace(office, converter=None))
    assert (info.page_count, info.page_width_pt, info.page_height_pt) == (3, 720.0, 540.0)


@pytest.mark.slow  # starts LibreOffice
@needs_libreoffice
def test_libreoffice_renders_the_first_slide(three_slides: Path, office: DeckOptions) -> None:
    image = first_page_image(three_slides, 1280, office)
    assert_picture(image, 1280, 4 / 3)


@pytest.mark.slow  # starts LibreOffice
@needs_libreoffice
def test_pptx_to_pdf(three_slides: Path, office: DeckOptions, tmp_path: Path) -> None:
    out = tmp_path / "out"
    pdf = to_pdf(three_slides, out, office)
    assert pdf == out / "three-slides.pdf"
    assert sorted(out.iterdir()) == [pdf]
    info = probe_deck(pdf, office)
    assert (info.format, info.page_count, info.title) == ("pdf", 3, "Presentation")


@pytest.mark.slow  # starts LibreOffice
@needs_libreoffice
def test_odp_made_by_libreoffice(odp_by_libreoffice: Path, office: DeckOptions) -> None:
    converted = probe_deck(odp_by_libreoffice, office)
    direct = probe_deck(odp_by_libreoffice, replace(office, converter=None))
    assert converted.format == direct.format == "odp"
    assert converted.page_count == direct.page_count == 3
    assert (converted.page_width_pt, converted.page_height_pt) == (720.0, 540.0)
    assert (direct.page_width_pt, direct.page_height_pt) == pytest.approx((720.0, 540.0), abs=0.1)
    assert converted.title == direct.title == "Presentation"
    preview = first_page_image(odp_by_libreoffice, 400, replace(office, converter=None))
    assert (preview.mode, preview.size) == ("RGB", (400, 300))


@pytest.mark.slow  # starts LibreOffice
@needs_libreoffice
def test_libreoffice_failure_is_one_line(tmp_path: Path, office: DeckOptions) -> None:
    legacy = tmp_path / "damaged.ppt"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + random.Random(6).randbytes(3_000))
    problem = refusal(lambda: probe_deck(legacy, office), legacy)
    assert problem.startswith("LibreOffice could not convert it to pdf")


def _our_processes(marker: Path) -> list[int]:
    """Processes whose command line names `marker` (the scratch folder of this test)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if str(marker).encode() in command:
                found.append(int(entry.name))
    return found


@pytest.mark.slow  # starts LibreOffice
@needs_libreoffice
def test_libreoffice_timeout_kills_it_and_cleans_up(
    three_slides: Path, office: DeckOptions, scratch: Path
) -> None:
    hurried = replace(office, timeout_s=0.2)
    problem = refusal(lambda: probe_deck(three_slides, hurried), three_slides)
    assert problem == "LibreOffice did not finish converting it within 0.2 s"
    assert _our_processes(scratch) == []


@pytest.mark.slow  # starts LibreOffice
@needs_libreoffice
def test_parallel_conversions_do_not_share_a_profile(
    three_slides: Path, office: DeckOptions
) -> None:
    results: list[int] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            results.append(probe_deck(three_slides, office).page_count)
        except BaseException as exc:  # handed to the main thread
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert results == [3, 3]


def test_libreoffice_is_looked_up_on_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert DeckOptions.detect().converter is None
    fake = tmp_path / "libreoffice"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    assert DeckOptions.detect().converter == fake

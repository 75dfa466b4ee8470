"""Slide decks: what a PDF, PPTX, ODP or PPT holds, its first page as a picture, and a PDF.

A PDF is read with PDFium (inside pypdfium2). A presentation is turned into a PDF by
LibreOffice when it is installed, so that the page count, size and picture are those of the
PDF that will be published; without LibreOffice the PPTX or ODP package is read directly
(slide list, slide size, embedded preview). Either way the package is size-checked first,
so a zip bomb never reaches LibreOffice. Temporary files live in one folder per call,
removed whatever happens.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from media_hub.errors import MediaError
from media_hub.media.libreoffice import INSTALL_HINT, convert, find_converter
from media_hub.media.office_package import Package, PackageFacts, PackageFormat
from media_hub.media.safety import checked_source

if TYPE_CHECKING:  # PDFium and Pillow are imported where a PDF is opened or a picture made
    # pypdfium2 ships no type information (no py.typed): its objects are Any here.
    import pypdfium2 as pdfium  # type: ignore[import-untyped]
    from PIL import Image

DeckFormat = Literal["pdf", "pptx", "odp", "ppt"]
DECK_FORMATS: dict[str, DeckFormat] = {".pdf": "pdf", ".pptx": "pptx", ".odp": "odp", ".ppt": "ppt"}
PASSWORD_PROBLEM = "password-protected; remove the password"  # noqa: S105 - the CLI adds the rerun

_PDF_MAGIC = b"%PDF-"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # PowerPoint 97-2003 is an OLE2 compound file


@dataclass(frozen=True)
class DeckOptions:
    """How decks are read: which LibreOffice (None: read packages directly) and the limits."""

    converter: Path | None
    timeout_s: float = 120.0
    temp_dir: Path | None = None  # where each call makes (and removes) its working folder
    max_entry_bytes: int = 200_000_000  # per zip entry, declared uncompressed size
    max_total_bytes: int = 1_000_000_000  # all entries together

    @classmethod
    def detect(cls) -> DeckOptions:
        """The defaults, with LibreOffice when `soffice` or `libreoffice` is on PATH."""
        return cls(converter=find_converter())


@dataclass(frozen=True)
class DeckInfo:
    """What the catalog records about a deck."""

    path: Path
    format: DeckFormat
    page_count: int
    page_width_pt: float
    page_height_pt: float
    title: str | None

    def to_json(self) -> dict[str, Any]:
        """A plain dict of JSON types, to store in the catalog."""
        return {
            "path": str(self.path),
            "format": self.format,
            "page_count": self.page_count,
            "page_width_pt": self.page_width_pt,
            "page_height_pt": self.page_height_pt,
            "title": self.title,
        }


def probe_deck(path: Path, options: DeckOptions | None = None) -> DeckInfo:
    """Page count, first page size and title; MediaError when the deck cannot be used."""
    options = options or DeckOptions.detect()
    source, fmt = _checked(path)
    if fmt == "pdf":
        return _probe_pdf(source, source, fmt, None)
    facts = _package_facts(source, fmt, options)
    if options.converter is None:
        if facts is None:
            raise MediaError(str(source), f"reading a .ppt needs LibreOffice; {INSTALL_HINT}")
        return DeckInfo(
            source,
            fmt,
            facts.page_count,
            round(facts.page_width_pt, 2),
            round(facts.page_height_pt, 2),
            facts.title,
        )
    with _converted(source, "pdf", options.converter, options) as pdf:
        return _probe_pdf(pdf, source, fmt, facts.title if facts else None)


def first_page_image(
    path: Path, width: int = 1280, options: DeckOptions | None = None
) -> Image.Image:
    """The first page as an RGB picture `width` pixels wide, for thumbnails and previews.

    Without LibreOffice a PPTX or ODP gives its embedded preview, scaled to `width`.
    """
    if width < 1:
        raise ValueError(f"width must be positive, not {width}")
    options = options or DeckOptions.detect()
    source, fmt = _checked(path)
    if fmt == "pdf":
        return _render_first_page(source, source, width)
    if options.converter is not None:
        _package_facts(source, fmt, options)
        with _converted(source, "pdf", options.converter, options) as pdf:
            return _render_first_page(pdf, source, width)
    if fmt == "ppt":
        raise MediaError(str(source), f"reading a .ppt needs LibreOffice; {INSTALL_HINT}")
    with _package(source, fmt, options) as package:
        package.facts()
        preview = package.preview_name()
        if preview is None:
            raise MediaError(
                str(source), f"no embedded preview image to show; {INSTALL_HINT} to render it"
            )
        return _preview_image(source, package.read(preview), width)


def to_pdf(path: Path, out_dir: Path, options: DeckOptions | None = None) -> Path:
    """The deck as `out_dir/<name>.pdf`, checked readable, for publishers that take PDF."""
    options = options or DeckOptions.detect()
    source, fmt = _checked(path)
    destination = out_dir / f"{source.stem}.pdf"
    if fmt == "pdf":
        _probe_pdf(source, source, fmt, None)
        if destination.resolve() != source:
            _place(source, destination)
        return destination
    _package_facts(source, fmt, options)
    if options.converter is None:
        raise MediaError(str(source), f"converting it to PDF needs LibreOffice; {INSTALL_HINT}")
    with _converted(source, "pdf", options.converter, options) as pdf:
        _probe_pdf(pdf, source, fmt, None)
        _place(pdf, destination)
    return destination


def convert_deck(path: Path, out_dir: Path, target: str, options: DeckOptions) -> Path:
    """The presentation converted by LibreOffice to `target` (odp, pptx, pdf) in `out_dir`."""
    source, fmt = _checked(path)
    if fmt == "pdf":
        raise MediaError(str(source), "already a PDF; only presentations are converted")
    if options.converter is None:
        raise MediaError(str(source), f"converting it needs LibreOffice; {INSTALL_HINT}")
    _package_facts(source, fmt, options)
    with _converted(source, target, options.converter, options) as converted:
        destination = out_dir / converted.name
        _place(converted, destination)
    return destination


def _checked(path: Path) -> tuple[Path, DeckFormat]:
    """A usable file name, a known extension and the magic bytes that extension promises."""
    source = checked_source(path)
    fmt = DECK_FORMATS.get(source.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(DECK_FORMATS))
        suffix = source.suffix or "(no extension)"
        raise MediaError(str(source), f"unsupported deck type {suffix!r}; use {known}")
    with source.open("rb") as stream:
        head = stream.read(1024)
    if fmt == "pdf" and _PDF_MAGIC not in head:
        raise MediaError(str(source), "not a readable PDF (no %PDF- header)")
    if fmt == "ppt" and not head.startswith(_OLE_MAGIC):
        raise MediaError(str(source), "not a PowerPoint 97-2003 file (no OLE2 header)")
    return source, fmt


def _package(source: Path, fmt: PackageFormat, options: DeckOptions) -> Package:
    return Package(source, fmt, options.max_entry_bytes, options.max_total_bytes)


def _package_facts(source: Path, fmt: DeckFormat, options: DeckOptions) -> PackageFacts | None:
    """The package's own facts, checked before LibreOffice sees it; None for a binary .ppt."""
    if fmt not in ("pptx", "odp"):
        return None
    with _package(source, "pptx" if fmt == "pptx" else "odp", options) as package:
        return package.facts()


@contextmanager
def _converted(source: Path, target: str, converter: Path, options: DeckOptions) -> Iterator[Path]:
    """A LibreOffice conversion inside a working folder that is removed on exit."""
    work_dir = Path(tempfile.mkdtemp(prefix="media-hub-deck-", dir=options.temp_dir))
    try:
        yield convert(converter, source, work_dir, target, options.timeout_s)
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)


@contextmanager
def _open_pdf(pdf: Path, reported: Path) -> Iterator[pdfium.PdfDocument]:
    """A PDFium document with at least one page; `reported` is the file the user gave."""
    import pypdfium2 as pdfium  # 0.1 s with Pillow: only when a PDF is read
    import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]

    try:
        document = pdfium.PdfDocument(pdf)
    except pdfium.PdfiumError as exc:
        if exc.err_code == pdfium_c.FPDF_ERR_PASSWORD:
            raise MediaError(str(reported), PASSWORD_PROBLEM, rerun_after_fix=True) from exc
        raise MediaError(str(reported), "not a readable PDF (damaged or truncated)") from exc
    try:
        if len(document) == 0:
            raise MediaError(str(reported), "the PDF has no pages")
        yield document
    except pdfium.PdfiumError as exc:
        raise MediaError(str(reported), f"the PDF is damaged ({exc})") from exc
    finally:
        document.close()


def _probe_pdf(pdf: Path, reported: Path, fmt: DeckFormat, title: str | None) -> DeckInfo:
    with _open_pdf(pdf, reported) as document:
        page = document[0]
        try:
            width, height = page.get_size()
        finally:
            page.close()
        pdf_title = str(document.get_metadata_dict().get("Title", "")).strip()
        return DeckInfo(
            reported,
            fmt,
            len(document),
            round(width, 2),
            round(height, 2),
            title or pdf_title or None,
        )


def _render_first_page(pdf: Path, reported: Path, width: int) -> Image.Image:
    from PIL import Image

    with _open_pdf(pdf, reported) as document:
        page = document[0]
        try:
            page_width, page_height = page.get_size()
            if page_width <= 0 or page_height <= 0:
                raise MediaError(str(reported), "the first page has no size")
            height = _checked_height(reported, width, page_width, page_height)
            bitmap = page.render(scale=width / page_width)
            try:
                image: Image.Image = bitmap.to_pil().convert(
                    "RGB"
                )  # a copy: the bitmap's memory is freed
            finally:
                bitmap.close()
        finally:
            page.close()
    if image.size != (width, height):
        image = image.resize((width, height), Image.Resampling.LANCZOS)
    return image


def _preview_image(reported: Path, data: bytes, width: int) -> Image.Image:
    """The embedded preview, refused past Pillow's decompression-bomb limit."""
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=["JPEG", "PNG"]) as opened:
                opened.load()
                image = opened.convert("RGB")
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise MediaError(
            str(reported),
            "the embedded preview image has too many pixels; refused as a decompression bomb",
        ) from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise MediaError(str(reported), "the embedded preview image cannot be read") from exc
    height = _checked_height(reported, width, image.width, image.height)
    return image.resize((width, height), Image.Resampling.LANCZOS)


def _checked_height(reported: Path, width: int, source_width: float, source_height: float) -> int:
    """The height keeping the aspect ratio, refused when the picture would be absurdly large."""
    from PIL import Image

    height = max(1, round(width * source_height / source_width))
    if Image.MAX_IMAGE_PIXELS is not None and width * height > Image.MAX_IMAGE_PIXELS:
        raise MediaError(
            str(reported), f"a {width}x{height} picture of the first page would be too large"
        )
    return height


def _place(file: Path, destination: Path) -> None:
    """Copy `file` to `destination` so that it appears whole or not at all."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(
        prefix=f".{destination.name}.", suffix=".partial", dir=destination.parent
    )
    os.close(handle)
    try:
        shutil.copyfile(file, partial)
        Path(partial).replace(destination)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise

"""What a PPTX or ODP zip says about itself, read without LibreOffice and without trusting it.

Both formats are zip packages of XML parts. The package is checked before anything is read
(or handed to LibreOffice): every entry's declared uncompressed size must stay under a limit,
since a few kilobytes of deflate can expand to gigabytes. Python's zipfile never reads past a
declared size, so the check bounds the memory used. XML goes through defusedxml (no entity
expansion, no external entities). Then its links are checked (package_links): a deck that
links to an outside picture or file, which LibreOffice would fetch, is refused.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from media_hub.errors import MediaError
from media_hub.media.package_links import refuse_outside_links

PackageFormat = Literal["pptx", "odp"]

MAX_ENTRIES = 10_000
EMU_PER_POINT = 12_700  # OOXML lengths are in English Metric Units
ODP_MIMETYPE = b"application/vnd.oasis.opendocument.presentation"

_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
_DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
_FO = "{urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0}"

_POINTS_PER_UNIT = {"pt": 1.0, "in": 72.0, "cm": 72 / 2.54, "mm": 72 / 25.4, "pc": 12.0}
_LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(pt|in|cm|mm|pc)\s*$")
_PREVIEWS = {"pptx": "docProps/thumbnail.jpeg", "odp": "Thumbnails/thumbnail.png"}


@dataclass(frozen=True)
class PackageFacts:
    """Slide count, slide size and title as the package declares them."""

    page_count: int
    page_width_pt: float
    page_height_pt: float
    title: str | None
    preview: str | None  # name of the embedded preview image entry, if there is one


class Package:
    """An open PPTX or ODP zip, size- and link-checked. Use as a context manager."""

    def __init__(
        self, path: Path, fmt: PackageFormat, max_entry_bytes: int, max_total_bytes: int
    ) -> None:
        self.path = path
        self.format = fmt
        try:
            self._zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
            raise MediaError(
                str(path), f"not a valid {fmt.upper()} file: not a zip archive"
            ) from exc
        try:
            self._check_sizes(max_entry_bytes, max_total_bytes)
            self._names = self._unique_names()
            self._check_kind()
            refuse_outside_links(self, fmt)
        except BaseException:
            self._zip.close()
            raise

    def __enter__(self) -> Package:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._zip.close()

    def _check_sizes(self, max_entry_bytes: int, max_total_bytes: int) -> None:
        entries = self._zip.infolist()
        if len(entries) > MAX_ENTRIES:
            raise MediaError(
                str(self.path), f"the archive holds {len(entries)} entries, over {MAX_ENTRIES}"
            )
        total = 0
        for entry in entries:
            if entry.file_size > max_entry_bytes:
                raise MediaError(
                    str(self.path),
                    f"entry {entry.filename!r} declares {entry.file_size} bytes uncompressed, "
                    f"over the {max_entry_bytes}-byte limit; refused as a possible zip bomb",
                )
            total += entry.file_size
        if total > max_total_bytes:
            raise MediaError(
                str(self.path),
                f"the archive declares {total} bytes uncompressed, over the "
                f"{max_total_bytes}-byte limit; refused as a possible zip bomb",
            )

    def _unique_names(self) -> set[str]:
        """The entry names; two entries of one name are refused, since this check and
        LibreOffice could each read a different one."""
        names: set[str] = set()
        for name in self._zip.namelist():
            if name in names:
                raise MediaError(str(self.path), f"the archive holds two entries named {name!r}")
            names.add(name)
        return names

    def _check_kind(self) -> None:
        if self.format == "pptx":
            if "ppt/presentation.xml" not in self._names:
                raise MediaError(
                    str(self.path),
                    "a zip archive but not a PowerPoint presentation (no ppt/presentation.xml)",
                )
        elif self.read("mimetype").strip() != ODP_MIMETYPE:
            raise MediaError(
                str(self.path), "a zip archive but not an OpenDocument presentation (mimetype)"
            )

    def names(self) -> list[str]:
        """Every entry, in the archive's order."""
        return self._zip.namelist()

    def has(self, name: str) -> bool:
        return name in self._names

    def read(self, name: str) -> bytes:
        """One entry's bytes; MediaError when it is missing or damaged."""
        return self.head(name, -1)

    def head(self, name: str, size: int) -> bytes:
        """The first `size` bytes of an entry (all of it for -1); MediaError as for `read`."""
        if name not in self._names:
            raise MediaError(str(self.path), f"the package has no {name}")
        try:
            with self._zip.open(name) as entry:
                return entry.read(size)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
            raise MediaError(str(self.path), f"entry {name!r} is damaged or unreadable") from exc

    def xml(self, name: str) -> Element:
        """One entry parsed safely."""
        try:
            return fromstring(self.read(name))
        except (ParseError, DefusedXmlException, ValueError) as exc:
            raise MediaError(str(self.path), f"{name} is not valid XML") from exc

    def facts(self) -> PackageFacts:
        """What the package says; a presentation without slides is refused."""
        facts = _pptx_facts(self) if self.format == "pptx" else _odp_facts(self)
        if facts.page_count == 0:
            raise MediaError(str(self.path), "the presentation has no slides")
        if facts.page_width_pt <= 0 or facts.page_height_pt <= 0:
            raise MediaError(str(self.path), "the slide size is missing or not positive")
        return facts

    def preview_name(self) -> str | None:
        """The embedded preview image entry, when the package carries one."""
        name = _PREVIEWS[self.format]
        return name if self.has(name) else None


def _pptx_facts(package: Package) -> PackageFacts:
    # The slide list in presentation.xml is what PowerPoint shows: a slide part that is not
    # listed there is an orphan and is not counted.
    presentation = package.xml("ppt/presentation.xml")
    slide_list = presentation.find(f"{_P}sldIdLst")
    count = 0 if slide_list is None else len(slide_list.findall(f"{_P}sldId"))
    size = presentation.find(f"{_P}sldSz")
    if size is None:
        raise MediaError(str(package.path), "ppt/presentation.xml has no slide size (sldSz)")
    width = _emu_to_points(package, size.get("cx"))
    height = _emu_to_points(package, size.get("cy"))
    title = None
    if package.has("docProps/core.xml"):
        title = _text(package.xml("docProps/core.xml").find(f"{_DC}title"))
    return PackageFacts(count, width, height, title, package.preview_name())


def _odp_facts(package: Package) -> PackageFacts:
    content = package.xml("content.xml")
    pages = content.findall(f"{_OFFICE}body/{_OFFICE}presentation/{_DRAW}page")
    width = height = 0.0
    if pages:
        width, height = _odp_page_size(package, pages[0].get(f"{_DRAW}master-page-name"))
    title = None
    if package.has("meta.xml"):
        title = _text(package.xml("meta.xml").find(f"{_OFFICE}meta/{_DC}title"))
    return PackageFacts(len(pages), width, height, title, package.preview_name())


def _odp_page_size(package: Package, master_name: str | None) -> tuple[float, float]:
    """The size of the page layout used by the first slide's master page."""
    styles = package.xml("styles.xml")
    masters = styles.findall(f"{_OFFICE}master-styles/{_STYLE}master-page")
    master = next((m for m in masters if m.get(f"{_STYLE}name") == master_name), None)
    master = master if master is not None else (masters[0] if masters else None)
    layout_name = None if master is None else master.get(f"{_STYLE}page-layout-name")
    for layout in styles.iter(f"{_STYLE}page-layout"):
        if layout.get(f"{_STYLE}name") == layout_name:
            properties = layout.find(f"{_STYLE}page-layout-properties")
            if properties is not None:
                return (
                    _length_to_points(package, properties.get(f"{_FO}page-width")),
                    _length_to_points(package, properties.get(f"{_FO}page-height")),
                )
    raise MediaError(str(package.path), "styles.xml gives no page size for the slides")


def _emu_to_points(package: Package, value: str | None) -> float:
    try:
        return int(value or "") / EMU_PER_POINT
    except ValueError as exc:
        raise MediaError(str(package.path), f"slide size {value!r} is not a number") from exc


def _length_to_points(package: Package, value: str | None) -> float:
    match = _LENGTH.match(value or "")
    if match is None:
        raise MediaError(str(package.path), f"page length {value!r} is not a length")
    return float(match[1]) * _POINTS_PER_UNIT[match[2]]


def _text(element: Element | None) -> str | None:
    text = "" if element is None else "".join(element.itertext()).strip()
    return text or None

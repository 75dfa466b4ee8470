"""Links out of a PPTX or ODP package, found before LibreOffice can follow them.

A deck may link to a picture, video or object instead of holding it: an OOXML relationship
with `TargetMode="External"`, an ODF `xlink:href` outside the package, an SVG picture's
`<image href>`. LibreOffice fetches such links while it converts the deck: an http URL is a
request from the hub's machine, a file URL draws a private file on the public thumbnail.
Hyperlinks, followed only when a reader clicks them, are kept; any other link out refuses the
deck with its target named. LibreOffice finds a relationship by its id whatever type it
declares, so an outside "hyperlink" used by anything but a hyperlink element is refused too.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote
from xml.etree.ElementTree import Element

from media_hub.errors import MediaError

_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
_PRESENTATION = "{urn:oasis:names:tc:opendocument:xmlns:presentation:1.0}"
_SCRIPT = "{urn:oasis:names:tc:opendocument:xmlns:script:1.0}"

# Elements whose link is followed only when a reader clicks, never while converting.
_OOXML_HYPERLINKS = frozenset({f"{_A}hlinkClick", f"{_A}hlinkHover", f"{_A}hlinkMouseOver"})
_ODF_HYPERLINKS = frozenset(
    {f"{_TEXT}a", f"{_DRAW}a", f"{_PRESENTATION}event-listener", f"{_SCRIPT}event-listener"}
)
# Relationship types by what a person would call them, for the message.
_KINDS = {"image": "picture", "video": "video", "audio": "sound", "media": "video or sound"}
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
# An SVG is read as text, not parsed: an entity cannot hide a link from the search.
_SVG_HEAD = re.compile(rb"<(?:[\w.-]+:)?svg[\s>]")
_SVG_LINK = re.compile(
    r"""(?:\bhref\s*=\s*(["'])(?P<href>.*?)\1)|(?:\burl\(\s*(["']?)(?P<url>.*?)\3\s*\))""",
    re.DOTALL | re.IGNORECASE,
)
_GZIP = b"\x1f\x8b"
_SNIFF_BYTES = 4096
_MAX_SVG_CHARS = 64_000_000  # a compressed SVG is read up to this size, then refused
_SHOWN_CHARS = 120


class PackageEntries(Protocol):
    """The reading side of an open package (office_package.Package)."""

    path: Path

    def names(self) -> list[str]: ...

    def has(self, name: str) -> bool: ...

    def read(self, name: str) -> bytes: ...

    def head(self, name: str, size: int) -> bytes: ...

    def xml(self, name: str) -> Element: ...


def refuse_outside_links(package: PackageEntries, fmt: str) -> None:
    """MediaError naming the first link out of the package that LibreOffice would follow."""
    if fmt == "pptx":
        _check_relationships(package)
    else:
        _check_odf_references(package)
    _check_svg_pictures(package)


def _check_relationships(package: PackageEntries) -> None:
    for rels_name in package.names():
        if not rels_name.endswith(".rels"):
            continue
        hyperlinks: dict[str, str] = {}
        for relationship in package.xml(rels_name).iter(f"{_RELATIONSHIPS}Relationship"):
            # LibreOffice takes "external" in any case.
            if relationship.get("TargetMode", "").lower() != "external":
                continue
            target = relationship.get("Target", "")
            kind = relationship.get("Type", "").rsplit("/", 1)[-1]
            if kind != "hyperlink":
                _refuse(package, _KINDS.get(kind, "file"), target, rels_name)
            if identifier := relationship.get("Id"):
                hyperlinks[identifier] = target
        source = _source_part(rels_name)
        if hyperlinks and source is not None and package.has(source):
            _check_uses(package, source, hyperlinks)


def _source_part(rels_name: str) -> str | None:
    """`ppt/slides/slide1.xml` for `ppt/slides/_rels/slide1.xml.rels`; None for the package's."""
    folder, _, name = rels_name.rpartition("_rels/")
    part = folder + name.removesuffix(".rels")
    return part if name.removesuffix(".rels") else None


def _check_uses(package: PackageEntries, part: str, hyperlinks: dict[str, str]) -> None:
    """Only hyperlink elements may name an outside hyperlink relationship."""
    if not part.endswith(".xml"):  # VML is not always well-formed: any quoted use refuses
        text = _decoded(package.read(part))
        for identifier, target in hyperlinks.items():
            if f'"{identifier}"' in text or f"'{identifier}'" in text:
                _refuse(package, "file", target, part)
        return
    for element in package.xml(part).iter():
        if element.tag in _OOXML_HYPERLINKS:
            continue
        for value in element.attrib.values():
            if value in hyperlinks:
                _refuse(package, "file", hyperlinks[value], part)


def _check_odf_references(package: PackageEntries) -> None:
    for name in package.names():
        if not name.endswith(".xml"):
            continue
        for element in package.xml(name).iter():
            href = element.get(_XLINK_HREF)
            if href is not None and element.tag not in _ODF_HYPERLINKS and not _inside(href):
                kind = "picture" if element.tag == f"{_DRAW}image" else "file"
                _refuse(package, kind, href, name)


def _inside(href: str) -> bool:
    """A reference to a place in the package or the document, not to anything beside it."""
    if href.startswith("#"):
        return True
    path = unquote(href).strip().replace("\\", "/").removeprefix("./")
    return bool(path) and not (
        _SCHEME.match(path) or path.startswith("/") or ".." in path.split("/")
    )


def _check_svg_pictures(package: PackageEntries) -> None:
    for name, text in _svg_pictures(package):
        for match in _SVG_LINK.finditer(text):
            link = (match["href"] if match["href"] is not None else match["url"]).strip()
            if not link.startswith("#") and not link.lower().startswith("data:"):
                _refuse(package, "picture", link, name)


def _svg_pictures(package: PackageEntries) -> Iterator[tuple[str, str]]:
    """Every SVG, known by its first bytes whatever its name, gzip-compressed (svgz) or not:
    LibreOffice recognises a picture by its content."""
    for name in package.names():
        if name.endswith("/"):
            continue
        head = package.head(name, _SNIFF_BYTES)
        if head.startswith(_GZIP):
            data = _gunzipped(package, name)
            if data is not None and _SVG_HEAD.search(data[:_SNIFF_BYTES]):
                yield name, _decoded(data)
        elif name.lower().endswith(".svg") or _SVG_HEAD.search(head):
            yield name, _decoded(package.read(name))


def _gunzipped(package: PackageEntries, name: str) -> bytes | None:
    """The entry decompressed, None when it is not gzip after all; bounded in size."""
    inflater = zlib.decompressobj(wbits=31)
    try:
        data = inflater.decompress(package.read(name), _MAX_SVG_CHARS)
    except zlib.error:
        return None
    if inflater.unconsumed_tail and _SVG_HEAD.search(data[:_SNIFF_BYTES]):
        raise MediaError(
            str(package.path),
            f"the compressed SVG picture {name} expands past {_MAX_SVG_CHARS} bytes; "
            "refused as a possible zip bomb",
        )
    return data


def _decoded(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    return data.decode("utf-8", "replace")


def _refuse(package: PackageEntries, kind: str, target: str, where: str) -> None:
    shown = target if len(target) <= _SHOWN_CHARS else target[:_SHOWN_CHARS] + "..."
    raise MediaError(
        str(package.path),
        f"the deck links to an outside {kind} {shown!r} ({where}), which would be fetched "
        "when it is converted; embed it or remove it",
        rerun_after_fix=True,
    )

"""Decks the tests build from the real samples: more slides, broken packages, bombs.

prs-properties.pptx is a real PowerPoint package with an embedded preview but no slides, so
the tests add slides to it (slide parts, relationships, the slide list) rather than shipping
another binary.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
PPTX_SAMPLE = DATA / "prs-properties.pptx"

_NS = (
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"'
)
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_SLIDE_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.slide+xml"


def _slide(number: int) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><p:sld {_NS}><p:cSld><p:spTree>'
        '<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>'
        '<p:grpSpPr/><p:sp><p:nvSpPr><p:cNvPr id="2" name="Text"/><p:cNvSpPr txBox="1"/>'
        '<p:nvPr/></p:nvSpPr><p:spPr><a:xfrm><a:off x="914400" y="914400"/>'
        '<a:ext cx="7315200" cy="1828800"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/>'
        "</a:prstGeom></p:spPr><p:txBody><a:bodyPr/><a:lstStyle/><a:p><a:r>"
        f'<a:rPr lang="en-US" sz="6000"/><a:t>Slide {number}</a:t></a:r></a:p></p:txBody>'
        "</p:sp></p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sld>"
    )


def pptx_with_slides(
    destination: Path,
    count: int,
    *,
    thumbnail: bytes | None = None,
    drop: tuple[str, ...] = (),
    extra: dict[str, bytes] | None = None,
) -> Path:
    """The sample deck with `count` text slides; its preview replaced or entries dropped."""
    with zipfile.ZipFile(PPTX_SAMPLE) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    slide_ids = "".join(f'<p:sldId id="{256 + n}" r:id="rIdS{n}"/>' for n in range(1, count + 1))
    parts["ppt/presentation.xml"] = (
        parts["ppt/presentation.xml"]
        .decode()
        .replace("</p:sldMasterIdLst>", f"</p:sldMasterIdLst><p:sldIdLst>{slide_ids}</p:sldIdLst>")
        .encode()
    )
    relations = "".join(
        f'<Relationship Id="rIdS{n}" Type="{_REL}/slide" Target="slides/slide{n}.xml"/>'
        for n in range(1, count + 1)
    )
    rels = "ppt/_rels/presentation.xml.rels"
    parts[rels] = (
        parts[rels].decode().replace("</Relationships>", relations + "</Relationships>").encode()
    )
    overrides = "".join(
        f'<Override PartName="/ppt/slides/slide{n}.xml" ContentType="{_SLIDE_TYPE}"/>'
        for n in range(1, count + 1)
    )
    types = "[Content_Types].xml"
    parts[types] = parts[types].decode().replace("</Types>", overrides + "</Types>").encode()
    for n in range(1, count + 1):
        parts[f"ppt/slides/slide{n}.xml"] = _slide(n).encode()
        parts[f"ppt/slides/_rels/slide{n}.xml.rels"] = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{_REL}/slideLayout" '
            'Target="../slideLayouts/slideLayout1.xml"/></Relationships>'
        ).encode()
    if thumbnail is not None:
        parts["docProps/thumbnail.jpeg"] = thumbnail
    for name in drop:
        del parts[name]
    parts.update(extra or {})
    write_zip(destination, parts)
    return destination


def write_zip(destination: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(destination, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            kind = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=kind)
    return destination


def declare_size(archive: Path, name: str, size: int) -> None:
    """Rewrite the central directory so that `name` claims `size` bytes uncompressed."""
    data = bytearray(archive.read_bytes())
    encoded = name.encode()
    start = 0
    while (start := data.find(b"PK\x01\x02", start)) != -1:
        name_length = struct.unpack_from("<H", data, start + 28)[0]
        if data[start + 46 : start + 46 + name_length] == encoded:
            struct.pack_into("<I", data, start + 24, size)
            archive.write_bytes(bytes(data))
            return
        start += 4
    raise AssertionError(f"{name} is not in {archive}")


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares width x height but holds almost no data (a decompression bomb)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


_ODP_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/"'
)


def minimal_odp(destination: Path, pages: int, thumbnail: bytes) -> Path:
    """A small OpenDocument presentation written by hand: 28 x 15.75 cm pages, a title."""
    page_list = "".join(
        f'<draw:page draw:name="page{n}" draw:master-page-name="Default"/>'
        for n in range(1, pages + 1)
    )
    return write_zip(
        destination,
        {
            "mimetype": b"application/vnd.oasis.opendocument.presentation",
            "content.xml": (
                f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODP_NS}>'
                f"<office:body><office:presentation>{page_list}</office:presentation>"
                "</office:body></office:document-content>"
            ).encode(),
            "styles.xml": (
                f'<?xml version="1.0" encoding="UTF-8"?><office:document-styles {_ODP_NS}>'
                '<office:automatic-styles><style:page-layout style:name="PM0">'
                '<style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm"/>'
                '</style:page-layout><style:page-layout style:name="PM1">'
                '<style:page-layout-properties fo:page-width="28cm" fo:page-height="15.75cm"/>'
                "</style:page-layout></office:automatic-styles><office:master-styles>"
                '<style:master-page style:name="Notes" style:page-layout-name="PM0"/>'
                '<style:master-page style:name="Default" style:page-layout-name="PM1"/>'
                "</office:master-styles></office:document-styles>"
            ).encode(),
            "meta.xml": (
                f'<?xml version="1.0" encoding="UTF-8"?><office:document-meta {_ODP_NS}>'
                "<office:meta><dc:title>Atelier CV</dc:title></office:meta>"
                "</office:document-meta>"
            ).encode(),
            "Thumbnails/thumbnail.png": thumbnail,
        },
    )

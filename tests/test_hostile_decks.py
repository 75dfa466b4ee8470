"""Decks that link to outside pictures: refused before LibreOffice, which fetches nothing.

A loopback HTTP listener records every request and a private 0600 picture outside the hub
has its access time set in the past: a deck's link to either must cause no request, no read
and no red on a thumbnail. The decks are built here, from the real PowerPoint sample or by
hand for ODP, with each way a link can be written.
"""

from __future__ import annotations

import gzip
import http.server
import io
import json
import os
import re
import subprocess
import sys
import threading
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest
from PIL import Image
from typer.testing import CliRunner

from media_hub.catalog.models import Asset
from media_hub.cli import app
from media_hub.errors import MediaError
from media_hub.hub import Hub
from media_hub.media.decks import DeckOptions, probe_deck
from media_hub.media.libreoffice import (
    conversion_args,
    convert,
    find_converter,
    without_network,
    write_profile,
)
from tests.deck_files import pptx_with_slides, write_zip

SOFFICE = find_converter()
needs_libreoffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")
RED, GREEN = (255, 0, 0), (0, 255, 0)
LONG_AGO = 946_684_800  # 2000-01-01: a read moves the access time (relatime) past it

_NS = (
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"'
)
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_ODP_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
    'xmlns:xlink="http://www.w3.org/1999/xlink"'
)


def _png(colour: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), colour).save(buffer, "PNG")
    return buffer.getvalue()


@dataclass
class Listener:
    """A web server on loopback that answers every GET with a green picture."""

    port: int
    requests: list[str]

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/{name}"


@pytest.fixture
def listener() -> Iterator[Listener]:
    requests: list[str] = []
    picture = _png(GREEN)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(picture)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Listener(server.server_address[1], requests)
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A private red picture outside the hub, last read long ago."""
    private = tmp_path / "private" / "secret.png"
    private.parent.mkdir()
    private.write_bytes(_png(RED))
    private.chmod(0o600)
    os.utime(private, (LONG_AGO, LONG_AGO))
    return private


def _untouched(path: Path) -> bool:
    return path.stat().st_atime == LONG_AGO


# --- Building the decks ---------------------------------------------------------------------


def _picture(number: int, blip: str) -> str:
    return (
        f'<p:pic><p:nvPicPr><p:cNvPr id="{10 + number}" name="Picture {number}"/><p:cNvPicPr/>'
        f"<p:nvPr/></p:nvPicPr><p:blipFill><{blip}/><a:stretch><a:fillRect/></a:stretch>"
        f'</p:blipFill><p:spPr><a:xfrm><a:off x="0" y="{number * 3429000}"/>'
        '<a:ext cx="9144000" cy="3429000"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/>'
        "</a:prstGeom></p:spPr></p:pic>"
    )


def pptx(
    destination: Path,
    relationships: list[tuple[str, str, str]],
    shapes: str,
    media: dict[str, bytes] | None = None,
) -> Path:
    """The sample deck with one slide of `shapes`; relationships are (id, type, target+mode)."""
    slide = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><p:sld {_NS}><p:cSld>'
        '<p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/>'
        f"</p:nvGrpSpPr><p:grpSpPr/>{shapes}</p:spTree></p:cSld></p:sld>"
    )
    rels = "".join(
        f'<Relationship Id="{rid}" Type="{_REL}/{kind}" {target}/>'
        for rid, kind, target in [
            ("rId1", "slideLayout", 'Target="../slideLayouts/slideLayout1.xml"'),
            *relationships,
        ]
    )
    extra = {
        "ppt/slides/slide1.xml": slide.encode(),
        "ppt/slides/_rels/slide1.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships '
            f'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}'
            "</Relationships>"
        ).encode(),
        **(media or {}),
    }
    return pptx_with_slides(destination, 1, extra=extra)


def linked_pptx(destination: Path, targets: list[str], *, kind: str = "image") -> Path:
    """Pictures drawn from `targets` (`<a:blip r:link>` to outside relationships)."""
    relationships = [
        (f"rIdL{n}", kind, f'Target="{target}" TargetMode="External"')
        for n, target in enumerate(targets)
    ]
    shapes = "".join(_picture(n, f'a:blip r:link="rIdL{n}"') for n in range(len(targets)))
    return pptx(destination, relationships, shapes)


def odp(destination: Path, frames: str, pictures: dict[str, bytes] | None = None) -> Path:
    """An OpenDocument presentation of one 28 x 15.75 cm page holding `frames`."""
    entries = "".join(
        f'<manifest:file-entry manifest:full-path="{name}" manifest:media-type="image/png"/>'
        for name in (pictures or {})
    )
    return write_zip(
        destination,
        {
            "mimetype": b"application/vnd.oasis.opendocument.presentation",
            "META-INF/manifest.xml": (
                '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
                '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type='
                '"application/vnd.oasis.opendocument.presentation"/>'
                '<manifest:file-entry manifest:full-path="content.xml" '
                'manifest:media-type="text/xml"/><manifest:file-entry '
                'manifest:full-path="styles.xml" manifest:media-type="text/xml"/>'
                f"{entries}</manifest:manifest>"
            ).encode(),
            "content.xml": (
                f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODP_NS}>'
                "<office:body><office:presentation>"
                f'<draw:page draw:name="page1" draw:master-page-name="Default">{frames}'
                "</draw:page></office:presentation></office:body></office:document-content>"
            ).encode(),
            "styles.xml": (
                f'<?xml version="1.0" encoding="UTF-8"?><office:document-styles {_ODP_NS}>'
                '<office:automatic-styles><style:page-layout style:name="PM1">'
                '<style:page-layout-properties fo:page-width="28cm" fo:page-height="15.75cm"/>'
                "</style:page-layout></office:automatic-styles><office:master-styles>"
                '<style:master-page style:name="Default" style:page-layout-name="PM1"/>'
                "</office:master-styles></office:document-styles>"
            ).encode(),
            **(pictures or {}),
        },
    )


def _frame(href: str, y_cm: float) -> str:
    return (
        f'<draw:frame svg:width="26cm" svg:height="7cm" svg:x="1cm" svg:y="{y_cm}cm">'
        f'<draw:image xlink:href="{href}" xlink:type="simple" xlink:show="embed" '
        'xlink:actuate="onLoad"/></draw:frame>'
    )


def linked_odp(destination: Path, targets: list[str]) -> Path:
    return odp(destination, "".join(_frame(t, 0.5 + 7.5 * n) for n, t in enumerate(targets)))


def _svg(href: str) -> bytes:
    return (
        '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" '
        'xmlns:xlink="http://www.w3.org/1999/xlink" width="400" height="300">'
        '<rect width="400" height="300" fill="url(#none)"/>'
        f'<image x="0" y="0" width="400" height="300" xlink:href="{href}"/></svg>'
    ).encode()


# Each way of linking a picture: (deck, the target its refusal must name).
Hostile = Callable[[Path, Listener, Path], tuple[Path, str]]
HOSTILE: dict[str, Hostile] = {
    "pptx picture from a web server": lambda d, web, s: (
        linked_pptx(d / "web.pptx", [web.url("web.png")]),
        web.url("web.png"),
    ),
    "pptx picture from a private file": lambda d, web, s: (
        linked_pptx(d / "file.pptx", [s.as_uri()]),
        s.as_uri(),
    ),
    "pptx outside 'hyperlink' drawn as a picture": lambda d, web, s: (
        linked_pptx(d / "typed.pptx", [s.as_uri()], kind="hyperlink"),
        s.as_uri(),
    ),
    "pptx TargetMode in lower case": lambda d, web, s: (
        pptx(
            d / "lower.pptx",
            [("rIdL", "image", f'Target="{web.url("lower.png")}" TargetMode="external"')],
            _picture(0, 'a:blip r:link="rIdL"'),
        ),
        web.url("lower.png"),
    ),
    "pptx SVG picture linking a private file": lambda d, web, s: (
        pptx(
            d / "svg.pptx",
            [("rIdS", "image", 'Target="../media/image1.svg"')],
            _picture(0, 'a:blip r:embed="rIdS"'),
            {"ppt/media/image1.svg": _svg(s.as_uri())},
        ),
        s.as_uri(),
    ),
    "odp picture from a web server": lambda d, web, s: (
        linked_odp(d / "web.odp", [web.url("odp.png")]),
        web.url("odp.png"),
    ),
    "odp picture from a private file": lambda d, web, s: (
        linked_odp(d / "file.odp", [s.as_uri()]),
        s.as_uri(),
    ),
    "odp picture beside the deck": lambda d, web, s: (
        linked_odp(d / "beside.odp", ["../private/secret.png"]),
        "../private/secret.png",
    ),
    "odp compressed SVG named .png": lambda d, web, s: (
        odp(
            d / "svgz.odp",
            _frame("Pictures/cover.png", 0.5),
            {"Pictures/cover.png": gzip.compress(_svg(web.url("svgz.png")))},
        ),
        web.url("svgz.png"),
    ),
}


# --- The package check ------------------------------------------------------------------------


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_ingest_refuses_a_deck_linking_outside_and_nothing_is_fetched(
    hub: Hub, runner: CliRunner, tmp_path: Path, listener: Listener, secret: Path, case: str
) -> None:
    deck, target = HOSTILE[case](tmp_path, listener, secret)
    result = runner.invoke(app, ["ingest", "--json", str(deck)])
    assert result.exit_code == 1, result.stdout
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"error: {deck}: the deck links to an outside")
    assert repr(target) in line
    assert line.endswith("embed it or remove it and run 'media-hub ingest' again")
    assert listener.requests == []
    assert _untouched(secret)
    assert json.loads(runner.invoke(app, ["catalog", "list", "--all", "--json"]).stdout) == []
    assert list(hub.store.keys()) == []


def test_thumbs_make_refuses_a_linking_deck_already_in_the_store(
    hub: Hub, runner: CliRunner, tmp_path: Path, listener: Listener, secret: Path
) -> None:
    """A deck catalogued before the check existed is refused when its thumbnail is made."""
    deck = linked_pptx(tmp_path / "old.pptx", [listener.url("old.png"), secret.as_uri()])
    added = runner.invoke(app, ["catalog", "add", "--kind", "deck", "-t", "fr=Ancien", "--json"])
    assert added.exit_code == 0, added.stderr
    asset_id = int(json.loads(added.stdout)["id"])
    stored = hub.store.put_file(deck, ".pptx")
    with hub.db.session() as session:
        asset = session.get(Asset, asset_id)
        assert asset is not None
        asset.source_key = stored.key
    result = runner.invoke(app, ["thumbs", "make", str(asset_id)])
    assert result.exit_code == 1
    assert "the deck links to an outside picture" in result.stderr
    assert listener.requests == []
    assert _untouched(secret)
    thumbnails = hub.settings.path(hub.settings.thumbnails.dir)
    assert not (thumbnails / f"asset-{asset_id}.jpg").exists()


def test_hyperlinks_to_the_web_are_kept(tmp_path: Path) -> None:
    """A link a reader clicks is not fetched: decks with web links are accepted."""
    plain = DeckOptions(converter=None)
    link = 'Target="https://www.example.org/offres" TargetMode="External"'
    text = (
        '<p:sp><p:nvSpPr><p:cNvPr id="2" name="Text"/><p:cNvSpPr txBox="1"/><p:nvPr/>'
        '</p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/><a:p><a:r><a:rPr lang="fr-FR">'
        '<a:hlinkClick r:id="rIdH"/></a:rPr><a:t>Offres</a:t></a:r></a:p></p:txBody></p:sp>'
    )
    linked = pptx(tmp_path / "links.pptx", [("rIdH", "hyperlink", link)], text)
    assert probe_deck(linked, plain).page_count == 1
    anchor = (
        '<draw:a xlink:href="https://www.example.org/offres">' + _frame("#page1", 1) + "</draw:a>"
    )
    assert probe_deck(odp(tmp_path / "links.odp", anchor), plain).page_count == 1


def test_two_entries_of_one_name_are_refused(tmp_path: Path) -> None:
    """The check and LibreOffice could each read a different one of the two."""
    deck = pptx_with_slides(tmp_path / "twice.pptx", 1)
    name = "ppt/slides/_rels/slide1.xml.rels"
    with pytest.warns(UserWarning, match="Duplicate name"), zipfile.ZipFile(deck, "a") as archive:
        archive.writestr(name, b"<Relationships/>")
    with pytest.raises(MediaError, match=re.escape(f"two entries named {name!r}")):
        probe_deck(deck, DeckOptions(converter=None))


# --- LibreOffice itself, given a deck the check would refuse ---------------------------------


def _colour_share(pdf: Path, colour: tuple[int, int, int]) -> float:
    """How much of the first page is (nearly) `colour`."""
    document = pdfium.PdfDocument(pdf)
    try:
        image: Image.Image = document[0].render(scale=0.5).to_pil().convert("RGB")
    finally:
        document.close()
    near = 0
    for count, pixel in image.getcolors(image.width * image.height) or []:
        assert isinstance(pixel, tuple)
        if all(abs(a - b) < 60 for a, b in zip(pixel, colour, strict=True)):
            near += count
    return near / (image.width * image.height)


@pytest.mark.slow  # starts LibreOffice
@needs_libreoffice
def test_libreoffice_fetches_and_draws_nothing_a_pptx_links_to(
    tmp_path: Path, listener: Listener, secret: Path
) -> None:
    assert SOFFICE is not None
    deck = linked_pptx(tmp_path / "links.pptx", [listener.url("web.png"), secret.as_uri()])
    work = tmp_path / "work"
    work.mkdir()
    pdf = convert(SOFFICE, deck, work, "pdf", 60)
    assert listener.requests == []
    assert _colour_share(pdf, RED) == 0
    assert _colour_share(pdf, GREEN) == 0


@pytest.mark.slow  # starts LibreOffice
@needs_libreoffice
def test_the_profile_alone_blocks_a_pptx_s_links(tmp_path: Path, listener: Listener) -> None:
    """Where no network namespace is allowed, the profile is the wall."""
    assert SOFFICE is not None
    deck = linked_pptx(tmp_path / "links.pptx", [listener.url("web.png")])
    write_profile(tmp_path / "profile")
    args = conversion_args(SOFFICE, deck, tmp_path, tmp_path / "profile", "pdf")
    subprocess.run(args, capture_output=True, timeout=60, check=True)
    assert listener.requests == []
    assert _colour_share(tmp_path / "links.pdf", GREEN) == 0


@pytest.mark.slow  # starts LibreOffice
@needs_libreoffice
def test_libreoffice_reaches_no_server_with_an_odp(tmp_path: Path, listener: Listener) -> None:
    """LibreOffice 7.4 fetches an ODP's links despite the profile; no network stops it."""
    assert SOFFICE is not None
    if not without_network():
        pytest.skip("this machine allows no network namespace (unshare)")
    deck = linked_odp(tmp_path / "links.odp", [listener.url("odp.png")])
    work = tmp_path / "work"
    work.mkdir()
    pdf = convert(SOFFICE, deck, work, "pdf", 60)
    assert listener.requests == []
    assert _colour_share(pdf, GREEN) == 0


def test_without_network_cuts_loopback_too(listener: Listener) -> None:
    prefix = without_network()
    if not prefix:
        pytest.skip("this machine allows no network namespace (unshare)")
    probe = f"import urllib.request; urllib.request.urlopen({listener.url('probe')!r}, timeout=5)"
    subprocess.run([sys.executable, "-c", probe], capture_output=True, timeout=30, check=True)
    assert listener.requests == ["/probe"]  # reachable without the prefix
    done = subprocess.run([*prefix, sys.executable, "-c", probe], capture_output=True, timeout=30)
    assert done.returncode != 0
    assert b"Network is unreachable" in done.stderr
    assert listener.requests == ["/probe"]

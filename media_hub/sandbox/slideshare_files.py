"""A SlideShare deck's bytes: its extension, fetching an `upload_url`, and how conversion ends.

The sandbox never reaches the network: an `upload_url` is fetched only from loopback (an S3
server or a file server on this machine), without proxies or redirects, with a timeout and
the upload size cap. Conversion is judged from the bytes: a PDF must be a PDF and not
encrypted, an Office Open XML or OpenDocument file must be a zip, or conversion fails.
"""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
import zipfile
from http.client import HTTPException
from pathlib import Path, PurePosixPath
from typing import IO, Any
from urllib.parse import unquote, urlsplit

# pypdfium2 ships no type information (no py.typed): its objects are Any here.
import pypdfium2 as pdfium  # type: ignore[import-untyped]

from media_hub.platforms.slideshare import codes
from media_hub.sandbox.slideshare_xml import ServiceError
from media_hub.sandbox.wire import PIECE

EXTENSIONS = frozenset(
    {"pdf", "ppt", "pps", "pptx", "ppsx", "pot", "potx", "odp", "key", "doc", "docx", "odt", "rtf"}
)
ZIP_FORMATS = frozenset({"pptx", "ppsx", "potx", "docx", "odp", "odt"})
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})
FETCH_TIMEOUT_S = 20.0
CONVERTED, FAILED = 2, 3
_pdfium_lock = threading.Lock()  # PDFium is not thread-safe; the sandbox serves in threads


def extension(name: str) -> str:
    """The lower-case extension of a file name or URL path, checked against SlideShare's list."""
    suffix = PurePosixPath(name.replace("\\", "/")).suffix.lower().lstrip(".")
    if suffix not in EXTENSIONS:
        raise ServiceError(codes.INVALID_EXTENSION)
    return suffix


def url_extension(url: str) -> str:
    """The extension of an `upload_url` taken from its path (a presigned URL's query is not
    part of the name); a URL off loopback, or not http(s), is refused with 17."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
        _ = parts.port  # a malformed port raises here
    except ValueError as exc:
        raise ServiceError(codes.INCORRECT_PARAMETERS) from exc
    if parts.scheme not in ("http", "https") or host not in LOOPBACK_HOSTS:
        raise ServiceError(codes.INCORRECT_PARAMETERS)
    return extension(unquote(parts.path))


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect could lead off loopback: it is an error, never followed."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def fetch(url: str, destination: Path, limit: int) -> int:
    """Copy a loopback URL's body to `destination`: 6 if unreachable, 8 if over `limit`."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirects())
    size = 0
    try:
        with opener.open(url, timeout=FETCH_TIMEOUT_S) as answer, destination.open("wb") as out:
            declared = answer.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > limit:
                raise ServiceError(codes.FILE_TOO_BIG)
            while piece := answer.read(PIECE):
                size += len(piece)
                if size > limit:
                    raise ServiceError(codes.FILE_TOO_BIG)
                out.write(piece)
    except (urllib.error.URLError, HTTPException, OSError, ValueError) as exc:
        raise ServiceError(codes.NOT_A_SOURCE_OBJECT) from exc
    return size


def conversion(path: Path, fmt: str) -> tuple[int, int]:
    """How converting the file ends (2 converted, 3 failed) and its number of slides."""
    if fmt == "pdf":
        return _pdf(path)
    if fmt in ZIP_FORMATS and not zipfile.is_zipfile(path):
        return FAILED, 0
    return CONVERTED, 1


def _pdf(path: Path) -> tuple[int, int]:
    with path.open("rb") as stream:
        if stream.read(5) != b"%PDF-" or _contains(stream, b"/Encrypt"):
            return FAILED, 0
    with _pdfium_lock:
        try:
            document = pdfium.PdfDocument(str(path))
        except pdfium.PdfiumError:
            return FAILED, 0
        try:
            return CONVERTED, len(document)
        finally:
            document.close()


def _contains(stream: IO[bytes], marker: bytes) -> bool:
    """Whether the rest of `stream` holds `marker`, read piece by piece."""
    tail = b""
    while piece := stream.read(PIECE):
        if marker in tail + piece:
            return True
        tail = piece[-(len(marker) - 1) :]
    return False

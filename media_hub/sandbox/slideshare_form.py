"""A SlideShare call's parameters: the query, merged with a urlencoded or multipart POST body.

A multipart body is first spooled to a file in the call's own folder, then split by a small
streaming parser (the stdlib `email` parser would hold every part in memory; `cgi` is gone
in 3.13): fields are kept (each up to `FIELD_LIMIT`), file parts are written to files beside
the spool. A deck of any size never sits in memory. Also here: reading a parameter as tags,
a flag, Y/N or a number (a malformed one is a `FormError`, answered as code 17).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.message import Message
from email.utils import collapse_rfc2231_value
from pathlib import Path
from typing import BinaryIO
from urllib.parse import parse_qsl

from media_hub.sandbox.wire import PIECE, Request

FIELD_LIMIT = 1024 * 1024  # a urlencoded body, or one multipart field
HEADER_LIMIT = 16 * 1024  # one part's header block
FORM_OVERHEAD = 1024 * 1024  # what a multipart body may hold besides its file


class FormError(ValueError):
    """A body that is not a well-formed form."""


class BodyTooLargeError(FormError):
    """A body over the call's limit, refused on its Content-Length before reading it."""


@dataclass(frozen=True)
class FilePart:
    """A multipart file part, kept in the call's folder."""

    filename: str
    path: Path
    size: int


@dataclass
class Form:
    fields: dict[str, str] = field(default_factory=dict)
    files: dict[str, FilePart] = field(default_factory=dict)


def read_form(request: Request, folder: Path, limit: int) -> Form:
    """The POST body's fields and files; an empty form for GET. `limit` caps the body."""
    body = request.body
    if request.method != "POST" or body.length == 0:
        return Form()
    content_type = Message()
    content_type["Content-Type"] = request.header("Content-Type") or ""
    if content_type.get_content_type() == "multipart/form-data":
        if body.length > limit:
            raise BodyTooLargeError(f"the body has {body.length} bytes, over {limit}")
        boundary = content_type.get_param("boundary")
        if not isinstance(boundary, str) or not boundary:
            raise FormError("multipart/form-data without a boundary")
        spool = folder / "body"
        with spool.open("wb") as out:
            for piece in body.pieces():
                out.write(piece)
        try:
            return parse_multipart(spool, boundary.encode("latin-1"), folder)
        finally:
            spool.unlink(missing_ok=True)
    if body.length > FIELD_LIMIT:
        raise BodyTooLargeError(f"a form of {body.length} bytes, over {FIELD_LIMIT}")
    text = b"".join(body.pieces()).decode("utf-8", "replace")
    return Form(dict(parse_qsl(text, keep_blank_values=True)))


def parse_multipart(source: Path, boundary: bytes, folder: Path, piece: int = PIECE) -> Form:
    """Split a multipart/form-data body kept in `source`; file parts go to `folder`.

    `piece` is the read size (tests make it tiny, so markers straddle two reads).
    """
    form = Form()
    with source.open("rb") as stream:
        scanner = _Scanner(stream, piece)
        if not scanner.skip_to(b"--" + boundary):
            raise FormError("no opening boundary")
        while True:
            if scanner.peek(2) == b"--":
                return form
            if not scanner.skip_to(b"\r\n"):
                raise FormError("a boundary line without its end")
            headers = _headers(scanner)
            name = headers.get_param("name", header="content-disposition")
            name = collapse_rfc2231_value(name) if name else ""
            filename = headers.get_filename()
            delimiter = b"\r\n--" + boundary
            if filename is None:
                value = bytearray()
                complete = scanner.copy_to(delimiter, _capped(value, FIELD_LIMIT))
                form.fields[name] = value.decode("utf-8", "replace")
            else:
                path = folder / f"part-{len(form.files)}"
                with path.open("wb") as out:
                    complete = scanner.copy_to(delimiter, out.write)
                form.files[name] = FilePart(filename, path, path.stat().st_size)
            if not complete:
                raise FormError("the body ends inside a part")


def tags(text: str) -> list[str]:
    """Comma-separated tags, trimmed, each kept once in the order given."""
    return list(dict.fromkeys(tag.strip() for tag in text.split(",") if tag.strip()))


def flag(params: Mapping[str, str], name: str) -> bool:
    return params.get(name, "").strip().lower() in {"1", "true", "y", "yes"}


def yes_no(params: Mapping[str, str], name: str, default: bool | None) -> bool | None:
    value = params.get(name, "").strip().upper()
    if not value:
        return default
    if value not in ("Y", "N"):
        raise FormError(f"{name} is {value!r}")
    return value == "Y"


def number(params: Mapping[str, str], name: str, default: int, *, least: int) -> int:
    value = params.get(name, "").strip()
    if not value:
        return default
    if not value.isdecimal() or int(value) < least:
        raise FormError(f"{name} is {value!r}")
    return int(value)


def _headers(scanner: _Scanner) -> Message:
    """A part's header block, parsed (names are case-insensitive, parameters RFC 2231-aware)."""
    raw = bytearray()
    if scanner.peek(2) == b"\r\n":  # a part without headers
        scanner.skip_to(b"\r\n")
    elif not scanner.copy_to(b"\r\n\r\n", _capped(raw, HEADER_LIMIT)):
        raise FormError("a part's headers never end")
    headers = Message()
    for line in raw.decode("utf-8", "replace").split("\r\n"):
        name, sep, value = line.partition(":")
        if sep and name.strip():
            headers[name.strip()] = value.strip()
    return headers


def _capped(buffer: bytearray, limit: int) -> Callable[[bytes], object]:
    def keep(data: bytes) -> None:
        if len(buffer) + len(data) > limit:
            raise FormError(f"a field or header block over {limit} bytes")
        buffer.extend(data)

    return keep


class _Scanner:
    """Reads a stream piece by piece, finding markers that may straddle two pieces."""

    def __init__(self, stream: BinaryIO, piece: int) -> None:
        self._stream = stream
        self._piece = piece
        self._buffer = b""

    def _fill(self) -> bool:
        piece = self._stream.read(self._piece)
        self._buffer += piece
        return bool(piece)

    def peek(self, size: int) -> bytes:
        while len(self._buffer) < size and self._fill():
            pass
        return self._buffer[:size]

    def copy_to(self, marker: bytes, sink: Callable[[bytes], object]) -> bool:
        """Hand `sink` everything before `marker` and consume the marker; False at the end."""
        keep = len(marker) - 1  # a marker's start may be at the end of the buffer
        while True:
            at = self._buffer.find(marker)
            if at >= 0:
                sink(self._buffer[:at])
                self._buffer = self._buffer[at + len(marker) :]
                return True
            if len(self._buffer) > keep:
                sink(self._buffer[: len(self._buffer) - keep])
                self._buffer = self._buffer[len(self._buffer) - keep :]
            if not self._fill():
                return False

    def skip_to(self, marker: bytes) -> bool:
        return self.copy_to(marker, lambda _: None)

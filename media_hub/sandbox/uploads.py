"""Google's media upload protocol: resumable sessions, simple and multipart uploads.

A resumable session starts with a POST (`uploadType=resumable`, the resource as JSON,
`X-Upload-Content-Length`/`-Type`) answered with the session URI in `Location`; chunks are PUT
with `Content-Range: bytes a-b/N` and answered `308` + `Range: bytes=0-K` until the last one,
which gets the resource. `Content-Range: bytes */N` asks where the session stands. Bytes are
appended to a part file as they arrive, so a 2 GB upload never sits in memory and a restarted
sandbox resumes where it stopped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import secrets
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from typing import Any

from media_hub.sandbox.errors import ApiError
from media_hub.sandbox.state import State, rfc3339
from media_hub.sandbox.wire import PIECE, Request, Response

RANGE = re.compile(r"bytes (?:(\d+)-(\d+)|\*)/(\d+|\*)")
SESSION_LIFETIME = dt.timedelta(days=7)


@dataclass(frozen=True)
class Upload:
    """A complete upload handed to its API method: the resource sent and the media file."""

    params: dict[str, str]
    metadata: dict[str, Any]
    path: Path
    size: int
    sha256: str
    mimetype: str


@dataclass(frozen=True)
class Target:
    """An API method that takes media: checked when the upload starts, finished at the end."""

    method: str
    check: Callable[[dict[str, Any], dict[str, str], str, int | None], None]
    finish: Callable[[Upload], dict[str, Any]]
    max_size: int


class Uploads:
    """Sessions and one-shot uploads for every media method of the API."""

    def __init__(self, state: State) -> None:
        self.state = state
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def start(self, request: Request, target: Target) -> Response:
        """POST to an upload path: open a session, or take a simple/multipart upload whole."""
        kind = request.param("uploadType", "media")
        params = {k: v for k, v in request.query.items() if k not in {"uploadType", "alt"}}
        if kind == "resumable":
            return self._open(request, target, params)
        temp = self.state.media_path("sessions", f"one-shot-{secrets.token_hex(8)}")
        try:
            _copy_body(request, temp, target.max_size)
            if kind == "multipart":
                metadata, media, mimetype = _split_multipart(temp, request.header("Content-Type"))
            elif kind == "media":
                metadata, media, mimetype = {}, temp, request.header("Content-Type") or ""
            else:
                raise ApiError("invalidValue", f"Unknown uploadType {kind!r}.", domain="global")
            size = media.stat().st_size
            target.check(metadata, params, mimetype, size)
            return Response.json(target.finish(_upload(params, metadata, media, mimetype)))
        finally:
            for leftover in temp.parent.glob(temp.name + "*"):
                leftover.unlink(missing_ok=True)

    def _open(self, request: Request, target: Target, params: dict[str, str]) -> Response:
        metadata = request.body.json()
        declared = request.header("X-Upload-Content-Length")
        length = int(declared) if declared and declared.isdigit() else None
        mimetype = request.header("X-Upload-Content-Type") or "application/octet-stream"
        if length is not None and length > target.max_size:
            raise ApiError("mediaBodyTooLarge", code=413)
        target.check(metadata, params, mimetype, length)
        self._expire()
        session_id = self.state.new_id("session")
        self.state.media_path("sessions", session_id).touch()
        with self.state.change() as data:
            data["sessions"][session_id] = {
                "method": target.method,
                "params": params,
                "metadata": metadata,
                "length": length,
                "mimetype": mimetype,
                "received": 0,
                "created": rfc3339(self.state.now()),
                "response": None,
            }
        location = f"{request.base_url}{request.path}?uploadType=resumable&upload_id={session_id}"
        return Response(200, b"", {"Location": location, "X-GUploader-UploadID": session_id})

    def resume(self, request: Request, targets: dict[str, Target]) -> Response:
        """PUT to a session URI: a chunk, or a status query (`bytes */N`)."""
        session_id = request.require("upload_id")
        with self._guard:
            lock = self._locks.setdefault(session_id, threading.Lock())
        with lock:
            with self.state.read() as data:
                session = data["sessions"].get(session_id)
            if session is None:
                request.body.drain()
                raise ApiError("notFound", "The upload session does not exist.", code=404)
            if session["response"] is not None:
                request.body.drain()
                return Response.json(session["response"])
            return self._chunk(request, session_id, session, targets[session["method"]])

    def _chunk(
        self, request: Request, session_id: str, session: dict[str, Any], target: Target
    ) -> Response:
        received = int(session["received"])
        header = request.header("Content-Range")
        match = RANGE.fullmatch(header.strip()) if header else None
        if header and match is None:
            raise ApiError("invalidValue", f"Bad Content-Range {header!r}.", domain="global")
        total: int | None
        if match is None and request.body.length:  # the whole media in one PUT
            first, last, total = 0, request.body.length - 1, request.body.length
        elif match is None or match.group(1) is None:  # a status query
            request.body.drain()
            if match and match.group(3) != "*":
                self._set_length(session_id, session, int(match.group(3)))
            return _incomplete(received)
        else:
            first, last = int(match.group(1)), int(match.group(2))
            total = None if match.group(3) == "*" else int(match.group(3))
        if (
            last < first
            or request.body.length != last - first + 1
            or (total is not None and last >= total)
        ):
            raise ApiError(
                "invalidValue", "Content-Range does not match the body.", domain="global"
            )
        if first != received:  # a stale or skipped offset: say where the session really is
            request.body.drain()
            return _incomplete(received)
        if total is not None:
            self._set_length(session_id, session, total)
        keep = request.body.length
        if request.accept_fraction is not None:
            keep = int(keep * request.accept_fraction)
        part = self.state.media_path("sessions", session_id)
        with part.open("r+b") as out:
            out.truncate(received)  # bytes written before a crash but never acknowledged
            out.seek(received)
            for piece in request.body.pieces():
                wanted = piece[: max(0, keep)]
                out.write(wanted)
                keep -= len(wanted)
        received = part.stat().st_size
        with self.state.change() as data:
            data["sessions"][session_id]["received"] = received
        if session["length"] is None or received < int(session["length"]):
            return _incomplete(received)
        if received > target.max_size:
            raise ApiError("mediaBodyTooLarge", code=413)
        try:
            result = target.finish(
                _upload(session["params"], session["metadata"], part, session["mimetype"])
            )
        except ApiError:  # refused at the end (e.g. not an image): the session is spent
            self._forget(session_id)
            raise
        with self.state.change() as data:
            data["sessions"][session_id]["response"] = result
        return Response.json(result)

    def _forget(self, session_id: str) -> None:
        self.state.media_path("sessions", session_id).unlink(missing_ok=True)
        with self.state.change() as data:
            data["sessions"].pop(session_id, None)

    def _expire(self) -> None:
        """Sessions live a week, as Google's do; then their URI answers 404."""
        cutoff = rfc3339(self.state.now() - SESSION_LIFETIME)
        with self.state.read() as data:
            old = [name for name, info in data["sessions"].items() if info["created"] < cutoff]
        for session_id in old:
            self._forget(session_id)

    def _set_length(self, session_id: str, session: dict[str, Any], total: int) -> None:
        if session["length"] is not None and int(session["length"]) != total:
            raise ApiError(
                "invalidValue",
                f"The upload's length changed from {session['length']} to {total}.",
                domain="global",
            )
        if session["length"] is None:
            with self.state.change() as data:
                data["sessions"][session_id]["length"] = total


def _incomplete(received: int) -> Response:
    """`308 Resume Incomplete`, with `Range` only once some bytes have arrived."""
    headers = {"Range": f"bytes=0-{received - 1}"} if received else {}
    return Response(308, b"", headers)


def _upload(params: dict[str, str], metadata: dict[str, Any], path: Path, mimetype: str) -> Upload:
    with path.open("rb") as media:
        digest = hashlib.file_digest(media, "sha256").hexdigest()
    return Upload(params, metadata, path, path.stat().st_size, digest, mimetype)


def _copy_body(request: Request, path: Path, limit: int) -> None:
    with path.open("wb") as out:
        for piece in request.body.pieces(limit):
            out.write(piece)


def _split_multipart(path: Path, content_type: str | None) -> tuple[dict[str, Any], Path, str]:
    """Split `multipart/related` (resource JSON, then media) without reading the media whole."""
    message = Message()
    message["Content-Type"] = content_type or ""
    boundary = message.get_param("boundary")
    if not isinstance(boundary, str) or not boundary:
        raise ApiError("parseError", "multipart/related needs a boundary.")
    delimiter = b"--" + boundary.encode()
    with path.open("rb") as source:
        head = source.read(PIECE)
        size = source.seek(0, 2)
        source.seek(max(0, size - 512))
        tail_start = source.tell()
        tail = source.read()
    try:
        json_start = _after_headers(head, head.index(delimiter))[1]
        json_end = head.index(delimiter, json_start)
        media_headers, media_start = _after_headers(head, json_end)
        closing = tail_start + tail.rindex(delimiter + b"--")
    except ValueError as exc:
        raise ApiError("parseError", "Malformed multipart/related body.") from exc
    metadata = json.loads(head[json_start:json_end].rstrip(b"\r\n") or b"{}")
    media_end = closing - (2 if tail[: closing - tail_start].endswith(b"\r\n") else 1)
    part_type = Message()
    for line in media_headers.decode("latin-1").splitlines():
        name, _, value = line.partition(":")
        if name.strip():
            part_type[name.strip()] = value.strip()
    media = path.with_name(path.name + ".media")
    with path.open("rb") as source, media.open("wb") as out:
        source.seek(media_start)
        remaining = media_end - media_start
        while remaining > 0:
            piece = source.read(min(PIECE, remaining))
            if not piece:
                break
            out.write(piece)
            remaining -= len(piece)
    return metadata, media, part_type.get_content_type()


def _after_headers(buffer: bytes, delimiter_at: int) -> tuple[bytes, int]:
    """The header block after a delimiter line and where the part's body starts."""
    line_end = buffer.index(b"\n", delimiter_at) + 1
    crlf, lf = buffer.find(b"\r\n\r\n", line_end - 2), buffer.find(b"\n\n", line_end - 1)
    candidates = [(i, 4) for i in [crlf] if i >= 0] + [(i, 2) for i in [lf] if i >= 0]
    at, width = min(candidates)
    return buffer[line_end:at], at + width


def move_media(upload: Upload, destination: Path) -> None:
    """Keep an upload's bytes under their final name (a rename, same file system)."""
    shutil.move(upload.path, destination)

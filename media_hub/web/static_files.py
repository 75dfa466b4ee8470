"""The app's own stylesheet and scripts, read once into memory and answered from there.

Starlette's StaticFiles opens and stats the file in a worker thread on every request, and
those threads are the few the pages use (`WebConfig.threads`): under load a stylesheet waited
behind catalog pages. These files are small, ship with the package and never change while the
app runs, so a lookup in a dict serves them; a name not in it is a 404, whatever it holds."""

from __future__ import annotations

import hashlib
import mimetypes
from pathlib import Path

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

CACHE_CONTROL = "public, max-age=300"  # a new release's stylesheet shows within minutes


class PackagedStatic:
    def __init__(self, directory: Path) -> None:
        self._files: dict[str, tuple[bytes, str, str]] = {}
        for path in sorted(directory.iterdir()):
            if path.is_file():
                body = path.read_bytes()
                kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                if kind.startswith("text/") or kind.endswith("javascript"):
                    kind += "; charset=utf-8"
                etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
                self._files[path.name] = (body, kind, etag)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        if request.method not in ("GET", "HEAD"):
            raise HTTPException(405, headers={"allow": "GET, HEAD"})
        mounted_at = scope.get("root_path", "")  # the Mount's prefix, kept in "path" too
        found = self._files.get(scope["path"].removeprefix(mounted_at).removeprefix("/"))
        if found is None:
            raise HTTPException(404)
        body, kind, etag = found
        headers = {"etag": etag, "cache-control": CACHE_CONTROL}
        if etag in request.headers.get("if-none-match", ""):
            response = Response(status_code=304, headers=headers)
        else:
            response = Response(body, media_type=kind, headers=headers)
        await response(scope, receive, send)

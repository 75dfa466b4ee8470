"""The Graph API endpoints media-hub uses, under `/graph/<version>/`.

- `POST /{app-id}/uploads` (file_name, file_length, file_type) opens an upload session:
  `{"id": "upload:<id>?sig=<sig>"}`; the `sig` is checked on every use of the session.
- `POST /upload:<id>` with the header `file_offset` appends the body at that offset:
  `{"h": <handle>}` once `file_length` bytes are in. Meta documents only that answer (for a
  whole file); for a piece short of the end the sandbox answers `{"id", "file_offset"}`, as
  `GET` does, and an offset other than the session's is refused (code 100) with the offset it
  holds. Bytes go to a part file as they arrive (2 GB never sit in memory).
- `GET /upload:<id>`: `{"id", "file_offset"}`.
- `POST /{page-id}/videos` (multipart: title, description, fbuploader_video_file_chunk, thumb,
  published, scheduled_publish_time): `{"id"}`; a scheduled video turns published when the
  sandbox's clock passes its time (10 minutes to 30 days ahead, else code 100).
- `GET /{page-id}/videos` (fields, limit, after): the Page's videos, newest first, with
  cursor paging; `GET /{video-id}`; `POST /{video-id}` (title or name, description,
  scheduled_publish_time, published) edits; `DELETE /{video-id}`; `GET /{page-id}`.
- `GET /{video-id}/video_insights`, the same inside `fields` (field expansion), the comments'
  summary, and `POST /` batches of such reads: `facebook_insights`.

The token, `appsecret_proof`, rate limits and injected failures are `FacebookPage`'s.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Any

from media_hub.sandbox import facebook_insights as insight
from media_hub.sandbox import slideshare_form as form
from media_hub.sandbox.facebook_page import FacebookPage, GraphFailureError, invalid
from media_hub.sandbox.quota import pacific_day
from media_hub.sandbox.state import Data, State
from media_hub.sandbox.wire import Request, Response

PREFIX = "/graph/"
_PATH = re.compile(r"^/graph/v\d+\.\d+/(?P<node>[^/]+)(?:/(?P<edge>[a-z_]+))?/?$")
_ROOT = re.compile(r"^/graph/v\d+\.\d+/?$")
MAX_VIDEO_BYTES = 10 * 1024**3
MAX_THUMB_BYTES = 10 * 1024**2
FORM_LIMIT = MAX_THUMB_BYTES + 1024**2
SCHEDULE_MIN = dt.timedelta(minutes=10)
SCHEDULE_MAX = dt.timedelta(days=30)
VIDEO_FIELDS = ("id", "title", "description", "created_time", "updated_time", "published",
                "scheduled_publish_time", "permalink_url", "length")  # fmt: skip


def graph_time(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


class FacebookApi:
    def __init__(self, state: State) -> None:
        self.state = state
        self.page = FacebookPage(state)
        self.folder = state.media_dir / "facebook"
        self.folder.mkdir(parents=True, exist_ok=True)
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def handle(self, request: Request) -> Response:
        headers: dict[str, str] = {}
        try:
            if _ROOT.match(request.path) and request.method == "POST":
                raw = request.param("batch") or request.body.form().get("batch")
                headers = self.page.admit(request, insight.batch_cost(raw))
                return Response.json(self._batch(raw), headers=headers)
            match = _PATH.match(request.path)
            if match is None:
                raise GraphFailureError("Unknown path components", 2500, status=400)
            headers = self.page.admit(request)
            node, edge = match.group("node"), match.group("edge")
            answer = self._route(request, node, edge)
            return Response.json(answer, headers=headers)
        except GraphFailureError as failure:
            request.body.drain()
            return failure.response(headers)

    def _route(self, request: Request, node: str, edge: str | None) -> Any:
        with self.state.read() as data:
            fb = data["facebook"]
            page_id, app_id = fb["page"]["id"], fb["app_id"]
        method = request.method
        if node.startswith("upload:") and edge is None:
            session_id = node.removeprefix("upload:")
            if method == "GET":
                return self._offset(request, session_id)
            if method == "POST":
                return self._append(request, session_id)
        if node == app_id and edge == "uploads" and method == "POST":
            return self._open(request)
        if node == page_id and edge == "videos" and method == "POST":
            return self._publish(request)
        if node == page_id and edge == "videos" and method == "GET":
            return self._list(request)
        if node == page_id and edge is None and method == "GET":
            return {"id": page_id, "name": fb["page"]["name"]}
        if edge == "video_insights" and node in fb["videos"] and method == "GET":
            if request.param("period", "lifetime") != "lifetime":
                raise invalid("(#100) The sandbox serves period=lifetime only")
            return insight.insights(node, self._numbers(node), request.param("metric"))
        if edge is None and node in fb["videos"]:
            if method == "GET":
                return self._view(node, fb["videos"][node], request.param("fields"))
            if method == "POST":
                return self._edit(request, node)
            if method == "DELETE":
                return self._delete(node)
        raise GraphFailureError(
            f"Unsupported {method} request. Object with ID '{node}' does not exist, cannot be "
            "loaded due to missing permissions, or does not support this operation.",
            100, subcode=33, kind="GraphMethodException",
        )  # fmt: skip

    # -- the Resumable Upload API --------------------------------------------------------------
    def _open(self, request: Request) -> Data:
        name = request.param("file_name") or ""
        length = request.param("file_length") or ""
        kind = request.param("file_type") or ""
        if not name or not length.isdigit() or int(length) <= 0:
            raise invalid("(#100) file_name and a positive file_length are required")
        if kind not in {"application/pdf", "image/jpeg", "image/jpg", "image/png", "video/mp4"}:
            raise invalid(f"(#100) file_type {kind!r} is not supported")
        if int(length) > MAX_VIDEO_BYTES:
            raise invalid("(#100) The file is too large")
        session_id, sig = secrets.token_urlsafe(24), secrets.token_urlsafe(12)
        (self.folder / f"{session_id}.part").touch()
        with self.state.change() as data:
            data["facebook"]["sessions"][session_id] = {
                "sig": sig, "name": name, "length": int(length), "type": kind,
                "received": 0, "handle": None, "created": graph_time(self.state.now()),
            }  # fmt: skip
        return {"id": f"upload:{session_id}?sig={sig}"}

    def _session(self, request: Request, session_id: str) -> Data:
        with self.state.read() as data:
            session = data["facebook"]["sessions"].get(session_id)
        if session is None or request.param("sig") != session["sig"]:
            raise invalid("(#100) The upload session does not exist or has expired", 1363037)
        return dict(session)

    def _offset(self, request: Request, session_id: str) -> Data:
        session = self._session(request, session_id)
        return {"id": f"upload:{session_id}?sig={session['sig']}",
                "file_offset": session["received"]}  # fmt: skip

    def _append(self, request: Request, session_id: str) -> Data:
        with self._guard:
            lock = self._locks.setdefault(session_id, threading.Lock())
        with lock:
            session = self._session(request, session_id)
            received, length = int(session["received"]), int(session["length"])
            offset = request.header("file_offset") or ""
            if not offset.isdigit():
                raise invalid("(#100) The file_offset header is required")
            if int(offset) != received:
                raise invalid(f"(#100) Wrong file_offset {offset}: the session holds {received} "
                              "bytes; resume from there")  # fmt: skip
            if received + request.body.length > length:
                raise invalid("(#100) The upload is longer than file_length")
            keep = request.body.length
            if request.accept_fraction is not None:  # a "partial" fault: only part arrives
                keep = int(keep * request.accept_fraction)
            part = self.folder / f"{session_id}.part"
            with part.open("r+b") as out:
                out.truncate(received)
                out.seek(received)
                for piece in request.body.pieces():
                    wanted = piece[: max(0, keep)]
                    out.write(wanted)
                    keep -= len(wanted)
            received = part.stat().st_size
            handle = None
            if received == length:
                handle = f"4:{secrets.token_urlsafe(8)}:{session['type']}:{secrets.token_hex(16)}"
            with self.state.change() as data:
                stored = data["facebook"]["sessions"][session_id]
                stored["received"], stored["handle"] = received, handle
        if handle is not None:
            return {"h": handle}
        return {"id": f"upload:{session_id}?sig={session['sig']}", "file_offset": received}

    # -- videos --------------------------------------------------------------------------------
    def _publish(self, request: Request) -> Data:
        with tempfile.TemporaryDirectory(dir=self.folder, prefix=".call-") as folder:
            try:
                posted = form.read_form(request, Path(folder), FORM_LIMIT)
            except form.FormError as exc:
                raise invalid(f"(#100) {exc}") from exc
            fields = {**request.query, **posted.fields}
            handle = fields.get("fbuploader_video_file_chunk") or ""
            with self.state.read() as data:
                found = [(sid, s) for sid, s in data["facebook"]["sessions"].items()
                         if s["handle"] and s["handle"] == handle]  # fmt: skip
            if not found:
                raise invalid("(#100) fbuploader_video_file_chunk is not a valid file handle")
            session_id = found[0][0]
            now = self.state.now()
            video: Data = {"title": fields.get("title", ""),
                           "description": fields.get("description", ""),
                           "created_time": graph_time(now), "updated_time": graph_time(now),
                           "published": True, "scheduled_publish_time": None,
                           "length": None, "thumbnail": None}  # fmt: skip
            self._schedule(video, fields, now)
            video_id = self._new_id()
            media = self.folder / f"{session_id}.part"
            with media.open("rb") as stream:
                video["sha256"] = hashlib.file_digest(stream, "sha256").hexdigest()
            video["bytes"] = media.stat().st_size
            shutil.copyfile(media, self.folder / f"video-{video_id}.mp4")
            thumb = posted.files.get("thumb")
            if thumb is not None:
                if thumb.size > MAX_THUMB_BYTES:
                    raise invalid("(#100) The thumbnail is over 10 MB")
                shutil.copyfile(thumb.path, self.folder / f"thumb-{video_id}.jpg")
                with thumb.path.open("rb") as stream:
                    video["thumbnail"] = hashlib.file_digest(stream, "sha256").hexdigest()
        with self.state.change() as data:
            data["facebook"]["videos"][video_id] = video
        return {"id": video_id}

    def _schedule(self, video: Data, fields: dict[str, str], now: dt.datetime) -> None:
        published = fields.get("published", "true").lower() not in {"false", "0"}
        when = fields.get("scheduled_publish_time")
        if when is None:
            if "published" in fields:
                video["published"], video["scheduled_publish_time"] = published, None
            return
        if published:
            raise invalid("(#100) scheduled_publish_time needs published=false")
        if not when.isdigit():
            raise invalid("(#100) scheduled_publish_time must be a UNIX timestamp")
        moment = dt.datetime.fromtimestamp(int(when), dt.UTC)
        if not now + SCHEDULE_MIN <= moment <= now + SCHEDULE_MAX:
            raise invalid("(#100) The specified scheduled publish time is invalid.", 1363168)
        video["published"], video["scheduled_publish_time"] = False, int(when)

    def _view(self, video_id: str, video: Data, fields: str | None) -> Data:
        wanted = insight.split_fields(fields or "id,title,description")
        with self.state.read() as data:
            page_id = data["facebook"]["page"]["id"]
        shown = {**video, "id": video_id, "published": self._is_published(video),
                 "permalink_url": f"/{page_id}/videos/{video_id}/"}  # fmt: skip
        answer: Data = {}
        for field in wanted:
            edge = insight.expanded(field)
            if edge is not None:
                answer[edge[0]] = insight.edge_field(*edge, video_id, video,
                                                     self._numbers(video_id))  # fmt: skip
            elif field in VIDEO_FIELDS and shown.get(field) is not None:
                answer[field] = shown[field]
        return answer

    def _numbers(self, video_id: str) -> Any:
        """The video's lifetime insights today (they grow with the sandbox's days)."""
        with self.state.read() as data:
            video = dict(data["facebook"]["videos"][video_id])
        now = self.state.now()
        return insight.video_numbers(video, pacific_day(now), now, video_id)

    def _batch(self, raw: str | None) -> list[Data]:
        """Each request of a batch answered on its own (GET on the Page's videos only)."""
        requests = insight.batch_requests(raw)
        with self.state.read() as data:
            known = set(data["facebook"]["videos"])
        answers = []
        for entry in requests:

            def run(entry: dict[str, Any] = entry) -> Any:
                if str(entry.get("method", "GET")).upper() != "GET":
                    raise invalid("(#100) The sandbox's batches take GET requests only")
                node, edge, query = insight.relative(str(entry.get("relative_url") or ""))
                if node not in known:
                    raise GraphFailureError(
                        f"Unsupported get request. Object with ID '{node}' does not exist, "
                        "cannot be loaded due to missing permissions, or does not support this "
                        "operation.", 100, subcode=33, kind="GraphMethodException",
                    )  # fmt: skip
                if edge == "video_insights":
                    return insight.insights(node, self._numbers(node), query.get("metric"))
                if edge is not None:
                    raise invalid(f"(#100) Unsupported edge {edge!r} in a batch")
                return self._view(node, self._videos()[node], query.get("fields"))

            answers.append(insight.sub_answer(run))
        return answers

    def _is_published(self, video: Data) -> bool:
        when = video.get("scheduled_publish_time")
        if video["published"] or when is None:
            return bool(video["published"])
        return self.state.now().timestamp() >= int(when)

    def _list(self, request: Request) -> Data:
        videos = sorted(self._videos().items(), key=lambda kv: (kv[1]["created_time"], kv[0]),
                        reverse=True)  # fmt: skip
        limit = min(100, int(request.param("limit") or "25"))
        after = request.param("after")
        ids = [vid for vid, _ in videos]
        start = ids.index(after) + 1 if after in ids else 0
        chosen = videos[start : start + limit]
        answer: Data = {"data": [self._view(k, v, request.param("fields")) for k, v in chosen]}
        if chosen:
            answer["paging"] = {"cursors": {"before": chosen[0][0], "after": chosen[-1][0]}}
            if start + limit < len(videos):
                answer["paging"]["next"] = f"{request.base_url}{request.path}?after={chosen[-1][0]}"
        return answer

    def _edit(self, request: Request, video_id: str) -> Data:
        fields = {**request.query, **request.body.form()}
        with self.state.read() as data:
            video = dict(data["facebook"]["videos"][video_id])
        for name in ("title", "name"):
            if name in fields:
                video["title"] = fields[name]
        if "description" in fields:
            video["description"] = fields["description"]
        if "scheduled_publish_time" in fields or "published" in fields:
            if self._is_published(video):
                raise invalid("(#100) A published video cannot be scheduled")
            self._schedule(video, fields, self.state.now())
        video["updated_time"] = graph_time(self.state.now())
        with self.state.change() as data:
            data["facebook"]["videos"][video_id] = video
        return {"success": True}

    def _delete(self, video_id: str) -> Data:
        with self.state.change() as data:
            del data["facebook"]["videos"][video_id]
        for name in (f"video-{video_id}.mp4", f"thumb-{video_id}.jpg"):
            (self.folder / name).unlink(missing_ok=True)
        return {"success": True}

    def _videos(self) -> dict[str, Data]:
        with self.state.read() as data:
            return dict(data["facebook"]["videos"])

    def _new_id(self) -> str:
        with self.state.change() as data:
            data["facebook"]["next_id"] = int(data["facebook"]["next_id"]) + 1 + \
                secrets.randbelow(1000)  # fmt: skip
            return str(data["facebook"]["next_id"])

"""The YouTube Data API v3 videos and channels methods, and the routes of every media upload.

Playlists live in `playlists.py`, thumbnails and captions in `attachments.py`, the upload
protocol in `uploads.py`, metadata rules in `validation.py`. Resources are rendered from the
stored channel on every read, so statistics follow the simulated days and scheduled videos go
public on time.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from media_hub.sandbox import growth, languages, oauth
from media_hub.sandbox.attachments import Attachments
from media_hub.sandbox.errors import ApiError
from media_hub.sandbox.resources import etag, list_response, parts_of, thumbnail_urls
from media_hub.sandbox.state import Data, State, rfc3339
from media_hub.sandbox.uploads import Target, Upload, Uploads, move_media
from media_hub.sandbox.validation import DEFAULT_CATEGORY, check_video, released
from media_hub.sandbox.wire import Request, Response, Route

VIDEO_PARTS = frozenset(
    {"id", "snippet", "status", "statistics", "contentDetails", "processingDetails",
     "fileDetails", "localizations", "recordingDetails", "player", "topicDetails"}
)  # fmt: skip
WRITABLE_PARTS = frozenset({"snippet", "status", "localizations", "recordingDetails"})
MUTABLE = {
    "snippet": ("title", "description", "tags", "categoryId", "defaultLanguage",
                "defaultAudioLanguage"),
    "status": ("privacyStatus", "embeddable", "license", "publicStatsViewable", "publishAt",
               "selfDeclaredMadeForKids", "containsSyntheticMedia"),
}  # fmt: skip
GiB = 1 << 30


class YouTubeApi:
    """Videos and the channel over one `State`; routes every media upload to its target."""

    def __init__(self, state: State, uploads: Uploads, base_url: str) -> None:
        self.state = state
        self.uploads = uploads
        self.base_url = base_url
        targets = [
            Target("videos.insert", self._check_insert, self._insert, 256 * GiB),
            *Attachments(state, base_url).targets(),
        ]
        self.targets = {target.method: target for target in targets}

    def routes(self) -> list[Route]:
        routes = [
            Route("GET", "/youtube/v3/videos", self.list_videos, "videos.list", oauth.READ),
            Route("PUT", "/youtube/v3/videos", self.update_video, "videos.update", oauth.WRITE),
            Route("GET", "/youtube/v3/channels", self.list_channels, "channels.list", oauth.READ),
            Route(
                "GET", "/youtube/v3/captions", self.list_captions, "captions.list", oauth.CAPTIONS
            ),
            Route(
                "GET", "/youtube/v3/i18nLanguages", self.list_languages, "i18nLanguages.list",
                oauth.READ,
            ),
        ]  # fmt: skip
        for name, path, scopes in [
            ("videos.insert", "youtube/v3/videos", oauth.UPLOADS),
            ("thumbnails.set", "youtube/v3/thumbnails/set", oauth.UPLOADS),
            ("captions.insert", "youtube/v3/captions", oauth.CAPTIONS),
        ]:
            target = self.targets[name]
            for prefix in ("/upload/", "/resumable/upload/"):
                routes.append(
                    Route("POST", prefix + path, _starter(self.uploads, target), name, scopes)
                )
                routes.append(Route("PUT", prefix + path, self._resume))
        return routes

    def _resume(self, request: Request) -> Response:
        return self.uploads.resume(request, self.targets)

    # -- videos -------------------------------------------------------------------------------
    def _check_insert(
        self, metadata: dict[str, Any], params: dict[str, str], mimetype: str, size: int | None
    ) -> None:
        parts = set(params.get("part", "").split(",")) - {""}
        if not parts:
            raise ApiError("missingRequiredParameter", "Required parameter: part", domain="global")
        check_video(metadata, parts | {"snippet"}, self.state.now(), updating=False)
        with self.state.read() as data:
            done = data["uploads_per_day"].get(self.state.today().isoformat(), 0)
            if done >= int(data["config"]["uploads_per_day"]):
                raise ApiError("uploadLimitExceeded")

    def _insert(self, upload: Upload) -> dict[str, Any]:
        video_id = self.state.new_id("video")
        move_media(upload, self.state.media_path("videos", video_id))
        snippet, status = upload.metadata.get("snippet", {}), upload.metadata.get("status", {})
        video: dict[str, Any] = {
            "id": video_id,
            "snippet": {key: snippet[key] for key in MUTABLE["snippet"] if key in snippet},
            "status": {key: status[key] for key in MUTABLE["status"] if key in status},
            "localizations": upload.metadata.get("localizations") or {},
            "recordingDetails": upload.metadata.get("recordingDetails") or {},
            "media": {"sha256": upload.sha256, "size": upload.size, "mimetype": upload.mimetype},
            "published_at": rfc3339(self.state.now()),
            "first_day": self.state.today().isoformat(),
            "processing_polls_left": int(self.state.config("processing_polls")),
            "thumbnail_404s_left": int(self.state.config("thumbnail_not_found_calls")),
            "caption": False,
        }
        video["snippet"].setdefault("categoryId", DEFAULT_CATEGORY)
        video["status"].setdefault("privacyStatus", "public")
        with self.state.change() as data:
            data["videos"][video_id] = video
            day = self.state.today().isoformat()
            data["uploads_per_day"][day] = data["uploads_per_day"].get(day, 0) + 1
            return self.render(data, video, set(upload.params.get("part", "").split(",")))

    def render(self, data: Data, video: Data, parts: set[str]) -> dict[str, Any]:
        """A video resource with the requested parts, as of the sandbox's today."""
        now, video_id = self.state.now(), video["id"]
        resource: dict[str, Any] = {"kind": "youtube#video", "id": video_id}
        processing = video["processing_polls_left"] > 0
        if "snippet" in parts:
            snippet = dict(video["snippet"])
            snippet.update(
                publishedAt=video["published_at"],
                channelId=data["channel"]["id"],
                channelTitle=data["channel"]["title"],
                thumbnails=thumbnail_urls(self.base_url, video_id),
                liveBroadcastContent="none",
                localized={
                    "title": snippet.get("title", ""),
                    "description": snippet.get("description", ""),
                },
            )
            resource["snippet"] = snippet
        if "status" in parts:
            status = released(video["status"], now)
            resource["status"] = {
                "uploadStatus": "uploaded" if processing else "processed",
                "license": "youtube",
                "embeddable": True,
                "publicStatsViewable": True,
                "madeForKids": bool(status.get("selfDeclaredMadeForKids", False)),
                **status,
            }
        if "statistics" in parts:
            first = dt.date.fromisoformat(video["first_day"])
            totals = growth.total(video_id, first, self.state.today())
            resource["statistics"] = {
                "viewCount": str(totals.views),
                "likeCount": str(totals.likes),
                "favoriteCount": "0",
                "commentCount": str(totals.comments),
            }
        if "contentDetails" in parts:
            resource["contentDetails"] = {
                "duration": "PT0S",
                "dimension": "2d",
                "definition": "hd",
                "caption": "true" if video["caption"] else "false",
                "licensedContent": False,
                "projection": "rectangular",
                "contentRating": {},
            }
        if "processingDetails" in parts:
            resource["processingDetails"] = {
                "processingStatus": "processing" if processing else "succeeded"
            }
        if "fileDetails" in parts:
            resource["fileDetails"] = {"fileSize": str(video["media"]["size"]), "fileType": "video"}
        for name in ("localizations", "recordingDetails"):
            if name in parts:
                resource[name] = video[name]
        resource["etag"] = etag(resource)
        return resource

    def list_videos(self, request: Request) -> Response:
        parts = parts_of(request, VIDEO_PARTS)
        if not request.param("id"):
            raise ApiError(
                "missingRequiredParameter",
                "No filter selected. Expected one of: id, chart, myRating.",
            )
        ids = [item for item in (request.param("id") or "").split(",") if item]
        if len(ids) > 50:
            raise ApiError("invalidValue", "At most 50 video ids may be given.")
        with self.state.change() as data:
            items = []
            for video_id in ids:
                video = data["videos"].get(video_id)
                if video is not None:
                    items.append(self.render(data, video, parts))
                    video["processing_polls_left"] = max(0, video["processing_polls_left"] - 1)
        return Response.json(list_response("youtube#videoListResponse", items))

    def list_captions(self, request: Request) -> Response:
        """captions.list: a video's tracks (`videoId` required, as on YouTube)."""
        parts = parts_of(request, frozenset({"id", "snippet"}))
        video_id = request.param("videoId")
        if not video_id:
            raise ApiError("missingRequiredParameter", "No filter selected. Expected: videoId.")
        with self.state.read() as data:
            if video_id not in data["videos"]:
                raise ApiError("videoNotFound")
            tracks = [
                (caption_id, caption["snippet"])
                for caption_id, caption in data["captions"].items()
                if caption["snippet"]["videoId"] == video_id
            ]
        items = []
        for caption_id, snippet in tracks:
            resource: dict[str, Any] = {"kind": "youtube#caption", "id": caption_id}
            if "snippet" in parts:
                resource["snippet"] = snippet
            items.append({**resource, "etag": etag(resource)})
        return Response.json(list_response("youtube#captionListResponse", items))

    def update_video(self, request: Request) -> Response:
        """Replace every mutable property of each part sent: read, modify, write."""
        parts = parts_of(request, VIDEO_PARTS) - {"id"}
        if parts - WRITABLE_PARTS:
            raise ApiError("invalidValue", "Only snippet, status, localizations and "
                           "recordingDetails can be updated.")  # fmt: skip
        body = request.body.json()
        with self.state.change() as data:
            video = data["videos"].get(str(body.get("id", "")))
            if video is None:
                raise ApiError("videoNotFound")
            stored_language = video["snippet"].get("defaultLanguage")
            check_video(
                body, parts, self.state.now(), updating=True, stored_language=stored_language
            )
            for part in parts & set(MUTABLE):
                sent = body.get(part) or {}
                video[part] = {key: sent[key] for key in MUTABLE[part] if key in sent}
            video["snippet"].setdefault("categoryId", DEFAULT_CATEGORY)
            video["status"].setdefault("privacyStatus", "public")
            for part in parts - set(MUTABLE):
                video[part] = body.get(part) or {}
            return Response.json(self.render(data, video, parts))

    # -- the channel --------------------------------------------------------------------------
    def list_languages(self, request: Request) -> Response:
        parts_of(request, frozenset({"id", "snippet"}))
        return Response.json(languages.list_languages())

    def list_channels(self, request: Request) -> Response:
        parts = parts_of(request, frozenset({"id", "snippet", "contentDetails", "statistics"}))
        with self.state.read() as data:
            channel = data["channel"]
            wanted = request.param("mine") == "true" or request.param("id") == channel["id"]
            if not (request.param("mine") or request.param("id")):
                raise ApiError("missingRequiredParameter", "No filter selected.")
            items = [self._channel(data, parts)] if wanted else []
        return Response.json(list_response("youtube#channelListResponse", items))

    def _channel(self, data: Data, parts: set[str]) -> dict[str, Any]:
        channel = data["channel"]
        resource: dict[str, Any] = {"kind": "youtube#channel", "id": channel["id"]}
        if "snippet" in parts:
            resource["snippet"] = {
                "title": channel["title"], "description": channel["description"],
                "publishedAt": channel["published_at"], "thumbnails": {},
                "localized": {"title": channel["title"], "description": channel["description"]},
            }  # fmt: skip
        if "contentDetails" in parts:
            uploads = "UU" + channel["id"][2:]
            resource["contentDetails"] = {"relatedPlaylists": {"likes": "", "uploads": uploads}}
        if "statistics" in parts:
            views = sum(
                int(self.render(data, video, {"statistics"})["statistics"]["viewCount"])
                for video in data["videos"].values()
            )
            resource["statistics"] = {
                "viewCount": str(views), "subscriberCount": str(views // 100),
                "hiddenSubscriberCount": False, "videoCount": str(len(data["videos"])),
            }  # fmt: skip
        return {**resource, "etag": etag(resource)}


def _starter(uploads: Uploads, target: Target) -> Any:
    def start(request: Request) -> Response:
        return uploads.start(request, target)

    return start

"""What is attached to a video after its upload: thumbnails.set and captions.insert.

Both are media uploads (simple, multipart or resumable) handled by `uploads.py`; here are the
checks YouTube makes when they start and what is stored when they finish.
"""

from __future__ import annotations

from typing import Any

from media_hub.sandbox.errors import ApiError
from media_hub.sandbox.resources import etag, thumbnail_urls
from media_hub.sandbox.state import State, rfc3339
from media_hub.sandbox.uploads import Target, Upload, move_media

IMAGE_MAGIC = {b"\xff\xd8\xff": "image/jpeg", b"\x89PNG\r\n\x1a\n": "image/png"}
IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "application/octet-stream"})
MiB = 1 << 20


class Attachments:
    """Thumbnails and caption tracks of the channel's videos."""

    def __init__(self, state: State, base_url: str) -> None:
        self.state = state
        self.base_url = base_url

    def targets(self) -> list[Target]:
        return [
            Target("thumbnails.set", self._check_thumb, self._thumb, 50 * MiB),
            Target("captions.insert", self._check_caption, self._caption, 100 * MiB),
        ]

    def _check_thumb(
        self, metadata: dict[str, Any], params: dict[str, str], mimetype: str, size: int | None
    ) -> None:
        video_id = params.get("videoId")
        if not video_id:
            raise ApiError("missingRequiredParameter", "Required parameter: videoId")
        with self.state.change() as data:
            video = data["videos"].get(video_id)
            if video is None:
                raise ApiError("videoNotFound")
            if video["thumbnail_404s_left"] > 0:  # just uploaded: not visible to this API yet
                video["thumbnail_404s_left"] -= 1
                raise ApiError("videoNotFound")
            if not data["config"]["verified"]:
                raise ApiError("forbidden")
        if mimetype not in IMAGE_TYPES:
            raise ApiError("invalidImage", f"Unsupported image type {mimetype!r}.")

    def _thumb(self, upload: Upload) -> dict[str, Any]:
        with upload.path.open("rb") as image:
            head = image.read(8)
        kind = next((name for magic, name in IMAGE_MAGIC.items() if head.startswith(magic)), None)
        if kind is None:
            raise ApiError("invalidImage")
        video_id = upload.params["videoId"]
        move_media(upload, self.state.media_path("thumbnails", video_id))
        with self.state.change() as data:
            data["thumbnails"][video_id] = {
                "sha256": upload.sha256, "size": upload.size, "mimetype": kind,
            }  # fmt: skip
        items = [thumbnail_urls(self.base_url, video_id)]
        return {"kind": "youtube#thumbnailSetResponse", "etag": etag(items), "items": items}

    def _check_caption(
        self, metadata: dict[str, Any], params: dict[str, str], mimetype: str, size: int | None
    ) -> None:
        snippet = metadata.get("snippet") or {}
        if not snippet.get("language") or "name" not in snippet:
            raise ApiError("invalidMetadata", "snippet.language and snippet.name are required.")
        if len(str(snippet["name"])) > 150:
            raise ApiError("nameTooLong")
        with self.state.read() as data:
            if snippet.get("videoId") not in data["videos"]:
                raise ApiError("videoNotFound")

    def _caption(self, upload: Upload) -> dict[str, Any]:
        caption_id = self.state.new_id("caption")
        move_media(upload, self.state.media_path("captions", caption_id))
        sent = upload.metadata["snippet"]
        snippet = {
            "videoId": sent["videoId"], "language": sent["language"], "name": sent["name"],
            "lastUpdated": rfc3339(self.state.now()), "trackKind": "standard",
            "audioTrackType": "unknown", "isCC": False, "isLarge": False,
            "isEasyReader": False, "isDraft": bool(sent.get("isDraft", False)),
            "isAutoSynced": False, "status": "serving",
        }  # fmt: skip
        with self.state.change() as data:
            data["captions"][caption_id] = {
                "snippet": snippet, "sha256": upload.sha256, "size": upload.size,
            }  # fmt: skip
            data["videos"][sent["videoId"]]["caption"] = True
        resource = {"kind": "youtube#caption", "id": caption_id, "snippet": snippet}
        return {**resource, "etag": etag(resource)}

"""Playlists and playlist items: insert, update, list with paging, delete, positions.

Each playlist keeps its items' order and whether it is sorted by hand (the default; Studio's
other orders make YouTube refuse positions with manualSortRequired). The channel's uploads
playlist is computed from the videos, newest first, and cannot be edited.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

from media_hub.sandbox import oauth
from media_hub.sandbox.errors import ApiError
from media_hub.sandbox.languages import check_language
from media_hub.sandbox.resources import etag, list_response, parts_of, thumbnail_urls
from media_hub.sandbox.state import Data, State, rfc3339
from media_hub.sandbox.validation import DESCRIPTION_MAX_BYTES, released
from media_hub.sandbox.wire import Request, Response, Route

PLAYLIST_PARTS = frozenset({"id", "snippet", "status", "contentDetails", "localizations", "player"})
ITEM_PARTS = frozenset({"id", "snippet", "contentDetails", "status"})
PLAYLIST_TITLE_MAX = 150


def page_of(request: Request, items: list[Any]) -> tuple[list[Any], dict[str, str]]:
    """One page of `items` (maxResults 0-50, default 5) and its next/prev page tokens."""
    try:
        size = int(request.param("maxResults", "5") or "5")
        token = request.param("pageToken")
        start = (
            int(base64.urlsafe_b64decode(token.encode()).decode().removeprefix("p")) if token else 0
        )
    except ValueError as exc:
        raise ApiError("invalidPageToken") from exc
    if not 0 <= size <= 50:
        raise ApiError("invalidValue", "maxResults must be between 0 and 50.", domain="global")
    tokens = {}
    if start + size < len(items):
        tokens["nextPageToken"] = base64.urlsafe_b64encode(f"p{start + size}".encode()).decode()
    if start > 0:
        tokens["prevPageToken"] = base64.urlsafe_b64encode(
            f"p{max(0, start - size)}".encode()
        ).decode()
    return items[start : start + size], tokens


class PlaylistsApi:
    """playlists.* and playlistItems.* over the channel state."""

    def __init__(self, state: State, base_url: str) -> None:
        self.state = state
        self.base_url = base_url

    def routes(self) -> list[Route]:
        table: list[tuple[str, str, Callable[[Request], Response], str, frozenset[str]]] = [
            ("GET", "playlists", self.list_playlists, "playlists.list", oauth.READ),
            ("POST", "playlists", self.insert_playlist, "playlists.insert", oauth.WRITE),
            ("PUT", "playlists", self.update_playlist, "playlists.update", oauth.WRITE),
            ("GET", "playlistItems", self.list_items, "playlistItems.list", oauth.READ),
            ("POST", "playlistItems", self.insert_item, "playlistItems.insert", oauth.WRITE),
            ("PUT", "playlistItems", self.update_item, "playlistItems.update", oauth.WRITE),
            ("DELETE", "playlistItems", self.delete_item, "playlistItems.delete", oauth.WRITE),
        ]
        return [
            Route(verb, "/youtube/v3/" + path, handler, name, scopes)
            for verb, path, handler, name, scopes in table
        ]

    def set_manual_sort(self, playlist_id: str, manual: bool) -> None:
        """What a person would change in Studio: whether the playlist is sorted by hand."""
        with self.state.change() as data:
            data["playlists"][playlist_id]["manual_sort"] = manual

    # -- playlists ----------------------------------------------------------------------------
    def insert_playlist(self, request: Request) -> Response:
        parts = parts_of(request, PLAYLIST_PARTS)
        body = request.body.json()
        snippet, status = _playlist_parts(body, parts | {"snippet"})
        _check_localizations(body)
        playlist_id = self.state.new_id("playlist")
        with self.state.change() as data:
            data["playlists"][playlist_id] = {
                "id": playlist_id, "snippet": snippet, "status": status,
                "localizations": body.get("localizations") or {},
                "published_at": rfc3339(self.state.now()), "manual_sort": True, "items": [],
            }  # fmt: skip
            return Response.json(self._playlist(data, data["playlists"][playlist_id], parts))

    def update_playlist(self, request: Request) -> Response:
        parts = parts_of(request, PLAYLIST_PARTS)
        body = request.body.json()
        snippet, status = _playlist_parts(body, parts)
        if "localizations" in parts:
            _check_localizations(body)
        with self.state.change() as data:
            playlist = data["playlists"].get(str(body.get("id", "")))
            if playlist is None:
                raise ApiError("playlistNotFound")
            if "snippet" in parts:
                playlist["snippet"] = snippet
            if "status" in parts:
                playlist["status"] = status
            if "localizations" in parts:
                playlist["localizations"] = body.get("localizations") or {}
            return Response.json(self._playlist(data, playlist, parts))

    def list_playlists(self, request: Request) -> Response:
        parts = parts_of(request, PLAYLIST_PARTS)
        with self.state.read() as data:
            if request.param("mine") == "true":
                found = list(data["playlists"].values())
            elif request.param("id"):
                ids = (request.param("id") or "").split(",")
                found = [data["playlists"][pid] for pid in ids if pid in data["playlists"]]
            else:
                raise ApiError("missingRequiredParameter", "No filter selected.")
            page, tokens = page_of(request, found)
            items = [self._playlist(data, playlist, parts) for playlist in page]
        response = list_response("youtube#playlistListResponse", items, **tokens)
        response["pageInfo"]["totalResults"] = len(found)
        return Response.json(response)

    def _playlist(self, data: Data, playlist: Data, parts: set[str]) -> dict[str, Any]:
        resource: dict[str, Any] = {"kind": "youtube#playlist", "id": playlist["id"]}
        if "snippet" in parts:
            snippet = playlist["snippet"]
            resource["snippet"] = {
                **snippet, "publishedAt": playlist["published_at"],
                "channelId": data["channel"]["id"], "channelTitle": data["channel"]["title"],
                "thumbnails": {}, "localized": {"title": snippet["title"],
                                                "description": snippet.get("description", "")},
            }  # fmt: skip
        if "status" in parts:
            resource["status"] = playlist["status"]
        if "contentDetails" in parts:
            resource["contentDetails"] = {"itemCount": len(playlist["items"])}
        if "localizations" in parts:
            resource["localizations"] = playlist["localizations"]
        return {**resource, "etag": etag(resource)}

    # -- playlist items -----------------------------------------------------------------------
    def insert_item(self, request: Request) -> Response:
        parts = parts_of(request, ITEM_PARTS)
        snippet = request.body.json().get("snippet") or {}
        with self.state.change() as data:
            playlist = self._editable(data, str(snippet.get("playlistId", "")))
            video_id = str((snippet.get("resourceId") or {}).get("videoId", ""))
            if video_id not in data["videos"]:
                raise ApiError("videoNotFound")
            order = playlist["items"]
            position = _position(playlist, snippet, len(order))
            item_id = self.state.new_id("playlistItem")
            data["playlist_items"][item_id] = {
                "id": item_id, "playlist_id": playlist["id"], "video_id": video_id,
                "published_at": rfc3339(self.state.now()),
            }  # fmt: skip
            order.insert(len(order) if position is None else position, item_id)
            return Response.json(self._item(data, item_id, parts))

    def update_item(self, request: Request) -> Response:
        """Move an item (its position is the only thing media-hub changes)."""
        parts = parts_of(request, ITEM_PARTS)
        body = request.body.json()
        snippet = body.get("snippet") or {}
        with self.state.change() as data:
            item = data["playlist_items"].get(str(body.get("id", "")))
            if item is None:
                raise ApiError("playlistItemNotFound")
            playlist = self._editable(data, str(snippet.get("playlistId", "")))
            if playlist["id"] != item["playlist_id"]:
                raise ApiError("invalidValue", "snippet.playlistId does not match the item.")
            position = _position(playlist, snippet, len(playlist["items"]) - 1)
            if position is not None:
                playlist["items"].remove(item["id"])
                playlist["items"].insert(position, item["id"])
            return Response.json(self._item(data, item["id"], parts))

    def delete_item(self, request: Request) -> Response:
        item_id = request.require("id")
        with self.state.change() as data:
            item = data["playlist_items"].pop(item_id, None)
            if item is None:
                raise ApiError("playlistItemNotFound")
            data["playlists"][item["playlist_id"]]["items"].remove(item_id)
        return Response(204)

    def list_items(self, request: Request) -> Response:
        parts = parts_of(request, ITEM_PARTS)
        with self.state.read() as data:
            playlist_id = request.param("playlistId")
            if playlist_id:
                found = self._item_ids(data, playlist_id)
            elif request.param("id"):
                ids = (request.param("id") or "").split(",")
                found = [item for item in ids if item in data["playlist_items"]]
            else:
                raise ApiError("missingRequiredParameter", "No filter selected.")
            page, tokens = page_of(request, found)
            items = [self._item(data, item_id, parts) for item_id in page]
        response = list_response("youtube#playlistItemListResponse", items, **tokens)
        response["pageInfo"]["totalResults"] = len(found)
        return Response.json(response)

    def _item_ids(self, data: Data, playlist_id: str) -> list[str]:
        if playlist_id == uploads_playlist(data):
            videos = sorted(data["videos"].values(), key=lambda v: v["published_at"], reverse=True)
            return [f"{playlist_id}.{video['id']}" for video in videos]
        if playlist_id not in data["playlists"]:
            raise ApiError("playlistNotFound")
        return list(data["playlists"][playlist_id]["items"])

    def _editable(self, data: Data, playlist_id: str) -> Data:
        if playlist_id == uploads_playlist(data):
            raise ApiError("playlistOperationUnsupported")
        playlist: Data | None = data["playlists"].get(playlist_id)
        if playlist is None:
            raise ApiError("playlistNotFound")
        return playlist

    def _item(self, data: Data, item_id: str, parts: set[str]) -> dict[str, Any]:
        if item_id in data["playlist_items"]:
            item = data["playlist_items"][item_id]
            playlist_id, video_id, added = (
                item["playlist_id"],
                item["video_id"],
                item["published_at"],
            )
            position = data["playlists"][playlist_id]["items"].index(item_id)
        else:  # an entry of the computed uploads playlist
            playlist_id, video_id = item_id.split(".", 1)
            added = data["videos"][video_id]["published_at"]
            position = self._item_ids(data, playlist_id).index(item_id)
        video = data["videos"][video_id]
        channel = data["channel"]
        resource: dict[str, Any] = {"kind": "youtube#playlistItem", "id": item_id}
        if "snippet" in parts:
            resource["snippet"] = {
                "publishedAt": added, "channelId": channel["id"],
                "title": video["snippet"].get("title", ""),
                "description": video["snippet"].get("description", ""),
                "thumbnails": thumbnail_urls(self.base_url, video_id),
                "channelTitle": channel["title"], "playlistId": playlist_id, "position": position,
                "resourceId": {"kind": "youtube#video", "videoId": video_id},
                "videoOwnerChannelTitle": channel["title"], "videoOwnerChannelId": channel["id"],
            }  # fmt: skip
        if "contentDetails" in parts:
            resource["contentDetails"] = {
                "videoId": video_id,
                "videoPublishedAt": video["published_at"],
            }
        if "status" in parts:
            privacy = released(video["status"], self.state.now()).get("privacyStatus", "public")
            resource["status"] = {"privacyStatus": privacy}
        return {**resource, "etag": etag(resource)}


def uploads_playlist(data: Data) -> str:
    return "UU" + str(data["channel"]["id"])[2:]


def _playlist_parts(body: dict[str, Any], parts: set[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The snippet and status to store, checked when the snippet part is being written."""
    status = {"privacyStatus": (body.get("status") or {}).get("privacyStatus", "public")}
    snippet = body.get("snippet") or {}
    if "snippet" not in parts:
        return snippet, status
    title = snippet.get("title")
    if not isinstance(title, str) or not title.strip():
        raise ApiError("playlistTitleRequired")
    description = snippet.get("description", "")
    if len(title) > PLAYLIST_TITLE_MAX or len(str(description).encode()) > DESCRIPTION_MAX_BYTES:
        raise ApiError("invalidPlaylistSnippet")
    kept = {key: snippet[key] for key in ("title", "description", "defaultLanguage", "tags")
            if key in snippet}  # fmt: skip
    return kept, status


def _position(playlist: Data, snippet: dict[str, Any], highest: int) -> int | None:
    """The requested position, checked: only hand-sorted playlists accept one."""
    if snippet.get("position") is None:
        return None
    if not playlist.get("manual_sort", True):
        raise ApiError("manualSortRequired")
    position = snippet["position"]
    if not isinstance(position, int) or not 0 <= position <= highest:
        raise ApiError("invalidPlaylistItemPosition")
    return position


def _check_localizations(body: dict[str, Any]) -> None:
    """A playlist's localizations and default language in codes YouTube lists."""
    snippet: dict[str, Any] = body["snippet"] if isinstance(body.get("snippet"), dict) else {}
    if snippet.get("defaultLanguage") is not None:
        check_language(snippet["defaultLanguage"], "unknown defaultLanguage")
    for key in body.get("localizations") or {}:
        check_language(key, "unknown localization language")

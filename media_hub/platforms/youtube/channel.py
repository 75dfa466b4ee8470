"""After the upload: the thumbnail, the playlists (kept in episode order) and the captions.

Each call is recorded as it completes (a playlist's YouTube id, an item's id, a caption's id)
so that a rerun skips what is done, and each call's quota is written to the ledger before it
is sent. A playlist item is marked as sent before its insert, so that only an insert that may
have landed unrecorded makes a rerun list the playlist to find it.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from googleapiclient.errors import HttpError
from googleapiclient.http import MediaFileUpload
from sqlalchemy import select

from media_hub.catalog.db import Catalog
from media_hub.catalog.models import Asset, Playlist, PlaylistItem
from media_hub.catalog.pipeline_models import Caption, Publication
from media_hub.catalog.types import utcnow
from media_hub.catalog.vocabulary import PlaylistOrder
from media_hub.platforms.youtube import YOUTUBE, languages, quota
from media_hub.platforms.youtube.errors import reason_of, translate
from media_hub.platforms.youtube.once import insert_once
from media_hub.platforms.youtube.reading import ChannelReader

log = logging.getLogger(__name__)

THUMBNAIL_ATTEMPTS = 6
RETRIES = 5


def set_thumbnail(
    catalog: Catalog,
    youtube: Any,
    asset_id: int,
    video_id: str,
    jpeg: Path,
    *,
    store_key: str | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """thumbnails.set, waiting out the videoNotFound that can follow a fresh upload."""
    for attempt in range(THUMBNAIL_ATTEMPTS):
        request = youtube.thumbnails().set(
            videoId=video_id, media_body=MediaFileUpload(str(jpeg), mimetype="image/jpeg")
        )
        try:
            with quota.spending(catalog, "thumbnails.set"):
                request.execute(num_retries=RETRIES)
        except HttpError as exc:
            if reason_of(exc) == "videoNotFound" and attempt + 1 < THUMBNAIL_ATTEMPTS:
                delay = min(60.0, 2.0**attempt) * (0.5 + random.random() / 2)  # noqa: S311
                log.info("video %s not visible yet; thumbnail again in %.1f s", video_id, delay)
                sleep(delay)
                continue
            raise translate(exc, f"setting the thumbnail of asset {asset_id}") from exc
        with catalog.session() as session:
            publication = session.scalars(
                select(Publication).where(
                    Publication.asset_id == asset_id, Publication.platform == YOUTUBE
                )
            ).first()
            if publication is not None:
                publication.thumbnail_key = store_key
        return


def youtube_playlist_id(
    catalog: Catalog, youtube: Any, slug: str, keys: languages.LanguageKeys | None = None
) -> str:
    """The playlist's id on the channel, created (in manual order) when missing; its names
    in languages YouTube has no key for are left out, as a video's are (`languages`)."""
    with catalog.session() as session:
        playlist = session.scalars(select(Playlist).where(Playlist.slug == slug)).one()
        known = playlist.remote_id(YOUTUBE)
        if known:
            return known
        names, descriptions = dict(playlist.names), dict(playlist.descriptions)
        privacy = playlist.privacy.value
    keys = keys or languages.language_keys(catalog, {})
    language = "ar" if "ar" in names else next(iter(names))
    found = _find_playlist(catalog, youtube, names[language])
    if found is not None:  # made by a run that died before recording it
        return _record_playlist(catalog, slug, found)
    body = {
        "snippet": {
            "title": names[language],
            "description": descriptions.get(language, ""),
            "defaultLanguage": language,
        },
        "status": {"privacyStatus": privacy},
        "localizations": {
            key: {"title": name, "description": descriptions.get(lang, "")}
            for lang, name in names.items()
            if lang != language and (key := keys.key(lang)) is not None and key != language
        },
    }

    def send() -> str:
        with quota.spending(catalog, "playlists.insert"):
            created = youtube.playlists().insert(part=",".join(body), body=body).execute()
        return str(created["id"])

    try:
        made = insert_once(
            send, lambda: _find_playlist(catalog, youtube, names[language]),
            f"creating playlist {slug}",
        )  # fmt: skip
    except HttpError as exc:
        raise translate(exc, f"creating playlist {slug}") from exc
    return _record_playlist(catalog, slug, made)


def _record_playlist(catalog: Catalog, slug: str, youtube_id: str) -> str:
    with catalog.session() as session:
        playlist = session.scalars(select(Playlist).where(Playlist.slug == slug)).one()
        playlist.set_remote_id(YOUTUBE, youtube_id)
    return youtube_id


def _find_playlist(catalog: Catalog, youtube: Any, title: str) -> str | None:
    """The channel's playlist with this title, read 50 per call."""
    for item in ChannelReader(catalog, youtube).playlists():
        if item.get("snippet", {}).get("title") == title:
            return str(item["id"])
    return None


def _find_item(catalog: Catalog, youtube: Any, playlist_id: str, video_id: str) -> str | None:
    for item in ChannelReader(catalog, youtube).playlist_items(playlist_id):
        if item.get("snippet", {}).get("resourceId", {}).get("videoId") == video_id:
            return str(item["id"])
    return None


def add_to_playlist(
    catalog: Catalog,
    youtube: Any,
    slug: str,
    asset_id: int,
    video_id: str,
    keys: languages.LanguageKeys | None = None,
) -> None:
    """Insert the video in the playlist once, at its episode's place when ordered by episode.

    The playlist is listed (1 unit per 50 items) only when an earlier insert was sent and
    its answer never recorded: it may have landed."""
    playlist_id = youtube_playlist_id(catalog, youtube, slug, keys)
    with catalog.session() as session:
        playlist = session.scalars(select(Playlist).where(Playlist.slug == slug)).one()
        item = session.get(PlaylistItem, (playlist.id, asset_id))
        if item is not None and item.remote_item_id:
            return
        sent_before = item is not None and item.insert_sent_at is not None
        position = _position(session, playlist, asset_id)
    if sent_before:
        existing = _find_item(catalog, youtube, playlist_id, video_id)
        if existing is not None:  # inserted by a run that died before recording it
            _record_item(catalog, slug, asset_id, existing)
            return
    _mark_sent(catalog, slug, asset_id)
    snippet: dict[str, Any] = {
        "playlistId": playlist_id,
        "resourceId": {"kind": "youtube#video", "videoId": video_id},
    }
    if position is not None:
        snippet["position"] = position

    def send() -> str:
        with quota.spending(catalog, "playlistItems.insert"):
            inserted = (
                youtube.playlistItems().insert(part="snippet", body={"snippet": snippet}).execute()
            )
        return str(inserted["id"])

    try:
        item_id = insert_once(
            send, lambda: _find_item(catalog, youtube, playlist_id, video_id),
            f"adding asset {asset_id} to playlist {slug}",
        )  # fmt: skip
    except HttpError as exc:  # the mark stays: the last attempt may have landed
        raise translate(exc, f"adding asset {asset_id} to playlist {slug}") from exc
    _record_item(catalog, slug, asset_id, item_id)


def _mark_sent(catalog: Catalog, slug: str, asset_id: int) -> None:
    """Committed before playlistItems.insert is sent: a rerun then knows to look for it."""
    with catalog.session() as session:
        _item(session, slug, asset_id).insert_sent_at = datetime.now(UTC)


def _record_item(catalog: Catalog, slug: str, asset_id: int, item_id: str) -> None:
    with catalog.session() as session:
        item = _item(session, slug, asset_id)
        item.remote_item_id = item_id
        item.insert_sent_at = None


def _item(session: Any, slug: str, asset_id: int) -> PlaylistItem:
    playlist = session.scalars(select(Playlist).where(Playlist.slug == slug)).one()
    item: PlaylistItem | None = session.get(PlaylistItem, (playlist.id, asset_id))
    if item is None:
        item = PlaylistItem(playlist_id=playlist.id, asset_id=asset_id)
        session.add(item)
    return item


def _position(session: Any, playlist: Playlist, asset_id: int) -> int | None:
    """How many published items of an episode-ordered playlist come before this asset."""
    if playlist.order is not PlaylistOrder.EPISODE:
        return None
    asset = session.get(Asset, asset_id)
    if asset is None or asset.episode is None:
        return None
    key = (asset.season or 0, asset.episode)
    earlier = 0
    rows = session.execute(
        select(Asset.season, Asset.episode)
        .join(PlaylistItem, PlaylistItem.asset_id == Asset.id)
        .where(PlaylistItem.playlist_id == playlist.id, PlaylistItem.remote_item_id.is_not(None))
    )
    for season, episode in rows:
        if episode is not None and (season or 0, episode) < key:
            earlier += 1
    return earlier


def captions_beside(media: Path) -> list[tuple[str, Path]]:
    """Caption files named after the media file: `clip.ar.srt`, `clip.fr.vtt`."""
    found = []
    for path in sorted(media.parent.glob(f"{media.stem}.*")):
        parts = path.name[len(media.stem) :].split(".")
        if len(parts) == 3 and parts[2].lower() in ("srt", "vtt") and path.is_file():
            found.append((parts[1], path))
    return found


def upload_caption(
    catalog: Catalog, youtube: Any, asset_id: int, video_id: str, lang: str, path: Path,
    store_key: str,
) -> None:  # fmt: skip
    """captions.insert once per language (it needs the youtube.force-ssl scope), even after
    a crash that lost its answer: the send is marked in the catalog before it starts."""
    with catalog.session() as session:
        caption = session.scalars(
            select(Caption).where(Caption.asset_id == asset_id, Caption.lang == lang)
        ).first() or Caption(asset_id=asset_id, lang=lang)
        if caption.remote_id:
            return
        sent_before = caption.sending_since is not None
        caption.format = path.suffix.lower().lstrip(".")
        caption.store_key = store_key
        caption.sending_since = caption.sending_since or utcnow()
        session.add(caption)
    body = {"snippet": {"videoId": video_id, "language": lang, "name": lang, "isDraft": False}}
    what = f"uploading the {lang} captions of asset {asset_id}"

    def send() -> str:
        with quota.spending(catalog, "captions.insert"):
            created = youtube.captions().insert(
                part="snippet", body=body,
                media_body=MediaFileUpload(str(path), mimetype="application/octet-stream"),
            ).execute()  # fmt: skip
        return str(created["id"])

    def find() -> str | None:
        return _find_caption(catalog, youtube, video_id, lang)

    try:
        remote_id = find() if sent_before else None
        if remote_id is not None:
            log.info("%s: made by a run that stopped before noting it; not sent again", what)
        else:
            remote_id = insert_once(send, find, what)
    except HttpError as exc:
        raise translate(exc, what) from exc
    with catalog.session() as session:
        caption = session.scalars(
            select(Caption).where(Caption.asset_id == asset_id, Caption.lang == lang)
        ).one()
        caption.remote_id = remote_id


def _find_caption(catalog: Catalog, youtube: Any, video_id: str, lang: str) -> str | None:
    """The video's caption track in `lang` named as media-hub names it (50 units)."""
    with quota.spending(catalog, "captions.list"):
        listed = youtube.captions().list(part="snippet", videoId=video_id).execute()
    for track in listed.get("items", []):
        snippet = track.get("snippet", {})
        if snippet.get("language") == lang and snippet.get("name") == lang:
            return str(track["id"])
    return None

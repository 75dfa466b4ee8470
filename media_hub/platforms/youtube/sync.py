"""`publish --plan/--apply`: bring the channel in line with the catalog, changing only what
differs, in a stable order, within the day's quota.

The channel is read 50 items per call (videos.list by id, playlistItems.list per page). What
media-hub manages is compared: the texts (snippet and localizations), the licence, embedding
and made-for-kids flags, the thumbnail, and playlist membership and order. Privacy and the
publication schedule are left as the channel has them: people change those in YouTube Studio.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from googleapiclient.errors import HttpError
from googleapiclient.http import MediaFileUpload
from sqlalchemy import select

from media_hub import progress
from media_hub.catalog.models import Asset, Playlist, PlaylistItem
from media_hub.catalog.pipeline_models import Publication, Thumbnail
from media_hub.catalog.query import asset_records_by_id
from media_hub.catalog.records import AssetRecord
from media_hub.catalog.vocabulary import AssetKind, PlaylistOrder
from media_hub.errors import ValidationError
from media_hub.platforms.diff import field_changes
from media_hub.platforms.publisher import UploadOptions
from media_hub.platforms.youtube import YOUTUBE, clock, quota
from media_hub.platforms.youtube.errors import translate
from media_hub.platforms.youtube.publisher import YouTubeUpload
from media_hub.platforms.youtube.reading import ChannelReader

MANAGED_STATUS = ("license", "embeddable", "selfDeclaredMadeForKids")


@dataclass(frozen=True)
class SyncCall:
    method: str
    target: str
    detail: str
    run: Callable[[], None]
    changes: tuple[str, ...] = ()  # `field: old → new` on the channel

    @property
    def units(self) -> int:
        return quota.cost(self.method)


@dataclass(frozen=True)
class SyncPlan:
    calls: list[SyncCall]
    reads: int  # list calls spent reading the channel
    skipped: list[str] = field(default_factory=list)  # videos not synced, and why

    @property
    def units(self) -> int:
        return sum(call.units for call in self.calls)


@dataclass(frozen=True)
class SyncResult:
    done: list[SyncCall]
    left: list[SyncCall]


def plan_sync(job: YouTubeUpload) -> SyncPlan:
    reader = ChannelReader(job.catalog, job.youtube)
    calls: list[SyncCall] = []
    published = _published(job)
    remote = {v["id"]: v for v in reader.videos([video_id for _, video_id, _ in published])}
    with job.catalog.session() as session:
        records = asset_records_by_id(session, [asset_id for asset_id, _, _ in published])
        branded = _branded_keys(session)
    skipped: list[str] = []
    for asset_id, video_id, thumbnail_key in published:
        try:
            calls += _video_calls(
                job, records[asset_id], video_id, remote.get(video_id), thumbnail_key,
                branded.get(asset_id),
            )  # fmt: skip
        except ValidationError as exc:  # e.g. an adopted video with no series yet
            skipped.append(f"not synced: {exc}")
    for slug in _video_playlists(job):
        calls += _playlist_calls(job, reader, slug)
    return SyncPlan(calls, reader.reads, skipped)


def apply_sync(job: YouTubeUpload, plan: SyncPlan) -> SyncResult:
    """Run the calls in order while the day's quota lasts; the rest waits for a rerun."""
    done: list[SyncCall] = []
    limit = quota.limits(job.hub.settings)[quota.DEFAULT_BUCKET]
    with progress.step("applying the changes on YouTube", len(plan.calls)) as current:
        for index, call in enumerate(plan.calls):
            with job.catalog.session() as session:
                day = clock.pacific_day(datetime.now(UTC))
                left = quota.left(session, quota.DEFAULT_BUCKET, day, limit)
            if call.units > left:
                return SyncResult(done, plan.calls[index:])
            call.run()
            done.append(call)
            current.advance()
    return SyncResult(done, [])


def _published(job: YouTubeUpload) -> list[tuple[int, str, str | None]]:
    with job.catalog.session() as session:
        rows = session.execute(
            select(Publication.asset_id, Publication.remote_id, Publication.thumbnail_key)
            .where(Publication.platform == YOUTUBE, Publication.remote_id.is_not(None))
            .order_by(Publication.asset_id)
        )
        return [(asset_id, str(video_id), key) for asset_id, video_id, key in rows]


def _branded_keys(session: Any) -> dict[int, str]:
    rows = session.execute(
        select(Thumbnail.asset_id, Thumbnail.store_key).where(Thumbnail.role == "branded")
    )
    return {int(asset_id): str(key) for asset_id, key in rows}


def _video_calls(
    job: YouTubeUpload,
    record: AssetRecord,
    video_id: str,
    actual: dict[str, Any] | None,
    thumbnail_key: str | None,
    key: str | None,
) -> list[SyncCall]:
    if actual is None:
        return []  # deleted on the channel: not media-hub's to bring back unasked
    asset_id = int(record["id"])
    desired = job.metadata(asset_id, UploadOptions(), record)
    snippet = {**actual.get("snippet", {}), **desired["snippet"]}
    status = {**actual.get("status", {})}
    status.update(
        {key: desired["status"][key] for key in MANAGED_STATUS if key in desired["status"]}
    )
    localizations = desired.get("localizations", {})
    changed = [
        name
        for name, want, have in (
            (
                "snippet",
                _comparable(desired["snippet"], desired["snippet"]),
                _comparable(actual.get("snippet", {}), desired["snippet"]),
            ),
            ("status", status, actual.get("status", {})),
            ("localizations", localizations, actual.get("localizations", {})),
        )
        if _differs(want, have)
    ]
    calls = []
    if changed:
        body = {"id": video_id, "snippet": _writable(snippet), "status": status,
                "localizations": localizations}  # fmt: skip

        def update() -> None:
            _write(job, "videos.update", lambda: job.youtube.videos().update(
                part="snippet,status,localizations", body=body))  # fmt: skip

        fields = field_changes(
            {"snippet": _comparable(desired["snippet"], desired["snippet"]),
             "status": {k: status.get(k) for k in MANAGED_STATUS if k in desired["status"]},
             "localizations": localizations},
            {"snippet": _comparable(actual.get("snippet", {}), desired["snippet"]),
             "status": {k: actual.get("status", {}).get(k) for k in MANAGED_STATUS
                        if k in desired["status"]},
             "localizations": actual.get("localizations", {})},
        )  # fmt: skip
        calls.append(
            SyncCall("videos.update", f"asset {asset_id}", ", ".join(changed), update,
                     tuple(fields))
        )  # fmt: skip
    if key is not None and key != thumbnail_key:

        def thumbnail() -> None:
            with job.hub.store.local_path(key) as jpeg:
                media = MediaFileUpload(str(jpeg), mimetype="image/jpeg")
                _write(
                    job, "thumbnails.set",
                    lambda: job.youtube.thumbnails().set(videoId=video_id, media_body=media),
                )  # fmt: skip
            with job.catalog.session() as session:
                publication = session.scalars(
                    select(Publication).where(Publication.remote_id == video_id)
                ).one()
                publication.thumbnail_key = key

        calls.append(SyncCall("thumbnails.set", f"asset {asset_id}", "new thumbnail", thumbnail))
    return calls


def _comparable(snippet: dict[str, Any], desired: dict[str, Any]) -> dict[str, Any]:
    """The managed fields the catalog has a value for (tags of texts kept as published and
    a category the template leaves out are the channel's to keep)."""
    keys = ("title", "description", "tags", "categoryId", "defaultLanguage")
    return {key: snippet.get(key) for key in keys if key in desired}


def _writable(snippet: dict[str, Any]) -> dict[str, Any]:
    keys = ("title", "description", "tags", "categoryId", "defaultLanguage",
            "defaultAudioLanguage")  # fmt: skip
    return {key: snippet[key] for key in keys if key in snippet}


def _differs(want: Any, have: Any) -> bool:
    return bool(want != have)


def _video_playlists(job: YouTubeUpload) -> list[str]:
    with job.catalog.session() as session:
        return list(
            session.scalars(
                select(Playlist.slug)
                .where(Playlist.kind == AssetKind.VIDEO)
                .order_by(Playlist.slug)
            )
        )


def _desired_members(job: YouTubeUpload, slug: str) -> list[str]:
    with job.catalog.session() as session:
        playlist = session.scalars(select(Playlist).where(Playlist.slug == slug)).one()
        rows = session.execute(
            select(Publication.remote_id, Asset.season, Asset.episode, Asset.recorded_date,
                   PlaylistItem.position, Asset.id)
            .join(PlaylistItem, PlaylistItem.asset_id == Asset.id)
            .join(Publication, Publication.asset_id == Asset.id)
            .where(PlaylistItem.playlist_id == playlist.id,
                   Publication.platform == YOUTUBE,
                   Publication.remote_id.is_not(None))
        ).all()  # fmt: skip
        order = playlist.order
    rows = list(rows)
    if order is PlaylistOrder.EPISODE:
        rows.sort(key=lambda r: (r.season or 0, r.episode or 0, r.id))
    elif order is PlaylistOrder.RECORDED:
        rows.sort(key=lambda r: (r.recorded_date is None, r.recorded_date, r.id))
    else:
        rows.sort(key=lambda r: (r.position, r.id))
    return [str(row.remote_id) for row in rows]


def _playlist_calls(job: YouTubeUpload, reader: ChannelReader, slug: str) -> list[SyncCall]:
    desired = _desired_members(job, slug)
    with job.catalog.session() as session:
        playlist_id = (
            session.scalars(select(Playlist).where(Playlist.slug == slug)).one().remote_id(YOUTUBE)
        )
    if not desired and playlist_id is None:
        return []
    if playlist_id is None:
        return [_insert_call(job, slug, video_id, None) for video_id in desired]
    ours = set(_all_published_ids(job))
    items = sorted(
        reader.playlist_items(playlist_id), key=lambda item: item["snippet"].get("position", 0)
    )
    calls: list[SyncCall] = []
    current: list[str] = []
    for item in items:
        video_id = item["snippet"]["resourceId"]["videoId"]
        if video_id in ours and video_id not in desired:
            calls.append(_delete_call(job, slug, item["id"], video_id))
        else:
            current.append(video_id)
    for index, video_id in enumerate(desired):
        if video_id not in current:
            position = _insert_position(current, desired, index)
            current.insert(position, video_id)
            calls.append(_insert_call(job, slug, video_id, position))
    by_video = {item["snippet"]["resourceId"]["videoId"]: item["id"] for item in items}
    for index, video_id in enumerate(desired):
        have = [v for v in current if v in desired]
        if have.index(video_id) != index and video_id in by_video:
            target = current.index(have[index])
            current.remove(video_id)
            current.insert(target, video_id)
            calls.append(_move_call(job, slug, by_video[video_id], playlist_id, video_id, target))
    return calls


def _insert_position(current: list[str], desired: list[str], index: int) -> int:
    """Right after the nearest earlier desired video already in the playlist."""
    for earlier in reversed(desired[:index]):
        if earlier in current:
            return current.index(earlier) + 1
    return 0


def _insert_call(job: YouTubeUpload, slug: str, video_id: str, position: int | None) -> SyncCall:
    def insert() -> None:
        asset_id = _asset_of(job, video_id)
        from media_hub.platforms.youtube import channel

        channel.add_to_playlist(job.catalog, job.youtube, slug, asset_id, video_id)

    where = "" if position is None else f" at {position}"
    return SyncCall("playlistItems.insert", f"playlist {slug}", f"add {video_id}{where}", insert)


def _delete_call(job: YouTubeUpload, slug: str, item_id: str, video_id: str) -> SyncCall:
    def delete() -> None:
        _write(job, "playlistItems.delete", lambda: job.youtube.playlistItems().delete(id=item_id))

    return SyncCall("playlistItems.delete", f"playlist {slug}", f"remove {video_id}", delete)


def _move_call(
    job: YouTubeUpload, slug: str, item_id: str, playlist_id: str, video_id: str, position: int
) -> SyncCall:
    body = {"id": item_id, "snippet": {"playlistId": playlist_id, "position": position,
            "resourceId": {"kind": "youtube#video", "videoId": video_id}}}  # fmt: skip

    def move() -> None:
        _write(job, "playlistItems.update", lambda: job.youtube.playlistItems().update(
            part="snippet", body=body))  # fmt: skip

    return SyncCall(
        "playlistItems.update", f"playlist {slug}", f"move {video_id} to {position}", move
    )


def _all_published_ids(job: YouTubeUpload) -> Iterator[str]:
    for _, video_id, _ in _published(job):
        yield video_id


def _asset_of(job: YouTubeUpload, video_id: str) -> int:
    with job.catalog.session() as session:
        asset_id: int = session.scalars(
            select(Publication.asset_id).where(Publication.remote_id == video_id)
        ).one()
    return asset_id


def _write(job: YouTubeUpload, method: str, build: Callable[[], Any]) -> None:
    try:
        with quota.spending(job.catalog, method):
            build().execute(num_retries=5)
    except HttpError as exc:
        raise translate(exc, method) from exc

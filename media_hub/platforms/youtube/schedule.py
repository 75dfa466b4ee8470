"""A scheduled video's time changed or taken off: `videos.update` of `status.publishAt`.

videos.update replaces every mutable property of each part sent, so the status is read
first (videos.list, 1 unit), only publishAt is changed, and the status part alone is
written back (50 units): the texts, thumbnail and playlists are not touched.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from googleapiclient.errors import HttpError

from media_hub.catalog.db import Catalog
from media_hub.errors import ValidationError
from media_hub.platforms.youtube import quota
from media_hub.platforms.youtube.errors import translate
from media_hub.platforms.youtube.metadata import rfc3339

RETRIES = 5
WRITABLE = ("privacyStatus", "embeddable", "license", "publicStatsViewable",
            "selfDeclaredMadeForKids", "containsSyntheticMedia")  # fmt: skip


def set_publish_at(catalog: Catalog, youtube: Any, video_id: str, at: datetime | None) -> None:
    """The video's status.publishAt set to `at` (private until then), or removed (`None`:
    it stays private, unscheduled)."""
    try:
        with quota.spending(catalog, "videos.list"):
            found = youtube.videos().list(part="status", id=video_id).execute(num_retries=RETRIES)
    except HttpError as exc:
        raise translate(exc, f"reading video {video_id}") from exc
    items = found.get("items") or []
    if not items:
        raise ValidationError(
            "video", "it is no longer on the channel; unschedule it", record=f"video {video_id}"
        )
    status = dict(items[0].get("status") or {})
    if status.get("privacyStatus") != "private" or (
        status.get("publishAt") is None and at is not None
    ):
        raise ValidationError(
            "status", f"the video is {status.get('privacyStatus')} without a schedule on "
            "YouTube (someone published it?); it cannot be moved",
            record=f"video {video_id}",
        )  # fmt: skip
    if "selfDeclaredMadeForKids" not in status and "madeForKids" in status:
        status["selfDeclaredMadeForKids"] = status["madeForKids"]  # not reset by the write
    status = {key: value for key, value in status.items() if key in WRITABLE}
    if at is not None:
        status["publishAt"] = rfc3339(at)
    try:
        with quota.spending(catalog, "videos.update"):
            youtube.videos().update(part="status", body={"id": video_id, "status": status}).execute(
                num_retries=RETRIES
            )
    except HttpError as exc:
        raise translate(exc, f"rescheduling video {video_id}") from exc


def read_privacy(catalog: Catalog, youtube: Any, video_ids: list[str]) -> dict[str, str]:
    """Each video's privacy on the channel now (50 ids a call, 1 unit each)."""
    found: dict[str, str] = {}
    for start in range(0, len(video_ids), 50):
        chunk = video_ids[start : start + 50]
        try:
            with quota.spending(catalog, "videos.list"):
                answer = (
                    youtube.videos()
                    .list(part="status", id=",".join(chunk))
                    .execute(num_retries=RETRIES)
                )
        except HttpError as exc:
            raise translate(exc, "reading the scheduled videos' privacy") from exc
        for item in answer.get("items") or []:
            found[str(item["id"])] = str((item.get("status") or {}).get("privacyStatus"))
    return found

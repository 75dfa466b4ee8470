"""A scheduled Page video moved, taken off its schedule, made public, or read: the calendar's
calls on the Video node.

What Meta documents (Page videos edge and Video reference, read 2026-12): a video posted with
`published=false` and `scheduled_publish_time` (a UNIX time) stays unpublished until then; the
Video node takes `POST /{video-id}` with `scheduled_publish_time` and `published`, and shows
`published` when read. Meta's window for a scheduled time is given for Page posts (10 minutes
to 6 months, since 2012); for videos no page states it, and tools built on the Video API keep to
30 days, as `facebook.schedule_max_days` does by default. Taking a video off its schedule sends
`published=false` without a time: it stays unpublished, as the calendar's `unschedule` wants
(Meta documents no other way short of deleting the video).

Every write sets a state, so sending it twice changes nothing: retried like a read.
"""

from __future__ import annotations

from datetime import UTC, datetime

from media_hub.errors import ValidationError
from media_hub.platforms.facebook.client import GraphClient
from media_hub.platforms.facebook.errors import INVALID_PARAMETER, GraphError, translate
from media_hub.platforms.facebook.metadata import check_schedule
from media_hub.platforms.facebook.settings import FacebookSettings

MISSING_SUBCODE = 33  # "Object with ID ... does not exist"


def set_schedule(
    client: GraphClient,
    limits: FacebookSettings,
    video_id: str,
    at: datetime | None,
    now: datetime | None = None,
) -> None:
    """The unpublished video's time set to `at` (checked against the window before any
    call), or taken off (`None`: it stays unpublished, with no time)."""
    record = f"video {video_id}"
    if at is not None:
        check_schedule(at, limits, now or datetime.now(UTC), record=record)
    if _published(client, video_id):
        raise ValidationError(
            "published", "it is already public on the Page (published early in Meta Business "
            "Suite?); it cannot be moved or unscheduled", record=record,
        )  # fmt: skip
    params = {"published": "false"}
    if at is not None:
        params["scheduled_publish_time"] = str(int(at.timestamp()))
    doing = f"rescheduling video {video_id}" if at else f"unscheduling video {video_id}"
    try:
        client.post(video_id, params, doing=doing, idempotent=True)
    except GraphError as error:
        raise translate(error, doing) from error


def publish_now(client: GraphClient, video_id: str) -> None:
    """The unpublished video made public now (the calendar's slot, without a schedule)."""
    doing = f"publishing video {video_id}"
    try:
        client.post(video_id, {"published": "true"}, doing=doing, idempotent=True)
    except GraphError as error:
        raise translate(error, doing) from error


def read_privacy(client: GraphClient, video_ids: list[str]) -> dict[str, str]:
    """Each video's privacy on the Page now: public once published (a scheduled one turns
    public when Meta's clock passes its time), else private; a video gone from the Page is
    left out."""
    found: dict[str, str] = {}
    for video_id in video_ids:
        try:
            published = _published(client, video_id)
        except ValidationError:
            continue
        found[video_id] = "public" if published else "private"
    return found


def _published(client: GraphClient, video_id: str) -> bool:
    doing = f"reading video {video_id}"
    try:
        video = client.get(video_id, {"fields": "id,published"}, doing=doing)
    except GraphError as error:
        if error.code == INVALID_PARAMETER and error.subcode == MISSING_SUBCODE:
            raise ValidationError(
                "video", "it is no longer on the Page; unschedule it", record=f"video {video_id}"
            ) from error
        raise translate(error, doing) from error
    return bool(video.get("published")) if isinstance(video, dict) else False

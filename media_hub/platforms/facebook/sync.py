"""`publish --plan/--apply` for the Page: edit a video where its title or description on
Facebook differs from what the series' template renders now.

The Page's videos are read 100 per call (`GET /{page-id}/videos`); one `POST /{video-id}` per
video that differs, with `name` (the video's title, as the Video node's update takes it) and
`description`. A video deleted on Facebook is reported, not re-sent. A rate limit stops the
edits; a rerun continues with those left.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from media_hub import fence
from media_hub.catalog.pipeline_models import Publication
from media_hub.catalog.query import asset_records_by_id
from media_hub.catalog.vocabulary import PublicationState
from media_hub.errors import ValidationError
from media_hub.platforms.diff import field_changes
from media_hub.platforms.facebook import FACEBOOK
from media_hub.platforms.facebook.client import PAGE_LIMIT
from media_hub.platforms.facebook.errors import GraphError, translate
from media_hub.platforms.facebook.publisher import FacebookUpload
from media_hub.platforms.publisher import UploadOptions
from media_hub.platforms.remote_edits import EditPlan, RemoteEdit


def plan_page_sync(job: FacebookUpload) -> EditPlan:
    published = _published(job)
    if not published:
        return EditPlan([], 0)
    doing = "reading the Page's videos"
    try:
        remote = {
            str(video["id"]): video
            for video in job.client.pages(
                f"{job.client.page_id}/videos", {"fields": "id,title,description"}, doing=doing
            )
        }
    except GraphError as error:
        raise translate(error, doing) from error
    reads = max(1, -(-len(remote) // PAGE_LIMIT))
    with job.catalog.session() as session:
        records = asset_records_by_id(session, [asset_id for asset_id, _ in published])
    calls: list[RemoteEdit] = []
    missing: list[str] = []
    for asset_id, video_id in published:
        have = remote.get(video_id)
        if have is None:
            missing.append(f"asset {asset_id}: video {video_id} is gone from the Page")
            continue
        try:
            texts = job.texts(asset_id, UploadOptions(), records[asset_id])
        except ValidationError as exc:
            missing.append(f"not synced: {exc}")
            continue
        want = {"title": texts.title, "description": texts.description}
        old = {"title": (have.get("title") or "").strip(),
               "description": (have.get("description") or "").strip()}  # fmt: skip
        changed = [name for name in want if want[name] != old[name]]
        if changed:
            target = f"asset {asset_id} (video {video_id})"
            calls.append(
                RemoteEdit(
                    "POST /{video-id}", target, ", ".join(changed),
                    _edit(job, video_id, want), changes=tuple(field_changes(want, old)),
                )
            )  # fmt: skip
    return EditPlan(calls, reads, missing)


def _edit(job: FacebookUpload, video_id: str, texts: dict[str, str]) -> Callable[[], None]:
    def edit() -> None:
        fence.confirm(f"editing Facebook video {video_id}")
        doing = f"editing video {video_id}"
        params = {"name": texts["title"], "description": texts["description"]}
        try:  # setting the same texts twice changes nothing: retried like a read
            job.client.post(video_id, params, doing=doing, idempotent=True)
        except GraphError as error:
            raise translate(error, doing) from error

    return edit


def _published(job: FacebookUpload) -> list[tuple[int, str]]:
    with job.catalog.session() as session:
        rows = session.execute(
            select(Publication.asset_id, Publication.remote_id)
            .where(
                Publication.platform == FACEBOOK,
                Publication.state == PublicationState.DONE,
                Publication.remote_id.is_not(None),
            )
            .order_by(Publication.asset_id)
        )
        return [(asset_id, str(remote_id)) for asset_id, remote_id in rows]

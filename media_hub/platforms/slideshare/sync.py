"""`publish --plan/--apply` for decks: edit_slideshow where SlideShare's title, description or
tags differ from what the series' template renders now.

The account is read 100 slideshows per call (get_slideshows_by_user, detailed for the tags);
one edit per deck that differs. A slideshow deleted on SlideShare is reported, not re-sent:
`upload` does that, deliberately.
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
from media_hub.platforms.publisher import UploadOptions
from media_hub.platforms.remote_edits import EditPlan, RemoteEdit
from media_hub.platforms.slideshare import SLIDESHARE
from media_hub.platforms.slideshare.client import PAGE_SIZE, Slideshow
from media_hub.platforms.slideshare.publisher import SlideShareUpload

TEXT_FIELDS = ("slideshow_title", "slideshow_description", "slideshow_tags")


def plan_deck_sync(job: SlideShareUpload) -> EditPlan:
    published = _published(job)
    if not published:
        return EditPlan([], 0)
    remote = {slideshow.id: slideshow for slideshow in job.client.slideshows(detailed=True)}
    reads = max(1, -(-len(remote) // PAGE_SIZE))
    with job.catalog.session() as session:
        records = asset_records_by_id(session, [asset_id for asset_id, _ in published])
    calls: list[RemoteEdit] = []
    missing: list[str] = []
    for asset_id, slideshow_id in published:
        have = remote.get(slideshow_id)
        if have is None:
            missing.append(
                f"asset {asset_id}: slideshow {slideshow_id} is gone from SlideShare; "
                "'media-hub upload' sends it again"
            )
            continue
        try:
            want = job.fields(asset_id, UploadOptions(), records[asset_id])
        except ValidationError as exc:  # e.g. an adopted deck with no series yet
            missing.append(f"not synced: {exc}")
            continue
        changed = _changed(want, have)
        if changed:
            texts = {name: want[name] for name in TEXT_FIELDS if name in want}
            target = f"asset {asset_id} (slideshow {slideshow_id})"
            edit = _edit(job, slideshow_id, texts)
            have_texts = {"slideshow_title": have.title, "slideshow_description": have.description,
                          "slideshow_tags": ",".join(have.tags)}  # fmt: skip
            fields = field_changes(
                {k: v for k, v in texts.items() if k != "slideshow_tags" or "tags" in changed},
                {k: v for k, v in have_texts.items() if k in texts},
            )
            calls.append(
                RemoteEdit(
                    "edit_slideshow", target, ", ".join(changed), edit, changes=tuple(fields)
                )
            )
    return EditPlan(calls, reads, missing)


def _changed(want: dict[str, str], have: Slideshow) -> list[str]:
    changed = []
    if want["slideshow_title"].strip() != have.title.strip():
        changed.append("title")
    if want["slideshow_description"].strip() != have.description.strip():
        changed.append("description")
    if "slideshow_tags" not in want:  # texts kept as published: the tags are the account's
        return changed
    wanted_tags = {tag.strip().casefold() for tag in want["slideshow_tags"].split(",") if tag}
    if wanted_tags != {tag.strip().casefold() for tag in have.tags}:
        changed.append("tags")
    return changed


def _edit(job: SlideShareUpload, slideshow_id: str, texts: dict[str, str]) -> Callable[[], None]:
    def edit() -> None:
        fence.confirm(f"editing slideshow {slideshow_id}")
        job.client.edit_slideshow(slideshow_id, texts)

    return edit


def _published(job: SlideShareUpload) -> list[tuple[int, str]]:
    with job.catalog.session() as session:
        rows = session.execute(
            select(Publication.asset_id, Publication.remote_id)
            .where(
                Publication.platform == SLIDESHARE,
                Publication.state.in_((PublicationState.CONVERTING, PublicationState.DONE)),
                Publication.remote_id.is_not(None),
            )
            .order_by(Publication.asset_id)
        )
        return [(asset_id, str(remote_id)) for asset_id, remote_id in rows]

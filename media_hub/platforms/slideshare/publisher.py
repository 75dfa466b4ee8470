"""`upload` for decks: ingest, metadata from the series' template, upload to SlideShare, wait
for its conversion.

Never twice: the publication is recorded as "sending" before the upload call, so a rerun
after a crash looks for the slideshow in the account's list (same title and description, not
claimed by another asset) before sending again. The same look comes before the client retries
an upload whose answer was lost (a 5xx or a dropped connection). Refusals (bad file, limits,
credentials) put it back to "pending". A deck SlideShare failed to convert is deleted there and
sent again by the rerun.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from media_hub import fence
from media_hub.catalog.models import Asset
from media_hub.catalog.pipeline_models import Publication
from media_hub.catalog.records import AssetRecord
from media_hub.catalog.vocabulary import AssetKind, PublicationState
from media_hub.errors import MediaError, ValidationError
from media_hub.platforms.publisher import (
    PlannedCall,
    Published,
    Publisher,
    UploadOptions,
    UploadPlan,
    mark_published,
)
from media_hub.platforms.slideshare import SLIDESHARE
from media_hub.platforms.slideshare.client import ConversionStatus, SlideShareClient, Slideshow
from media_hub.platforms.slideshare.conversion import wait_for_conversion
from media_hub.platforms.slideshare.errors import NOT_FOUND_CODE, SlideShareServiceError
from media_hub.platforms.slideshare.metadata import DeckMetadata, render_deck_metadata
from media_hub.platforms.slideshare.settings import slideshare_settings

BUCKET = "slideshare"  # SlideShare counts calls a day per account, not units
PRESIGNED_URL_SECONDS = 3600


class SlideShareUpload(Publisher[SlideShareClient]):
    """The steps of one hub's deck uploads."""

    platform = SLIDESHARE

    def plan_asset(
        self, asset_id: int, options: UploadOptions, file: Path | None = None
    ) -> UploadPlan:
        fields = self.fields(asset_id, options)
        state = self._publication(asset_id).get("state")
        calls = [] if state == PublicationState.DONE else self._calls(state)
        done = state == PublicationState.DONE
        return UploadPlan(file or Path(f"asset-{asset_id}"), asset_id, done, fields, calls)

    def publish_asset(
        self,
        asset_id: int,
        options: UploadOptions,
        *,
        on_step: Callable[[str], None] | None = None,
        on_bytes: Callable[[int, int], None] | None = None,
        on_transcode: Callable[[float], None] | None = None,
        file: Path | None = None,
    ) -> Published:
        """Upload and conversion, from the catalog and the store alone (any worker can)."""
        step = on_step or (lambda _label: None)
        fields = self.fields(asset_id, options)
        path = file or Path(self.source(asset_id)[1])
        publication = self._publication(asset_id)
        uploaded_now = False
        if publication.get("state") == PublicationState.FAILED:
            step("delete failed conversion")
            self._discard_failed(asset_id, publication["remote_id"])
            publication = {}
        if publication.get("state") == PublicationState.SENDING:
            step("look for an upload lost in a crash")
            found = self._find_sent(asset_id, fields)
            if found is not None:
                self._record(
                    asset_id, state=PublicationState.CONVERTING, remote_id=found.id, url=found.url
                )
                publication = self._publication(asset_id)
        if publication.get("state") in (None, PublicationState.PENDING, PublicationState.SENDING):
            step("upload")
            self._send(asset_id, fields, on_bytes)
            uploaded_now = True
            publication = self._publication(asset_id)
        remote_id: str = publication["remote_id"]
        if publication["state"] == PublicationState.CONVERTING:
            step("conversion")
            slideshow = self._wait(remote_id)
            if slideshow.status is ConversionStatus.FAILED:
                self._record(asset_id, state=PublicationState.FAILED)
                raise MediaError(
                    str(path),
                    f"SlideShare could not convert the deck (slideshow {remote_id}); check that "
                    "it opens in a viewer, then rerun: the failed slideshow is deleted and the "
                    "deck sent again",
                )
            if slideshow.status is ConversionStatus.CONVERTED:
                self._record(asset_id, state=PublicationState.DONE, url=slideshow.url or None)
                self._went_live(asset_id)
                mark_published(self.hub, asset_id)
            publication = self._publication(asset_id)
        return Published(
            path, asset_id, SLIDESHARE, remote_id, publication.get("url") or "",
            uploaded_now, finished=publication["state"] == PublicationState.DONE,
        )  # fmt: skip

    # -- metadata ------------------------------------------------------------------------------
    def metadata(self, asset_id: int, asset: AssetRecord | None = None) -> DeckMetadata:
        """The deck's title, description and tags, rendered and checked."""
        asset = asset if asset is not None else self.hub.catalog.show(asset_id)
        if asset["kind"] != AssetKind.DECK.value:
            raise ValidationError("kind", "only decks go to SlideShare", record=f"asset {asset_id}")
        series, template, template_name = self._templates.of(asset)
        return render_deck_metadata(
            asset, series, template, template_name,
            as_published=self.texts_as_published(asset_id),
        )  # fmt: skip

    def fields(
        self, asset_id: int, options: UploadOptions, asset: AssetRecord | None = None
    ) -> dict[str, str]:
        """The upload_slideshow / edit_slideshow parameters: texts, then privacy."""
        asset = asset if asset is not None else self.hub.catalog.show(asset_id)
        fields = self.metadata(asset_id, asset).to_params()
        _, template, _ = self._templates.of(asset)
        privacy = options.privacy or template.privacy.value
        if privacy == "public":
            fields["make_slideshow_private"] = "N"
        else:  # unlisted: private, reachable by its secret URL
            fields["make_slideshow_private"] = "Y"
            fields["generate_secret_url"] = "Y" if privacy == "unlisted" else "N"
            fields["allow_embeds"] = "Y" if template.embeddable else "N"
            fields["share_with_contacts"] = "N"
        return fields

    # -- steps ---------------------------------------------------------------------------------
    def _send(
        self, asset_id: int, fields: dict[str, str], on_bytes: Callable[[int, int], None] | None
    ) -> None:
        key, name = self.source(asset_id)
        upload_fields = {**fields, "make_src_public": "Y"}
        self._record(asset_id, state=PublicationState.SENDING, remote_id=None)

        def landed() -> str | None:  # asked before the client sends again after a lost answer
            found = self._find_sent(asset_id, fields)
            return found.id if found is not None else None

        fence.confirm("uploading the deck to SlideShare")
        try:
            url = self.hub.store.presigned_url(key, PRESIGNED_URL_SECONDS)
            if url is not None:  # S3: SlideShare fetches the deck itself
                slideshow_id = self.client.upload_slideshow(
                    upload_fields, upload_url=url, filename=name, landed=landed
                )
            else:
                with self.hub.store.local_path(key) as path:
                    slideshow_id = self.client.upload_slideshow(
                        upload_fields, file=path, filename=name, progress=on_bytes, landed=landed
                    )
        except SlideShareServiceError:
            self._record(asset_id, state=PublicationState.PENDING)  # refused: nothing was created
            raise
        self._record(
            asset_id, state=PublicationState.CONVERTING, remote_id=slideshow_id,
            privacy=privacy_of(fields),
        )  # fmt: skip

    def _wait(self, slideshow_id: str) -> Slideshow:
        timeout = float(slideshare_settings(self.hub.settings).conversion_wait)
        return wait_for_conversion(self.client, slideshow_id, timeout_s=timeout)

    def _find_sent(self, asset_id: int, fields: dict[str, str]) -> Slideshow | None:
        """The newest slideshow with the deck's texts that no other asset claims."""
        claimed = self._claimed_ids(asset_id)
        title = fields["slideshow_title"].strip()
        description = fields["slideshow_description"].strip()
        found: Slideshow | None = None
        for slideshow in self.client.slideshows(detailed=False):
            if (
                slideshow.id not in claimed
                and slideshow.title.strip() == title
                and slideshow.description.strip() == description
            ):
                found = slideshow  # the list runs oldest first: keep the newest
        return found

    def _discard_failed(self, asset_id: int, slideshow_id: str) -> None:
        fence.confirm("deleting the slideshow SlideShare could not convert")
        try:
            self.client.delete_slideshow(slideshow_id)
        except SlideShareServiceError as exc:
            if exc.code != NOT_FOUND_CODE:
                raise
        self._record(asset_id, state=PublicationState.PENDING, remote_id=None, url=None)

    def _calls(self, state: PublicationState | None) -> list[PlannedCall]:
        calls = []
        if state == PublicationState.FAILED:
            calls.append(PlannedCall("delete_slideshow", 0, BUCKET, "the failed conversion"))
        if state == PublicationState.SENDING:
            calls.append(
                PlannedCall("get_slideshows_by_user", 0, BUCKET, "look for a lost upload (per 100)")
            )
        if state != PublicationState.CONVERTING:
            calls.append(PlannedCall("upload_slideshow", 0, BUCKET, "the deck"))
        calls.append(PlannedCall("get_slideshow", 0, BUCKET, "until converted, with backoff"))
        return calls

    # -- the catalog's record ------------------------------------------------------------------
    def source(self, asset_id: int) -> tuple[str, str]:
        """The deck's store key and the file name to give it (its original name)."""
        with self.catalog.session() as session:
            asset = session.get(Asset, asset_id)
            if asset is None or asset.source_key is None:
                raise ValidationError(
                    "source",
                    "the deck's file is not in the store; ingest it",
                    record=f"asset {asset_id}",
                )
            suffix = Path(asset.source_key).suffix
            name = Path(asset.source_name or f"deck-{asset_id}{suffix}").name
            if Path(name).suffix.lower() != suffix.lower():
                name += suffix
            return asset.source_key, name

    def _publication(self, asset_id: int) -> dict[str, Any]:
        with self.catalog.session() as session:
            row = self._row(session, asset_id)
            if row is None:
                return {}
            return {"state": row.state, "remote_id": row.remote_id, "url": row.url}

    def _record(self, asset_id: int, **values: Any) -> None:
        with self.catalog.session() as session:
            row = self._row(session, asset_id)
            if row is None:
                row = Publication(asset_id=asset_id, platform=SLIDESHARE)
                session.add(row)
            for name, value in values.items():
                setattr(row, name, value)

    def _went_live(self, asset_id: int) -> None:
        """A public deck is live once converted (a private one waits for its slot)."""
        with self.catalog.session() as session:
            row = self._row(session, asset_id)
            if row is not None and row.privacy == "public" and row.live_at is None:
                row.live_at = datetime.now(UTC)

    def _claimed_ids(self, asset_id: int) -> set[str]:
        with self.catalog.session() as session:
            ids = session.scalars(
                select(Publication.remote_id).where(
                    Publication.platform == SLIDESHARE,
                    Publication.asset_id != asset_id,
                    Publication.remote_id.is_not(None),
                )
            )
            return {remote_id for remote_id in ids if remote_id is not None}

    @staticmethod
    def _row(session: Any, asset_id: int) -> Publication | None:
        row: Publication | None = session.scalars(
            select(Publication).where(
                Publication.asset_id == asset_id, Publication.platform == SLIDESHARE
            )
        ).first()
        return row


def privacy_of(fields: Mapping[str, str]) -> str:
    """The privacy that upload_slideshow / edit_slideshow parameters give a deck."""
    if fields.get("make_slideshow_private") != "Y":
        return "public"
    return "unlisted" if fields.get("generate_secret_url") == "Y" else "private"

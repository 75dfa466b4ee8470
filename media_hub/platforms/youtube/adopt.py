"""`adopt youtube`: catalog records for the videos already on the channel, without uploading.

The channel is read 50 items per list call (its uploads playlist, the videos by id, its
playlists and the items of those the catalog knows). A video with no YouTube publication in
the catalog gets an asset (published, its texts from the snippet and localizations), a
publication marked done, and a series: the one whose playlists include a catalog playlist
the video sits in on the channel, else one guessed from its title. Adoption is keyed on the
video id, so a rerun adds only what is new. Every write goes through one catalog session
(audited), rolled back with `dry_run`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from media_hub import progress
from media_hub.catalog import rules
from media_hub.catalog.assets import NewAsset, add_asset
from media_hub.catalog.models import Asset, Playlist, PlaylistItem, Series
from media_hub.catalog.pipeline_models import Publication
from media_hub.catalog.vocabulary import AssetKind, AssetStatus, PublicationState
from media_hub.errors import MediaHubError, ValidationError
from media_hub.hub import Hub
from media_hub.pipeline.series_templates import SeriesTemplate, SeriesTemplates
from media_hub.platforms.adopted_texts import AdoptedTexts, adopted_texts
from media_hub.platforms.base import AdoptReport
from media_hub.platforms.unrender import CatalogTexts, PublishedTexts, unrender
from media_hub.platforms.youtube import YOUTUBE
from media_hub.platforms.youtube.reading import ChannelReader

WATCH_URL = "https://www.youtube.com/watch?v="
# A title containing one of these words (case-insensitive) puts the video in the series,
# when no playlist decided it. Checked in order; the first match wins.
TITLE_PATTERNS: tuple[tuple[str, str], ...] = (
    ("كان كالب على خدمة", "kan-kalab-aala-khadma"),
    ("kan kalab", "kan-kalab-aala-khadma"),
    ("reportage", "reports"),
    ("روبورتاج", "reports"),
)


@dataclass(frozen=True)
class AdoptedVideo:
    video_id: str
    asset_id: int | None  # None in a dry run
    series: str | None
    playlists: list[str]
    title: str
    texts_as_published: bool = False

    @property
    def remote_id(self) -> str:
        return self.video_id


class _ChannelReader(ChannelReader):
    """What adoption reads beyond the shared list calls: the uploads playlist's id."""

    def uploads_playlist(self) -> str:
        page = self.list_page("channels.list", self.youtube.channels(), part="contentDetails",
                         mine=True)  # fmt: skip
        items = page.get("items", [])
        if not items:
            raise ValidationError("channel", "the account has no YouTube channel")
        return str(items[0]["contentDetails"]["relatedPlaylists"]["uploads"])


def adopt_youtube(
    hub: Hub, youtube_factory: Callable[[], Any], *, dry_run: bool = False
) -> AdoptReport:
    """Read the channel first (each read writes the quota ledger, which a long write
    transaction would block on SQLite), then add the unknown videos in one transaction."""
    report = AdoptReport(dry_run=dry_run)
    catalog = hub.db
    reader = _ChannelReader(hub.db, youtube_factory(), report.list_calls)
    listed = reader.playlist_items(reader.uploads_playlist())
    uploads = [
        str(item["snippet"]["resourceId"]["videoId"])
        for item in progress.counted("reading the channel's uploads", listed)
    ]
    uploads.reverse()  # oldest first, so asset ids follow the channel's history
    report.seen = len(uploads)
    with catalog.session() as session:
        known = _known_video_ids(session)
        names = _catalog_playlist_names(session)
    new_ids = [video_id for video_id in uploads if video_id not in known]
    report.known = report.seen - len(new_ids)
    if not new_ids:
        return report
    membership = _membership(reader, names, report)
    videos = reader.videos(new_ids)
    templates = _video_series_templates(hub)
    with catalog.session(dry_run=dry_run) as session:
        _record_playlists(session, report.playlists)
        for video in progress.counted("cataloguing the videos", videos, len(videos)):
            _adopt_one(session, video, membership.get(str(video["id"]), {}), templates, report)
    return report


def _video_series_templates(hub: Hub) -> dict[str, SeriesTemplate]:
    """Every video series' record and template, read before the write transaction."""
    templates = SeriesTemplates(hub)
    with hub.db.session() as session:
        slugs = session.scalars(
            select(Series.slug).where(Series.kind == AssetKind.VIDEO).order_by(Series.slug)
        ).all()
    return {slug: templates.for_series(slug) for slug in slugs}


def _known_video_ids(session: Session) -> set[str]:
    rows = session.scalars(select(Publication.remote_id).where(Publication.platform == YOUTUBE))
    return {row for row in rows if row}


def _catalog_playlist_names(session: Session) -> dict[str, str]:
    """The catalog's video playlists by recorded YouTube id and by every name -> the slug."""
    playlists = list(
        session.scalars(
            select(Playlist).where(Playlist.kind == AssetKind.VIDEO).order_by(Playlist.slug)
        )
    )
    names = {name: playlist.slug for playlist in playlists for name in playlist.names.values()}
    ids = ((p.remote_id(YOUTUBE), p.slug) for p in playlists)
    return names | {remote_id: slug for remote_id, slug in ids if remote_id}


def _membership(
    reader: _ChannelReader, names: dict[str, str], report: AdoptReport
) -> dict[str, dict[str, str]]:
    """video id -> {catalog playlist slug: playlist item id}, read from the channel's
    playlists the catalog knows, by recorded id or by name (the others say nothing)."""
    membership: dict[str, dict[str, str]] = {}
    for remote in list(reader.playlists()):
        slug = names.get(str(remote["id"])) or names.get(
            str(remote.get("snippet", {}).get("title", ""))
        )
        if slug is None or slug in report.playlists:
            continue
        report.playlists[slug] = str(remote["id"])
        for item in reader.playlist_items(str(remote["id"])):
            video_id = str(item["snippet"]["resourceId"]["videoId"])
            membership.setdefault(video_id, {})[slug] = str(item["id"])
    return membership


def _record_playlists(session: Session, found: dict[str, str]) -> None:
    """The channel playlist's id on each catalog playlist that has none yet."""
    for slug, youtube_id in found.items():
        playlist = session.scalars(select(Playlist).where(Playlist.slug == slug)).one()
        if playlist.remote_id(YOUTUBE) is None:
            playlist.set_remote_id(YOUTUBE, youtube_id)
    session.flush()


def _adopt_one(
    session: Session,
    video: dict[str, Any],
    items: dict[str, str],
    templates: dict[str, SeriesTemplate],
    report: AdoptReport,
) -> None:
    video_id = str(video["id"])
    try:
        texts = video_texts(video)
    except MediaHubError as exc:  # kept out rather than stopping the whole adoption
        report.skipped[video_id] = str(exc)
        return
    by_playlist = _playlist_series(session, list(items))
    fitted = _fit_series(session, by_playlist, texts, templates)
    series: str | None
    if fitted is not None:
        series, numbers = fitted
    else:  # kept as published, in the series its playlists or its title point to
        numbers = CatalogTexts(texts.titles, texts.descriptions)
        series = by_playlist or series_from_title(list(texts.titles.values()), set(templates))
    titles, descriptions = numbers.titles, numbers.descriptions
    asset = add_asset(
        session,
        NewAsset(
            kind=AssetKind.VIDEO, titles=titles, series=series, descriptions=descriptions,
            playlists=list(items), default_language=texts.default_language,
            season=numbers.season, episode=numbers.episode,
            recorded_date=_date(numbers.recorded_date),
        ),
    )  # fmt: skip
    asset.status = AssetStatus.PUBLISHED
    for slug, item_id in items.items():
        playlist = session.scalars(select(Playlist).where(Playlist.slug == slug)).one()
        item = session.get(PlaylistItem, (playlist.id, asset.id))
        if item is not None:
            item.remote_item_id = item_id
    session.add(
        Publication(
            asset_id=asset.id, platform=YOUTUBE, remote_id=video_id,
            url=WATCH_URL + video_id, state=PublicationState.DONE,
            published_at=_published_at(video.get("snippet", {}).get("publishedAt")),
            texts_as_published=fitted is None,
        )
    )  # fmt: skip
    session.flush()
    report.adopted.append(
        AdoptedVideo(
            video_id,
            None if report.dry_run else asset.id,
            series,
            sorted(items),
            titles[texts.default_language],
            texts_as_published=fitted is None,
        )
    )


def _fit_series(
    session: Session,
    playlist_series: str | None,
    texts: AdoptedTexts,
    templates: dict[str, SeriesTemplate],
) -> tuple[str, CatalogTexts] | None:
    """The series whose template gives back the video's texts exactly (its playlists' series
    only, when they name one), with the texts and numbers the template was given."""
    published = PublishedTexts(texts.default_language, texts.titles, texts.descriptions)
    candidates = [playlist_series] if playlist_series is not None else list(templates)
    for slug in candidates:
        series, template, template_name = templates[slug]
        found = unrender(published, template, template_name, series)
        if found is None or not _fits_catalog(session, slug, found):
            continue
        return slug, found
    return None


def _fits_catalog(session: Session, series: str, texts: CatalogTexts) -> bool:
    """The catalog takes the texts (its own limits) and the episode is still free."""
    try:
        for lang, title in texts.titles.items():
            rules.title(lang, title)
    except MediaHubError:
        return False
    if texts.episode is None:
        return True
    taken = session.scalar(
        select(Asset.id)
        .join(Series, Asset.series_id == Series.id)
        .where(
            Series.slug == series,
            Asset.episode == texts.episode,
            func.coalesce(Asset.season, 0) == (texts.season or 0),
        )
    )
    return taken is None


def video_texts(video: dict[str, Any]) -> AdoptedTexts:
    """A video's snippet and localizations as the catalog's texts."""
    snippet = video.get("snippet", {})
    return adopted_texts(
        f"video {video.get('id')}",
        str(snippet.get("title", "")),
        str(snippet.get("description", "")),
        snippet.get("defaultLanguage"),
        video.get("localizations"),
    )


def _playlist_series(session: Session, playlist_slugs: list[str]) -> str | None:
    """The video series owning one of the video's playlists (the first by slug)."""
    all_series = session.scalars(
        select(Series).where(Series.kind == AssetKind.VIDEO).order_by(Series.slug)
    ).all()
    for slug in sorted(playlist_slugs):
        for series in all_series:
            if slug in series.playlist_slugs:
                return series.slug
    return None


def series_from_title(titles: list[str], known: set[str]) -> str | None:
    """The series of the first pattern any title contains (case-insensitive)."""
    lowered = [title.casefold() for title in titles]
    for pattern, slug in TITLE_PATTERNS:
        if slug in known and any(pattern.casefold() in title for title in lowered):
            return slug
    return None


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _published_at(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None

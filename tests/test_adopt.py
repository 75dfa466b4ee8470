"""`adopt youtube` against a sandbox channel of 150 videos in 6 playlists: 150 records, no
upload, list calls 50 items each, series by playlist then title; a rerun adds nothing."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from media_hub.catalog.models import Asset, AuditEntry, Playlist, PlaylistItem, PlaylistRemoteId
from media_hub.catalog.pipeline_models import Publication
from media_hub.cli import app
from media_hub.hub import Hub
from media_hub.platforms.base import NO_SERIES
from media_hub.platforms.youtube.adopt import series_from_title, video_texts
from media_hub.sandbox.server import Sandbox
from media_hub.sandbox.state import rfc3339
from tests.sandbox_client import youtube

SQLITE_ONLY = pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)

# (channel playlist title, catalog slug or None, how many videos, title of video n)
PLAYLISTS: list[tuple[str, str | None, int, str]] = [
    ("Reportages de l'ANAPEC", "reports", 30, "Forum de l'emploi à Fès {n}"),
    ("كان كالب على خدمة: جميع الحلقات", "kan-kalab-aala-khadma", 30, "الحلقة {n}"),
    ("Conseils : le CV", "advisory-cv", 20, "Rédiger son CV, conseil {n}"),
    ("Clips conseils pour les chercheurs d'emploi", "advisory-clips", 0, ""),  # the same 20
    ("Événements", "events", 20, "Journée portes ouvertes {n}"),
    ("Archives 2015", None, 20, "Kan Kalab Aala Khadma, extrait {n}"),
]
NOT_IN_PLAYLISTS = 30  # 10 "روبورتاج ..." (reports by title), 20 matched by nothing


def _json(runner: CliRunner, *args: str) -> Any:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _video(sandbox: Sandbox, video_id: str, title: str, n: int) -> dict[str, Any]:
    """A stored video in the shape `YouTubeApi._insert` keeps (fixtures skip the upload)."""
    arabic = any("\u0600" <= char <= "\u06ff" for char in title)
    snippet: dict[str, Any] = {"title": title, "description": f"Vidéo {n}.", "categoryId": "27"}
    localizations = {}
    if arabic and n % 2 == 0:
        snippet["defaultLanguage"] = "ar"
        localizations = {"fr-FR": {"title": f"Épisode {n}", "description": "En français."}}
    now = sandbox.state.now()
    return {
        "id": video_id, "snippet": snippet, "status": {"privacyStatus": "public"},
        "localizations": localizations, "recordingDetails": {},
        "media": {"sha256": "0" * 64, "size": 1000, "mimetype": "video/mp4"},
        "published_at": rfc3339(now.replace(microsecond=0) - timedelta(seconds=1000 - n)),
        "first_day": sandbox.state.today().isoformat(),
        "processing_polls_left": 0, "thumbnail_404s_left": 0, "caption": False,
    }  # fmt: skip


def _populate(sandbox: Sandbox) -> dict[str, str]:
    """150 videos, 6 playlists made through the real client; video id -> title."""
    client = youtube(sandbox)
    playlist_ids = [
        client.playlists()
        .insert(part="snippet,status", body={"snippet": {"title": title},
                                             "status": {"privacyStatus": "public"}})
        .execute()["id"]
        for title, _, _, _ in PLAYLISTS
    ]  # fmt: skip
    titles: list[str] = []
    members: list[list[int]] = []
    for index, (_, _, count, pattern) in enumerate(PLAYLISTS):
        start = len(titles)
        titles += [pattern.format(n=start + n) for n in range(count)]
        members.append(list(range(start, start + count)))
        if index == 2:  # the CV clips are in the advisory-clips playlist as well
            members.append(list(range(start, start + count)))
    members = members[:4] + members[5:]
    titles += [f"روبورتاج: يوم التشغيل {n}" for n in range(10)]
    titles += [f"Message du directeur {n}" for n in range(NOT_IN_PLAYLISTS - 10)]
    video_ids = [sandbox.state.new_id("video") for _ in titles]
    item_ids = [[sandbox.state.new_id("playlistItem") for _ in group] for group in members]
    with sandbox.state.change() as data:
        for n, (video_id, title) in enumerate(zip(video_ids, titles, strict=True)):
            data["videos"][video_id] = _video(sandbox, video_id, title, n)
        for playlist_id, group, ids in zip(playlist_ids, members, item_ids, strict=True):
            for index, item_id in zip(group, ids, strict=True):
                data["playlist_items"][item_id] = {
                    "id": item_id, "playlist_id": playlist_id, "video_id": video_ids[index],
                    "published_at": rfc3339(sandbox.state.now()),
                }  # fmt: skip
                data["playlists"][playlist_id]["items"].append(item_id)
    return dict(zip(video_ids, titles, strict=True))


def _counts(hub: Hub) -> tuple[int, int, int, int]:
    with hub.db.session() as session:
        return (
            session.scalar(select(func.count()).select_from(Asset)) or 0,
            session.scalar(select(func.count()).select_from(Publication)) or 0,
            session.scalar(select(func.count()).where(PlaylistRemoteId.platform == "youtube")) or 0,
            session.scalar(select(func.count()).select_from(PlaylistItem)) or 0,
        )


@pytest.mark.slow  # 150 videos
@SQLITE_ONLY
def test_adopting_150_videos_uploads_nothing_and_a_rerun_adds_nothing(
    channel_hub: Hub, sandbox: Sandbox, runner: CliRunner
) -> None:
    titles = _populate(sandbox)
    assert len(titles) == 150

    dry = _json(runner, "adopt", "youtube", "--dry-run")
    assert (dry["seen"], dry["added"], dry["known"]) == (150, 150, 0)
    assert all(video["asset_id"] is None for video in dry["adopted"])
    assert _counts(channel_hub) == (0, 0, 0, 0)

    before = len(sandbox.requests)
    done = _json(runner, "adopt", "youtube")
    served = sandbox.requests[before:]
    assert not [r for r in served if "/upload/" in r.path]
    assert {r.method for r in served if not r.path.startswith("/token")} == {"GET"}
    assert (done["seen"], done["added"], done["known"], done["skipped"]) == (150, 150, 0, {})
    assert done["by_series"] == {
        NO_SERIES: 20, "advisory-clips": 20, "events": 20, "kan-kalab-aala-khadma": 50,
        "reports": 40,
    }  # fmt: skip
    assert done["by_series"] == dry["by_series"]
    assert done["list_calls"] == {
        "channels.list": 1,
        "playlistItems.list": 3 + 5,  # the uploads (150 = 3 pages), then 5 known playlists
        "playlists.list": 1,
        "videos.list": 3,
    }
    assert set(done["playlists"]) == {
        "reports", "kan-kalab-aala-khadma", "advisory-cv", "advisory-clips", "events",
    }  # fmt: skip
    assert _counts(channel_hub)[:3] == (150, 150, 5)

    by_video = {video["video_id"]: video for video in done["adopted"]}
    with channel_hub.db.session() as session:
        publications = list(session.scalars(select(Publication)))
        assert {p.remote_id for p in publications} == set(titles)
        assert {(p.state, p.platform) for p in publications} == {("done", "youtube")}
        assert all(p.url == f"https://www.youtube.com/watch?v={p.remote_id}" for p in publications)
        audited = session.scalar(
            select(func.count(func.distinct(AuditEntry.record_id))).where(
                AuditEntry.record_type == "asset", AuditEntry.user == "librarian"
            )
        )
        assert audited == 150
        reports = session.scalars(select(Playlist).where(Playlist.slug == "reports")).one()
        items = list(session.scalars(select(PlaylistItem).where(
            PlaylistItem.playlist_id == reports.id, PlaylistItem.remote_item_id.is_not(None)
        )))  # fmt: skip
        assert len(items) == 30

    episode = next(v for v, title in titles.items() if title == "الحلقة 32")
    shown = channel_hub.catalog.show(by_video[episode]["asset_id"])
    assert shown["series"] == "kan-kalab-aala-khadma"
    assert shown["status"] == "published"
    assert shown["default_language"] == "ar"
    assert shown["titles"] == {"ar": "الحلقة 32", "fr": "Épisode 32"}

    again = _json(runner, "adopt", "youtube")
    assert (again["seen"], again["added"], again["known"]) == (150, 0, 150)
    assert _counts(channel_hub)[:3] == (150, 150, 5)


def test_texts_guess_the_language_and_patterns_pick_a_series() -> None:
    texts = video_texts({"id": "v", "snippet": {"title": " روبورتاج ", "description": ""}})
    assert (texts.default_language, texts.titles) == ("ar", {"ar": "روبورتاج"})
    texts = video_texts(
        {"id": "v", "snippet": {"title": "Clip", "defaultLanguage": "en-GB"},
         "localizations": {"de": {"title": "Klipp"}, "fr": {"title": "Le clip"}}}
    )  # fmt: skip
    assert texts.titles == {"en": "Clip", "fr": "Le clip"}
    known = {"reports", "kan-kalab-aala-khadma"}
    assert series_from_title(["KAN KALAB, épisode 3"], known) == "kan-kalab-aala-khadma"
    assert series_from_title(["Un reportage"], {"events"}) is None
    assert series_from_title(["Message"], known) is None

"""`adopt youtube` on a channel another hub made, then `publish --plan`: nothing to change.

The other hub uploads through media-hub with the starter templates (series names, episode
numbers, footers, event dates, two languages); a fresh catalog adopts the channel. Adoption
must take back what the templates added, so the plan is empty and the texts on YouTube stay
as they are; a title edited in YouTube Studio is kept as published, never re-rendered.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from media_hub.cli import app
from media_hub.hub import Hub
from media_hub.sandbox.server import Sandbox
from tests.sandbox_client import youtube
from tests.test_upload import DATA

# Slow: three uploads; make quick leaves it out.
pytestmark = [pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True), pytest.mark.slow]


def _json(runner: CliRunner, *args: str) -> Any:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _ok(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def _clip(tmp_path: Path, name: str, seconds: int) -> Path:
    path = tmp_path / name
    subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(DATA / "in.mp4"), "-t", str(seconds), "-c", "copy",
         str(path)],
        check=True,
    )  # fmt: skip
    return path


def _the_other_hubs_channel(runner: CliRunner, tmp_path: Path) -> dict[str, str]:
    """Three videos as another hub published them; name -> video id."""
    uploads = {
        "episode-3": ("--series", "advisory-clips", "--episode", "3",
                      "-t", "ar=كيف تكتب سيرتك الذاتية | الجزء الأول",
                      "-t", "fr=Rédiger son CV, épisode pratique"),
        "event": ("--series", "events", "-t", "ar=ملتقى 2026 – 3 أيام",
                  "-t", "fr=Forum de l'emploi de Fès"),
        "episode-1": ("--series", "advisory-clips", "--episode", "1",
                      "-t", "ar=مقابلة العمل", "-t", "fr=L'entretien d'embauche"),
    }  # fmt: skip
    videos = {}
    for seconds, (name, options) in enumerate(uploads.items(), start=2):
        shutil.copyfile(_clip(tmp_path, f"{name}-src.mp4", seconds), tmp_path / f"{name}.mp4")
        [done] = _json(runner, "upload", str(tmp_path / f"{name}.mp4"), *options)
        videos[name] = done["video_id"]
        asset = str(done["asset_id"])
        if name == "episode-3":
            _ok(runner, "catalog", "edit", asset,
                "-d", "ar=نصائح عملية لكتابة سيرة ذاتية.\n\nسطر ثان.",
                "-d", "fr=Des conseils pratiques.")  # fmt: skip
        if name == "event":
            _ok(runner, "catalog", "edit", asset, "--recorded", "2014-03-01",
                "-d", "ar=يوم مفتوح للتشغيل.")  # fmt: skip
    assert _json(runner, "publish", "--apply")["left"] == 0
    assert _json(runner, "publish", "--plan")["calls"] == []
    return videos


def _a_fresh_catalog(runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("MEDIA_HUB_CATALOG_URL", f"sqlite:///{tmp_path / 'adopting.sqlite'}")
    _ok(runner, "conventions", "load")


def test_adopting_another_hubs_channel_then_planning_changes_nothing(
    channel_hub: Hub,
    sandbox: Sandbox,
    runner: CliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    videos = _the_other_hubs_channel(runner, tmp_path)
    client = youtube(sandbox)
    # Someone retitles the event in YouTube Studio: no template gives this title back.
    event = client.videos().list(part="snippet", id=videos["event"]).execute()["items"][0]
    studio_title = "ملتقى فاس للتشغيل (إعادة)"
    event["snippet"]["title"] = studio_title
    client.videos().update(
        part="snippet", body={"id": event["id"], "snippet": event["snippet"]}
    ).execute()
    on_youtube = sandbox.state.snapshot()["videos"]

    _a_fresh_catalog(runner, monkeypatch, tmp_path)
    adopted = _json(runner, "adopt", "youtube")
    assert adopted["added"] == 3
    by_video = {item["video_id"]: item for item in adopted["adopted"]}
    assert [by_video[videos[name]]["texts_as_published"] for name in videos] == [
        False,
        True,
        False,
    ]

    episode3 = _json(runner, "catalog", "show", str(by_video[videos["episode-3"]]["asset_id"]))
    assert episode3["series"] == "advisory-clips"
    assert episode3["episode"] == 3
    assert episode3["titles"] == {
        "ar": "كيف تكتب سيرتك الذاتية | الجزء الأول",
        "fr": "Rédiger son CV, épisode pratique",
    }
    assert episode3["descriptions"] == {
        "ar": "نصائح عملية لكتابة سيرة ذاتية.\n\nسطر ثان.",
        "fr": "Des conseils pratiques.",
    }
    event_record = _json(runner, "catalog", "show", str(by_video[videos["event"]]["asset_id"]))
    assert event_record["series"] == "events"
    assert event_record["titles"]["ar"] == studio_title  # verbatim, as on YouTube
    assert event_record["texts_as_published"] == ["youtube"]
    assert episode3["texts_as_published"] == []

    plan = _json(runner, "publish", "--plan")
    assert plan["calls"] == [], plan["calls"]
    assert plan["missing"] == []
    _json(runner, "publish", "--apply")
    assert sandbox.state.snapshot()["videos"] == on_youtube

    # The adopted asset is the catalog's now: an edit goes out rendered, once.
    asset = str(episode3["id"])
    _ok(runner, "catalog", "edit", asset, "-t", "fr=Rédiger son CV")
    [call] = _json(runner, "publish", "--plan")["calls"]
    assert call["method"] == "videos.update"
    _json(runner, "publish", "--apply")
    french = sandbox.state.snapshot()["videos"][videos["episode-3"]]["localizations"]["fr"]
    assert french["title"] == "Rédiger son CV | Clips conseils, épisode 3"
    assert french["description"].count("Pour plus de conseils") == 1

    # The retitled event says so, and goes through the template once a librarian asks.
    event_id = str(event_record["id"])
    assert "texts            as on YouTube" in _ok(runner, "catalog", "show", event_id)
    _ok(runner, "catalog", "edit", event_id, "--use-template")
    assert _json(runner, "catalog", "show", event_id)["texts_as_published"] == []
    [entry] = [e for e in _json(runner, "catalog", "history", event_id) if e["field"] == "texts"]
    assert (entry["old"], entry["new"]) == ("as published on youtube", "from the template")
    [call] = _json(runner, "publish", "--plan")["calls"]
    assert (call["method"], call["target"]) == ("videos.update", f"asset {event_id}")

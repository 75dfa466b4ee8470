"""YouTube's language keys: the sandbox's i18nLanguages.list and refusals, the hub's daily read
kept in the catalog, Tamazight left out of what is sent, and the lint's word about it."""

from __future__ import annotations

import json
import shutil
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from googleapiclient.errors import HttpError
from typer.testing import CliRunner

from media_hub.catalog import lint
from media_hub.catalog.definitions import read_definitions
from media_hub.catalog.types import utcnow
from media_hub.cli import app
from media_hub.errors import ValidationError
from media_hub.hub import Hub
from media_hub.platforms import registry
from media_hub.platforms.youtube import languages
from media_hub.platforms.youtube.languages import SNAPSHOT, LanguageKeys
from media_hub.platforms.youtube.metadata import render_video_metadata
from media_hub.sandbox.server import Sandbox
from tests.sandbox_client import reason, upload, youtube
from tests.test_language_fallbacks import TIFINAGH_TITLE, facts_of
from tests.test_lint import CATALOG, NOW, clip

DATA = Path(__file__).parent / "data"
SERIES = {"slug": "advisory-clips", "names": {"ar": "كبسولات النصائح", "fr": "Clips conseils"}}


def test_the_sandbox_lists_youtubes_languages_without_tamazight(sandbox: Sandbox) -> None:
    answer = youtube(sandbox).i18nLanguages().list(part="snippet").execute()
    assert answer["kind"] == "youtube#i18nLanguageListResponse"
    by_id = {item["id"]: item["snippet"] for item in answer["items"]}
    assert by_id["ar"] == {"hl": "ar", "name": "Arabic"}
    assert {"ar", "fr", "en"} <= set(by_id)
    assert "zgh" not in by_id
    assert frozenset(by_id) == SNAPSHOT  # what the hub assumes before its first read


def test_the_sandbox_refuses_a_language_youtube_does_not_list(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    client = youtube(sandbox)
    video_id = upload(client, tmp_path)
    snippet = {"title": "Essai", "categoryId": "27", "defaultLanguage": "ar"}

    def update(localizations: dict[str, Any], language: str = "ar") -> Any:
        body = {"id": video_id, "snippet": {**snippet, "defaultLanguage": language},
                "localizations": localizations}  # fmt: skip
        return client.videos().update(part="snippet,localizations", body=body).execute()

    assert set(update({"fr": {"title": "Le CV"}})["localizations"]) == {"fr"}
    for localizations, language in (({"zgh": {"title": "x"}}, "ar"), ({}, "zgh")):
        with pytest.raises(HttpError) as refused:
            update(localizations, language)
        assert reason(refused.value) == (400, "youtube.video", "invalidVideoMetadata")


def tamazight_clip(**changes: Any) -> dict[str, Any]:
    return clip(titles={"ar": "كيف تكتب سيرتك", "fr": "Le CV", "zgh": TIFINAGH_TITLE}, **changes)


@pytest.mark.parametrize(
    ("configured", "sent"),
    [({}, {"fr"}), ({"zgh": ""}, {"fr"}), ({"zgh": "en"}, {"fr", "en"}), ({"fr": ""}, set())],
)
def test_localizations_go_under_youtubes_keys_or_are_left_out(
    configured: dict[str, str], sent: set[str]
) -> None:
    definitions = read_definitions(CATALOG)
    metadata = render_video_metadata(
        tamazight_clip(), SERIES, definitions.templates["advisory"], "advisory", now=NOW,
        language_keys=LanguageKeys(SNAPSHOT, configured),
    )  # fmt: skip
    assert set(metadata.localizations) == sent
    assert metadata.default_language == "ar"
    if "en" in sent:  # mapped on purpose: the Tamazight texts, under the key chosen
        assert metadata.localizations["en"].title.startswith(TIFINAGH_TITLE)


def test_a_default_language_youtube_has_no_key_for_is_refused() -> None:
    definitions = read_definitions(CATALOG)
    with pytest.raises(ValidationError, match="no language key for 'zgh'") as refused:
        render_video_metadata(
            tamazight_clip(default_language="zgh"), SERIES, definitions.templates["advisory"],
            "advisory", now=NOW, language_keys=LanguageKeys(SNAPSHOT, {}),
        )  # fmt: skip
    assert refused.value.field == "snippet.defaultLanguage"


def test_lint_warns_for_a_left_out_localization_until_configured() -> None:
    youtube_lint = registry.get("youtube").lint
    facts = facts_of(read_definitions(CATALOG))
    [warning] = youtube_lint(tamazight_clip(), facts)
    assert warning.warning
    assert str(warning).startswith(
        "asset 12: localizations.zgh: warning: YouTube has no language key 'zgh' (not in its "
        "i18nLanguages list); this localization is left out"
    )
    listed = lint.LintFacts(
        series=facts.series, definitions=facts.definitions, now=NOW,
        platform_facts={("youtube", "i18nLanguages"): [*SNAPSHOT, "zgh"]},
    )  # fmt: skip
    assert youtube_lint(tamazight_clip(), listed) == []  # the day YouTube lists it


def test_refresh_reads_the_list_once_a_day_and_keeps_it_in_the_catalog(
    channel_hub: Hub, sandbox: Sandbox
) -> None:
    from media_hub.platforms.youtube.auth import load_credentials
    from media_hub.platforms.youtube.client import youtube_service

    client = youtube_service(channel_hub.settings, load_credentials(channel_hub.settings))

    def reads() -> int:
        return sum(r.path.startswith("/youtube/v3/i18nLanguages") for r in sandbox.requests)

    assert not languages.is_fresh(channel_hub.db)
    keys = languages.refresh(channel_hub.db, client, {})
    assert keys.known == SNAPSHOT
    assert reads() == 1
    languages.refresh(channel_hub.db, client, {})
    assert reads() == 1  # kept: no second unit the same day
    languages.refresh(channel_hub.db, client, {}, now=utcnow() + timedelta(days=1, minutes=1))
    assert reads() == 2
    assert languages.language_keys(channel_hub.db, {}).known == SNAPSHOT


@pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)
def test_a_tamazight_title_is_published_without_a_key_youtube_refuses(
    channel_hub: Hub, sandbox: Sandbox, runner: CliRunner, tmp_path: Path
) -> None:
    clip_file = tmp_path / "conseils.mp4"
    shutil.copyfile(DATA / "in.mp4", clip_file)
    result = runner.invoke(
        app,
        ["upload", "--json", str(clip_file), "--series", "advisory-clips", "--episode", "1",
         "-t", "ar=كيف تكتب سيرتك الذاتية", "-t", "fr=Rédiger son CV", "-t",
         f"zgh={TIFINAGH_TITLE}"],
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    [done] = json.loads(result.stdout)
    video = sandbox.state.snapshot()["videos"][done["video_id"]]
    assert set(video["localizations"]) == {"fr"}
    linted = runner.invoke(app, ["catalog", "lint", f"id:{done['asset_id']}"])
    assert linted.exit_code == 0, linted.stdout  # warnings only
    assert "localizations.zgh: warning: YouTube has no language key 'zgh'" in linted.stdout
    assert "texts.zgh: warning: the Tamazight texts borrow the French" in linted.stdout
    assert linted.stderr.endswith("no problems, 2 warnings\n")

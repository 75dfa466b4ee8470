"""The asset page's YouTube preview: the texts publishing would send, per language, cut where
YouTube cuts them; a template that fails is one line; hostile texts are escaped there too."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

from sqlalchemy import text
from starlette.testclient import TestClient

from media_hub.catalog.assets import NewAsset
from media_hub.catalog.service import CatalogService
from media_hub.catalog.vocabulary import AssetKind
from media_hub.hub import Hub
from media_hub.pipeline.series_templates import SeriesTemplates
from media_hub.platforms.youtube.metadata import render_video_metadata
from media_hub.web.youtube_preview import (
    SEARCH_DESCRIPTION_CHARS,
    SEARCH_TITLE_CHARS,
    WATCH_DESCRIPTION_CHARS,
    WATCH_DESCRIPTION_LINES,
    cut_chars,
    cut_lines,
)
from tests.web.conftest import sign_in

LONG_FR = "Comment rédiger un CV qui retient l'attention des recruteurs marocains"  # 71


def _clip(catalog: CatalogService, episode: int | None = 3, **titles: str) -> int:
    record = catalog.add(
        NewAsset(
            kind=AssetKind.VIDEO, series="advisory-clips", episode=episode,
            titles=titles or {"ar": "كيف تكتب سيرتك الذاتية", "fr": LONG_FR},
            descriptions={"ar": "خطوة بخطوة.", "fr": "Pas à pas."},
        ),
        user="setup",
    )  # fmt: skip
    return record["id"]


def _section(page: str, lang: str) -> str:
    opening = rf'<section class="yt-preview" lang="{lang}"[^>]*>'
    found = re.search(rf"{opening}(.*?)</section>", page, re.S)
    assert found, f"no YouTube preview in {lang}"
    return found[0]


def _text_of(section: str, css: str) -> str:
    found = re.search(rf'<p class="{css}"[^>]*>(.*?)</p>', section, re.S)
    assert found, css
    return html.unescape(re.sub(r"<[^>]+>", "", found[1]))


def test_cuts_are_made_at_the_constants() -> None:
    exact = "x" * SEARCH_TITLE_CHARS
    assert cut_chars(exact, SEARCH_TITLE_CHARS).cut is False
    over = cut_chars(exact + "y", SEARCH_TITLE_CHARS)
    assert (over.shown, over.cut) == (exact, True)
    assert cut_chars("a\n\nb  c", 10).shown == "a b c"  # search results join the lines
    lines = "\n".join(f"line {n}" for n in range(1, 6))
    watch = cut_lines(lines, WATCH_DESCRIPTION_LINES, WATCH_DESCRIPTION_CHARS)
    assert (watch.shown, watch.cut) == ("line 1\nline 2\nline 3", True)
    long_line = cut_lines("z" * 500, WATCH_DESCRIPTION_LINES, WATCH_DESCRIPTION_CHARS)
    assert (len(long_line.shown), long_line.cut) == (WATCH_DESCRIPTION_CHARS, True)
    assert cut_lines("one\ntwo", 3, 200).cut is False


def test_each_language_as_publishing_renders_it_cut_where_youtube_cuts(
    client: TestClient, catalog: CatalogService, hub: Hub
) -> None:
    asset_id = _clip(catalog)
    record = catalog.show(asset_id)
    series, template, name = SeriesTemplates(hub).of(record)
    sent = render_video_metadata(record, series, template, name, now=datetime.now(UTC))
    sign_in(client, "viewer")
    page = client.get(f"/assets/{asset_id}")
    assert page.status_code == 200
    assert "Publishing would refuse it" not in page.text

    arabic = _section(page.text, "ar")  # the default language: the snippet
    assert 'dir="rtl"' in arabic.split(">", 1)[0]
    assert sent.title == "كيف تكتب سيرتك الذاتية | كبسولات النصائح - الحلقة 3"
    assert _text_of(arabic, "yt-title") == sent.title  # short enough: not cut
    assert _text_of(arabic, "yt-watch-title") == sent.title

    french = _section(page.text, "fr")
    full = sent.localizations["fr"].title
    assert full == f"{LONG_FR} | Clips conseils, épisode 3"
    assert len(full) > SEARCH_TITLE_CHARS
    assert _text_of(french, "yt-title") == full[:SEARCH_TITLE_CHARS].rstrip() + "…"
    assert _text_of(french, "yt-watch-title") == full
    description = sent.localizations["fr"].description
    assert description.startswith("Pas à pas.\n\nPour plus de conseils")
    one_line = " ".join(description.split())
    assert _text_of(french, "yt-snippet") == one_line[:SEARCH_DESCRIPTION_CHARS].rstrip() + "…"
    # The watch page: the first 3 lines ("Pas à pas.", "", the footer's first) then "...more".
    watch = _text_of(french, "yt-watch-description")
    assert watch == "\n".join(description.split("\n")[:3]) + " ...more"


def test_a_template_that_fails_is_one_line_not_a_traceback(
    client: TestClient, catalog: CatalogService
) -> None:
    asset_id = _clip(catalog, episode=None)  # the advisory template prints the episode
    sign_in(client, "viewer")
    page = client.get(f"/assets/{asset_id}")
    assert page.status_code == 200
    refusal = re.search(r'<p class="problem" role="alert"[^>]*>(.*?)</p>', page.text, re.S)
    assert refusal
    assert "episode" in refusal[1]
    assert "\n" not in refusal[1].strip()
    assert "Traceback" not in page.text
    assert "episode" in _text_of(_section(page.text, "fr"), "problem")


def test_hostile_titles_are_escaped_in_the_preview(
    client: TestClient, catalog: CatalogService, hub: Hub
) -> None:
    script, img = "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>'
    asset_id = _clip(catalog)
    with hub.db.engine.begin() as connection:  # from before the catalog refused < and >
        connection.execute(
            text("UPDATE asset_texts SET title = :t, description = :d WHERE lang = 'fr'"),
            {"t": script, "d": img},
        )
        connection.execute(text("UPDATE asset_texts SET title = :t WHERE lang = 'ar'"), {"t": img})
    sign_in(client, "viewer")
    page = client.get(f"/assets/{asset_id}").text
    assert script not in page
    assert "<img src=x" not in page
    # Publishing refuses the angle brackets, and each language is still shown, escaped.
    assert "Publishing would refuse it" in page
    french = _section(page, "fr")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; | Clips conseils" in french
    assert _text_of(french, "yt-title").startswith(script)
    assert _text_of(_section(page, "ar"), "yt-title").startswith(img)

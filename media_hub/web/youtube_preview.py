"""How an asset will look on YouTube, language by language: the texts rendered by the very
call publishing makes (`YouTubeUpload.metadata`, which `upload` and `publish --plan` use),
cut where YouTube cuts them.

When publishing would refuse the asset (a template that fails, a text YouTube refuses),
the refusal is one line, and each language is still rendered from the series' template by
`templating.render_texts`, the function `render_video_metadata` calls, so the librarian sees
what is wrong and how the rest would look.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from media_hub.catalog.records import AssetRecord
from media_hub.catalog.vocabulary import AssetKind
from media_hub.errors import MediaHubError
from media_hub.hub import Hub
from media_hub.pipeline.series_templates import SeriesTemplates
from media_hub.platforms import registry
from media_hub.platforms.publisher import UploadOptions
from media_hub.platforms.templating import render_texts
from media_hub.platforms.youtube import YOUTUBE
from media_hub.platforms.youtube.publisher import YouTubeUpload

# Where YouTube cuts. Google publishes no figure, so these are what others measured (pages
# read 2026-12): desktop search shows about 70 characters of a title
# (titles.video/youtube-title-length; mojicnt.click/en/blog/video-title-optimization.html:
# "YouTube 100, ~60-70 visible in search"), out of the 100 a title may hold
# (rules.TITLE_MAX_CHARS); desktop search shows about 157 characters of the description
# (videodescriptions.com/how-to-write-youtube-description), the watch page its first 3
# lines, about 200 characters, above "...more"
# (ellipticalpointofview.com/2012/06/14/optimising-your-youtube-video-descriptions-...).
SEARCH_TITLE_CHARS = 70
SEARCH_DESCRIPTION_CHARS = 157
WATCH_DESCRIPTION_LINES = 3
WATCH_DESCRIPTION_CHARS = 200
ELLIPSIS = "…"


@dataclass(frozen=True)
class Cut:
    """What YouTube shows of a text, and whether it cut it (then "…" or "...more" follows)."""

    shown: str
    cut: bool


def cut_chars(text: str, limit: int) -> Cut:
    """The first `limit` characters of the text as one line (search results join the lines)."""
    line = " ".join(text.split())
    if len(line) <= limit:
        return Cut(line, False)
    return Cut(line[:limit].rstrip(), True)


def cut_lines(text: str, lines: int, limit: int) -> Cut:
    """The first `lines` lines, and no more than `limit` characters of them (watch page)."""
    kept = text.strip().split("\n")
    shown = "\n".join(kept[:lines])
    cut = len(kept) > lines
    if len(shown) > limit:
        shown, cut = shown[:limit], True
    return Cut(shown.rstrip(), cut)


@dataclass(frozen=True)
class LanguagePreview:
    lang: str
    title: str = ""
    description: str = ""
    problem: str | None = None  # this language could not be rendered

    @property
    def search_title(self) -> Cut:
        return cut_chars(self.title, SEARCH_TITLE_CHARS)

    @property
    def search_description(self) -> Cut:
        return cut_chars(self.description, SEARCH_DESCRIPTION_CHARS)

    @property
    def watch_description(self) -> Cut:
        return cut_lines(self.description, WATCH_DESCRIPTION_LINES, WATCH_DESCRIPTION_CHARS)


@dataclass(frozen=True)
class Preview:
    languages: list[LanguagePreview]
    problem: str | None = None  # why publishing would refuse the asset as it is


def youtube_publisher(hub: Hub) -> YouTubeUpload:
    """The publisher whose call the preview makes; it keeps the series' templates once read,
    so the pages share one for a few seconds (`Fresh`) rather than read them on every view."""
    publisher = registry.get(YOUTUBE).publisher(hub)
    assert isinstance(publisher, YouTubeUpload)
    return publisher


def youtube_preview(publisher: YouTubeUpload, record: AssetRecord) -> Preview | None:
    """The asset's YouTube texts by language (None: not a video, YouTube does not take it)."""
    if record["kind"] != AssetKind.VIDEO.value:
        return None
    langs = _languages(record)
    try:
        resource = publisher.metadata(record["id"], UploadOptions(), record)
    except MediaHubError as exc:
        return Preview(_rendered_one_by_one(publisher.hub, record, langs), _line(exc))
    keys = publisher.language_keys()
    localizations: dict[str, Any] = resource.get("localizations", {})
    previews = []
    for lang in langs:
        if lang == record["default_language"]:
            sent = resource["snippet"]
        else:
            sent = localizations.get(keys.key(lang) or "")
        if sent is None:
            problem = keys.problem(lang) or f"{lang}: not sent to YouTube"
            previews.append(LanguagePreview(lang, problem=problem))
        else:
            previews.append(LanguagePreview(lang, sent["title"], sent["description"]))
    return Preview(previews)


def _languages(record: AssetRecord) -> list[str]:
    """The default language first, then the others the asset has a title in."""
    default = record["default_language"]
    titles = record["titles"]
    return [default, *sorted(lang for lang in titles if lang != default)]


def _rendered_one_by_one(hub: Hub, record: AssetRecord, langs: list[str]) -> list[LanguagePreview]:
    try:
        series, template, name = SeriesTemplates(hub).of(record)
    except MediaHubError:
        return []  # no series, so no template: the refusal says so
    previews = []
    for lang in langs:
        try:
            texts = render_texts(template, name, record, series, lang)
        except MediaHubError as exc:
            previews.append(LanguagePreview(lang, problem=_line(exc)))
            continue
        previews.append(LanguagePreview(lang, texts.title, texts.description))
    return previews


def _line(exc: Exception) -> str:
    return " ".join(str(exc).split())

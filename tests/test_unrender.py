"""Taking published texts back through the starter templates: what was rendered comes back
exactly, anything else is refused rather than guessed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from media_hub.catalog.definitions import Definitions, read_definitions
from media_hub.platforms.templating import render_texts
from media_hub.platforms.unrender import PublishedTexts, unrender

CATALOG = Path(__file__).resolve().parent.parent / "catalog"


@pytest.fixture(scope="module")
def definitions() -> Definitions:
    return read_definitions(CATALOG)


def _series(definitions: Definitions, slug: str) -> dict[str, Any]:
    found = definitions.series[slug]
    return {"slug": slug, "names": found.names, "descriptions": found.descriptions}


def _published(
    definitions: Definitions, slug: str, asset: dict[str, Any]
) -> tuple[PublishedTexts, Any, str, dict[str, Any]]:
    series = _series(definitions, slug)
    name = definitions.series[slug].template
    template = definitions.templates[name]
    rendered = {lang: render_texts(template, name, asset, series, lang) for lang in asset["titles"]}
    published = PublishedTexts(
        asset["default_language"],
        {lang: texts.title for lang, texts in rendered.items()},
        {lang: texts.description for lang, texts in rendered.items()},
    )
    return published, template, name, series


def _asset(**values: Any) -> dict[str, Any]:
    asset: dict[str, Any] = {
        "id": 7, "default_language": "ar", "topics": [], "season": None, "episode": None,
        "recorded_date": None, "descriptions": {},
    }  # fmt: skip
    asset.update(values)
    return asset


# Titles as librarians write them: any letters, digits, punctuation (the template's own " | "
# and ", épisode " included), Arabic; no control characters, no surrounding spaces.
TITLE = (
    st.text(
        st.characters(categories=("L", "N", "P", "Zs"), include_characters="|"),
        min_size=1,
        max_size=60,
    )
    .map(str.strip)
    .filter(bool)
)
DESCRIPTION = st.text(
    st.characters(categories=("L", "N", "P", "Zs"), include_characters="\n"), max_size=200
).map(str.strip)


@settings(max_examples=150, deadline=None)
@given(
    ar=TITLE,
    fr=TITLE,
    ar_description=DESCRIPTION,
    fr_description=DESCRIPTION,
    episode=st.integers(1, 999),
)
def test_what_the_advisory_template_rendered_comes_back(
    definitions: Definitions,
    ar: str,
    fr: str,
    ar_description: str,
    fr_description: str,
    episode: int,
) -> None:
    descriptions = {"ar": ar_description, "fr": fr_description}
    asset = _asset(
        titles={"ar": ar, "fr": fr},
        descriptions={lang: text for lang, text in descriptions.items() if text},
        episode=episode,
    )
    published, template, name, series = _published(definitions, "advisory-clips", asset)

    back = unrender(published, template, name, series)

    assert back is not None
    assert back.episode == episode
    # Another reading may split the title differently; rendered again, it gives the same.
    again = _asset(
        titles=back.titles, descriptions=back.descriptions, episode=back.episode,
        season=back.season, recorded_date=back.recorded_date,
    )  # fmt: skip
    assert _published(definitions, "advisory-clips", again)[0] == published


def test_a_plain_title_comes_back_whole_with_its_numbers(definitions: Definitions) -> None:
    asset = _asset(
        titles={"ar": "الحلقة الأولى", "fr": "Le premier entretien"},
        descriptions={"ar": "سعيد يستعد.", "fr": "Saïd se prépare."},
        season=2,
        episode=3,
    )
    published, template, name, series = _published(definitions, "kan-kalab-aala-khadma", asset)
    back = unrender(published, template, name, series)
    assert back is not None
    assert (back.titles, back.descriptions) == (asset["titles"], asset["descriptions"])
    assert (back.season, back.episode) == (2, 3)


def test_an_event_date_comes_back_from_the_description(definitions: Definitions) -> None:
    asset = _asset(titles={"ar": "منتدى التشغيل"}, recorded_date="2014-03-01")
    published, template, name, series = _published(definitions, "events", asset)
    back = unrender(published, template, name, series)
    assert back is not None
    assert back.recorded_date == "2014-03-01"
    assert back.descriptions == {"ar": ""}


@pytest.mark.parametrize(
    "edit",
    [
        lambda text: text + " (نسخة)",  # retitled in YouTube Studio
        lambda text: text.replace(" | ", " - "),  # a separator typed by hand
        lambda text: text.replace("الحلقة 4", "الحلقة 0"),  # no episode 0 in a catalog
    ],
)
def test_a_title_the_template_does_not_give_back_is_refused(
    definitions: Definitions, edit: Any
) -> None:
    asset = _asset(titles={"ar": "مقابلة العمل"}, episode=4)
    published, template, name, series = _published(definitions, "advisory-clips", asset)
    edited = PublishedTexts("ar", {"ar": edit(published.titles["ar"])}, published.descriptions)
    assert edited != published
    assert unrender(edited, template, name, series) is None


def test_two_languages_that_disagree_on_the_episode_are_refused(
    definitions: Definitions,
) -> None:
    asset = _asset(titles={"ar": "مقابلة العمل", "fr": "L'entretien"}, episode=4)
    published, template, name, series = _published(definitions, "advisory-clips", asset)
    french = published.titles["fr"].replace("épisode 4", "épisode 5")
    edited = PublishedTexts("ar", {**published.titles, "fr": french}, published.descriptions)
    assert unrender(edited, template, name, series) is None


def test_a_footer_edited_on_the_platform_is_refused(definitions: Definitions) -> None:
    asset = _asset(titles={"ar": "مقابلة العمل"}, episode=4, descriptions={"ar": "نص."})
    published, template, name, series = _published(definitions, "advisory-clips", asset)
    edited = PublishedTexts(
        "ar", published.titles, {"ar": published.descriptions["ar"] + "\n#ANAPEC"}
    )
    assert unrender(edited, template, name, series) is None


def test_another_series_template_does_not_take_the_texts(definitions: Definitions) -> None:
    asset = _asset(titles={"ar": "تقرير عن المنتدى", "fr": "Reportage sur le forum"})
    published, _, _, _ = _published(definitions, "reports", asset)
    other = definitions.templates["advisory"]
    assert unrender(published, other, "advisory", _series(definitions, "advisory-clips")) is None

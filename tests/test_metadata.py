"""Metadata from templates: the starter templates rendered for real assets, then checked
against YouTube's (and SlideShare's) limits before any call."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from media_hub.catalog.definitions import Definitions, TemplateDefinition, read_definitions
from media_hub.errors import ConventionsError, ValidationError
from media_hub.platforms.slideshare.metadata import render_deck_metadata
from media_hub.platforms.youtube import limits as youtube_limits
from media_hub.platforms.youtube.limits import TAGS_MAX_CHARS, tags_length
from media_hub.platforms.youtube.metadata import (
    Localization,
    VideoMetadata,
    render_video_metadata,
)

CATALOG = Path(__file__).resolve().parents[1] / "catalog"
NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def definitions() -> Definitions:
    return read_definitions(CATALOG)


def series_record(definitions: Definitions, slug: str) -> dict[str, Any]:
    """The shape `series_record` gives, from the starter series.toml."""
    series = definitions.series[slug]
    return {
        "slug": slug,
        "kind": series.kind.value,
        "names": dict(series.names),
        "descriptions": dict(series.descriptions),
        "default_language": series.default_language,
        "numbering": series.numbering.value,
        "playlists": list(series.playlists),
        "topics": list(series.topics),
        "template": series.template,
        "version": 1,
    }


def asset_record(**changes: Any) -> dict[str, Any]:
    """An advisory clip in the shape `asset_record` gives."""
    record: dict[str, Any] = {
        "id": 12,
        "kind": "video",
        "series": "advisory-clips",
        "season": None,
        "episode": 4,
        "default_language": "ar",
        "titles": {"ar": "كيف تكتب سيرتك الذاتية", "fr": "Rédiger son CV"},
        "descriptions": {
            "ar": "نصائح عملية لكتابة سيرة ذاتية واضحة.",
            "fr": "Des conseils pratiques pour un CV clair.",
        },
        "topics": ["cv", "professional-goal"],
        "recorded_date": None,
        "status": "ready",
    }
    record.update(changes)
    return record


def topic_names(definitions: Definitions) -> dict[str, Mapping[str, str]]:
    return {slug: topic.names for slug, topic in definitions.topics.items()}


def advisory(
    definitions: Definitions, asset: dict[str, Any] | None = None, **options: Any
) -> VideoMetadata:
    return render_video_metadata(
        asset or asset_record(),
        series_record(definitions, "advisory-clips"),
        definitions.templates["advisory"],
        "advisory",
        now=NOW,
        **options,
    )


def refused(action: Any) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        action()
    return caught.value


# --- rendering the starter templates -------------------------------------------------------


def test_an_advisory_clip_has_an_arabic_snippet_and_a_french_localization(
    definitions: Definitions,
) -> None:
    template = definitions.templates["advisory"]
    metadata = advisory(definitions, topics=topic_names(definitions))
    resource = metadata.to_resource()

    snippet = resource["snippet"]
    assert snippet["title"] == "كيف تكتب سيرتك الذاتية | كبسولات النصائح - الحلقة 4"
    assert snippet["description"] == (
        "نصائح عملية لكتابة سيرة ذاتية واضحة.\n\n" + template.footer["ar"]
    )
    assert snippet["defaultLanguage"] == snippet["defaultAudioLanguage"] == "ar"
    assert snippet["categoryId"] == "27"
    assert resource["localizations"] == {
        "fr": {
            "title": "Rédiger son CV | Clips conseils, épisode 4",
            "description": "Des conseils pratiques pour un CV clair.\n\n" + template.footer["fr"],
        }
    }
    assert resource["status"] == {
        "privacyStatus": "public",
        "selfDeclaredMadeForKids": False,
        "license": "youtube",
        "embeddable": True,
    }
    assert metadata.parts() == ["snippet", "status", "localizations"]


def test_tags_are_the_templates_then_new_topic_names_without_duplicates(
    definitions: Definitions,
) -> None:
    template = definitions.templates["advisory"]
    tags = advisory(definitions, topics=topic_names(definitions)).to_resource()["snippet"]["tags"]

    # "cv" is already among the template's tags in both languages; "professional-goal" is not.
    assert tags == [*template.tags, "الهدف المهني", "Objectif professionnel"]
    assert len({tag.casefold() for tag in tags}) == len(tags)
    assert advisory(definitions).tags == tuple(template.tags)


def test_a_language_without_description_borrows_the_default_languages(
    definitions: Definitions,
) -> None:
    asset = asset_record(descriptions={"ar": "وصف بالعربية فقط."})
    french = advisory(definitions, asset).localizations["fr"]
    footer = definitions.templates["advisory"].footer["fr"]
    assert french.description == "وصف بالعربية فقط.\n\n" + footer


def test_a_language_without_footer_gets_the_french_one(definitions: Definitions) -> None:
    asset = asset_record(titles={"ar": "السيرة الذاتية", "zgh": "ⴰⵎⵙⵉⵙⵙⵏ", "en": "Your CV"})
    metadata = advisory(definitions, asset)
    footer = definitions.templates["advisory"].footer["fr"]
    # Localizations follow the catalog's order of languages, whatever the record's.
    assert list(metadata.localizations) == ["en", "zgh"]
    assert metadata.localizations["zgh"].description.endswith(footer)
    assert metadata.localizations["zgh"].title == "ⴰⵎⵙⵉⵙⵙⵏ | Clips conseils, épisode 4"


def test_the_show_numbers_season_and_episode_in_both_languages(
    definitions: Definitions,
) -> None:
    asset = asset_record(
        id=30,
        series="kan-kalab-aala-khadma",
        season=2,
        episode=3,
        titles={"ar": "المقابلة الأولى", "fr": "Le premier entretien"},
        descriptions={"ar": "سعيد يستعد لمقابلته الأولى.", "fr": "Saïd prépare son entretien."},
    )
    metadata = render_video_metadata(
        asset,
        series_record(definitions, "kan-kalab-aala-khadma"),
        definitions.templates["show"],
        "show",
        now=NOW,
    )
    assert metadata.title == "المقابلة الأولى | كان كالب على خدمة - الموسم 2، الحلقة 3"
    assert metadata.description.startswith(
        "كان كالب على خدمة، الموسم 2، الحلقة 3.\n\nسعيد يستعد لمقابلته الأولى.\n\n"
    )
    french = metadata.localizations["fr"]
    assert french.title == "Le premier entretien | Kan Kalab Aala Khadma S2E3"
    # The blank line after `{% endif %}` is the template's paragraph break: kept.
    assert french.description.startswith(
        "Kan Kalab Aala Khadma, saison 2, épisode 3.\n\nSaïd prépare son entretien.\n\n"
    )
    assert metadata.category_id == "24"


def test_an_event_shows_its_date_and_sends_it_as_the_recording_date(
    definitions: Definitions,
) -> None:
    asset = asset_record(
        series="events",
        episode=None,
        titles={"ar": "منتدى التشغيل بالدار البيضاء", "fr": "Forum de l'emploi de Casablanca"},
        recorded_date="2014-03-01",
    )
    metadata = render_video_metadata(
        asset,
        series_record(definitions, "events"),
        definitions.templates["event"],
        "event",
        now=NOW,
    )
    assert "تاريخ التظاهرة: 2014-03-01" in metadata.description
    assert "Date de l'événement : 2014-03-01" in metadata.localizations["fr"].description
    assert metadata.to_resource()["recordingDetails"] == {"recordingDate": "2014-03-01T00:00:00Z"}
    undated = render_video_metadata(
        asset_record(series="events", episode=None),
        series_record(definitions, "events"),
        definitions.templates["event"],
        "event",
        now=NOW,
    )
    assert "recordingDetails" not in undated.to_resource()
    assert "2014" not in undated.description


def test_a_template_that_prints_a_missing_episode_is_refused_not_written_as_none(
    definitions: Definitions,
) -> None:
    with pytest.raises(ValidationError) as refused:
        render_video_metadata(
            asset_record(series="advisory-clips", episode=None),
            series_record(definitions, "advisory-clips"),
            definitions.templates["advisory"],
            "advisory",
            now=NOW,
        )
    assert str(refused.value) == (
        "asset 12: episode: templates/advisory.toml uses it and the asset has none; "
        "set it (catalog edit 12 --episode N)"
    )


def test_a_template_that_needs_no_series_renders_without_one(definitions: Definitions) -> None:
    metadata = render_video_metadata(
        asset_record(series=None),
        None,
        definitions.templates["educational"],
        "educational",
        now=NOW,
    )
    assert metadata.title == "كيف تكتب سيرتك الذاتية | فيلم تعليمي"


# --- YouTube's limits ------------------------------------------------------------------------


def test_a_description_pushed_over_5000_bytes_by_the_footer_is_refused(
    definitions: Definitions,
) -> None:
    long_arabic = "ن" * 2450  # 4900 bytes: the catalog accepts it, the footer does not fit
    assert len(long_arabic.encode("utf-8")) <= 5000
    error = refused(
        lambda: advisory(definitions, asset_record(descriptions={"ar": long_arabic, "fr": "."}))
    )
    assert error.field == "snippet.description"
    assert error.record == "asset 12"
    assert "bytes" in error.problem
    assert "shorten" in error.problem

    error = refused(
        lambda: advisory(definitions, asset_record(descriptions={"ar": ".", "fr": "é" * 2450}))
    )
    assert error.field == "localizations.fr.description"


def test_a_title_that_becomes_101_characters_is_refused(definitions: Definitions) -> None:
    suffix = " | كبسولات النصائح - الحلقة 4"

    def titled(length: int) -> dict[str, Any]:
        return asset_record(titles={"ar": "ا" * (length - len(suffix)), "fr": "CV"})

    assert len(advisory(definitions, titled(100)).title) == 100
    error = refused(lambda: advisory(definitions, titled(101)))
    assert error.field == "snippet.title"
    assert error.record == "asset 12"
    assert "101 characters" in error.problem


@pytest.mark.parametrize(
    ("titles", "field"),
    [
        ({"ar": "السيرة الذاتية <2014>", "fr": "CV"}, "snippet.title"),
        ({"ar": "السيرة الذاتية", "fr": "CV > lettre"}, "localizations.fr.title"),
    ],
)
def test_angle_brackets_from_a_title_are_refused(
    definitions: Definitions, titles: dict[str, str], field: str
) -> None:
    error = refused(lambda: advisory(definitions, asset_record(titles=titles)))
    assert error.field == field
    assert "'<' or '>'" in error.problem


def test_an_asset_without_a_title_in_its_default_language_is_refused(
    definitions: Definitions,
) -> None:
    error = refused(lambda: advisory(definitions, asset_record(titles={"fr": "CV"})))
    assert error.field == "snippet.title"
    assert "default language ar" in error.problem


def test_unknown_languages_are_refused(definitions: Definitions) -> None:
    error = refused(
        lambda: advisory(definitions, asset_record(titles={"ar": "CV", "es": "Currículum"}))
    )
    assert error.field == "localizations.es"
    error = refused(lambda: advisory(definitions, asset_record(default_language="es")))
    assert error.field == "snippet.defaultLanguage"


def test_a_template_without_category_cannot_make_a_video(definitions: Definitions) -> None:
    error = refused(
        lambda: render_video_metadata(
            asset_record(),
            series_record(definitions, "advisory-clips"),
            definitions.templates["deck"],
            "deck",
            now=NOW,
        )
    )
    assert error.field == "snippet.categoryId"


def test_categories_that_cannot_be_assigned_are_refused(definitions: Definitions) -> None:
    template = definitions.templates["advisory"].model_copy(update={"category": "18"})
    error = refused(
        lambda: render_video_metadata(
            asset_record(), series_record(definitions, "advisory-clips"), template, "x", now=NOW
        )
    )
    assert error.field == "snippet.categoryId"
    assert "'18'" in error.problem


def test_tags_over_500_characters_as_youtube_counts_them_are_refused(
    definitions: Definitions,
) -> None:
    many = [f"tag number {index}" for index in range(40)]
    template = definitions.templates["advisory"].model_copy(update={"tags": many})
    error = refused(
        lambda: render_video_metadata(
            asset_record(), series_record(definitions, "advisory-clips"), template, "x", now=NOW
        )
    )
    assert error.field == "snippet.tags"
    assert str(tags_length(many)) in error.problem


def test_tags_length_counts_commas_and_quote_marks() -> None:
    assert tags_length([]) == 0
    assert tags_length(["CV"]) == 2
    assert tags_length(["CV", "job search"]) == 2 + 1 + 12
    assert tags_length(["البحث عن عمل"]) == 12 + 2


_TAG_TEXT = st.text(alphabet=st.sampled_from("ab Zé نص ⵜ'-"), min_size=1, max_size=40).filter(
    lambda tag: bool(tag.strip())
)


@given(st.lists(_TAG_TEXT, max_size=30))
def test_tags_length_is_the_length_of_the_string_youtube_builds(tags: list[str]) -> None:
    joined = ",".join('"' + tag + '"' if " " in tag else tag for tag in tags)
    assert tags_length(tags) == len(joined)


@settings(max_examples=50)
@given(st.lists(_TAG_TEXT, max_size=10), st.booleans())
def test_500_characters_of_tags_pass_and_501_do_not(tags: list[str], spaced: bool) -> None:
    # Fill the list up to exactly 500 with one last tag, with or without a space in it.
    room = TAGS_MAX_CHARS - tags_length(tags) - (1 if tags else 0)
    filler = ("x " + "y" * (room - 4)) if spaced else "z" * room
    exact = [*tags, filler]
    assert tags_length(exact) == TAGS_MAX_CHARS
    assert youtube_limits.tags(exact, "snippet.tags") == exact

    over = [*tags, filler + "z"]
    with pytest.raises(ValidationError) as caught:
        youtube_limits.tags(over, "snippet.tags", record="asset 1")
    assert caught.value.field == "snippet.tags"
    assert "501 characters" in caught.value.problem


# --- privacy and scheduling --------------------------------------------------------------------


def test_a_schedule_in_the_past_is_refused(definitions: Definitions) -> None:
    error = refused(lambda: advisory(definitions, publish_at=NOW - timedelta(minutes=1)))
    assert error.field == "status.publishAt"
    assert "not in the future" in error.problem
    error = refused(lambda: advisory(definitions, publish_at=NOW))
    assert error.field == "status.publishAt"


def test_a_schedule_with_an_explicit_public_privacy_is_refused(definitions: Definitions) -> None:
    for privacy in ("public", "unlisted"):
        error = refused(
            lambda privacy=privacy: advisory(
                definitions, privacy=privacy, publish_at=NOW + timedelta(days=1)
            )
        )
        assert error.field == "status.publishAt"
        assert "private" in error.problem


def test_a_schedule_without_privacy_makes_the_video_private_until_then(
    definitions: Definitions,
) -> None:
    casablanca = timezone(timedelta(hours=1))
    metadata = advisory(
        definitions, publish_at=datetime(2026, 12, 1, 10, 30, 15, 999, tzinfo=casablanca)
    )
    status = metadata.to_resource()["status"]
    assert status["privacyStatus"] == "private"
    assert status["publishAt"] == "2026-12-01T09:30:15Z"
    explicit = advisory(definitions, privacy="private", publish_at=NOW + timedelta(hours=1))
    assert explicit.to_resource()["status"]["publishAt"] == "2026-11-29T13:00:00Z"


def test_the_privacy_option_overrides_the_template(definitions: Definitions) -> None:
    assert advisory(definitions, privacy="unlisted").privacy_status == "unlisted"
    error = refused(lambda: advisory(definitions, privacy="hidden"))
    assert error.field == "status.privacyStatus"


def test_a_schedule_without_time_zone_is_refused(definitions: Definitions) -> None:
    error = refused(lambda: advisory(definitions, publish_at=datetime(2027, 1, 1, 9, 0)))
    assert error.field == "status.publishAt"
    assert "time zone" in error.problem


# --- template errors and the sandbox -----------------------------------------------------------


def custom(definitions: Definitions, **texts: Any) -> TemplateDefinition:
    return definitions.templates["advisory"].model_copy(update=texts)


def render_custom(definitions: Definitions, template: TemplateDefinition) -> VideoMetadata:
    return render_video_metadata(
        asset_record(), series_record(definitions, "advisory-clips"), template, "custom", now=NOW
    )


def test_an_undefined_variable_names_the_template_key_and_line(definitions: Definitions) -> None:
    template = custom(definitions, description="{{ description }}\n\n{{ speaker }}")
    with pytest.raises(ConventionsError) as caught:
        render_custom(definitions, template)
    assert caught.value.path == "templates/custom.toml"
    message = str(caught.value)
    assert "description" in message
    assert "line 3" in message
    assert "'speaker' is undefined" in message
    assert "asset 12 in ar" in message


def test_a_syntax_error_names_the_template_and_line(definitions: Definitions) -> None:
    with pytest.raises(ConventionsError) as caught:
        render_custom(definitions, custom(definitions, title="{{ title }}\n{% if lang %}"))
    assert caught.value.path == "templates/custom.toml"
    assert "title" in str(caught.value)
    assert "line 2" in str(caught.value)


def test_a_broken_tag_names_the_tag(definitions: Definitions) -> None:
    with pytest.raises(ConventionsError) as caught:
        render_custom(definitions, custom(definitions, tags=["ANAPEC", "{{ nope }}"]))
    assert "tags[1]" in str(caught.value)


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__ }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ series.__init__.__globals__ }}",
        "{{ topics.append('x') }}",
        "{{ 'x' * 1000000000 }}",
        "{{ 10 ** 100000000 }}",
        "{% for i in range(10**9) %}{% endfor %}",
    ],
)
def test_the_sandbox_refuses_what_a_template_must_not_do(
    definitions: Definitions, source: str
) -> None:
    with pytest.raises(ConventionsError) as caught:
        render_custom(definitions, custom(definitions, title="{{ title }}" + source))
    assert caught.value.path == "templates/custom.toml"
    assert "line 1" in str(caught.value)


# --- drift checksum --------------------------------------------------------------------------


def test_the_checksum_is_stable_across_dict_orders(definitions: Definitions) -> None:
    asset = asset_record(titles={"ar": "السيرة الذاتية", "fr": "CV", "en": "Your CV"})
    reordered = asset_record(
        titles={"en": "Your CV", "fr": "CV", "ar": "السيرة الذاتية"},
        descriptions=dict(reversed(list(asset["descriptions"].items()))),
    )
    series = series_record(definitions, "advisory-clips")
    series_reordered = {
        **dict(reversed(list(series.items()))),
        "names": dict(reversed(list(series["names"].items()))),
    }
    first = advisory(definitions, asset)
    second = render_video_metadata(
        reordered, series_reordered, definitions.templates["advisory"], "advisory", now=NOW
    )
    assert first.checksum() == second.checksum()
    assert len(first.checksum()) == 64

    swapped = replace(first, localizations=dict(reversed(list(first.localizations.items()))))
    assert list(swapped.localizations) != list(first.localizations)
    assert swapped.checksum() == first.checksum()


def test_the_checksum_changes_with_a_title_edit(definitions: Definitions) -> None:
    before = advisory(definitions)
    after = advisory(
        definitions, asset_record(titles={"ar": "كيف تكتب سيرتك", "fr": "Rédiger son CV"})
    )
    assert before.checksum() != after.checksum()
    french = before.localizations["fr"]
    french_edit = replace(
        before, localizations={"fr": Localization("Rédiger un CV", french.description)}
    )
    assert french_edit.checksum() != before.checksum()


# --- SlideShare ---------------------------------------------------------------------------------


def deck_asset(**changes: Any) -> dict[str, Any]:
    return asset_record(
        **{
            "id": 40,
            "kind": "deck",
            "series": "cv-flyers",
            "episode": None,
            "default_language": "fr",
            "titles": {"fr": "Rédiger son CV", "ar": "كتابة السيرة الذاتية"},
            "descriptions": {"fr": "Un flyer de conseils."},
            "topics": ["cv"],
            **changes,
        }
    )


def test_a_deck_renders_in_its_default_language_for_slideshare(definitions: Definitions) -> None:
    template = definitions.templates["deck"]
    metadata = render_deck_metadata(
        deck_asset(),
        series_record(definitions, "cv-flyers"),
        template,
        "deck",
        topics=topic_names(definitions),
    )
    assert metadata.title == "Rédiger son CV | Flyers CV"
    assert metadata.description == "Un flyer de conseils.\n\n" + template.footer["fr"]
    params = metadata.to_params()
    assert set(params) == {"slideshow_title", "slideshow_description", "slideshow_tags"}
    assert params["slideshow_tags"].split(",") == list(template.tags)


def test_a_deck_description_over_3000_characters_is_refused(definitions: Definitions) -> None:
    error = refused(
        lambda: render_deck_metadata(
            deck_asset(descriptions={"fr": "é" * 2950}),
            series_record(definitions, "cv-flyers"),
            definitions.templates["deck"],
            "deck",
        )
    )
    assert error.field == "slideshow_description"
    assert error.record == "asset 40"

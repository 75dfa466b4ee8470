"""`catalog lint`: each rule on records (no catalog), then the command and its exit status."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update
from typer.testing import CliRunner

from media_hub.catalog import lint
from media_hub.catalog.definitions import Definitions, read_definitions
from media_hub.catalog.lint import LintFacts, LintProblem
from media_hub.catalog.models import Asset
from media_hub.catalog.pipeline_models import Caption, Thumbnail
from media_hub.catalog.service import CatalogService
from media_hub.cli import app
from media_hub.errors import ConventionsError
from media_hub.hub import Hub, init_hub
from media_hub.platforms import registry
from tests.librarian_helpers import make_shelf
from tests.test_refusals import invoke

CATALOG = Path(__file__).resolve().parents[1] / "catalog"
NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
SQLITE_ONLY = pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)

YOUTUBE_METADATA = registry.get("youtube").lint
SLIDESHARE_METADATA = registry.get("slideshare").lint
ALL_RULES = lint.with_platform_rules([platform.lint for platform in registry.every()])


@pytest.fixture(scope="module")
def definitions() -> Definitions:
    return read_definitions(CATALOG)


def facts(definitions: Definitions, **extra: Any) -> LintFacts:
    """The facts of a catalog holding the starter conventions, as `series_record` gives them."""
    series = {
        slug: {
            "slug": slug, "kind": s.kind.value, "names": dict(s.names),
            "descriptions": dict(s.descriptions), "default_language": s.default_language,
            "numbering": s.numbering.value, "playlists": list(s.playlists),
            "topics": list(s.topics), "template": s.template, "version": 1,
        }
        for slug, s in definitions.series.items()
    }  # fmt: skip
    return LintFacts(series=series, definitions=definitions, now=NOW, **extra)


def clip(**changes: Any) -> dict[str, Any]:
    """An advisory clip as `asset_record` gives it, breaking no rule."""
    record: dict[str, Any] = {
        "id": 12, "kind": "video", "series": "advisory-clips", "season": None, "episode": 4,
        "default_language": "ar", "titles": {"ar": "كيف تكتب سيرتك الذاتية", "fr": "Le CV"},
        "descriptions": {"fr": "Des conseils."}, "topics": ["cv"], "recorded_date": None,
        "status": "draft",
    }  # fmt: skip
    record.update(changes)
    return record


def deck(**changes: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "id": 30, "kind": "deck", "series": "cv-flyers", "episode": None,
        "default_language": "fr", "titles": {"fr": "Flyer CV"}, "descriptions": {},
    }  # fmt: skip
    return clip(**{**fields, **changes})


def problems(rule: lint.Rule, record: dict[str, Any], the_facts: LintFacts) -> list[str]:
    return [str(problem) for problem in rule(record, the_facts)]


def test_good_assets_have_no_problem(definitions: Definitions) -> None:
    assert lint.lint_records([clip(), deck()], facts(definitions), ALL_RULES) == []


def test_stored_texts(definitions: Definitions) -> None:
    record = clip(titles={"ar": "عنوان", "fr": "é" * 104}, descriptions={"ar": "ب" * 2501})
    assert problems(lint.stored_texts, record, facts(definitions)) == [
        "asset 12: title.fr: 104 characters, YouTube allows 100; shorten it",
        "asset 12: description.ar: 5002 bytes in UTF-8, YouTube allows 5000; shorten it "
        "(an Arabic letter takes 2 bytes)",
    ]


def test_youtube_metadata_as_rendered(definitions: Definitions) -> None:
    # 90 characters fit the catalog, not the template's " | Clips conseils, épisode 4".
    record = clip(titles={"ar": "عنوان", "fr": "é" * 90})
    assert problems(YOUTUBE_METADATA, record, facts(definitions)) == [
        "asset 12: localizations.fr.title: 118 characters after templating, YouTube allows "
        "100; shorten the asset's title by 18 or the template's"
    ]
    assert problems(YOUTUBE_METADATA, deck(), facts(definitions)) == []
    no_template = facts(definitions)
    no_template.series["advisory-clips"]["template"] = "gone"  # type: ignore[index]
    assert problems(YOUTUBE_METADATA, clip(), no_template) == [
        "asset 12: template: series 'advisory-clips' uses template 'gone', which is not in "
        "catalog/templates/; add templates/gone.toml or change the series"
    ]


def test_slideshare_metadata_as_rendered(definitions: Definitions) -> None:
    record = deck(descriptions={"fr": "x" * 3000})  # plus the template's footer
    [found] = SLIDESHARE_METADATA(record, facts(definitions))
    assert found.field == "slideshow_description"
    assert "characters after templating (footer included), at most 3000" in found.message
    assert problems(SLIDESHARE_METADATA, clip(), facts(definitions)) == []


def test_required_titles(definitions: Definitions) -> None:
    assert problems(lint.required_titles, clip(titles={"ar": "عنوان"}), facts(definitions)) == [
        "asset 12: title.fr: no French title, which every video has; add it with "
        "'media-hub catalog edit 12 --title fr=TEXT'"
    ]
    assert [p.field for p in lint.required_titles(clip(titles={}), facts(definitions))] == [
        "title.ar",
        "title.fr",
    ]
    assert problems(lint.required_titles, deck(), facts(definitions)) == []  # decks: any


def test_episode_numbers(definitions: Definitions) -> None:
    the_facts = facts(definitions)
    assert problems(lint.episode_numbers, clip(episode=None), the_facts) == [
        "asset 12: episode: series 'advisory-clips' numbers its episodes; give this one its "
        "number with 'media-hub catalog edit 12 --episode N'"
    ]
    show = clip(series="kan-kalab-aala-khadma", season=None, episode=None)
    assert [p.field for p in lint.episode_numbers(show, the_facts)] == ["season", "episode"]
    assert lint.episode_numbers(clip(series="reports", episode=None), the_facts) == []
    assert lint.episode_numbers(clip(series=None, episode=None), the_facts) == []


def test_chosen_thumbnail(definitions: Definitions) -> None:
    ingested = facts(definitions, ingested=frozenset({12}))
    assert problems(lint.chosen_thumbnail, clip(), ingested) == [
        "asset 12: thumbnail: none chosen; run 'media-hub thumbs make 12' "
        "(or 'thumbs pick' or 'thumbs set')"
    ]
    chosen = facts(definitions, ingested=frozenset({12}), chosen_thumbnails=frozenset({12}))
    assert lint.chosen_thumbnail(clip(), chosen) == []
    assert lint.chosen_thumbnail(clip(), facts(definitions)) == []  # no file yet


def test_required_captions(definitions: Definitions) -> None:
    series = definitions.series["advisory-clips"].model_copy(update={"captions": ["ar", "fr"]})
    asking = definitions.model_copy(
        update={"series": {**definitions.series, "advisory-clips": series}}
    )
    the_facts = facts(asking, captions={12: frozenset({"ar"})})
    assert problems(lint.required_captions, clip(status="published"), the_facts) == [
        "asset 12: captions.fr: series 'advisory-clips' asks for French captions and none "
        "are recorded; put VIDEO.fr.srt beside the video and upload it"
    ]
    assert lint.required_captions(clip(status="ready"), the_facts) == []  # not yet uploaded
    assert lint.required_captions(clip(status="published"), facts(definitions)) == []


def test_series_captions_are_checked_when_read(tmp_path: Path) -> None:
    init_hub(tmp_path / "hub")
    folder = tmp_path / "hub" / "catalog"
    series = folder / "series.toml"
    text = series.read_text(encoding="utf-8")
    show = 'template = "show"\n'
    series.write_text(text.replace(show, show + 'captions = ["ar", "fr"]\n'), encoding="utf-8")
    assert read_definitions(folder).series["kan-kalab-aala-khadma"].captions == ["ar", "fr"]

    series.write_text(text.replace(show, show + 'captions = ["de"]\n'), encoding="utf-8")
    with pytest.raises(ConventionsError, match=r"captions.de: unknown language code 'de'"):
        read_definitions(folder)


# Through the catalog


@pytest.fixture
def shelf(catalog: CatalogService) -> dict[str, int]:
    return make_shelf(catalog)


@SQLITE_ONLY
def _summary(stderr: str) -> str:
    """stderr without the warnings about the starter's placeholder branding (the test hub
    keeps it; tests/test_placeholder_branding.py checks them)."""
    kept = [line for line in stderr.splitlines(keepends=True)
            if not line.startswith("warning: catalog/branding/")]  # fmt: skip
    return "".join(kept)


def test_lint_command_exit_status(hub: Hub, shelf: dict[str, int], runner: CliRunner) -> None:
    clip2 = shelf["clip2"]  # an advisory clip with an Arabic title only

    failing = runner.invoke(app, ["catalog", "lint"])

    assert failing.exit_code == 1, failing.output
    assert failing.stdout == (
        f"asset {clip2}: title.fr: no French title, which every video has; add it with "
        f"'media-hub catalog edit {clip2} --title fr=TEXT'\n"
    )
    assert _summary(failing.stderr) == "1 problem in 1 of 4 assets\n"

    passing = invoke(runner, "catalog", "lint", "series:cv-flyers")
    assert (passing.stdout, _summary(passing.stderr)) == ("", "1 asset checked, no problems\n")

    invoke(runner, "catalog", "edit", str(clip2), "--title", "fr=L'entretien")
    assert _summary(invoke(runner, "catalog", "lint").stderr) == "4 assets checked, no problems\n"

    bad_query = runner.invoke(app, ["catalog", "lint", "episode:x"])
    assert bad_query.exit_code == 1
    assert bad_query.stderr == "error: query: episode: 'x' is not a whole number\n"


@SQLITE_ONLY
def test_lint_reads_files_thumbnails_and_captions(
    hub: Hub, shelf: dict[str, int], runner: CliRunner
) -> None:
    clip1, show = shelf["clip1"], shelf["show"]
    with hub.db.session() as session:
        session.execute(
            update(Asset).where(Asset.id.in_([clip1, show])).values(source_key="masters/x.mp4")
        )
        session.add(
            Thumbnail(
                asset_id=show, role="candidate", chosen=True, store_key="t", width=1, height=1
            )
        )
        session.add(Caption(asset_id=clip1, lang="ar", format="srt", store_key="c"))
    series = hub.settings.definitions_dir / "series.toml"
    text = series.read_text(encoding="utf-8")
    series.write_text(
        text.replace('template = "advisory"\n', 'template = "advisory"\ncaptions = ["ar", "fr"]\n'),
        encoding="utf-8",
    )
    invoke(runner, "catalog", "edit", str(clip1), "--status", "published")

    result = runner.invoke(app, ["catalog", "lint", "--json", f"id:{clip1}"])

    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f'[{{"asset": {clip1}, "field": "thumbnail", "problem": "none chosen; run '
        f"'media-hub thumbs make {clip1}' (or 'thumbs pick' or 'thumbs set')\", "
        '"warning": false},',
        f' {{"asset": {clip1}, "field": "captions.fr", "problem": "series \'advisory-clips\' '
        "asks for French captions and none are recorded; put VIDEO.fr.srt beside the video "
        'and upload it", "warning": false}]',
    ]
    assert invoke(runner, "catalog", "lint", f"id:{show}").stderr.endswith("no problems\n")


def test_problem_lines_name_the_asset_the_field_and_the_fix() -> None:
    problem = LintProblem(12, "title.fr", "104 characters, YouTube allows 100; shorten it")
    assert str(problem) == "asset 12: title.fr: 104 characters, YouTube allows 100; shorten it"

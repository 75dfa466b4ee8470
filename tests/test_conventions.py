"""The channel's conventions under catalog/: checked, loaded idempotently, changes reported."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from media_hub.catalog.definitions import read_definitions
from media_hub.catalog.models import AuditEntry, Series
from media_hub.cli import app
from media_hub.errors import ConventionsError
from media_hub.hub import Hub, starter_conventions


def test_the_starter_conventions_are_valid_and_bilingual() -> None:
    definitions = read_definitions(starter_conventions())
    assert {"advisory-clips", "kan-kalab-aala-khadma", "cv-flyers"} <= set(definitions.series)
    for slug, series in definitions.series.items():
        assert {"ar", "fr"} <= set(series.names), slug
    assert definitions.series["kan-kalab-aala-khadma"].numbering.value == "season-episode"
    assert {"cv", "job-interview", "job-search", "professional-goal"} <= set(definitions.topics)


def test_loading_twice_changes_nothing_the_second_time(hub: Hub, runner: CliRunner) -> None:
    result = runner.invoke(app, ["conventions", "load"])
    assert result.exit_code == 0, result.stderr
    assert "no changes" in result.stdout
    assert "added" not in result.stdout


def test_an_edited_name_is_applied_reported_and_audited(hub: Hub, runner: CliRunner) -> None:
    series_file = hub.settings.definitions_dir / "series.toml"
    series_file.write_text(
        series_file.read_text().replace('fr = "Reportages"', 'fr = "Reportages ANAPEC"', 1)
    )
    dry = runner.invoke(app, ["conventions", "load", "--dry-run"])
    assert dry.exit_code == 0, dry.stderr
    assert "would be changed series reports: names" in dry.stdout
    assert hub.catalog.series_detail("reports")["names"]["fr"] == "Reportages"

    applied = runner.invoke(app, ["conventions", "load"])
    assert applied.exit_code == 0, applied.stderr
    assert "changed series reports: names" in applied.stdout
    assert "Reportages ANAPEC" in applied.stdout
    assert hub.catalog.series_detail("reports")["names"]["fr"] == "Reportages ANAPEC"
    with hub.db.session() as session:
        series_id = session.scalar(select(Series.id).where(Series.slug == "reports"))
        entries = list(
            session.scalars(
                select(AuditEntry).where(
                    AuditEntry.record_type == "series",
                    AuditEntry.record_id == series_id,
                    AuditEntry.action == "update",
                )
            )
        )
    assert [(e.field, e.user) for e in entries] == [("names", "librarian")]
    assert entries[0].new_value is not None
    assert "Reportages ANAPEC" in entries[0].new_value


def test_a_series_no_longer_in_the_files_is_kept_and_reported(hub: Hub, runner: CliRunner) -> None:
    series_file = hub.settings.definitions_dir / "series.toml"
    text = series_file.read_text()
    start = text.index("[series.events]")
    end = text.index("[series.", start + 1)
    series_file.write_text(text[:start] + text[end:])
    result = runner.invoke(app, ["conventions", "load"])
    assert result.exit_code == 0, result.stderr
    assert "kept series events" in result.stdout
    assert hub.catalog.series_detail("events")["slug"] == "events"


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("series.toml", 'playlists = ["reports"]', 'playlists = ["nowhere"]',
         "series.toml: series.reports.playlists: no playlist 'nowhere'"),
        ("series.toml", 'template = "report"', 'template = "missing"',
         "series.reports.template: no file templates/missing.toml"),
        ("series.toml", "[series.reports]", "[series.Bad_Slug]", "series.Bad_Slug"),
        ("series.toml", 'numbering = "none"', 'numbering = "chapters"', "numbering"),
        ("topics.toml", "[topics.cv]", "[topics.cv]\ncolour = 'red'", "topics.cv.colour"),
        ("playlists.toml", '\nkind = "deck"', '\nkind = "podcast"', "kind"),
        ("templates/deck.toml", 'title = "', 'title = "{% if %}', "title: template error"),
        (
            "templates/report.toml",
            'title = { ar = "',
            'title = { ar = "{% if %}',
            "title.ar: template error",
        ),
        ("templates/report.toml", 'title = { ar = "', 'title = { xx = "x", ar = "', "title: "),
    ],
)  # fmt: skip
def test_a_mistake_names_the_file_and_key_and_changes_nothing(
    hub: Hub, runner: CliRunner, file: str, old: str, new: str, message: str
) -> None:
    path: Path = hub.settings.definitions_dir / file
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    before = _audit_count(hub)
    result = runner.invoke(app, ["conventions", "load"])
    assert result.exit_code != 0
    assert result.stderr.startswith("error: ")
    assert message in result.stderr
    assert str(path) in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert _audit_count(hub) == before
    with pytest.raises(ConventionsError):
        read_definitions(hub.settings.definitions_dir)


def _audit_count(hub: Hub) -> int:
    with hub.db.session() as session:
        return int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


@pytest.mark.parametrize(
    ("platforms", "message"),
    [
        ('["vimeo"]', "unknown platform 'vimeo'; known: youtube, slideshare"),
        ('["slideshare"]', "holds videos, which SlideShare does not take"),
    ],
)
def test_a_series_naming_a_platform_it_cannot_use_is_refused(
    hub: Hub, runner: CliRunner, platforms: str, message: str
) -> None:
    path: Path = hub.settings.definitions_dir / "series.toml"
    text = path.read_text()
    assert 'platforms = ["youtube"]' in text
    path.write_text(text.replace('platforms = ["youtube"]', f"platforms = {platforms}", 1))
    before = _audit_count(hub)
    result = runner.invoke(app, ["conventions", "load"])
    assert result.exit_code == 5
    [line] = result.stderr.splitlines()
    assert line.startswith("error: series.toml: series 'advisory-clips'")
    assert message in line
    assert _audit_count(hub) == before


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("{{ recorded_date }}", "{{ recorded_date | nofilter }}",
         "description.ar: line 3: no filter named 'nofilter'"),
        ("{% if recorded_date %}", "{% if recorded_date is arabicish %}",
         "description.ar: line 3: no test named 'arabicish'"),
        ("{{ title }} | Reportage", "{{ title }} | Reportage {% endif %}",
         "title.fr: template error line 1: Encountered unknown tag 'endif'"),
    ],
    ids=["a filter in a branch", "a test", "a syntax error"],
)  # fmt: skip
def test_a_template_that_would_fail_when_rendered_is_refused_at_load(
    hub: Hub, runner: CliRunner, old: str, new: str, message: str
) -> None:
    """Jinja2 checks a branch's filters only when the branch runs: the load checks them all."""
    path = hub.settings.definitions_dir / "templates" / "report.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    series_file = hub.settings.definitions_dir / "series.toml"
    series_file.write_text(
        series_file.read_text().replace('fr = "Reportages"', 'fr = "Reportages ANAPEC"', 1)
    )
    result = runner.invoke(app, ["conventions", "load"])
    assert result.exit_code == 5, result.output
    [line] = result.stderr.splitlines()
    assert line.startswith(f"error: {path}: {message}")
    assert hub.catalog.series_detail("reports")["names"]["fr"] == "Reportages"  # not applied


def test_a_dry_run_shows_values_as_the_files_write_them(hub: Hub, runner: CliRunner) -> None:
    series_file = hub.settings.definitions_dir / "series.toml"
    text = series_file.read_text(encoding="utf-8")
    start = text.index("[series.reports]")
    end = text.index("[series.", start + 1)
    section = text[start:end]
    assert 'numbering = "none"' in section
    edited = section.replace('numbering = "none"', 'numbering = "episode"')
    series_file.write_text(text[:start] + edited + text[end:], encoding="utf-8")
    dry = runner.invoke(app, ["conventions", "load", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "would be changed series reports: numbering: 'none' → 'episode'" in dry.stdout

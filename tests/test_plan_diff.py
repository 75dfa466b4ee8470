"""The plan's `field: old → new` lines."""

from __future__ import annotations

from media_hub.platforms.diff import field_changes

FSI, PDI = "\u2068", "\u2069"


def test_nested_fields_are_dotted_and_only_changes_listed() -> None:
    want = {
        "snippet": {"title": "B", "tags": ["cv", "emploi"]},
        "localizations": {"fr": {"title": "T"}},
    }
    have = {"snippet": {"title": "A", "tags": ["cv", "emploi"]}, "localizations": {}}
    assert field_changes(want, have) == [
        "localizations.fr.title: ∅ → 'T'",
        "snippet.title: 'A' → 'B'",
    ]


def test_a_long_text_is_shown_from_where_it_changes() -> None:
    footer = "Site officiel : https://www.anapec.org\n" * 3
    [line] = field_changes({"description": footer + "Fin."}, {"description": footer + "Début."})
    assert line.startswith("description: …'")
    assert "Fin." in line
    assert "Début." in line


def test_arabic_values_are_isolated() -> None:
    [line] = field_changes({"title": "السيرة الذاتية"}, {"title": "مقابلة العمل"})
    assert line == f"title: {FSI}'مقابلة العمل'{PDI} → {FSI}'السيرة الذاتية'{PDI}"

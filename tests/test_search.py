"""Searching the catalog: however a word was typed (tashkeel, hamza, accents, case), it is found.

The search itself runs against both engines; the folding it rests on is checked with Hypothesis.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from media_hub.catalog.assets import AssetEdit, NewAsset
from media_hub.catalog.query import AssetQuery
from media_hub.catalog.service import CatalogService
from media_hub.catalog.text import fold, search_document, search_words
from media_hub.catalog.vocabulary import AssetKind, AssetStatus
from media_hub.cli import app
from media_hub.errors import ValidationError
from media_hub.hub import Hub

# Fathatan .. sukun, and the superscript alef: the marks a writer may or may not type.
TASHKEEL = [chr(code) for code in range(0x064B, 0x0653)] + ["\u0670"]
ARABIC_LETTERS = [chr(code) for code in range(0x0621, 0x063B)] + [
    chr(code) for code in range(0x0641, 0x064B)
]


@pytest.fixture
def shelf(catalog: CatalogService) -> dict[str, int]:
    def add(**fields: Any) -> int:
        return int(catalog.add(NewAsset(**fields))["id"])

    ids = {
        # Title with full tashkeel and the article: "How to write your CV".
        "cv": add(
            kind=AssetKind.VIDEO, series="advisory-clips", episode=1, topics=["cv"],
            titles={"ar": "كَيْفَ تَكْتُبُ السِّيرَةَ الذَّاتِيَّةَ", "fr": "Rédiger son CV"},
        ),
        # Title without tashkeel, hamza on alef: "Job interview questions".
        "interview": add(
            kind=AssetKind.VIDEO, series="advisory-clips", episode=2, topics=["job-interview"],
            titles={"ar": "أسئلة مقابلة العمل", "fr": "Les questions de l'entretien"},
            descriptions={"fr": "Préparer l'ENTRETIEN d'embauche avec un conseiller."},
        ),
        # Hamza below alef; French without the accents it should have.
        "training": add(
            kind=AssetKind.VIDEO, series="educational-films", topics=["training"],
            titles={"ar": "إعداد المشروع المهني", "fr": "Preparer son projet professionnel"},
        ),
        "flyer": add(
            kind=AssetKind.DECK, series="cv-flyers", topics=["cv"],
            titles={"fr": "Le CV : modèle à télécharger"},
        ),
        "wildcards": add(
            kind=AssetKind.VIDEO, series="reports",
            titles={"fr": "Taux_emploi 2024 : 100% des inscrits", "en": "abc report"},
        ),
        "archived": add(
            kind=AssetKind.VIDEO, series="reports", titles={"ar": "تقرير السيرة القديم"}
        ),
    }  # fmt: skip
    catalog.edit(ids["interview"], AssetEdit(status=AssetStatus.READY))
    catalog.archive(ids["archived"])
    return ids


def found(catalog: CatalogService, text: str, **filters: Any) -> list[int]:
    return [record["id"] for record in catalog.find(AssetQuery(text=text, **filters))]


def names(shelf: dict[str, int], *keys: str) -> list[int]:
    return sorted(shelf[key] for key in keys)


def test_arabic_with_or_without_tashkeel(catalog: CatalogService, shelf: dict[str, int]) -> None:
    # Stored with tashkeel, searched without.
    assert found(catalog, "الذاتية") == names(shelf, "cv")
    assert found(catalog, "تكتب") == names(shelf, "cv")
    # Stored without tashkeel, searched with it.
    assert found(catalog, "مُقَابَلَةِ") == names(shelf, "interview")
    assert found(catalog, "الْعَمَلُ") == names(shelf, "interview")
    # Both sides with different marks.
    assert found(catalog, "السَّيْرَةِ") == names(shelf, "cv")
    assert found(catalog, "مكتبة") == []


def test_hamza_on_alef_does_not_matter(catalog: CatalogService, shelf: dict[str, int]) -> None:
    assert found(catalog, "اسئلة") == names(shelf, "interview")
    assert found(catalog, "أسئلة") == names(shelf, "interview")
    assert found(catalog, "إسئلة") == names(shelf, "interview")
    assert found(catalog, "اعداد") == names(shelf, "training")
    assert found(catalog, "أعداد") == names(shelf, "training")


def test_arabic_word_inside_its_article(catalog: CatalogService, shelf: dict[str, int]) -> None:
    assert found(catalog, "سيرة") == names(shelf, "cv")
    assert found(catalog, "السيرة") == names(shelf, "cv")
    assert found(catalog, "سيره") == names(shelf, "cv")  # teh marbuta typed as heh
    assert found(catalog, "سيرة", include_archived=True) == names(shelf, "cv", "archived")


def test_inflected_words_find_each_other_through_their_stems(
    catalog: CatalogService, shelf: dict[str, int]
) -> None:
    your_cv = int(
        catalog.add(
            NewAsset(kind=AssetKind.VIDEO, series="reports",
                     titles={"ar": "كيف تكتب سيرتك", "fr": "Réussir ses entretiens"})
        )["id"]
    )  # fmt: skip
    # "سيرتك" (your CV) holds no "سيرة" (CV): found by its stem, as the others by substring.
    assert found(catalog, "سيرة") == sorted([*names(shelf, "cv"), your_cv])
    assert found(catalog, "سيرتك") == sorted([*names(shelf, "cv"), your_cv])
    assert found(catalog, "entretiens") == sorted([*names(shelf, "interview"), your_cv])
    assert found(catalog, "entretien") == sorted([*names(shelf, "interview"), your_cv])
    assert found(catalog, "مكتبة") == []  # a stem is a whole token, not any substring


def test_french_accents_and_case(catalog: CatalogService, shelf: dict[str, int]) -> None:
    assert found(catalog, "entretien") == names(shelf, "interview")
    assert found(catalog, "ENTRETIEN") == names(shelf, "interview")
    assert found(catalog, "Entretien") == names(shelf, "interview")
    assert found(catalog, "rediger") == names(shelf, "cv")
    assert found(catalog, "RÉDIGER") == names(shelf, "cv")
    # Stored without accents, searched with them; in a description.
    assert found(catalog, "préparer") == names(shelf, "interview", "training")
    assert found(catalog, "modele") == names(shelf, "flyer")
    assert found(catalog, "TÉLÉCHARGER") == names(shelf, "flyer")
    assert found(catalog, "cv") == names(shelf, "cv", "flyer")


def test_french_elision_is_taken_off_both_sides(catalog: CatalogService) -> None:
    """No "l" or "d" in the title: the elided article of the query must not be a word."""
    interview = int(
        catalog.add(NewAsset(kind=AssetKind.VIDEO, series="reports", titles={"fr": "Entretien"}))[
            "id"
        ]
    )
    preparing = int(
        catalog.add(
            NewAsset(kind=AssetKind.VIDEO, series="reports", titles={"fr": "Préparer l’embauche"})
        )["id"]
    )
    assert found(catalog, "l'entretien") == [interview]
    assert found(catalog, "D’ENTRETIENS") == [interview]
    assert found(catalog, "qu'entretien") == [interview]
    assert found(catalog, "embauche") == [preparing]
    assert found(catalog, "d'embauche") == [preparing]
    assert search_words("l'entretien d’embauche aujourd'hui") == [
        "entretien", "embauche", "aujourd", "hui"
    ]  # fmt: skip


def test_several_words_combine_with_and(catalog: CatalogService, shelf: dict[str, int]) -> None:
    assert found(catalog, "cv modèle") == names(shelf, "flyer")
    assert found(catalog, "rédiger cv") == names(shelf, "cv")
    assert found(catalog, "cv entretien") == []
    # Words may come from different languages of the same asset.
    assert found(catalog, "سيرة Rédiger") == names(shelf, "cv")
    assert found(catalog, "سيرة modèle") == []
    assert found(catalog, "  préparer,   projet!  ") == names(shelf, "training")


def test_filters_combine_with_the_text(catalog: CatalogService, shelf: dict[str, int]) -> None:
    assert found(catalog, "cv", series="cv-flyers") == names(shelf, "flyer")
    assert found(catalog, "cv", series="advisory-clips") == names(shelf, "cv")
    assert found(catalog, "cv", kind=AssetKind.DECK) == names(shelf, "flyer")
    assert found(catalog, "préparer", topic="training") == names(shelf, "training")
    assert found(catalog, "préparer", topic="cv") == []
    assert found(catalog, "préparer", status=AssetStatus.READY) == names(shelf, "interview")
    assert found(catalog, "السيرة", status=AssetStatus.ARCHIVED) == names(shelf, "archived")
    # The language filter asks for the words in that language's text.
    assert found(catalog, "cv", language="fr") == names(shelf, "cv", "flyer")
    assert found(catalog, "سيرة", language="fr") == []
    assert found(catalog, "سيرة", language="ar") == names(shelf, "cv")
    assert found(catalog, "préparer", series="educational-films", language="fr") == names(
        shelf, "training"
    )


def test_like_wildcards_are_literal(catalog: CatalogService, shelf: dict[str, int]) -> None:
    # `_` is a word character: it must match only itself, not any one character.
    assert found(catalog, "a_c") == []
    assert found(catalog, "_") == names(shelf, "wildcards")
    assert found(catalog, "x_e") == names(shelf, "wildcards")
    assert found(catalog, "taux_emploi") == names(shelf, "wildcards")
    # `%` is not a word: it neither matches everything nor stops the word before it.
    assert found(catalog, "100%") == names(shelf, "wildcards")
    assert found(catalog, "abc%") == names(shelf, "wildcards")
    with pytest.raises(ValidationError, match="has no words"):
        found(catalog, "%")


def test_a_query_without_words_is_refused(catalog: CatalogService) -> None:
    for query in ("", "   ", "%", "%%", "?! …", "\u064e\u0651"):  # the last: tashkeel only
        with pytest.raises(ValidationError) as refused:
            catalog.find(AssetQuery(text=query))

        assert refused.value.field == "search"
        assert str(refused.value) == f"search: {query!r} has no words to search for"


def test_search_command(hub: Hub, shelf: dict[str, int], runner: CliRunner) -> None:
    result = runner.invoke(app, ["catalog", "search", "السيرة", "--json"])
    assert result.exit_code == 0, result.stderr
    assert [record["id"] for record in json.loads(result.stdout)] == names(shelf, "cv")

    result = runner.invoke(app, ["catalog", "search", "سيرة", "--all", "--format", "csv"])
    assert result.exit_code == 0, result.stderr
    assert [line.split(",")[0] for line in result.stdout.splitlines()[1:]] == [
        str(i) for i in names(shelf, "cv", "archived")
    ]

    refused = runner.invoke(app, ["catalog", "search", "?!"])
    assert refused.exit_code == 1
    assert refused.stdout == ""
    assert refused.stderr == "error: search: '?!' has no words to search for\n"


# The folding, for any text


@given(st.text())
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@given(st.text(alphabet=st.sampled_from([*ARABIC_LETTERS, "\u0640", " ", "a", "B", "é"])))
def test_fold_is_idempotent_on_arabic(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@st.composite
def with_tashkeel(draw: st.DrawFn) -> tuple[str, str]:
    """A text of Arabic letters (and some spaces, Latin and digits), and the same text with
    tashkeel marks inserted at random places."""
    base = draw(st.lists(st.sampled_from([*ARABIC_LETTERS, " ", "ـ", "a", "É", "7"]), max_size=40))
    marked: list[str] = []
    for char in base:
        marked.append(char)
        marked.extend(draw(st.lists(st.sampled_from(TASHKEEL), max_size=3)))
    leading = draw(st.lists(st.sampled_from(TASHKEEL), max_size=2))
    return "".join(base), "".join([*leading, *marked])


@given(with_tashkeel())
def test_tashkeel_folds_away(texts: tuple[str, str]) -> None:
    bare, marked = texts
    assert fold(marked) == fold(bare)
    assert search_words(marked) == search_words(bare)
    assert search_document(marked) == search_document(bare)


@given(st.sampled_from(["أ", "إ", "آ", "ا"]), st.text(alphabet=ARABIC_LETTERS, max_size=10))
def test_alef_variants_fold_alike(alef: str, rest: str) -> None:
    assert fold(alef + rest) == fold("ا" + rest)

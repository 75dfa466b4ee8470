"""The trigram search index (migration 0012): kept current by every writer, used by the
query, and finding exactly what reading the texts finds."""

from __future__ import annotations

import importlib
import itertools

import pytest
from sqlalchemy import delete, insert, text, update

from media_hub.catalog import search_index
from media_hub.catalog.assets import AssetEdit, NewAsset
from media_hub.catalog.models import AssetText
from media_hub.catalog.query import AssetQuery, _filtered
from media_hub.catalog.querylang import parse_query
from media_hub.catalog.service import CatalogService
from media_hub.catalog.text import search_document, search_words
from media_hub.catalog.vocabulary import LANGUAGES, AssetKind
from media_hub.hub import Hub

TEXTS = [
    {"ar": "كَيْفَ تَكْتُبُ السِّيرَةَ الذَّاتِيَّةَ", "fr": "Rédiger son CV"},
    {"ar": "أسئلة مقابلة العمل", "fr": "Les questions de l'entretien d'embauche"},
    {"fr": "Les entretiens collectifs", "en": "Group interviews"},
    {"zgh": "ⴰⵏⵇⵇⴰⵙ ⵏ ⵜⵡⵓⵔⵉ", "fr": "Reportage : le salon de l'emploi"},
    {"ar": "رسالة التحفيز", "fr": "La lettre de motivation, pas à pas"},
]


def _ids(catalog: CatalogService, words: str) -> list[int]:
    return [record["id"] for record in catalog.find(parse_query([words]))]


@pytest.fixture
def shelf(catalog: CatalogService) -> list[int]:
    return [
        int(catalog.add(NewAsset(kind=AssetKind.VIDEO, titles=titles))["id"]) for titles in TEXTS
    ]


@pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)
def test_the_index_finds_what_reading_the_texts_finds(
    hub: Hub, catalog: CatalogService, shelf: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    with hub.db.session() as session:
        assert search_index.has_index(session)
    words = sorted({w for t in TEXTS for value in t.values() for w in search_words(value)})
    pieces = {word[1:4] for word in words if len(word) > 4}  # inside words, as LIKE finds
    queries = [*words, *pieces, "entretien lang:fr", "interviews lang:fr", "سيرة", "ca"]
    queries += [f"{a} {b}" for a, b in itertools.combinations(["cv", "rediger", "son"], 2)]
    through_index = {query: _ids(catalog, query) for query in queries}
    monkeypatch.setattr(search_index, "has_index", lambda session: False)
    reading = {query: _ids(catalog, query) for query in queries}
    assert through_index == reading
    assert through_index["entretien"] == [shelf[1], shelf[2]]  # the plural by its stem too
    assert through_index["interviews lang:fr"] == []


@pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)
def test_every_writer_keeps_the_index_current(
    hub: Hub, catalog: CatalogService, shelf: list[int]
) -> None:
    catalog.edit(shelf[0], AssetEdit(titles={"fr": "Un curriculum vitae parfait"}))
    assert _ids(catalog, "curriculum") == [shelf[0]]
    assert _ids(catalog, "rediger") == []
    with hub.db.session() as session:  # core statements, as imports and benchmarks write
        session.execute(
            insert(AssetText),
            [{"asset_id": shelf[3], "lang": "en", "title": "Job fair",
              "description": "", "search_text": search_document("Job fair")}],
        )  # fmt: skip
        session.execute(
            update(AssetText)
            .where(AssetText.asset_id == shelf[4], AssetText.lang == "fr")
            .values(search_text=search_document("Cover letter step by step"))
        )
        session.execute(delete(AssetText).where(AssetText.asset_id == shelf[1]))
    assert _ids(catalog, "fair") == [shelf[3]]
    assert _ids(catalog, "salon") == [shelf[3]]  # its other language still found
    assert _ids(catalog, "cover") == [shelf[4]]
    assert _ids(catalog, "motivation") == []
    assert _ids(catalog, "مقابلة") == []
    with hub.db.session() as session:
        rows = session.execute(text("SELECT count(*) FROM asset_search")).scalar()
        texts = session.execute(text("SELECT count(*) FROM asset_texts")).scalar()
    assert rows == texts  # a row per text, none left behind


def test_the_index_numbers_rows_as_its_migration_does() -> None:
    migration = importlib.import_module("media_hub.catalog.migrations.versions.0012_search_index")
    assert (migration.PLACES, migration.SLOTS) == (search_index.PLACES, search_index.SLOTS)
    assert set(search_index.PLACES) == set(LANGUAGES)
    assert max(search_index.PLACES.values()) < search_index.SLOTS - 1  # the last: unknown


def test_the_query_goes_through_the_index(
    hub: Hub, catalog: CatalogService, shelf: list[int]
) -> None:
    with hub.db.session() as session:
        statement = _filtered(session, AssetQuery(text="entretien"))
        compiled = statement.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
        if session.get_bind().dialect.name == "sqlite":
            plan = session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")).all()
            assert any("asset_search VIRTUAL TABLE" in str(row) for row in plan), plan
        else:
            session.execute(text("SET LOCAL enable_seqscan = off"))  # a table this small
            plan = session.execute(text(f"EXPLAIN {compiled}")).all()
            assert any("asset_texts_search_trgm" in str(row) for row in plan), plan
    assert _ids(catalog, "entretien") == [shelf[1], shelf[2]]

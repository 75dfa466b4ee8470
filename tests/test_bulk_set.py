"""`catalog set QUERY FIELD=VALUE...`: the query language, the assignments, preview and apply."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from media_hub.catalog.bulk import BulkEditError
from media_hub.catalog.librarian import LibrarianService
from media_hub.catalog.query import AssetQuery, Range
from media_hub.catalog.querylang import (
    Assignment,
    parse_assignments,
    parse_query,
    split_arguments,
)
from media_hub.catalog.service import CatalogService
from media_hub.catalog.vocabulary import AssetKind, AssetStatus
from media_hub.cli import app
from media_hub.errors import ValidationError
from media_hub.hub import Hub
from tests.librarian_helpers import make_shelf, shown
from tests.test_refusals import assert_refused, catalog_state, invoke

SQLITE_ONLY = pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)


@pytest.fixture
def shelf(catalog: CatalogService) -> dict[str, int]:
    return make_shelf(catalog)


# The query language


def ranged(*ranges: Range) -> AssetQuery:
    return AssetQuery(ranges=ranges)


YEAR_2014 = Range("recorded_date", date(2014, 1, 1), date(2014, 12, 31))


@pytest.mark.parametrize(
    ("terms", "expected"),
    [
        ([], AssetQuery()),
        (
            ["series:advisory-clips topic:cv", "status:draft", "kind:video", "lang:fr"],
            AssetQuery(
                series="advisory-clips", topic="cv", status=AssetStatus.DRAFT,
                kind=AssetKind.VIDEO, language="fr",
            ),
        ),
        (["episode:3..7"], ranged(Range("episode", 3, 7))),
        (["episode:3.."], ranged(Range("episode", 3, None))),
        (["season:..2", "id:40"], ranged(Range("id", 40, 40), Range("season", None, 2))),
        (["recorded:2014-01-01..2014-12-31"], ranged(YEAR_2014)),
        (["recorded:2014"], ranged(YEAR_2014)),
        (["recorded:2016-02.."], ranged(Range("recorded_date", date(2016, 2, 1), None))),
        (["recorded:..2016-02"], ranged(Range("recorded_date", None, date(2016, 2, 29)))),
        (
            ["entretien", "سيرة status:ready", "10:30"],
            AssetQuery(status=AssetStatus.READY, text="entretien سيرة 10:30"),
        ),
    ],
    ids=["nothing", "single terms", "range", "open high", "open low and one id", "dates",
         "a year", "from a month", "to a month", "words"],
)  # fmt: skip
def test_queries_parse(terms: list[str], expected: AssetQuery) -> None:
    assert parse_query(terms) == expected


@pytest.mark.parametrize(
    ("term", "message"),
    [
        ("serie:advisory", "query: unknown term 'serie:advisory'; use series:, topic:, status:, "
         "kind:, lang:, playlist:, platform:, id:, season:, episode:, recorded: or plain words"),
        ("series:", "query: 'series:' needs a value, as in series:advisory-clips"),
        ("series:a series:b", "query: series: is given twice; give it once"),
        ("series:Advisory", "query series: 'Advisory' is not a slug; use lowercase letters, "
         "digits and single hyphens (at most 64 characters)"),
        ("status:done", "query: status:done is not a status; use one of draft, ready, published, "
         "archived"),
        ("kind:audio", "query: kind:audio is not a kind; use one of video, deck"),
        ("lang:de", "query lang: unknown language code 'de'; use one of ar, fr, en, zgh"),
        ("episode:..", "query: episode:.. needs at least one end, as in episode:3.."),
        ("episode:7..3", "query: episode:7..3 is empty: 7 comes after 3"),
        ("episode:three", "query: episode: 'three' is not a whole number"),
        ("episode:-2", "query: episode: '-2' is not a whole number"),
        ("recorded:2014-13", "query: recorded: '2014-13' is not a date; use YYYY, YYYY-MM, "
         "YYYY-MM-DD or DD/MM/YYYY"),
        ("recorded:2015..2014", "query: recorded:2015..2014 is empty: 2015-01-01 comes after "
         "2014-12-31"),
    ],
)  # fmt: skip
def test_bad_queries_are_refused(term: str, message: str) -> None:
    with pytest.raises(ValidationError) as raised:
        parse_query([term])
    assert str(raised.value) == message


SLUGS = st.sampled_from(["advisory-clips", "reports", "cv", "job-search", "a1", "x-y-z"])
WORDS = st.text(st.sampled_from("abcéءسير"), min_size=1, max_size=6)
NUMBERS = st.integers(1, 10_000)
DAYS = st.dates(date(1990, 1, 1), date(2040, 12, 31))


@st.composite
def ranges(
    draw: st.DrawFn, key: str, field: str, values: st.SearchStrategy[Any]
) -> tuple[str, Range]:
    low, high = sorted(draw(st.lists(values, min_size=2, max_size=2)))
    shape = draw(st.sampled_from(["both", "low", "high", "one"]))
    if shape == "low":
        return f"{key}:{low}..", Range(field, low, None)  # type: ignore[arg-type]
    if shape == "high":
        return f"{key}:..{high}", Range(field, None, high)  # type: ignore[arg-type]
    if shape == "one":
        return f"{key}:{low}", Range(field, low, low)  # type: ignore[arg-type]
    return f"{key}:{low}..{high}", Range(field, low, high)  # type: ignore[arg-type]


@given(
    series=st.none() | SLUGS,
    topic=st.none() | SLUGS,
    status=st.none() | st.sampled_from(list(AssetStatus)),
    kind=st.none() | st.sampled_from(list(AssetKind)),
    lang=st.none() | st.sampled_from(["ar", "fr", "en", "zgh"]),
    words=st.lists(WORDS, max_size=3),
    id_range=st.none() | ranges("id", "id", NUMBERS),
    episode_range=st.none() | ranges("episode", "episode", NUMBERS),
    recorded_range=st.none() | ranges("recorded", "recorded_date", DAYS),
    seed=st.integers(0, 1000),
)
def test_any_query_reads_back_as_written(
    series: str | None,
    topic: str | None,
    status: AssetStatus | None,
    kind: AssetKind | None,
    lang: str | None,
    words: list[str],
    id_range: tuple[str, Range] | None,
    episode_range: tuple[str, Range] | None,
    recorded_range: tuple[str, Range] | None,
    seed: int,
) -> None:
    terms = [
        f"{key}:{value}"
        for key, value in (
            ("series", series), ("topic", topic), ("status", status), ("kind", kind),
            ("lang", lang),
        )
        if value is not None
    ]  # fmt: skip
    given_ranges = [r for r in (id_range, episode_range, recorded_range) if r is not None]
    terms += [text for text, _ in given_ranges] + words
    random.Random(seed).shuffle(terms)

    parsed = parse_query(terms)

    assert parsed == AssetQuery(
        series=series,
        topic=topic,
        status=status,
        kind=kind,
        language=lang,
        text=" ".join(word for word in terms if word in words) or None,
        ranges=tuple(r for _, r in given_ranges),
    )


@given(st.lists(st.text(max_size=12), max_size=4))
def test_any_text_parses_or_is_refused_with_a_message(terms: list[str]) -> None:
    try:
        parse_query(terms)
    except ValidationError as exc:
        message = str(exc)
    else:
        return
    assert message.startswith("query")


def test_arguments_split_into_query_and_assignments() -> None:
    assert split_arguments(
        ["series:reports", "title.fr=Le CV: les bases", "topics+=cv", "entretien", "episode="]
    ) == (["series:reports", "entretien"], ["title.fr=Le CV: les bases", "topics+=cv", "episode="])


def test_assignments_parse() -> None:
    assert parse_assignments(
        ["status=Ready", "episode=", "language=fr", "recorded=12/03/2014", "title.en=",
         "title.fr= Le CV ", "topics+=cv,job-search", "topics-=cv", "playlists=events reports"]
    ) == [
        Assignment("status", "=", "ready"),
        Assignment("episode", "=", None),
        Assignment("default_language", "=", "fr"),
        Assignment("recorded_date", "=", "2014-03-12"),
        Assignment("title.en", "=", None),
        Assignment("title.fr", "=", "Le CV"),
        Assignment("topics", "+=", ("cv", "job-search")),
        Assignment("topics", "-=", ("cv",)),
        Assignment("playlists", "=", ("events", "reports")),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("argument", "message"),
    [
        ("series=reports", "series: an asset's series cannot be changed with set"),
        ("tags+=emploi", "tags: tags come from an asset's topics and its series' template; "
         "use topics+=SLUG"),
        ("colour=red", "colour: not a field set can change; use status, season, episode, "
         "language, recorded, title.LANG, description.LANG, topics or playlists"),
        ("status+=ready", "status: += works on topics and playlists; use status=VALUE"),
        ("status=done", "status: 'done' is not a status; use one of draft, ready, published, "
         "archived"),
        ("episode=trois", "episode: 'trois' is not a whole number"),
    ],
)  # fmt: skip
def test_bad_assignments_are_refused(argument: str, message: str) -> None:
    with pytest.raises(ValidationError) as raised:
        parse_assignments([argument])
    assert str(raised.value) == message


def test_a_field_is_set_once() -> None:
    with pytest.raises(ValidationError, match="status: set twice; set it once"):
        parse_assignments(["status=ready", "status=draft"])
    assert len(parse_assignments(["topics+=cv", "topics+=job-search"])) == 2


# Through the catalog


def test_set_previews_then_applies_with_yes(
    hub: Hub, shelf: dict[str, int], runner: CliRunner
) -> None:
    clip1, clip2 = shelf["clip1"], shelf["clip2"]
    args = ["catalog", "set", "series:advisory-clips", "status=ready", "topics+=job-search",
            "topics-=cv", "title.fr=Conseil", "--yes"]  # fmt: skip

    result = invoke(runner, *args)

    assert result.stdout.splitlines() == [
        f"asset {clip1}: status: draft → ready",
        f"asset {clip1}: title.fr: Le CV → Conseil",
        f"asset {clip1}: topics: cv → job-search",
        f"asset {clip2}: status: draft → ready",
        f"asset {clip2}: title.fr: ∅ → Conseil",
        f"asset {clip2}: topics: ∅ → job-search",
        "changed 6 fields of 2 assets",
    ]
    after = shown(runner, shelf)
    assert [after[name]["status"] for name in shelf] == ["ready", "ready", "draft", "draft"]
    assert after["clip1"]["topics"] == after["clip2"]["topics"] == ["job-search"]
    assert after["clip2"]["titles"] == {"ar": "مقابلة العمل", "fr": "Conseil"}

    again = invoke(runner, *args)
    assert again.stdout == "nothing to change: 2 assets already as asked\n"
    nothing = invoke(runner, "catalog", "set", "series:reports", "status=ready")
    assert nothing.stdout == "nothing to change: no asset found\n"


def test_refused_set_changes_nothing(hub: Hub, shelf: dict[str, int], runner: CliRunner) -> None:
    before = catalog_state(runner, hub)
    clip1, clip2 = shelf["clip1"], shelf["clip2"]

    # The same episode number for two clips of a series: the second one is refused.
    result = runner.invoke(app, ["catalog", "set", "series:advisory-clips", "episode=9", "--yes"])

    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"asset {clip2}: episode: episode 9 of series 'advisory-clips' is already asset "
        f"{clip1}; choose another number",
        "error: 1 problem; nothing was changed",
    ]
    assert catalog_state(runner, hub) == before


@SQLITE_ONLY
def test_dry_run_and_declining_change_nothing(
    hub: Hub, shelf: dict[str, int], runner: CliRunner
) -> None:
    before = catalog_state(runner, hub)
    show = shelf["show"]

    dry = invoke(runner, "catalog", "set", "series:kan-kalab-aala-khadma", "season=2", "--dry-run")

    assert dry.stdout.splitlines() == [
        f"asset {show}: season: 1 → 2",
        "1 field of 1 asset; nothing was changed (dry run)",
    ]
    declined = runner.invoke(
        app, ["catalog", "set", "series:kan-kalab-aala-khadma", "season=2"], input="n\n"
    )
    assert declined.exit_code == 1
    assert "Apply 1 field of 1 asset? [y/N]" in declined.stderr
    assert declined.stderr.endswith("nothing was changed\n")
    assert catalog_state(runner, hub) == before

    accepted = runner.invoke(
        app, ["catalog", "set", "series:kan-kalab-aala-khadma", "season=2"], input="y\n"
    )
    assert accepted.exit_code == 0, accepted.output
    assert accepted.stdout.splitlines()[-1] == "changed 1 field of 1 asset"
    assert shown(runner, {"show": show})["show"]["season"] == 2


@SQLITE_ONLY
def test_queries_select_by_range_words_and_language(
    hub: Hub, shelf: dict[str, int], runner: CliRunner
) -> None:
    invoke(runner, "catalog", "edit", str(shelf["clip2"]), "--recorded", "2014-05-02")

    def selected(*terms: str) -> list[int]:
        result = invoke(runner, "catalog", "set", *terms, "status=published", "--dry-run")
        return sorted(
            {int(line.split(":")[0].split()[1]) for line in result.stdout.splitlines()[:-1]}
        )

    clip1, clip2, show, flyer = (shelf[name] for name in ("clip1", "clip2", "show", "flyer"))
    assert selected("episode:1") == [clip1, show]
    assert selected("series:advisory-clips", "episode:2..") == [clip2]
    assert selected("recorded:2014") == [clip2]
    assert selected("recorded:2015..") == []
    assert selected("lang:fr") == [clip1, show, flyer]
    assert selected("cv") == [clip1, flyer]
    assert selected("cv", "kind:deck") == [flyer]
    assert selected(f"id:{clip2}..{show}") == [clip2, show]


@SQLITE_ONLY
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("status=ready",), "query: give a query of the assets to change (every asset: id:1..)"),
        (("id:1..",), "set: nothing to set; give FIELD=VALUE, as in status=ready"),
        (("id:1..", "topics+=no-such-topic"), "topic: unknown topic 'no-such-topic'; see "
         "'media-hub topics list' or add it to catalog/topics.toml"),
        (("id:1..", "playlists-=nowhere"), "playlist: unknown playlist 'nowhere'; see "
         "'media-hub playlists list' or add it to catalog/playlists.toml"),
        (("series:nowhere", "status=ready"), "series: unknown series 'nowhere'; see "
         "'media-hub series list' or add it to catalog/series.toml"),
        (("bogus:1", "status=ready"), "query: unknown term 'bogus:1'; use series:, topic:, "
         "status:, kind:, lang:, playlist:, platform:, id:, season:, episode:, recorded: "
         "or plain words"),
    ],
)  # fmt: skip
def test_set_refusals_are_one_line(
    hub: Hub, shelf: dict[str, int], runner: CliRunner, args: tuple[str, ...], message: str
) -> None:
    before = catalog_state(runner, hub)
    result = runner.invoke(app, ["catalog", "set", *args, "--yes"])
    assert_refused(result, 1, message, " ".join(args))
    assert catalog_state(runner, hub) == before


@SQLITE_ONLY
def test_every_asset_is_checked(hub: Hub, shelf: dict[str, int], runner: CliRunner) -> None:
    before = catalog_state(runner, hub)
    result = runner.invoke(app, ["catalog", "set", "kind:video", f"title.fr={'é' * 101}", "-y"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        *(
            f"asset {shelf[name]}: title.fr: 101 characters, YouTube allows 100; shorten it"
            for name in ("clip1", "clip2", "show")
        ),
        "error: 3 problems; nothing was changed",
    ]
    assert catalog_state(runner, hub) == before


@SQLITE_ONLY
def test_a_confirmed_set_applies_what_was_previewed(hub: Hub, shelf: dict[str, int]) -> None:
    """Between the preview and the confirmation someone edits an asset: nothing is applied."""
    service = LibrarianService(hub.db)
    query, assignments = parse_query(["series:advisory-clips"]), parse_assignments(["status=ready"])
    preview = service.set_fields(query, assignments, dry_run=True)
    assert preview.versions == {shelf["clip1"]: 1, shelf["clip2"]: 1}
    hub.db.user = "amina"
    service.set_fields(parse_query([f"id:{shelf['clip2']}"]), parse_assignments(["episode=8"]))
    hub.db.user = "librarian"

    with pytest.raises(BulkEditError) as raised:
        service.set_fields(query, assignments, versions=preview.versions)

    assert [problem.conflict for problem in raised.value.problems] == [True]
    assert "was changed by amina" in str(raised.value.problems[0])
    assert [r["status"] for r in hub.catalog.find(query)] == ["draft", "draft"]

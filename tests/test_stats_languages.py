"""The reports' words in French and Arabic: every message the code marks is in both catalogs
of the `stats` domain, translated, with the same placeholders as its English, and every key
the code builds (`by.`, `none.`, `counter.`) names a message."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from media_hub.platforms import registry
from media_hub.stats import labels
from media_hub.stats.report import Grouping

STATS = Path(labels.__file__).parent


def _messages() -> set[str]:
    """What the reports can show, as `make messages` extracts it (Babel's own extractor)."""
    found = {
        message
        for _, _, message, _, _ in extract_from_dir(
            STATS, [("**.py", "python")], keywords={"N_": None}
        )
        if isinstance(message, str)
    }
    assert {"Statistics by {by}, {period}", "(deleted)", "#", "{platform} shares"} <= found
    assert set(labels.MESSAGES.values()) <= found  # every key's English is marked N_()
    return found


def _catalog(lang: str) -> dict[str, str]:
    with (labels.LOCALE / lang / "LC_MESSAGES" / f"{labels.DOMAIN}.po").open("rb") as stream:
        return {
            m.id: m.string
            for m in read_po(stream)
            if isinstance(m.id, str) and m.id and isinstance(m.string, str)
        }


def _placeholders(message: str) -> list[str]:
    return sorted(field for _, field, _, _ in string.Formatter().parse(message) if field)


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_every_message_is_translated(lang: str) -> None:
    translations = _catalog(lang)
    missing = sorted(m for m in _messages() if not translations.get(m))
    assert not missing


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_translations_keep_the_placeholders_of_their_english(lang: str) -> None:
    translations = _catalog(lang)
    assert len(translations) >= len(set(labels.MESSAGES.values()))
    wrong = {
        english: translated
        for english, translated in translations.items()
        if translated and _placeholders(translated) != _placeholders(english)
    }
    assert not wrong


def test_every_key_the_code_builds_names_a_message() -> None:
    keys = {f"by.{g.value}" for g in Grouping}
    keys |= {f"none.{g.value}" for g in Grouping if g is not Grouping.ASSET}
    keys |= {
        f"counter.{field}"
        for platform in registry.every()
        if platform.counters_table
        for field in platform.stats_fields
    }
    assert "counter.shares" in keys  # Facebook's counters are among them
    assert not keys - labels.MESSAGES.keys()


def test_each_language_reads_its_own_catalog() -> None:
    assert labels.text("fr", "table.top") == "Contenus les plus vus"
    assert labels.text("ar", "table.top") == "المحتويات الأكثر مشاهدة"
    assert labels.text("en", "table.top") == "Top items"  # English is the messages' own
    assert labels.text("fr", "period.since", start="1 novembre 2026") == (
        "depuis le 1 novembre 2026"
    )

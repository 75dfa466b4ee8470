"""A `.po` file as a translator leaves it is what the program shows, without a build step: its
translated messages, English for the others, and none of its fuzzy guesses."""

from __future__ import annotations

from pathlib import Path

from media_hub.i18n_catalogs import translations

PO = """\
msgid ""
msgstr ""
"Language: fr\\n"
"Content-Type: text/plain; charset=utf-8\\n"

msgid "views"
msgstr "vues"

msgid "day"
msgstr ""

#, fuzzy
msgid "days"
msgstr "jour (à relire)"

msgid "{platform} views"
msgstr "vues {platform}"
"""


def test_a_po_file_is_compiled_as_it_stands(tmp_path: Path) -> None:
    source = tmp_path / "fr" / "LC_MESSAGES" / "reports.po"
    source.parent.mkdir(parents=True)
    source.write_text(PO, encoding="utf-8")
    french = translations(tmp_path, "reports", "fr").gettext
    assert french("views") == "vues"
    assert french("{platform} views").format(platform="YouTube") == "vues YouTube"
    assert french("day") == "day"  # not translated yet: the English
    assert french("days") == "days"  # a fuzzy guess waits for the translator's review
    assert french("never marked") == "never marked"


def test_a_language_without_a_catalog_shows_the_english(tmp_path: Path) -> None:
    assert translations(tmp_path, "reports", "en").gettext("views") == "views"
    assert translations(tmp_path, "other", "fr").gettext("views") == "views"

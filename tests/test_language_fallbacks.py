"""Per-language series names, footers and template texts, and the lint's word when a language
borrows another's (the Tamazight localization that said "| Clips conseils, épisode 5")."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from media_hub.catalog import lint
from media_hub.catalog.definitions import Definitions, read_definitions
from media_hub.platforms.templating import render_texts
from tests.test_lint import CATALOG, NOW, clip

TIFINAGH_TITLE = "ⴰⵎⵓⵍⵍⵉ ⵏ ⵓⵙⵡⵓⴳⴳⵯ"
# Placeholders in Tifinagh letters: the communications team writes the real Tamazight.
ZGH_NAME = "ⴰⵙⵉⵡⵍ"
ZGH_FOOTER = "ⴰⵏⴰⴱⵉⴽ"


def facts_of(definitions: Definitions) -> lint.LintFacts:
    series = {
        slug: {"slug": slug, "kind": s.kind.value, "names": dict(s.names),
               "template": s.template, "numbering": s.numbering.value}
        for slug, s in definitions.series.items()
    }  # fmt: skip
    return lint.LintFacts(series=series, definitions=definitions, now=NOW)


def tamazight_clip() -> dict[str, Any]:
    return clip(titles={"ar": "كيف تكتب سيرتك", "fr": "Le CV", "zgh": TIFINAGH_TITLE})


def with_tamazight(tmp_path: Path) -> Path:
    """The starter conventions with the advisory clips named and templated in zgh too."""
    folder = tmp_path / "catalog"
    shutil.copytree(CATALOG, folder)
    series = folder / "series.toml"
    series.write_text(
        series.read_text(encoding="utf-8").replace(
            'fr = "Clips conseils" }', f'fr = "Clips conseils", zgh = "{ZGH_NAME}" }}'
        ),
        encoding="utf-8",
    )
    template = folder / "templates" / "advisory.toml"
    text = template.read_text(encoding="utf-8")
    text = text.replace(
        'épisode {{ episode }}" }',
        'épisode {{ episode }}", zgh = "{{ title }} | {{ series.name }} {{ episode }}" }',
    )
    text = text.replace("[footer]\n", f'[footer]\nzgh = "{ZGH_FOOTER}"\n')
    template.write_text(text, encoding="utf-8")
    return folder


def render_zgh(definitions: Definitions) -> tuple[str, str]:
    series = {"slug": "advisory-clips", "names": dict(definitions.series["advisory-clips"].names)}
    texts = render_texts(
        definitions.templates["advisory"], "advisory", tamazight_clip(), series, "zgh"
    )
    return texts.title, texts.description


def test_without_tamazight_texts_the_localization_borrows_french_and_lint_says_so() -> None:
    definitions = read_definitions(CATALOG)
    title, description = render_zgh(definitions)
    assert title == f"{TIFINAGH_TITLE} | Clips conseils, épisode 4"  # the complaint
    assert "abonnez-vous" in description
    [warning] = lint.language_fallbacks(tamazight_clip(), facts_of(definitions))
    assert warning.warning
    assert str(warning) == (
        "asset 12: texts.zgh: warning: the Tamazight texts borrow the French of: "
        "templates/advisory.toml title, templates/advisory.toml footer, series.toml names "
        "of 'advisory-clips'; add zgh there"
    )


def test_tamazight_texts_in_the_conventions_are_used_and_lint_is_quiet(tmp_path: Path) -> None:
    definitions = read_definitions(with_tamazight(tmp_path))
    title, description = render_zgh(definitions)
    assert title == f"{TIFINAGH_TITLE} | {ZGH_NAME} 4"
    assert description.endswith(ZGH_FOOTER)
    assert "abonnez-vous" not in description
    assert lint.language_fallbacks(tamazight_clip(), facts_of(definitions)) == []
    # Arabic and French keep their own texts.
    ar = render_texts(
        definitions.templates["advisory"], "advisory", tamazight_clip(),
        {"slug": "advisory-clips", "names": dict(definitions.series["advisory-clips"].names)},
        "ar",
    )  # fmt: skip
    assert ar.title == "كيف تكتب سيرتك | كبسولات النصائح - الحلقة 4"


def test_a_deck_is_checked_in_its_default_language_only() -> None:
    """SlideShare carries no localizations: a deck's other titles are not published."""
    definitions = read_definitions(CATALOG)
    deck = clip(kind="deck", series="cv-flyers", default_language="fr",
                titles={"fr": "Flyer CV", "zgh": TIFINAGH_TITLE})  # fmt: skip
    assert lint.language_fallbacks(deck, facts_of(definitions)) == []

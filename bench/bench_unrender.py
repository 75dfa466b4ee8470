"""Adoption's cost per video: taking published texts back through the series' templates.

Renders N advisory clips (Arabic and French, episode numbers, footer) with the starter
conventions, then times `unrender` on them, first against their own series' template (a video
whose playlist names its series) and then trying every video series in turn (a video in no
known playlist, matched by its texts). The baseline, in the same process, is rendering the
same texts again (what `publish --plan` does for each video). Prints times and ratios. Not a
test.

    .venv/bin/python bench/bench_unrender.py [--videos N]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from media_hub.catalog.definitions import read_definitions
from media_hub.platforms.templating import render_texts
from media_hub.platforms.unrender import PublishedTexts, unrender

CATALOG = Path(__file__).resolve().parent.parent / "catalog"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--videos", type=int, default=1000)
    count = parser.parse_args().videos
    definitions = read_definitions(CATALOG)
    series_of = {
        slug: ({"slug": slug, "names": d.names, "descriptions": d.descriptions},
               definitions.templates[d.template], d.template)
        for slug, d in definitions.series.items()
        if d.kind.value == "video"
    }  # fmt: skip
    own, template, name = series_of["advisory-clips"]
    assets: list[dict[str, Any]] = [
        {"id": n, "default_language": "ar", "topics": [], "season": None, "episode": n + 1,
         "recorded_date": None,
         "titles": {"ar": f"كيف تكتب سيرتك الذاتية {n}", "fr": f"Rédiger son CV, partie {n}"},
         "descriptions": {"ar": f"نصائح عملية رقم {n}.", "fr": f"Des conseils, numéro {n}."}}
        for n in range(count)
    ]  # fmt: skip

    start = time.perf_counter()
    published = []
    for asset in assets:
        texts = {lang: render_texts(template, name, asset, own, lang) for lang in ("ar", "fr")}
        published.append(
            PublishedTexts(
                "ar",
                {lang: t.title for lang, t in texts.items()},
                {lang: t.description for lang, t in texts.items()},
            )
        )
    rendering = time.perf_counter() - start

    unrender(published[0], template, name, own)  # compiles the marked templates once
    start = time.perf_counter()
    found = [unrender(p, template, name, own) for p in published]
    by_playlist = time.perf_counter() - start
    assert all(f is not None for f in found)

    start = time.perf_counter()
    for p in published:
        for candidate, its_template, its_name in reversed(series_of.values()):  # own one last
            if unrender(p, its_template, its_name, candidate) is not None:
                break
    by_texts = time.perf_counter() - start

    per = 1000 / count
    print(f"{count} videos, 2 languages each, {len(series_of)} video series")
    print(f"render (baseline):            {rendering:6.2f} s  ({rendering * per:.2f} ms a video)")
    print(
        f"unrender, series known:       {by_playlist:6.2f} s  ratio {by_playlist / rendering:.1f}"
    )
    print(f"unrender, every series tried: {by_texts:6.2f} s  ratio {by_texts / rendering:.1f}")


if __name__ == "__main__":
    main()

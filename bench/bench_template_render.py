"""The cost of bounding templates: 1,000 assets' YouTube metadata rendered through media-hub
against the same template texts rendered by Jinja2's plain immutable sandbox.

The assets cycle through the starter video series (advisory, report, event, educational,
show) with titles and descriptions in Arabic, French and English, episodes, seasons and
recording dates, as `catalog lint` and `publish --plan` render them: a title, a description
per language and the tags. Two figures, each the least CPU time of N runs:

- `render_video_metadata` for the 1,000 assets (the whole path: contexts, rendering,
  YouTube's checks), to compare between versions of media-hub;
- the same template texts and contexts through `templating.render_text` and through a plain
  `ImmutableSandboxedEnvironment` (compiled once, as media-hub caches them): the ratio is
  what the metering costs per render.

Not a test.

    .venv/bin/python bench/bench_template_render.py [--assets N] [--repeat N]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

from media_hub.catalog.definitions import Definitions, read_definitions
from media_hub.platforms.templating import build_context, render_text
from media_hub.platforms.youtube.metadata import render_video_metadata

CATALOG = Path(__file__).resolve().parents[1] / "catalog"
NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
SERIES = {
    "advisory-clips": "advisory",
    "reports": "report",
    "events": "event",
    "educational-films": "educational",
    "kan-kalab-aala-khadma": "show",
}


def series_record(definitions: Definitions, slug: str) -> dict[str, Any]:
    series = definitions.series[slug]
    return {
        "slug": slug,
        "names": dict(series.names),
        "descriptions": dict(series.descriptions),
    }


def assets(count: int, definitions: Definitions) -> list[tuple[dict[str, Any], str]]:
    slugs = [slug for slug in SERIES if slug in definitions.series]
    made = []
    for number in range(count):
        slug = slugs[number % len(slugs)]
        made.append(
            (
                {
                    "id": number + 1,
                    "kind": "video",
                    "series": slug,
                    "season": 1 + number % 3,
                    "episode": 1 + number,
                    "default_language": "ar",
                    "titles": {
                        "ar": f"كيف تكتب سيرتك الذاتية {number}",
                        "fr": f"Rédiger son CV, partie {number}",
                        "en": f"Writing your CV, part {number}",
                    },
                    "descriptions": {
                        "ar": "نصائح عملية لكتابة سيرة ذاتية واضحة. " * 4,
                        "fr": "Des conseils pratiques pour un CV clair et lisible. " * 4,
                    },
                    "topics": ["cv", "professional-goal"],
                    "recorded_date": date(2026, 1 + number % 12, 1 + number % 28),
                    "status": "ready",
                },
                slug,
            )
        )
    return made


def cpu_seconds(action: Callable[[], object], repeat: int) -> float:
    """The least CPU time of `repeat` runs: other processes on the machine add wall time,
    not CPU time, and the least run is the one least disturbed."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        action()
        times.append(time.process_time() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assets", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=9)
    options = parser.parse_args()
    definitions = read_definitions(CATALOG)
    topics = {slug: topic.names for slug, topic in definitions.topics.items()}
    batch = assets(options.assets, definitions)
    series = {slug: series_record(definitions, slug) for slug in SERIES}

    def whole_path() -> None:
        for asset, slug in batch:
            template_name = SERIES[slug]
            render_video_metadata(
                asset, series[slug], definitions.templates[template_name], template_name,
                now=NOW, topics=topics,
            )  # fmt: skip

    # The texts each asset renders, with their contexts: the same work for both sandboxes.
    jobs: list[tuple[str, dict[str, Any]]] = []
    for asset, slug in batch:
        template = definitions.templates[SERIES[slug]]
        for lang in asset["titles"]:
            context = build_context(asset, series[slug], template, lang, topics=topics)
            jobs += [(template.text(key, lang), context) for key in ("title", "description")]
            jobs += [(tag, context) for tag in template.tags if lang == "ar"]
    plain = ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=False)
    compiled = {source: plain.from_string(source) for source in {source for source, _ in jobs}}

    def metered() -> None:
        for source, context in jobs:
            render_text(source, context, template_path="bench", key="bench")

    def bare() -> None:
        for source, context in jobs:
            compiled[source].render(context).strip()

    whole = cpu_seconds(whole_path, options.repeat)
    ours = cpu_seconds(metered, options.repeat)
    baseline = cpu_seconds(bare, options.repeat)
    print(f"{options.assets} assets, {len(jobs)} texts, CPU time, best of {options.repeat} runs:")
    each = whole / options.assets * 1e6
    print(f"  render_video_metadata: {whole * 1000:.0f} ms ({each:.0f} µs an asset)")
    print(f"  render_text: {ours * 1000:.0f} ms; plain sandbox: {baseline * 1000:.0f} ms")
    print(f"ratio: {ours / baseline:.2f}x the plain sandbox")


if __name__ == "__main__":
    main()

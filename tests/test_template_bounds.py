"""Templates cannot exhaust memory or hang a render (issue 15, point 5).

Jinja2's sandbox bounded `*` and `**` only: `('x'*100000)|replace('x', 'x'*100000)` and a
`~`-doubling macro asked for gigabytes, two nested `range(100000)` loops hung `catalog lint`
and every render. Each template here is rendered by a child process held to 1 GiB of
address space and 60 s (so that the code before the fix fails the test with a MemoryError
or a timeout instead of taking the machine down); with the bounds, each is a one-line
ConventionsError naming the template file, the key and the line, within a render's budget.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from jinja2 import StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

from media_hub.errors import ConventionsError
from media_hub.platforms.templating import render_text

REPO = Path(__file__).resolve().parent.parent
ADDRESS_SPACE = 1024**3  # the child's memory: ample for a render, far below the attacks
CHILD_TIMEOUT_S = 60  # a guard for the code before the fix, not a measure of speed
WHERE = "templates/custom.toml: description (asset 12 in fr): line 1: "

RENDER = """
import json, sys
from media_hub.platforms.templating import render_text
try:
    text = render_text(
        sys.argv[1], {"title": "Rédiger son CV", "episode": 4},
        template_path="templates/custom.toml", key="description (asset 12 in fr)",
    )
    print(json.dumps({"error": None, "length": len(text)}))
except BaseException as exc:
    print(json.dumps({"error": type(exc).__name__, "message": str(exc)}))
"""


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def _render_in_child(source: str) -> dict[str, Any]:
    try:
        done = subprocess.run(
            [sys.executable, "-c", RENDER, source],
            capture_output=True, text=True, timeout=CHILD_TIMEOUT_S, check=False, cwd=REPO,
            preexec_fn=_limit_memory,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        pytest.fail(f"the render did not end within {CHILD_TIMEOUT_S} s")
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


# Each: a template, and the start of the reason the render gives up.
ATTACKS = {
    # The three.
    "replace multiplies a long string": (
        "{{ ('x'*100000)|replace('x','x'*100000) }}",
        "replace: more than 100,000 characters",
    ),
    "a macro doubles a string with ~": (
        "{% macro d(s, n) %}{% if n %}{{ d(s ~ s, n - 1) }}{% else %}{{ s|length }}{% endif %}"
        "{% endmacro %}{{ d('x', 40) }}",
        "'~': more than 100,000 characters",
    ),
    "two nested range(100000) loops": (
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
        "more than 1,000,000 loop turns and calls",
    ),
    # The same doubling by other means.
    "a loop doubles a namespace's string with ~": (
        "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}"
        "{% endfor %}{{ ns.s|length }}",
        "'~': more than 100,000 characters",
    ),
    "a loop doubles a list with +": (
        "{% set ns = namespace(l=['x' * 1000]) %}{% for i in range(40) %}"
        "{% set ns.l = ns.l + ns.l %}{% endfor %}{{ ns.l|length }}",
        "'+': more than 100,000 characters",
    ),
    "a macro doubles its output": (
        "{% macro d(n) %}{% if n %}{{ d(n - 1) }}{{ d(n - 1) }}{% else %}xxxxxxxx{% endif %}"
        "{% endmacro %}{{ d(40)|length }}",
        "the template makes more than 1,000,000 characters in all",
    ),
    "a loop prints a long string into a block": (
        "{% set long = 'x' * 100000 %}{% set block %}{% for i in range(100000) %}{{ long }}"
        "{% endfor %}{% endset %}{{ block|length }}",
        "the template makes more than 1,000,000 characters in all",
    ),
    "a loop writes its own text into a block": (
        "{% set block %}{% for i in range(100000) %}" + "x" * 200 + "{% endfor %}{% endset %}"
        "{{ block|length }}",
        "the template makes more than 1,000,000 characters in all",
    ),
    "list literals nest a long string": (
        "{% set b = 'x' * 50000 %}{% set a = [b, b, b, b, b, b, b, b, b, b] %}"
        "{% set c = [a, a, a, a, a, a, a, a, a, a] %}{% set d = [c, c, c, c, c, c, c, c, c, c] %}"
        "{% set e = [d, d, d, d, d, d, d, d, d, d] %}{{ e|string|length }}",
        "a value given to a call or filter: more than 100,000 characters",
    ),
    "join with a long separator": (
        "{{ ('x' * 100000)|join('y' * 100000) }}",
        "join: more than 100,000 characters",
    ),
    "format pads to a huge width": ("{{ '{:>1000000000}'.format(1) }}", "format: more than"),
    "% pads to a huge width": ("{{ '%1000000000d' % 1 }}", "'%' formatting: more than"),
    "center to a huge width": ("{{ 'x'|center(1000000000) }}", "center: more than"),
    "a string method pads": ("{{ 'x'.ljust(1000000000) }}", "ljust: more than"),
    "powers of powers": (
        "{{ (((((10 ** 64) ** 64) ** 64) ** 64) ** 64) ** 64 }}",
        "a number of more than 8192 bits",
    ),
    "batch pads with a huge count": (
        "{{ [1]|batch(1000000000, 'x')|list|length }}",
        "linecount=1000000000: more than",
    ),
    "a macro calls itself for ever, writing nothing": (
        "{% macro d(n) %}{% if n %}{{ d(n - 1) }}{{ d(n - 1) }}{% endif %}{% endmacro %}"
        "{{ d(60) }}",
        "",  # the time or the step limit, whichever the machine reaches first
    ),
}


@pytest.mark.parametrize("case", sorted(ATTACKS))
def test_a_template_asking_too_much_is_refused_in_one_line(case: str) -> None:
    source, reason = ATTACKS[case]
    result = _render_in_child(source)
    assert result["error"] == "ConventionsError", result
    message = result["message"]
    assert message.startswith(WHERE + reason), message
    assert "\n" not in message


def test_catalog_lint_names_the_template_instead_of_hanging(tmp_path: Path) -> None:
    """The issue's hang, end to end: `catalog lint` over a hub whose template loops for
    hours reports it as the asset's problem, naming the template, the key and the line."""
    hub = tmp_path / "hub"
    advisory = hub / "catalog" / "templates" / "advisory.toml"
    loop = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    env = {"MEDIA_HUB_HOME": str(hub), "MEDIA_HUB_USER": "librarian", "PATH": "/usr/bin:/bin"}

    def media_hub(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "media_hub", *args],
            capture_output=True, text=True, timeout=CHILD_TIMEOUT_S, check=False, env=env,
            cwd=REPO, preexec_fn=_limit_memory,
        )  # fmt: skip

    made = media_hub("init", str(hub))
    assert made.returncode == 0, made.stderr
    advisory.write_text(
        advisory.read_text(encoding="utf-8").replace(
            'ar = "{{ title }}', f'ar = "{loop}{{{{ title }}}}', 1
        ),
        encoding="utf-8",
    )
    added = media_hub(
        "catalog", "add", "--kind", "video", "--series", "advisory-clips", "--episode", "1",
        "-t", "ar=كيف تكتب سيرتك", "-t", "fr=Rédiger son CV",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    try:
        linted = media_hub("catalog", "lint")
    except subprocess.TimeoutExpired:
        pytest.fail(f"catalog lint did not end within {CHILD_TIMEOUT_S} s")
    assert linted.returncode == 1, linted.stderr
    [line] = linted.stdout.splitlines()
    assert line.startswith(
        "asset 1: template: templates/advisory.toml: title (asset 1 in ar): line 1: "
    )
    assert "more than 1,000,000 loop turns and calls" in line


# What real templates do renders exactly as Jinja2's sandbox renders it.
EVERYDAY = [
    "{{ title }} | épisode {{ episode }}",
    "{% for t in topics %}{{ loop.index }}. {{ t|upper }}{% if not loop.last %}, {% endif %}"
    "{% endfor %}",
    "{% for k, v in names|dictsort %}{{ k }}={{ v }};{% else %}none{% endfor %}",
    "{{ topics|map('title')|join(' · ') }} {{ topics|length }} {{ topics|first }}",
    "{% set ns = namespace(n=0) %}{% for t in topics %}{% set ns.n = ns.n + t|length %}"
    "{% endfor %}{{ ns.n }}",
    "{% macro line(text, mark='-') %}{{ mark }} {{ text }}{% endmacro %}"
    "{{ line(title) }}\n{{ line('fin', mark='*') }}",
    "{% macro box() %}[{{ caller() }}]{% endmacro %}{% call box() %}{{ title|lower }}{% endcall %}",
    "{% filter upper %}{{ title }} — {{ episode }}{% endfilter %}",
    "{% set block %}{{ title }}\n{{ '=' * (title|length) }}{% endset %}{{ block|indent(2) }}",
    "{{ '%s, %d vues'|format(title, 1200) }} {{ '{:,}'.format(1234567) }} {{ '%05.1f' % 3.14 }}",
    "{{ (title ~ ' ') * 3 }}{{ [1, 2] + [3] }}{{ 2 ** 10 }}{{ 7 % 3 }}{{ 10 // 3 }}",
    "{{ title|replace('CV', 'curriculum') }} {{ title|center(30) }}| {{ title|truncate(9) }}",
    "{{ ((title ~ ' ') * 12)|wordwrap(20) }}",
    "{{ range(1, episode + 1)|list }} {{ range(5)|sum }} {{ topics|tojson }}",
    "{% for row in range(7)|batch(3, '-') %}{{ row|join }}/{% endfor %}",
    "{% for item in tree recursive %}{{ item.name }}"
    "{% if item.children %}({{ loop(item.children) }}){% endif %}{% endfor %}",
    "{{ title.upper() }} {{ title.ljust(20, '.') }} {{ ', '.join(topics) }}",
    "{% set c = cycler('a', 'b') %}{% for t in topics %}{{ c.next() }}{{ t }}{% endfor %}",
]
EVERYDAY_CONTEXT: dict[str, Any] = {
    "title": "Rédiger son CV",
    "episode": 4,
    "topics": ["cv", "entretien", "lettre"],
    "names": {"fr": "Conseils", "ar": "نصائح"},
    "tree": [
        {"name": "a", "children": [{"name": "b", "children": []}]},
        {"name": "c", "children": []},
    ],
}


@pytest.mark.parametrize("source", EVERYDAY)
def test_everyday_templates_render_as_in_jinjas_sandbox(source: str) -> None:
    plain = ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=False)
    expected = plain.from_string(source).render(EVERYDAY_CONTEXT).strip()
    rendered = render_text(source, EVERYDAY_CONTEXT, template_path="templates/t.toml", key="k")
    assert rendered == expected


def test_a_text_longer_than_a_render_may_write_is_refused() -> None:
    source = "{% for i in range(30) %}{{ 'x' * 5000 }}{% endfor %}"
    with pytest.raises(ConventionsError) as caught:
        render_text(source, {}, template_path="templates/t.toml", key="description")
    assert str(caught.value) == (
        "templates/t.toml: description: rendering: the text: more than 100,000 characters; "
        "templates write short texts"
    )

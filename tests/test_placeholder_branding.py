"""`catalog lint` warns when a public template still uses the starter's placeholder branding:
the colour-card intro and the text logo would go out to the channel's audience."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from media_hub.cli import app
from media_hub.hub import Hub

SQLITE_ONLY = pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)
PLACEHOLDER = re.compile(r"warning: catalog/(\S+) is media-hub's placeholder")


def _warnings(runner: CliRunner) -> list[str]:
    linted = runner.invoke(app, ["catalog", "lint"])
    assert linted.exit_code == 0, linted.output  # warnings alone do not fail the lint
    return [line for line in linted.stderr.splitlines() if line.startswith("warning:")]


@SQLITE_ONLY
def test_a_fresh_hub_is_warned_of_each_placeholder_a_public_template_uses(
    hub: Hub, runner: CliRunner
) -> None:
    warned = _warnings(runner)
    files = sorted(match[1] for line in warned if (match := PLACEHOLDER.match(line)))
    assert len(files) == len(warned)
    assert files == ["branding/intro.mp4", "branding/logo.png", "branding/outro.mp4"]
    assert all("template(s) advisory publish public" in line for line in warned)


@SQLITE_ONLY
def test_the_organisations_own_logo_or_a_private_template_ends_the_warning(
    hub: Hub, runner: CliRunner
) -> None:
    conventions: Path = hub.settings.definitions_dir
    Image.new("RGBA", (400, 160), (0, 90, 160, 255)).save(conventions / "branding" / "logo.png")
    warned = _warnings(runner)
    assert len(warned) == 2
    assert not any("logo.png" in line for line in warned)
    template = conventions / "templates" / "advisory.toml"
    text = template.read_text(encoding="utf-8")
    assert 'privacy = "public"' in text
    template.write_text(text.replace('privacy = "public"', 'privacy = "private"'), "utf-8")
    assert _warnings(runner) == []

"""A template's `[thumbnail] logo` stays inside catalog/, as `[branding] logo` does.

The thumbnail is public (YouTube, export bundles): a logo path naming a private file outside
the hub would publish that file. The private picture here is red, 0600, last read long ago.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from media_hub.cli import app
from media_hub.hub import Hub

DATA = Path(__file__).parent / "data"
LONG_AGO = 946_684_800  # 2000-01-01: a read moves the access time (relatime) past it
RED = (255, 0, 0)


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A private red picture outside the hub."""
    private = tmp_path / "private" / "secret.png"
    private.parent.mkdir()
    Image.new("RGB", (200, 200), RED).save(private)
    private.chmod(0o600)
    os.utime(private, (LONG_AGO, LONG_AGO))
    return private


def _report_clip(runner: CliRunner) -> int:
    result = runner.invoke(
        app, ["ingest", str(DATA / "in.mp4"), "--series", "reports", "-t", "fr=Salon", "--json"]
    )
    assert result.exit_code == 0, result.stderr
    return int(json.loads(result.stdout)[0]["asset_id"])


def _set_logo(hub: Hub, value: str) -> Path:
    template = hub.settings.definitions_dir / "templates" / "report.toml"
    with template.open("a", encoding="utf-8") as stream:
        stream.write(f"\n[thumbnail]\nlogo = {json.dumps(value)}\n")
    return template


def _red_in_top_right(thumbnail: Path) -> int:
    with Image.open(thumbnail) as image:
        corner = image.convert("RGB").crop((1000, 0, 1280, 250))
    red = 0
    for count, pixel in corner.getcolors(corner.width * corner.height) or []:
        assert isinstance(pixel, tuple)
        red += count if pixel[0] > 200 and pixel[1] < 60 and pixel[2] < 60 else 0
    return red


# How a template could name the private picture.
OUTSIDE: dict[str, Callable[[Hub, Path], str]] = {
    "absolute path": lambda hub, secret: str(secret),
    "relative path climbing out": lambda hub, secret: os.path.relpath(
        secret, hub.settings.definitions_dir
    ),
    "link inside catalog/ to the file outside": lambda hub, secret: _symlink(hub, secret),
}


def _symlink(hub: Hub, secret: Path) -> str:
    link = hub.settings.definitions_dir / "branding" / "shortcut.png"
    link.symlink_to(secret)
    return "branding/shortcut.png"


@pytest.mark.parametrize("case", sorted(OUTSIDE))
def test_a_thumbnail_logo_outside_catalog_is_refused(
    hub: Hub, runner: CliRunner, secret: Path, case: str
) -> None:
    asset_id = _report_clip(runner)
    value = OUTSIDE[case](hub, secret)
    template = _set_logo(hub, value)
    result = runner.invoke(app, ["thumbs", "make", str(asset_id), "--count", "2"])
    assert result.exit_code != 0
    [line] = result.stderr.strip().splitlines()
    assert line == (
        f"error: {template}: thumbnail.logo: {value!r} must be a path inside "
        f"{hub.settings.definitions_dir}"
    )
    assert secret.stat().st_atime == LONG_AGO
    thumbnails = hub.settings.path(hub.settings.thumbnails.dir)
    assert not (thumbnails / f"asset-{asset_id}.jpg").exists()


def test_a_thumbnail_logo_inside_catalog_is_drawn(hub: Hub, runner: CliRunner) -> None:
    asset_id = _report_clip(runner)
    Image.new("RGB", (200, 200), RED).save(hub.settings.definitions_dir / "branding" / "red.png")
    _set_logo(hub, "branding/red.png")
    result = runner.invoke(app, ["thumbs", "make", str(asset_id), "--count", "2", "--json"])
    assert result.exit_code == 0, result.stderr
    assert _red_in_top_right(Path(json.loads(result.stdout)["thumbnail"])) > 5000


def test_a_thumbnail_logo_that_is_not_a_path_is_refused(hub: Hub, runner: CliRunner) -> None:
    template = hub.settings.definitions_dir / "templates" / "report.toml"
    with template.open("a", encoding="utf-8") as stream:
        stream.write("\n[thumbnail]\nlogo = 3\n")
    result = runner.invoke(app, ["conventions", "load"])
    assert result.exit_code != 0
    assert f"{template}: thumbnail.logo: a path inside" in result.stderr

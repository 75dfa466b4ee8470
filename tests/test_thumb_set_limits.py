"""`thumbs set` takes a JPEG or PNG of at least 640x360, and refuses anything else in one line.

A 1x1 picture would be stretched to 1280x720 and sent to YouTube (which asks for 640 pixels
wide or more); a GIF, TIFF or EPS would be opened by whichever of Pillow's forty formats
matches, EPS through Ghostscript where installed. Refused pictures leave the store and the
asset's thumbnails as they were.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from media_hub.cli import app
from media_hub.hub import Hub

DATA = Path(__file__).parent / "data"


def _clip(runner: CliRunner) -> int:
    result = runner.invoke(app, ["ingest", str(DATA / "in.mp4"), "-t", "fr=Atelier", "--json"])
    assert result.exit_code == 0, result.stderr
    return int(json.loads(result.stdout)[0]["asset_id"])


def _picture(name: str, size: tuple[int, int], fmt: str) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        Image.new("RGB", size, (200, 40, 40)).save(path, fmt)
        return path

    return make


# (make, words the one-line refusal must hold)
REFUSED: dict[str, tuple[Callable[[Path], Path], str]] = {
    "1x1 PNG": (
        _picture("dot.png", (1, 1), "PNG"),
        "1x1 pixels; a thumbnail needs at least 640x360",
    ),
    "639 wide": (_picture("narrow.jpg", (639, 480), "JPEG"), "639x480 pixels"),
    "359 high": (_picture("flat.png", (1280, 359), "PNG"), "1280x359 pixels"),
    "GIF": (_picture("still.gif", (1280, 720), "GIF"), "not a JPEG or PNG picture"),
    "TIFF": (_picture("scan.tiff", (1280, 720), "TIFF"), "not a JPEG or PNG picture"),
    "EPS named .jpg": (_picture("poster.jpg", (1280, 720), "EPS"), "not a JPEG or PNG picture"),
    "WebP": (_picture("photo.webp", (1280, 720), "WEBP"), "not a JPEG or PNG picture"),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_an_unfit_picture_is_refused_and_nothing_changes(
    hub: Hub, runner: CliRunner, tmp_path: Path, case: str
) -> None:
    asset_id = _clip(runner)
    make, reason = REFUSED[case]
    picture = make(tmp_path)
    keys = set(hub.store.keys())
    result = runner.invoke(app, ["thumbs", "set", str(asset_id), str(picture)])
    assert result.exit_code == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"error: {picture}: ")
    assert reason in line
    assert set(hub.store.keys()) == keys
    listed = runner.invoke(app, ["thumbs", "list", str(asset_id), "--json"])
    assert json.loads(listed.stdout) == []


@pytest.mark.parametrize(
    ("name", "size", "fmt"),
    [("least.png", (640, 360), "PNG"), ("square.jpg", (640, 640), "JPEG")],
)
def test_a_picture_at_the_minimum_is_taken(
    hub: Hub, runner: CliRunner, tmp_path: Path, name: str, size: tuple[int, int], fmt: str
) -> None:
    asset_id = _clip(runner)
    picture = _picture(name, size, fmt)(tmp_path)
    result = runner.invoke(app, ["thumbs", "set", str(asset_id), str(picture), "--json"])
    assert result.exit_code == 0, result.stderr
    made = json.loads(result.stdout)
    [own] = [c for c in made["candidates"] if c["role"] == "custom"]
    assert own["chosen"]
    with Image.open(made["thumbnail"]) as thumbnail:
        assert (thumbnail.format, thumbnail.size) == ("JPEG", (1280, 720))

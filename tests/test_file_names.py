"""What a file is comes from its content and ffmpeg's whitelist, not from the look of its name.

ffprobe and ffmpeg only ever get `file:/absolute/path` with the file protocol alone allowed,
so commas and colons in a name are harmless; an Ogg video is a video whatever its extension
list says; a picture or a text file is refused for what it holds.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from media_hub.cli import app
from media_hub.hub import Hub

DATA = Path(__file__).parent / "data"


def _ingest(runner: CliRunner, path: Path) -> tuple[int, list[dict[str, object]], str]:
    result = runner.invoke(app, ["ingest", "--json", str(path)])
    records = json.loads(result.stdout) if result.stdout.strip() else []
    return result.exit_code, records, result.stderr


def _copy(name: str) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        return Path(shutil.copyfile(DATA / "in.mp4", folder / name))

    return make


def _ogv(folder: Path) -> Path:
    clip = folder / "atelier.ogv"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25:duration=2",
         "-f", "lavfi", "-i", "sine=duration=2", "-c:v", "libtheora", "-c:a", "libvorbis",
         str(clip)],
        check=True,
    )  # fmt: skip
    return clip


# Harmless files once refused for their names: (make, the container ffprobe must find).
ACCEPTED: dict[str, tuple[Callable[[Path], Path], str]] = {
    "a comma": (_copy("Rabat,2014.mp4"), "mov,mp4"),
    "a colon": (_copy("Episode1:intro.mp4"), "mov,mp4"),
    "a protocol-like prefix": (_copy("concat:clip.mp4"), "mov,mp4"),
    "http: at the start": (_copy("http:clip.mp4"), "mov,mp4"),
    "an Ogg video (.ogv)": (_ogv, "ogg"),
    "an MP4 under an unusual extension": (_copy("clip.mp4~"), "mov,mp4"),
    "no extension at all": (_copy("clip"), "mov,mp4"),
}


@pytest.mark.parametrize("case", sorted(ACCEPTED))
def test_a_harmless_name_is_ingested_for_what_it_holds(
    hub: Hub, runner: CliRunner, tmp_path: Path, case: str
) -> None:
    make, container = ACCEPTED[case]
    clip = make(tmp_path)
    code, records, stderr = _ingest(runner, clip)
    assert code == 0, stderr
    [record] = records
    assert record["kind"] == "video"
    info = record["media"]
    assert isinstance(info, dict)
    assert info["path"] == str(clip.resolve())  # ffprobe read the file under its own name
    assert str(info["format_name"]).startswith(container)
    assert info["video"] is not None
    assert float(info["duration"]) > 1.5
    assert hub.store.exists(str(record["source_key"]))


def _picture(name: str, fmt: str) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        Image.new("RGB", (640, 360), (30, 90, 160)).save(path, fmt)
        return path

    return make


def _text(name: str) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_text("not a video at all\n" * 20, encoding="utf-8")
        return path

    return make


# Refused for their content: (make, words the one-line reason must hold).
REFUSED: dict[str, tuple[Callable[[Path], Path], str]] = {
    "a PNG named .mp4": (_picture("poster.mp4", "PNG"), "a still picture, not a video"),
    "a JPEG": (_picture("poster.jpg", "JPEG"), "a still picture, not a video"),
    "a GIF (demuxer not allowed)": (_picture("anim.gif", "GIF"), "not a media file"),
    "text named .ogv": (_text("notes.ogv"), "not a media file"),
    "text without an extension": (_text("README"), "not a media file"),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_a_file_that_is_not_a_video_is_refused_for_its_content(
    hub: Hub, runner: CliRunner, tmp_path: Path, case: str
) -> None:
    make, reason = REFUSED[case]
    path = make(tmp_path)
    code, records, stderr = _ingest(runner, path)
    assert code == 1
    assert records == []
    [line] = stderr.strip().splitlines()
    assert line.startswith(f"error: {path}: ")
    assert reason in line
    assert list(hub.store.keys()) == []

"""Thumbnails through the hub: made from the best frame, picked by a librarian, kept."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PIL import Image
from typer.testing import CliRunner

from media_hub.cli import app
from media_hub.hub import Hub

DATA = Path(__file__).parent / "data"


def _run(runner: CliRunner, *args: str) -> Any:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def _clip(runner: CliRunner) -> int:
    [record] = _run(
        runner, "ingest", str(DATA / "in.mp4"), "--series", "reports",
        "-t", "ar=كيف تكتب سيرتك الذاتية", "-l", "ar",
    )  # fmt: skip
    return int(record["asset_id"])


def test_thumbnail_is_a_branded_jpeg_from_the_best_candidate(hub: Hub, runner: CliRunner) -> None:
    asset_id = _clip(runner)
    made = _run(runner, "thumbs", "make", str(asset_id), "--count", "6")
    branded = Path(made["thumbnail"])
    assert branded.parent == hub.settings.path(hub.settings.thumbnails.dir)
    with Image.open(branded) as image:
        assert (image.format, image.size) == ("JPEG", (1280, 720))
    assert branded.stat().st_size < 2_000_000
    candidates = [c for c in made["candidates"] if c["role"] == "candidate"]
    assert [c["index"] for c in candidates] == [1, 2, 3, 4, 5, 6]
    [chosen] = [c for c in candidates if c["chosen"]]
    assert chosen["score"] == max(c["score"] for c in candidates)
    assert Path(made["contact_sheet"]).is_file()
    for candidate in candidates:
        assert hub.store.exists(candidate["store_key"])


def test_a_rerun_reuses_the_candidates_and_a_pick_is_kept(hub: Hub, runner: CliRunner) -> None:
    asset_id = _clip(runner)
    first = _run(runner, "thumbs", "make", str(asset_id), "--count", "4")
    keys = set(hub.store.keys())
    before = Path(first["thumbnail"]).read_bytes()
    [best] = [c["index"] for c in first["candidates"] if c["chosen"]]
    other = 1 if best != 1 else 2
    picked = _run(runner, "thumbs", "pick", str(asset_id), str(other))
    assert [c["index"] for c in picked["candidates"] if c["chosen"]] == [other]
    assert Path(picked["thumbnail"]).read_bytes() != before
    again = _run(runner, "thumbs", "make", str(asset_id))
    assert [c["index"] for c in again["candidates"] if c["chosen"]] == [other]
    assert [c["store_key"] for c in again["candidates"]] == [
        c["store_key"] for c in first["candidates"]
    ]
    # Only the branded image may be new (picking renders it again).
    assert all(key.endswith(".jpg") for key in set(hub.store.keys()) - keys)


def test_picking_a_missing_candidate_is_refused(hub: Hub, runner: CliRunner) -> None:
    asset_id = _clip(runner)
    _run(runner, "thumbs", "make", str(asset_id), "--count", "3")
    result = runner.invoke(app, ["thumbs", "pick", str(asset_id), "9"])
    assert result.exit_code == 1
    assert f"asset {asset_id}: candidate: no candidate 9 (candidates: 1, 2, 3)" in result.stderr


def test_a_picture_of_ones_own(hub: Hub, runner: CliRunner, tmp_path: Path) -> None:
    asset_id = _clip(runner)
    own = tmp_path / "atelier.png"
    Image.new("RGB", (1600, 900), (200, 40, 40)).save(own)
    made = _run(runner, "thumbs", "set", str(asset_id), str(own))
    with Image.open(made["thumbnail"]) as image:
        assert image.size == (1280, 720)
        assert image.convert("RGB").getpixel((640, 200)) == (200, 40, 40)
    [chosen] = [c for c in made["candidates"] if c["chosen"]]
    assert chosen["role"] == "custom"


def test_a_picture_past_the_pixel_limit_is_refused(
    hub: Hub, runner: CliRunner, tmp_path: Path
) -> None:
    asset_id = _clip(runner)
    bomb = tmp_path / "bomb.png"
    Image.new("1", (20_000, 20_000)).save(bomb)  # 400 Mpixels, a few KB on disk
    result = runner.invoke(app, ["thumbs", "set", str(asset_id), str(bomb)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {bomb}")
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_deck_thumbnail_shows_its_first_page(hub: Hub, runner: CliRunner) -> None:
    [record] = _run(runner, "ingest", str(DATA / "habibi.pdf"), "--series", "cv-flyers")
    made = _run(runner, "thumbs", "make", str(record["asset_id"]))
    with Image.open(made["thumbnail"]) as image:
        assert image.size == (1280, 720)
    assert made["contact_sheet"] is None


def test_an_asset_without_a_file_has_no_thumbnail(hub: Hub, runner: CliRunner) -> None:
    added = runner.invoke(app, ["catalog", "add", "--kind", "video", "-t", "fr=Sans fichier"])
    result = runner.invoke(app, ["thumbs", "make", added.stdout.strip()])
    assert result.exit_code == 1
    assert "has no ingested file; ingest it first" in result.stderr


def test_picking_a_black_frame_is_allowed_and_said(
    hub: Hub, runner: CliRunner, tmp_path: Path
) -> None:
    import subprocess

    black = tmp_path / "fade.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "color=black:s=320x240:d=3:r=10",
         "-c:v", "libx264", "-pix_fmt", "yuv420p", str(black)],
        check=True,
    )  # fmt: skip
    [record] = _run(runner, "ingest", str(black), "--series", "reports", "-t", "fr=Fondu")
    asset_id = str(record["asset_id"])
    _run(runner, "thumbs", "make", asset_id, "--count", "2")
    picked = runner.invoke(app, ["thumbs", "pick", asset_id, "2"])
    assert picked.exit_code == 0, picked.output
    assert picked.stderr.strip() == (
        f"warning: asset {asset_id}: candidate 2 scores 0.00, a dark, flat or blurred frame; "
        f"it is used as asked (see 'media-hub thumbs list {asset_id}' for better ones)"
    )
    good = _clip(runner)
    _run(runner, "thumbs", "make", str(good), "--count", "2")
    fine = runner.invoke(app, ["thumbs", "pick", str(good), "1"])
    assert fine.exit_code == 0, fine.output
    assert fine.stderr == ""

"""Librarians catalogue first, the editor brings the files: `--asset ID` (or the series and
episode) attaches a file to a catalogued asset; `upload ID` and `upload QUERY` publish what
the catalog already holds."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from media_hub.catalog.query import AssetQuery
from media_hub.cli import app
from media_hub.hub import Hub
from media_hub.sandbox.server import Sandbox

DATA = Path(__file__).resolve().parent / "data"


def _ok(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def _json(runner: CliRunner, *args: str) -> Any:
    return json.loads(_ok(runner, *args, "--json"))


def _refused(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code != 0, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output
    return lines[0]


def _clip(tmp_path: Path, name: str, seconds: float) -> Path:
    path = tmp_path / name
    subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(DATA / "in.mp4"), "-t", str(seconds), "-c", "copy",
         str(path)],
        check=True,
    )  # fmt: skip
    return path


def _catalogued(runner: CliRunner, episode: int) -> int:
    added = _json(runner, "catalog", "add", "--kind", "video", "--series", "advisory-clips",
                  "--episode", str(episode), "-t", f"fr=Épisode {episode}")  # fmt: skip
    return int(added["id"])


def test_a_file_goes_to_the_asset_catalogued_for_it(
    hub: Hub, runner: CliRunner, tmp_path: Path
) -> None:
    asset_id = _catalogued(runner, 3)
    first = _clip(tmp_path, "cv-ep3.mp4", 2)

    out = _ok(runner, "ingest", str(first), "--series", "advisory-clips", "--episode", "3")
    assert out.startswith(f"cv-ep3.mp4: attached to the catalogued asset {asset_id} (video")
    record = hub.catalog.show(asset_id)
    assert record["source_checksum"] is not None
    assert record["titles"] == {"fr": "Épisode 3"}  # the librarians' texts are kept
    assert _ok(runner, "ingest", str(first), "--asset", str(asset_id)).startswith(
        f"cv-ep3.mp4: already asset {asset_id}"
    )

    second = _clip(tmp_path, "cv-ep3-v2.mp4", 1)
    line = _refused(runner, "ingest", str(second), "--asset", str(asset_id))
    assert line == (
        f"error: asset {asset_id}: file: it already has a file (cv-ep3.mp4); give --replace "
        "to use cv-ep3-v2.mp4 instead (the old one stays in its history)"
    )
    assert hub.catalog.show(asset_id)["source_checksum"] == record["source_checksum"]
    out = _ok(runner, "ingest", str(second), "--asset", str(asset_id), "--replace")
    assert out.startswith(f"cv-ep3-v2.mp4: now the file of asset {asset_id}")
    history = _json(runner, "catalog", "history", str(asset_id))
    names = [(e["old"], e["new"]) for e in history if e["field"] == "source_name"]
    assert names == [(None, "cv-ep3.mp4"), ("cv-ep3.mp4", "cv-ep3-v2.mp4")]


def test_a_file_that_does_not_fit_the_asset_is_refused_by_name(
    hub: Hub, runner: CliRunner, tmp_path: Path
) -> None:
    asset_id = _catalogued(runner, 4)
    deck = DATA / "pdflatex-4-pages.pdf"
    assert _refused(runner, "ingest", str(deck), "--asset", str(asset_id)) == (
        f"error: asset {asset_id}: --asset: it is a video, and pdflatex-4-pages.pdf is a deck"
    )
    clip = _clip(tmp_path, "ep.mp4", 1)
    assert _refused(runner, "ingest", str(clip), "--asset", str(asset_id), "--episode", "5") == (
        f"error: asset {asset_id}: --episode: the asset's episode is 4, not 5; change it with "
        f"'media-hub catalog edit {asset_id}' first"
    )
    assert "not found" in _refused(runner, "ingest", str(clip), "--asset", "999")
    assert hub.catalog.show(asset_id)["source_checksum"] is None


@pytest.mark.slow  # two uploads through the sandbox
@pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)
def test_the_editor_uploads_by_id_and_by_query(
    channel_hub: Hub, sandbox: Sandbox, runner: CliRunner, tmp_path: Path
) -> None:
    catalogued = _catalogued(runner, 1)
    empty = _catalogued(runner, 2)
    clip = _clip(tmp_path, "ep1.mp4", 2)

    [done] = _json(runner, "upload", str(clip), "--asset", str(catalogued))
    assert (done["asset_id"], done["attached"], done["uploaded_now"]) == (catalogued, True, True)

    line = _refused(runner, "upload", str(empty))
    assert line == (
        f"error: asset {empty}: file: it has no file yet; attach one with 'media-hub upload "
        f"FILE --asset {empty}'"
    )
    other = _clip(tmp_path, "ep5.mp4", 1)
    _ok(runner, "ingest", str(other), "--series", "advisory-clips", "--episode", "5")
    planned = _json(runner, "upload", "series:advisory-clips", "episode:5", "--plan")
    [plan] = planned
    assert plan["already_uploaded"] is False
    assert len(sandbox.state.snapshot()["videos"]) == 1  # a plan sends nothing
    [sent] = _json(runner, "upload", str(plan["asset_id"]))
    assert sent["uploaded_now"] is True
    again = _json(runner, "upload", "series:advisory-clips", "status:published")
    by_asset = {item["asset_id"]: item["uploaded_now"] for item in again}
    assert by_asset == {catalogued: False, plan["asset_id"]: False}  # never twice
    assert len(sandbox.state.snapshot()["videos"]) == 2
    assert "catalogued assets keep their own" in _refused(
        runner, "upload", str(catalogued), "--series", "reports"
    )


def test_the_same_bytes_given_another_series_are_refused_not_ignored(
    hub: Hub, runner: CliRunner, tmp_path: Path
) -> None:
    clip = _clip(tmp_path, "forum.mp4", 1)
    [first] = _json(runner, "ingest", str(clip), "--series", "reports")
    line = _refused(runner, "ingest", str(clip), "--series", "events")
    assert line == (
        f"error: asset {first['asset_id']}: --series: forum.mp4 is already asset "
        f"{first['asset_id']}, of series reports; change its series with 'media-hub catalog "
        f"edit {first['asset_id']}' if it is wrong"
    )
    assert _ok(runner, "ingest", str(clip)).startswith(
        f"forum.mp4: already asset {first['asset_id']}"
    )


def test_asset_options_in_the_wrong_combination_are_usage_errors(
    hub: Hub, runner: CliRunner, tmp_path: Path
) -> None:
    one, two = _clip(tmp_path, "a.mp4", 1), _clip(tmp_path, "b.mp4", 1)
    for command in ("ingest", "upload"):
        many = runner.invoke(app, [command, str(one), str(two), "--asset", "1"])
        assert many.exit_code == 2
        assert many.stderr.strip() == "error: --asset: give one file for one asset"
        alone = runner.invoke(app, [command, str(one), "--replace"])
        assert alone.exit_code == 2
        assert "--replace: give the asset whose file it replaces" in alone.stderr
    assert hub.catalog.find(AssetQuery()) == []  # nothing was ingested

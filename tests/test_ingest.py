"""Ingest: files into the store and the catalog, once, and bad files refused leaving nothing."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from media_hub.cli import app
from media_hub.hub import Hub

DATA = Path(__file__).parent / "data"


def _ingest(runner: CliRunner, *args: str) -> tuple[int, list[dict[str, object]], str]:
    result = runner.invoke(app, ["ingest", "--json", *args])
    records = json.loads(result.stdout) if result.stdout.strip() else []
    return result.exit_code, records, result.stderr


def _store_keys(hub: Hub) -> list[str]:
    return list(hub.store.keys())


def _asset_count(runner: CliRunner) -> int:
    listed = runner.invoke(app, ["catalog", "list", "--all", "--json"])
    return len(json.loads(listed.stdout))


def _incoming_leftovers(hub: Hub) -> list[Path]:
    incoming = hub.settings.path(Path(hub.settings.store.url)) / ".incoming"
    return list(incoming.iterdir()) if incoming.exists() else []


def test_a_clip_becomes_an_asset_with_its_master_in_the_store(
    hub: Hub, runner: CliRunner, tmp_path: Path
) -> None:
    clip = tmp_path / "conseils_cv-2014.mp4"
    shutil.copyfile(DATA / "in.mp4", clip)
    code, records, stderr = _ingest(runner, str(clip), "--series", "advisory-clips")
    assert code == 0, stderr
    [record] = records
    assert record["created"] is True
    assert record["sha256"] == hashlib.sha256(clip.read_bytes()).hexdigest()
    media = record["media"]
    assert isinstance(media, dict)
    assert media["video"]["width"] == 320
    assert media["audio"]["channels"] == 2
    key = str(record["source_key"])
    with hub.store.open(key) as stored:
        assert stored.read() == clip.read_bytes()
    shown = hub.catalog.show(int(str(record["asset_id"])))
    assert shown["titles"] == {"fr": "conseils cv 2014"}
    assert shown["source_checksum"] == record["sha256"]
    assert shown["series"] == "advisory-clips"


def test_the_same_bytes_twice_give_the_same_asset_and_no_new_work(
    hub: Hub, runner: CliRunner, tmp_path: Path
) -> None:
    first, second = tmp_path / "a.mp4", tmp_path / "renamed copy.mp4"
    shutil.copyfile(DATA / "in.mp4", first)
    shutil.copyfile(DATA / "in.mp4", second)
    _, [one], _ = _ingest(runner, str(first))
    history_before = hub.catalog.history(int(str(one["asset_id"])))
    code, [two], stderr = _ingest(runner, str(second), "--title", "fr=Autre titre")
    assert code == 0, stderr
    assert two["asset_id"] == one["asset_id"]
    assert two["created"] is False
    assert _store_keys(hub) == [one["source_key"]]
    assert _asset_count(runner) == 1
    assert hub.catalog.history(int(str(one["asset_id"]))) == history_before


def test_a_deck_is_ingested_with_its_page_count(hub: Hub, runner: CliRunner) -> None:
    code, [record], stderr = _ingest(
        runner, str(DATA / "pdflatex-4-pages.pdf"), "--series", "cv-flyers", "-t", "fr=Le CV"
    )
    assert code == 0, stderr
    assert record["kind"] == "deck"
    media = record["media"]
    assert isinstance(media, dict)
    assert media["page_count"] == 4


def _audio_only(path: Path) -> Path:
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=1",
         "-c:a", "aac", "-f", "mp4", str(path)],
        check=True,
    )  # fmt: skip
    return path


BAD_FILES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "zero-byte": (lambda d: _write(d / "empty.mp4", b""), "empty"),
    "text named .mp4": (lambda d: _write(d / "notes.mp4", b"not a video at all\n" * 20), ""),
    "truncated mp4": (
        lambda d: _write(d / "cut.mp4", (DATA / "in.mp4").read_bytes()[:200_000]),
        "",
    ),
    "no video stream": (lambda d: _audio_only(d / "voice.mp4"), "video"),
    "encrypted pdf": (
        lambda d: _copy(DATA / "libreoffice-writer-password.pdf", d / "locked.pdf"),
        "password",
    ),
    "corrupt pdf": (lambda d: _write(d / "broken.pdf", b"%PDF-1.4\n garbage " * 50), ""),
    "name starting with -": (lambda d: _copy(DATA / "in.mp4", d / "-clip.mp4"), "'-'"),
    "HLS playlist": (
        lambda d: _write(
            d / "list.mp4",
            f"#EXTM3U\n#EXTINF:7,\n{DATA / 'in.mp4'}\n#EXT-X-ENDLIST\n".encode(),
        ),
        "playlist",
    ),
}


def _write(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


def _copy(source: Path, target: Path) -> Path:
    shutil.copyfile(source, target)
    return target


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_bad_file_gets_one_line_and_leaves_nothing(
    hub: Hub, runner: CliRunner, tmp_path: Path, case: str
) -> None:
    make, reason = BAD_FILES[case]
    bad = make(tmp_path)
    code, records, stderr = _ingest(runner, str(bad))
    assert code == 1
    assert records == []
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith(f"error: {bad}")
    assert reason in lines[0]
    assert "Traceback" not in stderr
    assert _asset_count(runner) == 0
    assert _store_keys(hub) == []
    assert _incoming_leftovers(hub) == []


def test_an_unknown_series_is_refused_before_anything_is_copied(
    hub: Hub, runner: CliRunner
) -> None:
    code, _, stderr = _ingest(runner, str(DATA / "in.mp4"), "--series", "nope")
    assert code == 1
    assert "unknown series 'nope'" in stderr
    assert _store_keys(hub) == []


def test_a_taken_episode_after_the_copy_leaves_the_store_as_it_was(
    hub: Hub, runner: CliRunner, tmp_path: Path
) -> None:
    first = tmp_path / "first.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(DATA / "in.mp4"), "-t", "1", "-c", "copy",
         str(first)],
        check=True,
    )  # fmt: skip
    taken = runner.invoke(
        app, ["ingest", str(first), "--series", "advisory-clips", "--episode", "1"]
    )  # episode 1 has its file: another one cannot be attached to it
    assert taken.exit_code == 0, taken.stderr
    before = _store_keys(hub)
    result = runner.invoke(
        app, ["ingest", str(DATA / "in.mp4"), "--series", "advisory-clips", "--episode", "1"]
    )
    assert result.exit_code == 1
    assert "episode 1 of series 'advisory-clips' is already asset" in result.stderr
    assert _store_keys(hub) == before


def test_one_bad_file_does_not_stop_the_others(hub: Hub, runner: CliRunner, tmp_path: Path) -> None:
    empty = _write(tmp_path / "empty.mp4", b"")
    code, records, stderr = _ingest(runner, str(empty), str(DATA / "habibi.pdf"))
    assert code == 1
    assert [record["kind"] for record in records] == ["deck"]
    assert "empty.mp4" in stderr

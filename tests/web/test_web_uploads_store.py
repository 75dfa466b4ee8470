"""The upload store itself, on a real folder: a token from a request is refused before any
file is touched, files are the owner's alone, and a sweep takes only the stale files of its
own kind."""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from media_hub.web import sheet_uploads
from media_hub.web.upload_parts import UploadParts
from media_hub.web.upload_store import (
    FOLDER,
    SHEETS,
    TUS,
    BadTokenError,
    UploadStore,
    checked,
    scratch,
)

HOUR = 3600.0
BAD = ["../../media-hub.toml", "..", ".", "", "a/b", "A" * 31, "A" * 33, "A" * 31 + ".",
       "A" * 31 + "/", "A" * 31 + "\n", "A" * 31 + "é", "%2e%2e%2f" + "A" * 23]  # fmt: skip


@pytest.fixture
def open_umask() -> Iterator[None]:
    """No umask: the modes seen are the ones the store asks for, not the process's mask."""
    before = os.umask(0)
    yield
    os.umask(before)


def _snapshot(root: Path) -> dict[str, tuple[int, float, bytes]]:
    return {
        str(path.relative_to(root)): (
            path.lstat().st_mode,
            path.lstat().st_mtime,
            path.read_bytes() if path.is_file() else b"",
        )
        for path in sorted(root.rglob("*"))
    }


def _age(path: Path, hours: float) -> None:
    when = time.time() - hours * HOUR
    os.utime(path, (when, when), follow_symlinks=False)


@pytest.mark.parametrize("token", BAD)
def test_a_bad_token_is_refused_before_any_file_is_touched(tmp_path: Path, token: str) -> None:
    home = tmp_path / "hub"
    home.mkdir()
    (home / "media-hub.toml").write_text("[hub]\n")
    store = UploadStore(home, SHEETS)
    kept = store.create(store.new(), ".sheet", b"id,version\n")
    _age(kept, 2)  # not stale: untouched by anything but the calls below
    before = _snapshot(tmp_path)
    for call in (
        lambda: store.path(token, ".sheet"),
        lambda: store.create(token, ".sheet", b"overwritten"),
        lambda: store.discard(token),
        lambda: checked(token),
    ):
        with pytest.raises(BadTokenError):
            call()
    assert _snapshot(tmp_path) == before
    with pytest.raises(BadTokenError):  # nor does a second kind's store make its folder
        UploadStore(home, TUS).path(token, ".part")
    assert not (home / FOLDER / TUS.folder).exists()


@given(st.text(max_size=40))
def test_a_token_either_is_refused_or_names_a_file_right_in_its_folder(token: str) -> None:
    folder = Path("/hub") / FOLDER / TUS.folder
    try:
        path = UploadStore(Path("/hub"), TUS).path(token, ".part")
    except BadTokenError:
        return
    assert path.parent == folder
    assert path.name == f"{token}.part"
    assert len(token) == 32
    assert "." not in token
    assert "/" not in token


def test_tokens_made_are_new_and_pass_the_check(tmp_path: Path) -> None:
    store = UploadStore(tmp_path, TUS)
    tokens = {store.new() for _ in range(200)}
    assert len(tokens) == 200
    assert all(checked(token) == token for token in tokens)


def test_a_file_already_there_is_never_written_over(tmp_path: Path) -> None:
    outside = tmp_path / "media-hub.toml"
    outside.write_text("[hub]\n")
    store = UploadStore(tmp_path, SHEETS)
    token = store.new()
    store.path(token, ".sheet").symlink_to(outside)  # planted where the next file goes
    with pytest.raises(FileExistsError):
        store.create(token, ".sheet", b"overwritten")
    assert outside.read_text() == "[hub]\n"
    store.discard(token)  # the link goes, not what it points to
    assert not store.path(token, ".sheet").is_symlink()
    assert outside.read_text() == "[hub]\n"


def test_folders_are_0700_and_files_0600_whatever_the_umask(
    tmp_path: Path, open_umask: None
) -> None:
    parts = UploadParts(tmp_path)
    upload = parts.create(10, 1, "clip.mp4", "editor")
    sheet = sheet_uploads.keep(tmp_path, b"id,version\n")
    modes = {
        path.relative_to(tmp_path).as_posix(): stat.S_IMODE(path.stat().st_mode)
        for path in tmp_path.rglob("*")
    }
    assert modes == {
        FOLDER: 0o700,
        f"{FOLDER}/tus": 0o700,
        f"{FOLDER}/tus/{upload.id}.part": 0o600,
        f"{FOLDER}/tus/{upload.id}.json": 0o600,
        f"{FOLDER}/sheets": 0o700,
        f"{FOLDER}/sheets/{sheet.token}.sheet": 0o600,
    }
    with parts.finished(upload) as path:
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with scratch(tmp_path, "picture.png", b"\x89PNG") as picture:
        assert stat.S_IMODE(picture.stat().st_mode) == 0o600
        assert stat.S_IMODE(picture.parent.stat().st_mode) == 0o700
        assert picture.parent.parent == tmp_path / FOLDER
    assert not picture.parent.exists()
    assert sorted(p.name for p in (tmp_path / FOLDER).iterdir()) == ["sheets", "tus"]


def test_the_sweep_takes_only_the_stale_files_of_its_own_kind(tmp_path: Path) -> None:
    tus, sheets = UploadStore(tmp_path, TUS), UploadStore(tmp_path, SHEETS)
    made: dict[str, str] = {}
    aged: list[tuple[Path, float]] = []  # aged once all are made: `new` sweeps
    for name, store, suffixes, hours in (
        ("tus, two days old", tus, (".part", ".json"), 48),  # a sheet that old is stale
        ("tus, eight days old", tus, (".part", ".json", ""), 8 * 24),
        ("tus, old record, part just written", tus, (".json",), 8 * 24),
        ("sheet, two days old", sheets, (".sheet",), 48),
        ("sheet, an hour old", sheets, (".sheet",), 1),
    ):
        token = made[name] = store.new()
        for suffix in suffixes:
            path = store.create(token, suffix) if suffix else store.path(token, "")
            if not suffix:
                path.mkdir()
                (path / "clip.mp4").write_bytes(b"x")
            aged.append((path, hours))
    for path, age in aged:
        _age(path, age)
    fresh_part = tus.create(made["tus, old record, part just written"], ".part", b"x")
    strangers = [tus.folder / "notes.txt", sheets.folder / "README", sheets.folder / ("A" * 31)]
    for path in strangers:  # not the store's names: left alone however old
        path.write_text("kept")
        _age(path, 30 * 24)

    assert sheets.sweep() == [made["sheet, two days old"]]
    assert tus.sweep() == [made["tus, eight days old"]]

    def left(store: UploadStore) -> set[str]:
        return {path.name for path in store.folder.iterdir()}

    kept_tus = (made["tus, two days old"], made["tus, old record, part just written"])
    assert left(tus) == {f"{t}{s}" for t in kept_tus for s in (".part", ".json")} | {"notes.txt"}
    assert left(sheets) == {f"{made['sheet, an hour old']}.sheet", "README", "A" * 31}
    assert fresh_part.exists()
    assert all(path.read_text() == "kept" for path in strangers)
    assert tus.sweep() == []  # nothing more is stale
    assert sheets.sweep(now=time.time() + 2 * HOUR) == []
    assert sheets.sweep(now=time.time() + 24 * HOUR) == [made["sheet, an hour old"]]


def test_a_new_token_sweeps_its_kind(tmp_path: Path) -> None:
    sheets = UploadStore(tmp_path, SHEETS)
    old = sheet_uploads.keep(tmp_path, b"old")
    _age(old.path, 25)
    sheet_uploads.keep(tmp_path, b"new")
    assert not old.path.exists()
    assert len(list(sheets.folder.iterdir())) == 1


def test_the_tus_parts_go_where_the_web_config_says(tmp_path: Path) -> None:
    spool = tmp_path / "spool" / "tus"  # WebConfig.uploads_dir
    parts = UploadParts(tmp_path / "hub", spool)
    upload = parts.create(10, 1, "clip.mp4", "editor")
    assert sorted(path.name for path in spool.iterdir()) == [
        f"{upload.id}.json",
        f"{upload.id}.part",
    ]
    assert not (tmp_path / "hub").exists()
    for folder in (spool, spool.parent):
        assert stat.S_IMODE(folder.stat().st_mode) & 0o077 == 0
    assert parts.get(upload.id, "editor") == upload

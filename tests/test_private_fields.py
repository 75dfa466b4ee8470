"""A private JSON file of secrets read back: one line for each way it can be wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from media_hub.errors import ConfigError
from media_hub.private_files import read_private_fields, write_private

FIELDS = ("username", "password")
WHAT = "a SlideShare credentials file"
HINT = "run 'media-hub auth slideshare'"


def test_the_fields_are_read_from_a_private_file(tmp_path: Path) -> None:
    path = tmp_path / "credentials.json"
    write_private(path, '{"username": "anapec", "password": "s3cret", "other": 1}')
    assert read_private_fields(path, FIELDS, WHAT, HINT) == {
        "username": "anapec", "password": "s3cret"
    }  # fmt: skip


@pytest.mark.parametrize(
    ("text", "problem"),
    [("not json", f"is not {WHAT}; {HINT}"), ('{"username": "a"}', "lacks one of username, "
     f"password; {HINT}"), ('{"username": "a", "password": 3}', "lacks one of"), ("[]", "lacks")],
    ids=["not JSON", "a field missing", "a field not text", "not an object"],
)  # fmt: skip
def test_a_malformed_file_is_one_line_naming_it(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "credentials.json"
    write_private(path, text)
    with pytest.raises(ConfigError) as refused:
        read_private_fields(path, FIELDS, WHAT, HINT)
    assert str(refused.value).startswith(f"{path} ")
    assert problem in str(refused.value)


def test_a_file_others_can_read_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "credentials.json"
    write_private(path, '{"username": "a", "password": "b"}')
    path.chmod(0o644)
    with pytest.raises(ConfigError, match=r"credentials\.json"):
        read_private_fields(path, FIELDS, WHAT, HINT)


def test_keep_existing_lets_the_first_writer_win(tmp_path: Path) -> None:
    """Workers racing to make the hub's cookie key all end with the first one's."""
    from concurrent.futures import ThreadPoolExecutor

    key = tmp_path / "hub" / ".web-secret"
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda n: write_private(key, f"key {n}\n", keep_existing=True), range(32)))
    first = key.read_text()
    write_private(key, "a later key\n", keep_existing=True)
    assert key.read_text() == first
    assert key.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in key.parent.iterdir()] == [".web-secret"]  # no temporary left
    write_private(key, "replaced\n")
    assert key.read_text() == "replaced\n"

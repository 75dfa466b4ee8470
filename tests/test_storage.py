"""The asset store contract, one suite for the local folder and for S3.

S3 means the real boto3 client against moto's S3 server on loopback, started once per run;
each test gets a bucket of its own. Key validation is checked with hypothesis, the factory
through real settings.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import logging
import os
import random
import subprocess
import sys
import tracemalloc
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO
from urllib.parse import urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from media_hub.errors import ConfigError, StoreError
from media_hub.settings import load_settings
from media_hub.storage.base import AssetStore, StoredObject
from media_hub.storage.factory import open_store
from media_hub.storage.keys import content_key, validate_key, validate_prefix, validate_suffix
from media_hub.storage.local import LocalStore
from media_hub.storage.s3 import MIN_PART_SIZE, S3Store, parse_s3_url
from tests.s3_server import (
    FAKE_ACCESS_KEY_ID,
    FAKE_SECRET_ACCESS_KEY,
    REGION,
)

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer
    from mypy_boto3_s3 import S3Client

MIB = 1024 * 1024
REPO = Path(__file__).resolve().parent.parent
PREFIX = "media"
PART_SIZE = MIN_PART_SIZE  # the smallest S3 (and moto) allows, so multipart starts early


# --- sources -------------------------------------------------------------------------------


class SourceError(Exception):
    """Raised by a test source midway, standing for a dropped upload or a failing disk."""


class _Generated(io.RawIOBase):
    """`size` reproducible bytes made on the fly: a 50 MiB source that costs no memory."""

    _BLOCK = random.Random(3).randbytes(MIB + 13)  # odd period: no two parts are alike

    def __init__(self, size: int, fail_at: int | None = None) -> None:
        self._size = size
        self._fail_at = fail_at
        self._position = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        if self._fail_at is not None and self._position >= self._fail_at:
            raise SourceError(f"source failed at byte {self._position}")
        end = self._size if self._fail_at is None else min(self._size, self._fail_at)
        view = memoryview(buffer).cast("B")
        offset = self._position % len(self._BLOCK)
        count = min(len(view), end - self._position, len(self._BLOCK) - offset)
        view[:count] = memoryview(self._BLOCK)[offset : offset + count]
        self._position += count
        return count


def generated(size: int, fail_at: int | None = None) -> BinaryIO:
    return io.BufferedReader(_Generated(size, fail_at))


def generated_sha256(size: int) -> str:
    sha = hashlib.sha256()
    source = generated(size)
    while chunk := source.read(MIB):
        sha.update(chunk)
    return sha.hexdigest()


def stored_sha256(store: AssetStore, key: str) -> str:
    sha = hashlib.sha256()
    with store.open(key) as reader:
        while chunk := reader.read(256 * 1024):
            sha.update(chunk)
    return sha.hexdigest()


# --- backends ------------------------------------------------------------------------------


@dataclass
class Backend:
    """A store under test and what the suite needs to look behind it."""

    name: str
    store: AssetStore
    env: dict[str, str]  # MEDIA_HUB_STORE_* that open the same store through the factory
    leftovers: Callable[[], list[str]]  # temporary files, staging keys, pending uploads
    uploaded_parts: Callable[[], int] | None = None  # multipart parts sent so far (S3)
    temporary_local_paths: bool = False
    has_urls: bool = False


def _local_backend(root: Path) -> Backend:
    def leftovers() -> list[str]:
        incoming = root / ".incoming"
        return sorted(str(path) for path in incoming.rglob("*")) if incoming.exists() else []

    return Backend("local", LocalStore(root), {"MEDIA_HUB_STORE_URL": str(root)}, leftovers)


def _s3_backend(client: S3Client, bucket: str, endpoint: str) -> Backend:
    def leftovers() -> list[str]:
        listing = client.list_objects_v2(Bucket=bucket, Prefix=f"{PREFIX}/.incoming/")
        staged = [item["Key"] for item in listing.get("Contents", [])]
        uploads = client.list_multipart_uploads(Bucket=bucket).get("Uploads", [])
        return staged + [f"multipart upload of {upload['Key']}" for upload in uploads]

    env = {
        "MEDIA_HUB_STORE_URL": f"s3://{bucket}/{PREFIX}",
        "MEDIA_HUB_STORE_ENDPOINT_URL": endpoint,
        "MEDIA_HUB_STORE_REGION": REGION,
        "MEDIA_HUB_STORE_ACCESS_KEY_ID": FAKE_ACCESS_KEY_ID,
        "MEDIA_HUB_STORE_SECRET_ACCESS_KEY": FAKE_SECRET_ACCESS_KEY,
    }
    store = S3Store(bucket, PREFIX, client, part_size=PART_SIZE)
    return Backend(
        "s3",
        store,
        env,
        leftovers,
        temporary_local_paths=True,
        has_urls=True,
    )


@contextmanager
def hooked(client: S3Client, event: str, handler: Callable[..., None]) -> Iterator[None]:
    """A botocore event handler on the shared client for the length of one test."""
    client.meta.events.register(event, handler)
    try:
        yield
    finally:
        client.meta.events.unregister(event, handler)


@pytest.fixture(params=["local", "s3"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    if request.param == "local":
        yield _local_backend(tmp_path / "assets")
        return
    client, bucket = request.getfixturevalue("s3_bucket")
    backend = _s3_backend(client, bucket, request.getfixturevalue("s3_endpoint"))
    parts = [0]

    def count_part(**_: Any) -> None:
        parts[0] += 1

    backend.uploaded_parts = lambda: parts[0]
    with hooked(client, "before-call.s3.UploadPart", count_part):
        yield backend


@pytest.fixture
def store(backend: Backend) -> AssetStore:
    return backend.store


@pytest.fixture
def bare_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("MEDIA_HUB_"):
            monkeypatch.delenv(name)


# --- the contract --------------------------------------------------------------------------


def test_put_stream_round_trips(backend: Backend, store: AssetStore) -> None:
    data = b"a short clip\x00\xff"
    sha = hashlib.sha256(data).hexdigest()
    handled: list[int] = []
    stored = store.put_stream(io.BytesIO(data), ".mp4", handled.append)
    assert stored == StoredObject(key=content_key(sha, ".mp4"), sha256=sha, size=len(data))
    assert stored.key == f"sha256/{sha[:2]}/{sha[2:4]}/{sha}.mp4"
    assert sum(handled) == len(data)
    assert store.exists(stored.key)
    assert store.size(stored.key) == len(data)
    with store.open(stored.key) as reader:
        assert reader.read() == data
    assert list(store.keys()) == [stored.key]
    assert backend.leftovers() == []


def test_same_bytes_are_stored_once(backend: Backend, store: AssetStore) -> None:
    first = store.put_stream(io.BytesIO(b"same bytes"), ".png")
    second = store.put_stream(io.BytesIO(b"same bytes"), ".png")
    assert second == first
    assert list(store.keys()) == [first.key]
    other_suffix = store.put_stream(io.BytesIO(b"same bytes"), ".jpg")
    assert other_suffix.sha256 == first.sha256
    assert other_suffix.key != first.key
    assert list(store.keys()) == sorted([first.key, other_suffix.key])
    assert backend.leftovers() == []


def test_an_empty_stream_is_a_zero_byte_object(store: AssetStore) -> None:
    stored = store.put_stream(io.BytesIO(b""), "")
    assert stored.sha256 == hashlib.sha256(b"").hexdigest()
    assert stored.size == 0
    assert store.size(stored.key) == 0
    with store.open(stored.key) as reader:
        assert reader.read() == b""


def test_put_file(store: AssetStore, tmp_path: Path) -> None:
    path = tmp_path / "thumb.jpg"
    path.write_bytes(b"\xff\xd8 not really a jpeg")
    stored = store.put_file(path, ".jpg")
    assert stored.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    with store.open(stored.key) as reader:
        assert reader.read() == path.read_bytes()


def test_a_bad_suffix_is_refused_before_reading(store: AssetStore) -> None:
    source = io.BytesIO(b"bytes")
    with pytest.raises(StoreError, match="suffix"):
        store.put_stream(source, ".MP4")
    assert source.tell() == 0
    assert list(store.keys()) == []


def test_local_path_holds_the_object(backend: Backend, store: AssetStore) -> None:
    stored = store.put_stream(io.BytesIO(b"frames"), ".mp4")
    with store.local_path(stored.key) as path:
        assert path.read_bytes() == b"frames"
        assert path.suffix == ".mp4"
    assert path.exists() is not backend.temporary_local_paths


def test_delete(store: AssetStore) -> None:
    kept = store.put_stream(io.BytesIO(b"kept"), ".txt")
    gone = store.put_stream(io.BytesIO(b"gone"), ".txt")
    store.delete(gone.key)
    assert not store.exists(gone.key)
    assert store.exists(kept.key)
    assert list(store.keys()) == [kept.key]
    store.delete(gone.key)  # deleting what is absent is not an error
    with pytest.raises(StoreError, match="no such object"):
        store.size(gone.key)
    with pytest.raises(StoreError, match="no such object"), store.open(gone.key):
        pass
    with pytest.raises(StoreError, match="no such object"), store.local_path(gone.key):
        pass


def test_keys_by_prefix(store: AssetStore) -> None:
    stored = [store.put_stream(io.BytesIO(bytes([n]) * 10), ".bin") for n in range(6)]
    every = sorted(item.key for item in stored)
    assert list(store.keys()) == every
    assert list(store.keys("sha256/")) == every
    target = stored[0].key
    for prefix in (target[:9], target[:10], target[:13], target):
        listed = list(store.keys(prefix))
        assert target in listed
        assert listed == [key for key in every if key.startswith(prefix)]
    assert list(store.keys("sha256/zz/")) == []
    assert list(store.keys("nothing")) == []


@pytest.mark.parametrize("fail_at", [0, 512 * 1024, 7 * MIB], ids=["start", "part1", "part2"])
def test_a_failing_source_leaves_nothing_behind(
    backend: Backend, store: AssetStore, fail_at: int
) -> None:
    with pytest.raises(SourceError):
        store.put_stream(generated(12 * MIB, fail_at=fail_at), ".mp4")
    assert list(store.keys()) == []
    assert backend.leftovers() == []


def test_a_large_stream_round_trips(backend: Backend, store: AssetStore) -> None:
    size = 20 * MIB
    handled: list[int] = []
    stored = store.put_stream(generated(size), ".mp4", handled.append)
    assert stored.size == size
    assert stored.sha256 == generated_sha256(size)
    assert sum(handled) == size
    if backend.uploaded_parts is not None:
        assert backend.uploaded_parts() == size // PART_SIZE
    assert store.size(stored.key) == size
    assert stored_sha256(store, stored.key) == stored.sha256
    assert backend.leftovers() == []


def measure_put_peak() -> None:
    """Run in a fresh interpreter (see below): put a generated stream, print the peak memory.

    A child process, because moto serves from the test process and keeps objects in memory.
    """
    home, size = Path(sys.argv[1]), int(sys.argv[2])
    store = open_store(load_settings(home))
    store.put_stream(generated(9 * MIB), ".bin")  # warm up: imports, connections, models
    tracemalloc.start()
    stored = store.put_stream(generated(size), ".bin")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(json.dumps({"peak": peak, "key": stored.key, "sha256": stored.sha256}))


@pytest.mark.slow  # 50 MiB through a child process
def test_peak_memory_does_not_grow_with_size(
    backend: Backend, store: AssetStore, tmp_path: Path
) -> None:
    size = 50 * MIB
    env = {name: value for name, value in os.environ.items() if not name.startswith("MEDIA_HUB_")}
    env.update(backend.env)
    code = "from tests.test_storage import measure_put_peak; measure_put_peak()"
    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path), str(size)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.splitlines()[-1])
    assert result["sha256"] == generated_sha256(size)
    assert store.size(result["key"]) == size  # the child wrote to this very store
    assert result["peak"] < 4 * MIB, f"peak {result['peak'] / MIB:.1f} MiB for 50 MiB"


def test_presigned_url(backend: Backend, store: AssetStore) -> None:
    stored = store.put_stream(io.BytesIO(b"for a remote service"), ".pdf")
    url = store.presigned_url(stored.key, expires_s=60)
    if not backend.has_urls:
        assert url is None
        return
    assert url is not None
    assert urlsplit(url).hostname == "127.0.0.1"  # never fetch anything but loopback
    with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 (http on loopback)
        assert answer.read() == b"for a remote service"


BAD_KEYS = [
    "",
    "/etc/passwd",
    "../outside",
    "sha256/../../outside",
    "a..b",
    "a/./b",
    "a//b",
    "a/",
    "a\\b",
    "nul\x00byte",
    "line\nbreak",
    "del\x7f",
    "x" * 513,
    "with space",
    "caf\u00e9",
    ".incoming/x",
    "sha256/.hidden",
]


@pytest.mark.parametrize("key", BAD_KEYS)
def test_bad_keys_are_refused(store: AssetStore, key: str) -> None:
    calls: list[Callable[[], object]] = [
        lambda: store.exists(key),
        lambda: store.size(key),
        lambda: store.delete(key),
        lambda: store.presigned_url(key),
        lambda: store.open(key).__enter__(),
        lambda: store.local_path(key).__enter__(),
    ]
    for call in calls:
        with pytest.raises(StoreError) as refused:
            call()
        assert refused.value.key == key[:80] + ("..." if len(key) > 80 else "")


@pytest.mark.parametrize("prefix", ["/", "../", "a//", "\x00"])
def test_bad_prefixes_are_refused(store: AssetStore, prefix: str) -> None:
    with pytest.raises(StoreError):
        store.keys(prefix)


# --- the local folder ----------------------------------------------------------------------


def test_local_objects_are_files_under_the_root(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "assets")
    stored = store.put_stream(io.BytesIO(b"x"), ".txt")
    with store.local_path(stored.key) as path:
        assert path == (tmp_path / "assets" / stored.key).resolve()
    store.delete(stored.key)
    assert [path.name for path in (tmp_path / "assets").iterdir()] == [".incoming"]


def test_a_symlink_out_of_the_root_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    (outside / "ab").mkdir(parents=True)
    (outside / "ab" / "secret").write_text("not an asset")
    root = tmp_path / "assets"
    root.mkdir()
    (root / "sha256").symlink_to(outside)
    store = LocalStore(root)
    with pytest.raises(StoreError, match="outside the store folder"):
        store.exists("sha256/ab/secret")
    assert list(store.keys()) == []


# --- S3 only -------------------------------------------------------------------------------


def _b64(digest: bytes) -> str:
    return base64.b64encode(digest).decode()


def test_s3_copy_over_the_threshold_is_multipart_and_checked(
    s3_bucket: tuple[S3Client, str],
) -> None:
    client, bucket = s3_bucket
    store = S3Store(bucket, PREFIX, client, part_size=PART_SIZE, copy_threshold=PART_SIZE)
    size = 11 * MIB
    stored = store.put_stream(generated(size), ".mp4")
    head = client.head_object(Bucket=bucket, Key=f"{PREFIX}/{stored.key}", ChecksumMode="ENABLED")
    assert head["ETag"].strip('"').endswith("-3")  # copied in three parts
    source = generated(size)
    digests = [hashlib.sha256(source.read(PART_SIZE)).digest() for _ in range(3)]
    assert head.get("ChecksumSHA256", "").partition("-")[0] == _b64(
        hashlib.sha256(b"".join(digests)).digest()
    )
    assert stored_sha256(store, stored.key) == generated_sha256(size)


@pytest.mark.parametrize("size", [1024, 11 * MIB], ids=["single-put", "multipart"])
def test_s3_corruption_on_the_way_is_caught(s3_bucket: tuple[S3Client, str], size: int) -> None:
    """moto stores a part whatever its declared checksum; the store's own checks must notice."""
    client, bucket = s3_bucket
    store = S3Store(bucket, PREFIX, client, part_size=PART_SIZE)

    def flip_a_byte(params: dict[str, Any], **_: Any) -> None:
        body = params["Body"]
        data = bytearray(body if isinstance(body, bytes) else body.read())
        data[len(data) // 2] ^= 0xFF
        params["Body"] = bytes(data)

    with (
        hooked(client, "before-parameter-build.s3.PutObject", flip_a_byte),
        hooked(client, "before-parameter-build.s3.UploadPart", flip_a_byte),
        pytest.raises(StoreError, match="corrupted"),
    ):
        store.put_stream(generated(size), ".bin")
    assert client.list_objects_v2(Bucket=bucket).get("KeyCount") == 0
    assert client.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []


def test_s3_errors_name_the_key(s3_admin: S3Client) -> None:
    store = S3Store("no-such-bucket", PREFIX, s3_admin)
    with pytest.raises(StoreError, match="NoSuchBucket") as refused, store.open("sha256/ab/cd/x"):
        pass
    assert refused.value.key == "sha256/ab/cd/x"
    with pytest.raises(StoreError, match="NoSuchBucket"):
        store.put_stream(io.BytesIO(b"x"), "")


@pytest.mark.parametrize("expires_s", [0, 7 * 24 * 3600 + 1])
def test_s3_presigned_url_lifetime_is_bounded(s3_admin: S3Client, expires_s: int) -> None:
    store = S3Store("some-bucket", PREFIX, s3_admin)
    with pytest.raises(StoreError, match="presigned"):
        store.presigned_url("sha256/ab/cd/x", expires_s)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("s3://media-bucket", ("media-bucket", "")),
        ("s3://media-bucket/", ("media-bucket", "")),
        ("s3://media.bucket-2/hub/assets/", ("media.bucket-2", "hub/assets")),
    ],
)
def test_parse_s3_url(url: str, expected: tuple[str, str]) -> None:
    assert parse_s3_url(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "http://media-bucket/x",
        "s3://",
        "s3://ab",
        "s3://Media-Bucket",
        "s3://media_bucket",
        "s3://-media",
        "s3://a" + "b" * 63,
        "s3://media..bucket",
        "s3://192.168.1.10",
        "s3://xn--media",
        "s3://media-bucket/../up",
        "s3://media-bucket//x",
        "s3://media-bucket/a b",
    ],
)
def test_parse_s3_url_refuses(url: str) -> None:
    with pytest.raises(ConfigError, match=r"store\.url"):
        parse_s3_url(url)


def test_parse_s3_url_does_not_echo_credentials() -> None:
    with pytest.raises(ConfigError, match=r"store\.url") as refused:
        parse_s3_url("s3://AKIDEXAMPLE:hunter2@media-bucket/x")
    assert "hunter2" not in str(refused.value)


# --- the factory ---------------------------------------------------------------------------


@pytest.mark.usefixtures("bare_env")
def test_factory_default_is_the_hub_assets_folder(tmp_path: Path) -> None:
    store = open_store(load_settings(tmp_path))
    assert isinstance(store, LocalStore)
    assert store.root == tmp_path / "assets"


@pytest.mark.usefixtures("bare_env")
def test_factory_folder_relative_and_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MEDIA_HUB_STORE_URL", "media/store")
    store = open_store(load_settings(tmp_path))
    assert isinstance(store, LocalStore)
    assert store.root == tmp_path / "media" / "store"
    monkeypatch.setenv("MEDIA_HUB_STORE_URL", str(tmp_path / "elsewhere"))
    store = open_store(load_settings(tmp_path))
    assert isinstance(store, LocalStore)
    assert store.root == tmp_path / "elsewhere"


@pytest.mark.usefixtures("bare_env")
def test_factory_builds_a_working_s3_store(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    s3_endpoint: str,
    s3_bucket: tuple[S3Client, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    _, bucket = s3_bucket
    secret = "factory-secret-never-logged"
    for name, value in {
        "URL": f"s3://{bucket}/hub",
        "ENDPOINT_URL": s3_endpoint,
        "REGION": REGION,
        "ACCESS_KEY_ID": "factory-access-key",
        "SECRET_ACCESS_KEY": secret,
    }.items():
        monkeypatch.setenv(f"MEDIA_HUB_STORE_{name}", value)
    caplog.set_level(logging.DEBUG)
    store = open_store(load_settings(tmp_path))
    assert isinstance(store, S3Store)
    assert (store.bucket, store.prefix) == (bucket, "hub")
    # botocore turns max_attempts=5 (retries) into total_max_attempts=6 (with the first try).
    retries = store.client.meta.config.retries  # type: ignore[attr-defined]  # not in the stubs
    assert retries == {"total_max_attempts": 6, "mode": "standard"}
    assert store.client.meta.endpoint_url == s3_endpoint
    stored = store.put_stream(io.BytesIO(b"through the factory"), ".txt")
    with store.open(stored.key) as reader:
        assert reader.read() == b"through the factory"
    assert caplog.records, "expected debug logging to check"
    assert secret not in caplog.text


@pytest.mark.usefixtures("bare_env")
@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"URL": "gs://bucket/x"}, "not supported"),
        ({"URL": "s3://Bad_Bucket"}, "bucket"),
        ({"URL": "s3://media-bucket", "ACCESS_KEY_ID": "id-only"}, "go together"),
    ],
)
def test_factory_refuses_bad_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, env: dict[str, str], message: str
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(f"MEDIA_HUB_STORE_{name}", value)
    with pytest.raises(ConfigError, match=message):
        open_store(load_settings(tmp_path))


# --- keys (hypothesis) ---------------------------------------------------------------------

KEYISH = st.text(st.sampled_from("ab09._-/\\ :\x00\n\x7f\u00e9"), max_size=40)
SEGMENT = st.text(st.sampled_from("abc019_-."), min_size=1, max_size=8)
SAFE_PATH = st.lists(SEGMENT, max_size=4).map("/".join)


@pytest.fixture(scope="module")
def store_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("assets").resolve()


@given(key=KEYISH)
def test_an_accepted_key_stays_under_the_root(store_root: Path, key: str) -> None:
    try:
        validate_key(key)
    except StoreError:
        return
    assert ".." not in key
    assert not key.startswith("/")
    assert "//" not in key
    resolved = (store_root / key).resolve()
    assert resolved.is_relative_to(store_root)
    assert resolved != store_root
    assert LocalStore(store_root)._path(key) == resolved


@given(
    key=st.one_of(
        st.tuples(SAFE_PATH, SAFE_PATH).map(lambda parts: f"{parts[0]}/../{parts[1]}"),
        st.tuples(SAFE_PATH, SAFE_PATH).map(lambda parts: f"{parts[0]}..{parts[1]}"),
        SAFE_PATH.map(lambda path: "/" + path),
        st.tuples(SAFE_PATH, st.characters(categories=["Cc"]), SAFE_PATH).map("".join),
        st.text().filter(lambda text: ".." in text),
    )
)
def test_unsafe_keys_are_refused(key: str) -> None:
    with pytest.raises(StoreError):
        validate_key(key)


@given(data=st.binary(max_size=64), suffix=st.from_regex(r"(\.[a-z0-9]{1,9})?", fullmatch=True))
def test_content_keys_are_valid_keys(data: bytes, suffix: str) -> None:
    sha = hashlib.sha256(data).hexdigest()
    key = content_key(sha, suffix)
    assert validate_key(key) == key
    assert key == f"sha256/{sha[:2]}/{sha[2:4]}/{sha}{suffix}"
    assert validate_prefix(key[:10]) == key[:10]


@pytest.mark.parametrize("suffix", ["", ".mp4", ".pptx", ".123456789"])
def test_good_suffixes(suffix: str) -> None:
    assert validate_suffix(suffix) == suffix


@pytest.mark.parametrize("suffix", [".MP4", "mp4", ".", ".1234567890", ".tar.gz", ".m/4", ". "])
def test_bad_suffixes(suffix: str) -> None:
    with pytest.raises(StoreError, match="suffix"):
        validate_suffix(suffix)


@pytest.mark.parametrize("digest", ["", "ab" * 31, "AB" * 32, "g" * 64, "ab" * 33])
def test_content_key_wants_a_sha256_hex_digest(digest: str) -> None:
    with pytest.raises(StoreError, match="SHA-256"):
        content_key(digest, ".mp4")


def test_refusals_say_what_is_wrong() -> None:
    cases = {
        "": "empty",
        "/abs": "absolute",
        "a/../b": "'..'",
        "a//b": "empty segment",
        "a\\b": "backslash",
        "a\tb": "control",
        "a" * 600: "512 bytes",
        "a b": "characters outside",
        ".incoming/x": "starting with '.'",
    }
    for key, problem in cases.items():
        with pytest.raises(StoreError, match=problem):
            validate_key(key)

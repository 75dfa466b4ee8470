"""The asset store in an S3 bucket, or any S3-compatible server, through boto3.

A put streams the source to a staging key `<prefix>/.incoming/<uuid>` (one `put_object` when it
fits in one part, else a multipart upload), hashing as it goes, because the content-addressed
key is only known at the end. The staging object is then copied server-side to its key (unless
that key exists already) and deleted. Each part is spooled to a temporary file first, so memory
stays flat however large the file, and botocore can resend a part on a retry.

What is verified, and by whom:
- Each part (or the single put) carries its SHA-256 (`ChecksumSHA256`); AWS S3 refuses a part
  whose bytes do not match. moto does not check these.
- After the upload, `head_object` of the staging key must report the size sent and, when the
  server reports a checksum, the SHA-256 of the single put or the composite SHA-256 of the parts
  (the SHA-256 of the parts' digests). moto computes the composite from the bytes it received;
  for a single put it only echoes the checksum sent.
- The copy to the final key asks the server for a new SHA-256 (`ChecksumAlgorithm`): a
  `copy_object` yields the whole-object SHA-256, computed from the stored bytes, which must equal
  the one computed while streaming; a multipart copy (objects over `copy_threshold`) yields the
  composite over the same part boundaries. moto computes both from the bytes.
- An object already at the key must have the right size (and, if single-part, the whole-object
  SHA-256 when the server reports one).
Servers that report no checksum get the size checks only.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import ipaddress
import logging
import re
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, TYPE_CHECKING, BinaryIO, cast

from boto3.s3.transfer import TransferConfig
from botocore.exceptions import BotoCoreError, ClientError

from media_hub.errors import ConfigError, StoreError
from media_hub.storage.base import STALE_PARTIAL_AGE, ProgressCallback, StoredObject
from media_hub.storage.keys import content_key, validate_key, validate_prefix, validate_suffix

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_s3.type_defs import (
        CompletedPartTypeDef,
        CopySourceTypeDef,
        HeadObjectOutputTypeDef,
    )

log = logging.getLogger(__name__)

MIB = 1024 * 1024
DEFAULT_PART_SIZE = 8 * MIB
MIN_PART_SIZE = 5 * MIB  # S3's smallest part (except the last)
MAX_PART_SIZE = 5 * 1024 * MIB
MAX_PARTS = 10_000
COPY_OBJECT_LIMIT = 5 * 1024 * MIB  # the largest object one CopyObject may copy
CHUNK_SIZE = MIB
INCOMING = ".incoming"
MAX_PRESIGN_S = 7 * 24 * 3600  # SigV4's limit

_BUCKET = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
_RESERVED_BUCKET_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")
_RESERVED_BUCKET_SUFFIXES = ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")


def _bucket_problem(bucket: str) -> str | None:
    """S3's naming rules for general purpose buckets."""
    if not _BUCKET.fullmatch(bucket):
        return (
            "a bucket name has 3 to 63 lowercase letters, digits, dots and hyphens, "
            "beginning and ending with a letter or digit"
        )
    if ".." in bucket:
        return "a bucket name has no two adjacent dots"
    with contextlib.suppress(ValueError):
        ipaddress.IPv4Address(bucket)
        return "a bucket name is not an IP address"
    if bucket.startswith(_RESERVED_BUCKET_PREFIXES) or bucket.endswith(_RESERVED_BUCKET_SUFFIXES):
        return "the bucket name uses a prefix or suffix that S3 reserves"
    return None


def _check_location(bucket: str, prefix: str, shown: str) -> None:
    problem = _bucket_problem(bucket)
    if problem is not None:
        raise ConfigError(f"setting store.url ({shown}): bucket {bucket!r}: {problem}")
    if prefix:
        try:
            validate_key(prefix)
        except StoreError as exc:
            raise ConfigError(
                f"setting store.url ({shown}): the prefix is not usable: {exc}"
            ) from exc


def parse_s3_url(url: str) -> tuple[str, str]:
    """`s3://bucket/some/prefix` -> ("bucket", "some/prefix"); ConfigError naming store.url."""
    if not url.startswith("s3://"):
        raise ConfigError(f"setting store.url ({url!r}): not an s3://bucket/prefix URL")
    bucket, _, prefix = url.removeprefix("s3://").partition("/")
    if "@" in bucket:
        # Do not echo it: the part before '@' is probably a secret.
        raise ConfigError(
            "setting store.url: credentials do not belong in the URL; "
            "set store.access_key_id and store.secret_access_key"
        )
    prefix = prefix.removesuffix("/")
    _check_location(bucket, prefix, repr(url))
    return bucket, prefix


def _b64(digest: bytes) -> str:
    return base64.b64encode(digest).decode("ascii")


@dataclass
class _Sent:
    """What was uploaded to the staging key, for checking it against what the server holds."""

    size: int = 0
    part_digests: list[bytes] = field(default_factory=list)

    @property
    def staged_checksum(self) -> str:
        """The checksum S3 keeps for the staging object: whole-object or composite."""
        if len(self.part_digests) == 1:
            return _b64(self.part_digests[0])
        return self.composite_checksum

    @property
    def composite_checksum(self) -> str:
        return _b64(hashlib.sha256(b"".join(self.part_digests)).digest())


class _HashingReader:
    """Reads the source once, hashing every byte; can look one byte ahead."""

    def __init__(self, source: BinaryIO) -> None:
        self._source = source
        self._sha = hashlib.sha256()
        self._pending = b""

    def read(self, size: int) -> bytes:
        if self._pending:
            data, self._pending = self._pending[:size], self._pending[size:]
            return data
        data = self._source.read(size)
        self._sha.update(data)
        return data

    def at_end(self) -> bool:
        if not self._pending:
            self._pending = self.read(1)
        return not self._pending

    @property
    def digest(self) -> bytes:
        return self._sha.digest()


def _fill(reader: _HashingReader, spool: IO[bytes], limit: int) -> tuple[int, bytes]:
    """Replace the spool's content with up to `limit` bytes; returns their size and SHA-256."""
    spool.seek(0)
    spool.truncate()
    sha = hashlib.sha256()
    size = 0
    while size < limit:
        chunk = reader.read(min(CHUNK_SIZE, limit - size))
        if not chunk:
            break
        spool.write(chunk)
        sha.update(chunk)
        size += len(chunk)
    spool.flush()
    spool.seek(0)
    return size, sha.digest()


def _store_error(key: str, exc: ClientError | BotoCoreError) -> StoreError:
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        code = error.get("Code", "?")
        message = error.get("Message", "")
        return StoreError(key, f"S3 {exc.operation_name} failed: {code} {message}".rstrip())
    return StoreError(key, f"S3 request failed: {exc}")


def _is_not_found(exc: ClientError) -> bool:
    """A missing object; not a missing bucket, which only a GET can tell (a HEAD has no body)."""
    return exc.response.get("Error", {}).get("Code", "") in ("404", "NoSuchKey", "NotFound")


def _check(
    key: str, what: str, *, size: int, sent: int, checksum: str | None, expected: str | None
) -> None:
    """Compare what the server reports with what was sent; composite checksums end in -N."""
    if size != sent:
        raise StoreError(key, f"{what}: the server holds {size} bytes where {sent} were sent")
    if checksum and expected and checksum.partition("-")[0] != expected:
        raise StoreError(
            key,
            f"{what}: the server's SHA-256 {checksum} is not the {expected} computed "
            "while uploading; the data was corrupted on the way",
        )


class S3Store:
    """Content-addressed objects under `s3://bucket/prefix/`."""

    def __init__(
        self,
        bucket: str,
        prefix: str,
        client: S3Client,
        *,
        part_size: int = DEFAULT_PART_SIZE,
        copy_threshold: int = COPY_OBJECT_LIMIT,
    ) -> None:
        prefix = prefix.strip("/")
        _check_location(bucket, prefix, f"s3://{bucket}/{prefix}")
        if not MIN_PART_SIZE <= part_size <= MAX_PART_SIZE:
            raise ValueError(f"part_size must be between {MIN_PART_SIZE} and {MAX_PART_SIZE}")
        if not 0 <= copy_threshold <= COPY_OBJECT_LIMIT:
            raise ValueError(f"copy_threshold must be between 0 and {COPY_OBJECT_LIMIT}")
        self.bucket = bucket
        self.prefix = prefix
        self._root = f"{prefix}/" if prefix else ""
        self.client = client
        self._part_size = part_size
        self._copy_threshold = copy_threshold

    def __repr__(self) -> str:
        return f"S3Store('s3://{self.bucket}/{self.prefix}')"

    def _object_key(self, key: str) -> str:
        return self._root + validate_key(key)

    # --- writing -----------------------------------------------------------------------------

    def put_stream(
        self, source: BinaryIO, suffix: str, progress: ProgressCallback | None = None
    ) -> StoredObject:
        """See AssetStore; `progress` is called once per part sent."""
        validate_suffix(suffix)
        staging = f"{self._root}{INCOMING}/{uuid.uuid4().hex}"
        reader = _HashingReader(source)
        try:
            with tempfile.TemporaryFile(prefix="media-hub-part-") as spool:
                sent = self._upload(reader, spool, staging, progress)
            head = self._head(staging)
            _check(
                staging,
                "staged upload",
                size=head["ContentLength"],
                sent=sent.size,
                checksum=head.get("ChecksumSHA256"),
                expected=sent.staged_checksum,
            )
            digest = reader.digest
            key = content_key(digest.hex(), suffix)
            self._promote(staging, key, sent, _b64(digest))
        except (ClientError, BotoCoreError) as exc:
            raise _store_error(staging, exc) from exc
        finally:
            self._delete_quietly(staging)
        return StoredObject(key=key, sha256=digest.hex(), size=sent.size)

    def _upload(
        self,
        reader: _HashingReader,
        spool: IO[bytes],
        staging: str,
        progress: ProgressCallback | None,
    ) -> _Sent:
        size, digest = _fill(reader, spool, self._part_size)
        if size < self._part_size or reader.at_end():
            self.client.put_object(
                Bucket=self.bucket,
                Key=staging,
                Body=spool,
                ContentLength=size,
                ChecksumAlgorithm="SHA256",
                ChecksumSHA256=_b64(digest),
            )
            if progress is not None:
                progress(size)
            return _Sent(size=size, part_digests=[digest])
        upload_id = self.client.create_multipart_upload(
            Bucket=self.bucket, Key=staging, ChecksumAlgorithm="SHA256"
        )["UploadId"]
        sent = _Sent()
        parts: list[CompletedPartTypeDef] = []
        try:
            while size:
                number = len(parts) + 1
                if number > MAX_PARTS:
                    raise StoreError(
                        staging, f"more than {MAX_PARTS} parts of {self._part_size} bytes"
                    )
                checksum = _b64(digest)
                answer = self.client.upload_part(
                    Bucket=self.bucket,
                    Key=staging,
                    UploadId=upload_id,
                    PartNumber=number,
                    Body=spool,
                    ContentLength=size,
                    ChecksumAlgorithm="SHA256",
                    ChecksumSHA256=checksum,
                )
                echoed = answer.get("ChecksumSHA256")
                if echoed and echoed != checksum:
                    raise StoreError(
                        staging, f"part {number}: server SHA-256 {echoed} != {checksum}"
                    )
                parts.append(
                    {"PartNumber": number, "ETag": answer["ETag"], "ChecksumSHA256": checksum}
                )
                sent.part_digests.append(digest)
                sent.size += size
                if progress is not None:
                    progress(size)
                size, digest = _fill(reader, spool, self._part_size)
            self.client.complete_multipart_upload(
                Bucket=self.bucket,
                Key=staging,
                UploadId=upload_id,
                MultipartUpload={"Parts": parts},
            )
        except BaseException:
            self._abort(staging, upload_id)
            raise
        log.debug("uploaded %s in %d parts", staging, len(parts))
        return sent

    def _promote(self, staging: str, key: str, sent: _Sent, full_checksum: str) -> None:
        """Copy the staging object to its content-addressed key, unless it is there already."""
        target = self._root + key
        existing = self._head_or_none(target)
        if existing is not None:
            single_part = "-" not in existing.get("ETag", "")
            _check(
                key,
                "object already stored",
                size=existing["ContentLength"],
                sent=sent.size,
                checksum=existing.get("ChecksumSHA256"),
                expected=full_checksum if single_part else None,
            )
            log.debug("object %s already stored", key)
            return
        source: CopySourceTypeDef = {"Bucket": self.bucket, "Key": staging}
        if sent.size <= self._copy_threshold:
            self.client.copy_object(
                Bucket=self.bucket, Key=target, CopySource=source, ChecksumAlgorithm="SHA256"
            )
            expected = full_checksum
        else:
            # Copy parts on the upload's boundaries, so the composite checksum is predictable.
            config = TransferConfig(multipart_threshold=1, multipart_chunksize=self._part_size)
            self.client.copy(
                source,
                self.bucket,
                target,
                ExtraArgs={"ChecksumAlgorithm": "SHA256"},
                Config=config,
            )
            expected = sent.composite_checksum
        try:
            head = self._head(target)
            _check(
                key,
                "copy to the final key",
                size=head["ContentLength"],
                sent=sent.size,
                checksum=head.get("ChecksumSHA256"),
                expected=expected,
            )
        except BaseException:
            self._delete_quietly(target)
            raise
        log.debug("stored %s (%d bytes)", key, sent.size)

    def _abort(self, staging: str, upload_id: str) -> None:
        try:
            self.client.abort_multipart_upload(Bucket=self.bucket, Key=staging, UploadId=upload_id)
        except (ClientError, BotoCoreError) as exc:
            log.warning("could not abort the multipart upload of %s: %s", staging, exc)

    def _delete_quietly(self, object_key: str) -> None:
        """Cleanup must not hide the error that made it necessary; a leftover is logged."""
        try:
            self.client.delete_object(Bucket=self.bucket, Key=object_key)
        except (ClientError, BotoCoreError) as exc:
            log.warning("could not delete %s from bucket %s: %s", object_key, self.bucket, exc)

    def put_file(self, path: Path, suffix: str) -> StoredObject:
        with path.open("rb") as source:
            return self.put_stream(source, suffix)

    # --- reading -----------------------------------------------------------------------------

    def _head(self, object_key: str) -> HeadObjectOutputTypeDef:
        return self.client.head_object(Bucket=self.bucket, Key=object_key, ChecksumMode="ENABLED")

    def _head_or_none(self, object_key: str) -> HeadObjectOutputTypeDef | None:
        try:
            return self._head(object_key)
        except ClientError as exc:
            if _is_not_found(exc):
                return None
            raise

    def exists(self, key: str) -> bool:
        object_key = self._object_key(key)
        try:
            return self._head_or_none(object_key) is not None
        except (ClientError, BotoCoreError) as exc:
            raise _store_error(key, exc) from exc

    def size(self, key: str) -> int:
        object_key = self._object_key(key)
        try:
            head = self._head_or_none(object_key)
        except (ClientError, BotoCoreError) as exc:
            raise _store_error(key, exc) from exc
        if head is None:
            raise StoreError(key, "no such object")
        return head["ContentLength"]

    @contextlib.contextmanager
    def open(self, key: str) -> Iterator[BinaryIO]:
        object_key = self._object_key(key)
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=object_key)
        except ClientError as exc:
            if _is_not_found(exc):
                raise StoreError(key, "no such object") from None
            raise _store_error(key, exc) from exc
        except BotoCoreError as exc:
            raise _store_error(key, exc) from exc
        body = answer["Body"]
        try:
            # StreamingBody is an io.IOBase with read/readinto; BinaryIO is its typed face.
            yield cast(BinaryIO, body)
        finally:
            body.close()

    @contextlib.contextmanager
    def local_path(self, key: str) -> Iterator[Path]:
        suffix = Path(validate_key(key)).suffix  # ffmpeg may go by the extension
        with tempfile.NamedTemporaryFile(prefix="media-hub-", suffix=suffix) as temp:
            with self.open(key) as body:
                try:
                    shutil.copyfileobj(body, temp, CHUNK_SIZE)
                except BotoCoreError as exc:
                    raise _store_error(key, exc) from exc
            temp.flush()
            yield Path(temp.name)

    def delete(self, key: str) -> None:
        object_key = self._object_key(key)
        try:
            self.client.delete_object(Bucket=self.bucket, Key=object_key)
        except (ClientError, BotoCoreError) as exc:
            raise _store_error(key, exc) from exc

    def keys(self, prefix: str = "") -> Iterator[str]:
        """Keys starting with `prefix`, in S3's (sorted) order; staging objects excluded."""
        validate_prefix(prefix)
        return self._list(prefix)

    def _list(self, prefix: str) -> Iterator[str]:
        paginator = self.client.get_paginator("list_objects_v2")
        try:
            for page in paginator.paginate(Bucket=self.bucket, Prefix=self._root + prefix):
                for item in page.get("Contents", []):
                    key = item["Key"].removeprefix(self._root)
                    if key.startswith(INCOMING + "/"):
                        continue
                    try:
                        validate_key(key)
                    except StoreError:
                        log.warning("skipping %r in bucket %s: not a valid key", key, self.bucket)
                        continue
                    yield key
        except (ClientError, BotoCoreError) as exc:
            raise _store_error(prefix or self._root, exc) from exc

    def sweep_partials(self, older_than: timedelta = STALE_PARTIAL_AGE) -> int:
        """Delete staging objects and abort multipart uploads under `.incoming/` older than
        `older_than` (a bucket lifecycle rule can do the same, where one may be set)."""
        cutoff = datetime.now(UTC) - older_than
        staging = f"{self._root}{INCOMING}/"
        removed = 0
        try:
            objects = self.client.get_paginator("list_objects_v2")
            for page in objects.paginate(Bucket=self.bucket, Prefix=staging):
                for item in page.get("Contents", []):
                    if item["LastModified"] < cutoff:
                        self._delete_quietly(item["Key"])
                        removed += 1
            uploads = self.client.get_paginator("list_multipart_uploads")
            for listing in uploads.paginate(Bucket=self.bucket, Prefix=staging):
                for upload in listing.get("Uploads", []):
                    if upload["Initiated"] < cutoff:
                        self._abort(upload["Key"], upload["UploadId"])
                        removed += 1
        except (ClientError, BotoCoreError) as exc:
            log.warning("could not sweep the partial uploads in %s: %s", staging, exc)
        if removed:
            log.info("removed %d partial uploads under s3://%s/%s", removed, self.bucket, staging)
        return removed

    def presigned_url(self, key: str, expires_s: int = 3600) -> str | None:
        object_key = self._object_key(key)
        if not 1 <= expires_s <= MAX_PRESIGN_S:
            raise StoreError(key, f"a presigned URL lasts 1 to {MAX_PRESIGN_S} seconds")
        return self.client.generate_presigned_url(
            "get_object",
            Params={"Bucket": self.bucket, "Key": object_key},
            ExpiresIn=expires_s,
        )

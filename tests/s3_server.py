"""An S3-compatible server on loopback for the test run: moto's server mode, in this process.

Each test makes a bucket of its own; credentials are fake and given to the client only, so
nothing leaks into (or is read from) the process environment.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import boto3
from botocore.config import Config

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

FAKE_ACCESS_KEY_ID = "testing-access-key"
FAKE_SECRET_ACCESS_KEY = "testing-secret-key"  # moto accepts any credentials
REGION = "us-east-1"


@contextmanager
def s3_server() -> Iterator[str]:
    """Start moto on 127.0.0.1 and a free port; yields its endpoint URL."""
    # Imported here: moto pulls in Flask and friends, which callers of s3_client do not need.
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        if host != "127.0.0.1":
            raise RuntimeError(f"moto is listening on {host}, not on loopback")
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def s3_client(endpoint_url: str) -> S3Client:
    """A real boto3 client for the server, with fake credentials of its own."""
    session = boto3.session.Session()
    return session.client(
        "s3",
        endpoint_url=endpoint_url,
        region_name=REGION,
        aws_access_key_id=FAKE_ACCESS_KEY_ID,
        aws_secret_access_key=FAKE_SECRET_ACCESS_KEY,
        config=Config(s3={"addressing_style": "path"}, retries={"mode": "standard"}),
    )


def new_bucket(client: S3Client) -> str:
    """A fresh, uniquely named bucket."""
    name = f"test-{uuid.uuid4().hex[:16]}"
    client.create_bucket(Bucket=name)
    return name


def drop_bucket(client: S3Client, bucket: str) -> None:
    """Empty and remove a bucket, so the server's memory does not grow across the run."""
    for upload in client.list_multipart_uploads(Bucket=bucket).get("Uploads", []):
        client.abort_multipart_upload(Bucket=bucket, Key=upload["Key"], UploadId=upload["UploadId"])
    paginator = client.get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            client.delete_object(Bucket=bucket, Key=item["Key"])
    client.delete_bucket(Bucket=bucket)

"""Pick and build the asset store the settings name: a folder, or an S3 bucket."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

import boto3
from botocore.config import Config

from media_hub.errors import ConfigError
from media_hub.settings import Settings, StoreSettings
from media_hub.storage.base import AssetStore
from media_hub.storage.local import LocalStore
from media_hub.storage.s3 import S3Store, parse_s3_url

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

log = logging.getLogger(__name__)

# botocore counts max_attempts as retries after the first try: six requests at most.
S3_RETRIES = Config(retries={"max_attempts": 5, "mode": "standard"})


def open_store(settings: Settings) -> AssetStore:
    """The store of `store.url`; builds no connection, so it is cheap and cannot fail on network."""
    url = settings.store.url.strip()
    if url.startswith("s3://"):
        bucket, prefix = parse_s3_url(url)
        log.debug(
            "asset store: s3://%s/%s (endpoint %s)",
            bucket,
            prefix,
            settings.store.endpoint_url or "AWS",
        )
        return S3Store(bucket, prefix, s3_client(settings.store))
    if not url:
        raise ConfigError("setting store.url is empty; give a folder or s3://bucket/prefix")
    if "://" in url:
        scheme = url.partition("://")[0]
        raise ConfigError(
            f"setting store.url: the scheme {scheme!r} is not supported; "
            "give a folder or s3://bucket/prefix"
        )
    root = settings.path(Path(url))
    log.debug("asset store: folder %s", root)
    return LocalStore(root)


def s3_client(store: StoreSettings) -> S3Client:
    """A boto3 S3 client from the settings; without keys, boto3's usual credential chain."""
    if (store.access_key_id is None) != (store.secret_access_key is None):
        raise ConfigError(
            "settings store.access_key_id and store.secret_access_key go together: set both "
            "or neither"
        )
    config = S3_RETRIES
    if store.endpoint_url:
        # S3-compatible servers rarely serve bucket.host names; path-style works everywhere.
        config = config.merge(Config(s3={"addressing_style": "path"}))
    # A session of its own: boto3's default session is global state shared between threads.
    session = boto3.session.Session()
    return session.client(
        "s3",
        endpoint_url=store.endpoint_url,
        region_name=store.region,
        aws_access_key_id=store.access_key_id,
        aws_secret_access_key=(
            store.secret_access_key.get_secret_value() if store.secret_access_key else None
        ),
        config=config,
    )

"""Store keys: the only names a store accepts, checked before they touch a path or a bucket.

A key arrives from the catalog, a command line or a remote record, so it is treated as
hostile: it must be a relative, normalised path of safe ASCII characters, with no '..' at all.
Segments starting with a dot are refused too, which keeps the stores' own `.incoming/` staging
area out of reach.
"""

from __future__ import annotations

import re

from media_hub.errors import StoreError

MAX_KEY_BYTES = 512
MAX_SUFFIX_CHARS = 10
CONTENT_KEY_PREFIX = "sha256"

_SAFE_KEY = re.compile(r"[A-Za-z0-9._/-]+")
_SUFFIX = re.compile(rf"\.[a-z0-9]{{1,{MAX_SUFFIX_CHARS - 1}}}")
_SHA256_HEX = re.compile(r"[0-9a-f]{64}")


def _has_control(text: str) -> bool:
    # C0 controls, DEL and C1 controls: invisible in messages, dangerous in terminals and logs.
    return any(ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F for char in text)


def validate_key(key: str) -> str:
    """Return `key` unchanged if it is a safe relative key, else raise StoreError saying why."""
    problem = _key_problem(key)
    if problem is not None:
        shown = key if len(key) <= 80 else key[:80] + "..."
        raise StoreError(shown, problem)
    return key


def _key_problem(key: str) -> str | None:
    if not key:
        return "is empty"
    if _has_control(key):
        return "contains control characters"
    if "\\" in key:
        return "contains a backslash; use '/' between segments"
    if key.startswith("/"):
        return "is absolute; keys are relative to the store"
    if len(key.encode("utf-8")) > MAX_KEY_BYTES:
        return f"is longer than {MAX_KEY_BYTES} bytes"
    if ".." in key:
        # Only a '..' segment climbs, but no content key needs '..' and naive joins exist.
        return "contains '..'"
    for segment in key.split("/"):
        if segment == "":
            return "has an empty segment ('//' or a trailing '/')"
        if segment == ".":
            return "has a '.' segment"
        if segment.startswith("."):
            return "has a segment starting with '.' (reserved for the store's own use)"
    if not _SAFE_KEY.fullmatch(key):
        return "has characters outside A-Z a-z 0-9 . _ / -"
    return None


def validate_prefix(prefix: str) -> str:
    """A listing prefix: empty, or the start of a key (a trailing '/' is allowed)."""
    if prefix:
        validate_key(prefix.removesuffix("/"))
    return prefix


def validate_suffix(suffix: str) -> str:
    """A file suffix such as ".mp4": lowercase letters and digits, at most 10 characters."""
    if suffix and not _SUFFIX.fullmatch(suffix):
        shown = suffix if len(suffix) <= 20 else suffix[:20] + "..."
        raise StoreError(
            shown,
            f"suffix must be '' or '.' and 1 to {MAX_SUFFIX_CHARS - 1} lowercase letters or digits",
        )
    return suffix


def content_key(sha256_hex: str, suffix: str) -> str:
    """`sha256/ab/cd/<64 hex><suffix>`: two fan-out levels keep folders small."""
    if not _SHA256_HEX.fullmatch(sha256_hex):
        raise StoreError(sha256_hex[:80], "not a lowercase hexadecimal SHA-256 digest")
    validate_suffix(suffix)
    return f"{CONTENT_KEY_PREFIX}/{sha256_hex[:2]}/{sha256_hex[2:4]}/{sha256_hex}{suffix}"

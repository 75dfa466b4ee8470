"""Secrets kept out of what media-hub prints: log lines (all of them with --debug) and
tracebacks.

Libraries log what they send and receive at DEBUG: requests-oauthlib the token endpoint's
answer (`Obtained token {'access_token': ...}`), the request's body and its Basic
`Authorization` header; urllib3 request lines, whose query holds SlideShare's password; botocore
its signed headers. One filter on the handlers that print the log masks, in every record of
every logger:

- the values media-hub loaded as secrets (`register`): OAuth tokens and refresh tokens, client
  secrets, SlideShare's shared secret and password, the S3 secret key, the catalog's password;
- what has the shape of one in any text: `access_token`, `refresh_token`, `client_secret`,
  `password`... as `key=value`, `"key": "value"` or `'key': 'value'`, `Authorization`
  headers and bearer tokens, the password of a URL.

The registry is process-wide because logging is: a secret loaded anywhere is masked in every
logger's lines.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import unquote

MASK = "***"
# Shorter values would mask common words and numbers all over the log.
MIN_SECRET_LENGTH = 4

_known: set[str] = set()
_KEYS = (
    "access_token|refresh_token|id_token|token|client_secret|secret_access_key|"
    "aws_secret_access_key|api_secret|shared_secret|secret|password|passwd|code_verifier"
)
# A key and its value: `key=value` (forms, queries), `"key": "value"` (JSON), `'key': b'value'`.
_PAIR = re.compile(
    rf"""(?P<key>(?P<quote>["']?)\b(?:{_KEYS})(?P=quote)\s*[:=]\s*(?-i:b(?=["']))?["']?)[^"'&\s,;}}]+""",
    re.IGNORECASE,
)
# An OAuth authorization code: in a query or form, or a quoted value in a dict.
_CODE = re.compile(r"""(?P<key>[?&]code=|["']code["']\s*:\s*["'])[^"'&\s]+""")
_AUTHORIZATION = re.compile(
    r"""(?P<key>\bauthorization["']?\s*[:=]\s*(?-i:b(?=["']))?["']?)[^"'\r\n]+""", re.IGNORECASE
)
_BEARER = re.compile(r"(?P<key>\bbearer\s+)[\w.~+/=-]+", re.IGNORECASE)
_URL_PASSWORD = re.compile(r"(?P<key>\b[a-z][a-z0-9+.-]*://[^:/@\s]+:)[^@\s/]+(?=@)", re.I)
_PATTERNS = (_PAIR, _CODE, _AUTHORIZATION, _BEARER, _URL_PASSWORD)


def register(*values: str | None) -> None:
    """Mask these values wherever they appear in what is logged from now on."""
    for value in values:
        if value and len(value) >= MIN_SECRET_LENGTH:
            _known.add(value)
            if unquote(value) != value:
                _known.add(unquote(value))


def register_url_password(url: str | None) -> None:
    """The password of a URL such as `postgresql+psycopg://user:secret@host/db`."""
    if url and "://" in url and "@" in url:
        userinfo = url.split("://", 1)[1].rpartition("@")[0]
        if ":" in userinfo:
            register(userinfo.split(":", 1)[1])


def redact(text: str) -> str:
    """`text` with every known secret, and everything shaped like one, masked."""
    for secret in sorted(_known, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, MASK)
    for pattern in _PATTERNS:
        text = pattern.sub(rf"\g<key>{MASK}", text)
    return text


class RedactingFilter(logging.Filter):
    """Masks secrets in a record's message, its exception and its stack before it is printed."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken record: logging reports it itself
            return True
        record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def guard(logger: logging.Logger) -> None:
    """Put the filter on each of the logger's handlers (once): records that other loggers
    pass up to it are filtered there, which a filter on a logger would not see."""
    for handler in logger.handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())

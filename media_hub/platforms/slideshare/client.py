"""A client for SlideShare's REST API v2: signed calls, XML answers, clear errors.

Every call carries `api_key`, `ts` and `hash` = SHA-1(shared secret + ts); calls that act for
the account add `username` and `password`. Answers are parsed with defusedxml. The password
travels in the query string (as SlideShare documents its GET calls), so URLs are never logged
or shown: urllib3's request lines are redacted and network errors name only the endpoint.

Answers 429 and 5xx and dropped connections are retried with exponential backoff and jitter
where a second send cannot make a second thing: reads, edits and deletes (setting the same
fields, or deleting the same id, twice changes nothing). An upload is retried only when the
caller can say whether the lost attempt landed (see `upload_slideshow`).

Production and the sandbox differ only by `api_base` (and the sandbox's CA certificate).
"""

from __future__ import annotations

import hashlib
import logging
import random
import secrets
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element, ParseError

import requests
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeXml

from media_hub.errors import ConfigError, RemoteError
from media_hub.platforms.slideshare.credentials import SlideShareCredentials
from media_hub.platforms.slideshare.errors import SERVICE, service_error

log = logging.getLogger(__name__)

PAGE_SIZE = 100  # get_slideshows_by_user's limit per call
RETRIED_STATUSES = {429, 500, 502, 503, 504}
MAX_DELAY_S = 30.0
_TIME_FORMAT = "%a %b %d %H:%M:%S %z %Y"  # "Mon Dec 03 09:05:57 -0600 2012"


class ConversionStatus(IntEnum):
    QUEUED = 0
    CONVERTING = 1
    CONVERTED = 2
    FAILED = 3


@dataclass(frozen=True)
class Slideshow:
    """A slideshow as get_slideshow (detailed) describes it; counts are 0 when not detailed."""

    id: str
    title: str
    description: str
    status: ConversionStatus
    url: str
    created: datetime | None
    updated: datetime | None
    tags: tuple[str, ...] = ()
    num_views: int = 0
    num_downloads: int = 0
    num_favorites: int = 0
    num_comments: int = 0
    num_slides: int | None = None


@dataclass(frozen=True)
class SlideshowPage:
    total: int
    slideshows: list[Slideshow]


class SlideShareClient:
    """One account's calls; `sleep` and `clock` are injectable for tests."""

    def __init__(
        self,
        api_base: str,
        credentials: SlideShareCredentials,
        *,
        ca_bundle: Path | None = None,
        timeout: float = 120.0,
        attempts: int = 4,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        parts = urlsplit(api_base)
        if parts.scheme != "https" or not parts.hostname or parts.query or parts.fragment:
            raise ConfigError(
                f"slideshare.api_base {api_base!r} is not an https URL; "
                "use https://www.slideshare.net/api/2/ or the sandbox's"
            )
        self.api_base = api_base.rstrip("/") + "/"
        self.credentials = credentials
        self._timeout = timeout
        self._attempts = max(1, attempts)
        self._clock = clock
        self._sleep = sleep
        self._session = requests.Session()
        if ca_bundle is not None:
            # requests lets REQUESTS_CA_BUNDLE win over `verify`; with a CA configured, it
            # must not.
            self._session.verify = str(ca_bundle)
            self._session.trust_env = False

    def close(self) -> None:
        self._session.close()

    # -- the API's methods ---------------------------------------------------------------------
    def get_slideshow(self, slideshow_id: str, *, detailed: bool = True) -> Slideshow:
        params = {"slideshow_id": slideshow_id, "detailed": "1" if detailed else "0"}
        root = self._call(
            "get_slideshow", params, as_user=True, doing=f"reading slideshow {slideshow_id}"
        )
        return parse_slideshow(root)

    def get_slideshows_by_user(
        self, *, limit: int = PAGE_SIZE, offset: int = 0, detailed: bool = True,
        unconverted: bool = True,
    ) -> SlideshowPage:  # fmt: skip
        params = {
            "username_for": self.credentials.username,
            "limit": str(limit),
            "offset": str(offset),
            "detailed": "1" if detailed else "0",
            "get_unconverted": "1" if unconverted else "0",
        }
        root = self._call(
            "get_slideshows_by_user", params, as_user=True,
            doing=f"listing the slideshows of {self.credentials.username}",
        )  # fmt: skip
        slideshows = [parse_slideshow(item) for item in root.findall("Slideshow")]
        return SlideshowPage(_int(root.findtext("Count")), slideshows)

    def slideshows(self, *, detailed: bool = True) -> Iterator[Slideshow]:
        """Every slideshow of the account (converted or not), PAGE_SIZE per call."""
        offset = 0
        while True:
            page = self.get_slideshows_by_user(limit=PAGE_SIZE, offset=offset, detailed=detailed)
            yield from page.slideshows
            offset += len(page.slideshows)
            if not page.slideshows or offset >= page.total:
                return

    def upload_slideshow(
        self,
        fields: Mapping[str, str],
        *,
        file: Path | None = None,
        upload_url: str | None = None,
        filename: str | None = None,
        progress: Callable[[int, int], None] | None = None,
        landed: Callable[[], str | None] | None = None,
    ) -> str:
        """Send a deck (the file itself, or a URL SlideShare fetches); returns its new id.

        A 5xx or a dropped connection can come after SlideShare made the slideshow, and a
        second send would make a second one. So the upload is retried only with `landed`,
        asked after each backoff: the id of the slideshow the lost attempt made, or None to
        send again. Without it the first failure is raised and the caller looks before
        sending again.
        """
        if (file is None) == (upload_url is None):
            raise ValueError("give the file or an upload_url, not both")
        doing = f"uploading {filename or (file.name if file else 'the deck')}"
        attempts = self._attempts if landed is not None else 1
        for attempt in range(1, attempts + 1):
            try:
                if upload_url is not None:
                    response = self._get(
                        "upload_slideshow", {**fields, "upload_url": upload_url}, as_user=True
                    )
                else:
                    assert file is not None
                    response = self._post_file(fields, file, filename or file.name, progress)
            except requests.RequestException as exc:
                if attempt == attempts:
                    raise self._unreachable(exc, doing) from None
                failed = f"connection lost ({type(exc).__name__})"
            else:
                if response.status_code not in RETRIED_STATUSES or attempt == attempts:
                    return _uploaded_id(self._answer(response, doing), doing)
                failed = f"HTTP {response.status_code}"
            self._pause(attempt, doing, failed, "looking for it before sending again")
            assert landed is not None
            found = landed()
            if found is not None:
                log.warning("%s: the lost attempt did land, as slideshow %s", doing, found)
                return found
        raise AssertionError("unreachable")

    def edit_slideshow(self, slideshow_id: str, fields: Mapping[str, str]) -> None:
        self._call(
            "edit_slideshow", {**fields, "slideshow_id": slideshow_id}, as_user=True,
            doing=f"editing slideshow {slideshow_id}",
        )  # fmt: skip

    def delete_slideshow(self, slideshow_id: str) -> None:
        """Retried like a read: a retry after a lost answer may find it gone (code 9, which
        the caller takes as deleted)."""
        self._call(
            "delete_slideshow", {"slideshow_id": slideshow_id}, as_user=True,
            doing=f"deleting slideshow {slideshow_id}",
        )  # fmt: skip

    def get_user_tags(self) -> dict[str, int]:
        """The account's tags with their counts: also the cheapest check of the credentials."""
        root = self._call("get_user_tags", {}, as_user=True, doing="checking the account")
        return {(tag.text or ""): _int(tag.get("Count")) for tag in root.iter("Tag")}

    # -- transport -----------------------------------------------------------------------------
    def signed(self, params: Mapping[str, str], *, as_user: bool) -> dict[str, str]:
        """`params` with the signature (and the account, when acting for it)."""
        ts = str(int(self._clock()))
        digest = hashlib.sha1((self.credentials.shared_secret + ts).encode()).hexdigest()  # noqa: S324 - SlideShare's scheme
        signed = {**params, "api_key": self.credentials.api_key, "ts": ts, "hash": digest}
        if as_user:
            signed["username"] = self.credentials.username
            signed["password"] = self.credentials.password
        return signed

    def _call(
        self, method: str, params: Mapping[str, str], *, as_user: bool, doing: str
    ) -> Element:
        """One call that a second send cannot harm, retried on 429, 5xx and lost connections."""
        for attempt in range(1, self._attempts + 1):
            try:
                response = self._get(method, params, as_user=as_user)
            except requests.RequestException as exc:
                if attempt == self._attempts:
                    raise self._unreachable(exc, doing) from None
                failed = f"connection lost ({type(exc).__name__})"
            else:
                if response.status_code not in RETRIED_STATUSES or attempt == self._attempts:
                    return self._answer(response, doing)
                failed = f"HTTP {response.status_code}"
            self._pause(attempt, doing, failed, "retrying")
        raise AssertionError("unreachable")

    def _get(self, method: str, params: Mapping[str, str], *, as_user: bool) -> requests.Response:
        return self._session.get(
            self.api_base + method, params=self.signed(params, as_user=as_user),
            timeout=self._timeout,
        )  # fmt: skip

    def _post_file(
        self, fields: Mapping[str, str], file: Path, filename: str,
        progress: Callable[[int, int], None] | None,
    ) -> requests.Response:  # fmt: skip
        """upload_slideshow with the file streamed as multipart (signed anew each attempt)."""
        body = MultipartBody(self.signed(fields, as_user=True), "slideshow_srcfile", file,
                             filename, progress)  # fmt: skip
        with body:
            return self._session.post(
                self.api_base + "upload_slideshow", data=body,
                headers={"Content-Type": body.content_type, "Content-Length": str(len(body))},
                timeout=self._timeout,
            )  # fmt: skip

    def _pause(self, attempt: int, doing: str, failed: str, then: str) -> None:
        """Wait before attempt `attempt + 1`: 1, 2, 4... s (at most MAX_DELAY_S), each
        scaled by a random 0.5-1 so that clients failing together do not retry together."""
        delay = min(MAX_DELAY_S, 2.0 ** (attempt - 1)) * (0.5 + random.random() / 2)  # noqa: S311
        log.warning("%s: %s; %s in %.1f s", doing, failed, then, delay)
        self._sleep(delay)

    def _answer(self, response: requests.Response, doing: str) -> Element:
        status = response.status_code
        if status >= 400 and not response.content.lstrip().startswith(b"<"):
            raise RemoteError(
                SERVICE, f"http{status}", f"{doing}: HTTP {status}; rerun later, finished steps "
                "are kept",
            )  # fmt: skip
        try:
            root: Element = SafeXml.fromstring(response.content)
        except (ParseError, DefusedXmlException) as exc:
            raise RemoteError(
                SERVICE, "answer", f"{doing}: the answer is not SlideShare's XML ({exc})"
            ) from None
        if root.tag == "SlideShareServiceError":
            message = root.find("Message")
            code = _int(message.get("ID") if message is not None else None, default=-1)
            text = (message.text or "").strip() if message is not None else ""
            raise service_error(code, text, doing)
        if status >= 400:
            raise RemoteError(SERVICE, f"http{status}", f"{doing}: HTTP {status}")
        return root

    def _unreachable(self, exc: requests.RequestException, doing: str) -> RemoteError:
        # The exception's text holds the URL with the password: only its kind is shown.
        return RemoteError(
            SERVICE, "connection",
            f"{doing}: cannot reach {self.api_base} ({type(exc).__name__}); check the network "
            "and slideshare.api_base, then rerun: finished steps are kept",
        )  # fmt: skip


class MultipartBody:
    """A multipart/form-data body streamed from the file, with its length known up front
    (the deck is never read whole into memory, and no chunked encoding is needed)."""

    def __init__(
        self, fields: Mapping[str, str], name: str, file: Path, filename: str,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:  # fmt: skip
        self.boundary = "media-hub-" + secrets.token_hex(12)
        self.content_type = f"multipart/form-data; boundary={self.boundary}"
        head = b"".join(self._field(key, value) for key, value in fields.items())
        quoted = filename.replace('"', "%22").replace("\r", "").replace("\n", "")
        head += (
            f'--{self.boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{quoted}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        ).encode()
        self._parts: list[bytes | Path] = [head, file, f"\r\n--{self.boundary}--\r\n".encode()]
        self._length = len(head) + file.stat().st_size + len(self._parts[2])  # type: ignore[arg-type]
        self._current: IO[bytes] | None = None
        self._index = 0
        self._file_size = file.stat().st_size
        self._file_sent = 0
        self._progress = progress

    def _field(self, key: str, value: str) -> bytes:
        return (
            f'--{self.boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'
        ).encode()

    def __len__(self) -> int:
        return self._length

    def __enter__(self) -> MultipartBody:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._current is not None:
            self._current.close()

    def read(self, size: int = -1) -> bytes:
        size = 1 << 20 if size is None or size < 0 else size
        out = bytearray()
        while len(out) < size and self._index < len(self._parts):
            part = self._parts[self._index]
            if isinstance(part, bytes):
                out += part
                self._index += 1
                continue
            if self._current is None:
                self._current = part.open("rb")
            piece = self._current.read(size - len(out))
            if piece:
                out += piece
                self._file_sent += len(piece)
                if self._progress is not None:
                    self._progress(self._file_sent, self._file_size)
            else:
                self._current.close()
                self._current = None
                self._index += 1
        return bytes(out)


def _uploaded_id(root: Element, doing: str) -> str:
    slideshow_id = (root.findtext("SlideShowID") or "").strip()
    if root.tag != "SlideShowUploaded" or not slideshow_id:
        raise RemoteError(SERVICE, "answer", f"{doing}: SlideShare answered without an id")
    return slideshow_id


def parse_slideshow(node: Element) -> Slideshow:
    """A <Slideshow> element as a Slideshow."""
    slides = node.findtext("NumSlides")
    return Slideshow(
        id=(node.findtext("ID") or "").strip(),
        title=node.findtext("Title") or "",
        description=node.findtext("Description") or "",
        status=ConversionStatus(_int(node.findtext("Status"))),
        url=node.findtext("URL") or "",
        created=_time(node.findtext("Created")),
        updated=_time(node.findtext("Updated")),
        tags=tuple(tag.text or "" for tag in node.iter("Tag")),
        num_views=_int(node.findtext("NumViews")),
        num_downloads=_int(node.findtext("NumDownloads")),
        num_favorites=_int(node.findtext("NumFavorites")),
        num_comments=_int(node.findtext("NumComments")),
        num_slides=_int(slides) if slides is not None else None,
    )


def _int(text: str | None, default: int = 0) -> int:
    try:
        return int((text or "").strip())
    except ValueError:
        return default


def _time(text: str | None) -> datetime | None:
    try:
        return datetime.strptime((text or "").strip(), _TIME_FORMAT)
    except ValueError:
        return None


class _RedactQueries(logging.Filter):
    """urllib3 logs each request's URL: keep the path, drop the query (it holds the password)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(_redacted(arg) for arg in record.args)
        return True


def _redacted(value: Any) -> Any:
    if isinstance(value, str) and "?" in value and ("hash=" in value or "password=" in value):
        return value.split("?", 1)[0] + "?[redacted]"
    return value


logging.getLogger("urllib3.connectionpool").addFilter(_RedactQueries())

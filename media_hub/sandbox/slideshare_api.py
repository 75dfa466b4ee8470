"""SlideShare API v2 under `/api/2/<method>`: upload, read, list, edit and delete slideshows.

Not a Google API: no OAuth and no Google quota, but the sandbox's faults apply (the server
takes them first). Each call is GET or POST (query, urlencoded or multipart body, merged) and
is answered in this order: a body over the size limit (8 for an upload, refused on its
Content-Length before reading), the signature (0/1), the day's call limit (99), then the
method's own checks. Answers are XML, HTTP 200, errors included; an unknown method is 404.

Conversion is counted in reads: a new slideshow shows Status 0 for `slideshare_queued_reads`
reads, 1 for `slideshare_converting_reads`, then 2 (or 3 when the file is no real document).
A get_slideshows_by_user call reads every slideshow of the account. Counts grow from the day
of the first read that showed the slideshow converted (see `growth.deck_daily`).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element

from media_hub.platforms.slideshare import codes
from media_hub.sandbox import slideshare_form as form
from media_hub.sandbox.growth import DeckDaily, deck_total
from media_hub.sandbox.slideshare_account import check_login, count_call, verify_signature
from media_hub.sandbox.slideshare_files import (
    CONVERTED,
    conversion,
    extension,
    fetch,
    url_extension,
)
from media_hub.sandbox.slideshare_xml import (
    Owner,
    ServiceError,
    add,
    document,
    error_response,
    id_answer,
    slideshow_element,
)
from media_hub.sandbox.state import Data, State, rfc3339
from media_hub.sandbox.wire import Request, Response

PREFIX = "/api/2/"
DEFAULT_LIMIT, MAX_LIMIT = 12, 100
PRIVACY_OPTIONS = {  # parameter: (stored as, default)
    "make_slideshow_private": ("private", False),
    "generate_secret_url": ("secret_url", False),
    "allow_embeds": ("allow_embeds", True),
    "share_with_contacts": ("share_with_contacts", False),
}
_ID_IN_URL = re.compile(r"-(\d+)/?$")


@dataclass(frozen=True)
class Call:
    """One signed call: its merged parameters, its uploaded files and its own temp folder."""

    params: Mapping[str, str]
    files: Mapping[str, form.FilePart]
    folder: Path


class SlideShareApi:
    """The account's slideshows over one `State`; bytes in `<media>/slideshows/<id>.<ext>`."""

    def __init__(self, state: State, base_url: str) -> None:
        self.state = state
        self.base_url = base_url
        self.folder = state.media_dir / "slideshows"
        for leftover in self.folder.glob(".call-*"):  # from a sandbox stopped mid-call
            shutil.rmtree(leftover, ignore_errors=True)
        self.methods: dict[str, Callable[[Call], Element]] = {
            "upload_slideshow": self.upload_slideshow,
            "get_slideshow": self.get_slideshow,
            "get_slideshows_by_user": self.get_slideshows_by_user,
            "edit_slideshow": self.edit_slideshow,
            "delete_slideshow": self.delete_slideshow,
            "get_user_tags": self.get_user_tags,
        }

    def handle(self, request: Request) -> Response:
        name = request.path.removeprefix(PREFIX)
        method = self.methods.get(name)
        if method is None or request.method not in ("GET", "POST"):
            return error_response(codes.INCORRECT_PARAMETERS, status=404)
        with tempfile.TemporaryDirectory(prefix=".call-", dir=self.folder) as folder:
            try:
                return document(self._call(request, name, method, Path(folder)))
            except ServiceError as error:
                return error_response(error.code)
            except form.FormError:  # a malformed body, or a parameter that is no Y/N or number
                return error_response(codes.INCORRECT_PARAMETERS)

    def _call(
        self, request: Request, name: str, method: Callable[[Call], Element], folder: Path
    ) -> Element:
        uploading = name == "upload_slideshow"
        limit = form.FORM_OVERHEAD + (self._max_upload() if uploading else 0)
        try:
            received = form.read_form(request, folder, limit)
        except form.BodyTooLargeError as exc:
            code = codes.FILE_TOO_BIG if uploading else codes.INCORRECT_PARAMETERS
            raise ServiceError(code) from exc
        params = {**request.query, **received.fields}
        verify_signature(self.state, params)
        count_call(self.state)
        return method(Call(params, received.files, folder))

    def _max_upload(self) -> int:
        return int(self.state.config("slideshare_max_upload_bytes"))

    # -- upload -------------------------------------------------------------------------------
    def upload_slideshow(self, call: Call) -> Element:
        if self.state.config("slideshare_uploads_closed"):
            raise ServiceError(codes.UPLOADS_CLOSED)
        check_login(self.state, call.params, required=True)
        title = call.params.get("slideshow_title")
        if title is None:
            raise ServiceError(codes.MISSING_TITLE)
        if not title.strip():
            raise ServiceError(codes.BLANK_TITLE)
        options = {
            stored: form.yes_no(call.params, name, default)
            for name, (stored, default) in PRIVACY_OPTIONS.items()
        }
        options["download"] = form.yes_no(call.params, "make_src_public", True)
        source, fmt = self._source(call)
        final_status, num_slides = conversion(source, fmt)
        now = rfc3339(self.state.now())
        with self.state.change() as data:
            section = data["slideshare"]
            slideshow_id = int(section["next_id"])
            source.replace(self.folder / f"{slideshow_id}.{fmt}")
            section["next_id"] = slideshow_id + 1
            section["slideshows"][str(slideshow_id)] = {
                "id": slideshow_id,
                "title": title,
                "description": call.params.get("slideshow_description", ""),
                "tags": form.tags(call.params.get("slideshow_tags", "")),
                "format": fmt,
                "file": f"{slideshow_id}.{fmt}",
                "created": now,
                "updated": now,
                **options,
                "reads": 0,
                "queued_reads": int(self.state.config("slideshare_queued_reads")),
                "converting_reads": int(self.state.config("slideshare_converting_reads")),
                "final_status": final_status,
                "num_slides": num_slides,
                "converted_day": None,
            }
        return id_answer("SlideShowUploaded", slideshow_id)

    def _source(self, call: Call) -> tuple[Path, str]:
        """The uploaded file part, or the `upload_url` fetched from loopback, and its format."""
        limit = self._max_upload()
        part = call.files.get("slideshow_srcfile")
        if part is not None:
            fmt = extension(part.filename)
            if part.size > limit:
                raise ServiceError(codes.FILE_TOO_BIG)
            return part.path, fmt
        if "slideshow_srcfile" in call.params:  # sent as a plain field, not a file
            raise ServiceError(codes.NOT_A_SOURCE_OBJECT)
        url = call.params.get("upload_url")
        if not url:
            raise ServiceError(codes.MISSING_FILE)
        fmt = url_extension(url)
        fetched = call.folder / "fetched"
        fetch(url, fetched, limit)
        return fetched, fmt

    # -- reading ------------------------------------------------------------------------------
    def get_slideshow(self, call: Call) -> Element:
        check_login(self.state, call.params, required=False)
        with self.state.change() as data:
            slideshow = _found(data, _wanted_id(call.params))
            status, counts = self._read(slideshow)
            return slideshow_element(
                slideshow, self._owner(data), status=status, counts=counts,
                detailed=form.flag(call.params, "detailed"),
                tags=not form.flag(call.params, "exclude_tags"),
            )  # fmt: skip

    def get_slideshows_by_user(self, call: Call) -> Element:
        username_for = call.params.get("username_for")
        if not username_for:
            raise ServiceError(codes.MISSING_PARAMETER)
        check_login(self.state, call.params, required=False)
        limit = min(form.number(call.params, "limit", DEFAULT_LIMIT, least=1), MAX_LIMIT)
        offset = form.number(call.params, "offset", 0, least=0)
        unconverted = form.flag(call.params, "get_unconverted")
        detailed = form.flag(call.params, "detailed")
        with self.state.change() as data:
            owner = self._owner(data)
            if username_for != owner.username:
                raise ServiceError(codes.USER_NOT_FOUND)
            everything = sorted(data["slideshare"]["slideshows"].values(), key=lambda s: s["id"])
            seen = [(slideshow, *self._read(slideshow)) for slideshow in everything]
            matching = [item for item in seen if unconverted or item[1] == CONVERTED]
            root = Element("User")
            add(root, "Name", owner.username)
            add(root, "Count", len(matching))
            for slideshow, status, counts in matching[offset : offset + limit]:
                root.append(
                    slideshow_element(
                        slideshow, owner, status=status, counts=counts, detailed=detailed, tags=True
                    )
                )
            return root

    def _read(self, slideshow: Data) -> tuple[int, DeckDaily]:
        """The status this read shows, and the counts so far; the read is counted."""
        reads = int(slideshow["reads"])
        slideshow["reads"] = reads + 1
        queued = int(slideshow["queued_reads"])
        if reads < queued:
            return 0, DeckDaily()
        if reads < queued + int(slideshow["converting_reads"]):
            return 1, DeckDaily()
        today = self.state.today()
        if slideshow["converted_day"] is None:
            slideshow["converted_day"] = today.isoformat()
        if slideshow["final_status"] != CONVERTED:
            return int(slideshow["final_status"]), DeckDaily()
        first = dt.date.fromisoformat(slideshow["converted_day"])
        return CONVERTED, deck_total(int(slideshow["id"]), first, today)

    def _owner(self, data: Data) -> Owner:
        section = data["slideshare"]
        return Owner(section["account"]["username"], int(section["user_id"]), self.base_url)

    # -- changes ------------------------------------------------------------------------------
    def edit_slideshow(self, call: Call) -> Element:
        check_login(self.state, call.params, required=True)
        title = call.params.get("slideshow_title")
        if title is not None and not title.strip():
            raise ServiceError(codes.BLANK_TITLE)
        changes: dict[str, object] = {
            stored: form.yes_no(call.params, name, None)
            for name, (stored, _) in PRIVACY_OPTIONS.items()
            if call.params.get(name)
        }
        if title is not None:
            changes["title"] = title
        if "slideshow_description" in call.params:
            changes["description"] = call.params["slideshow_description"]
        if "slideshow_tags" in call.params:
            changes["tags"] = form.tags(call.params["slideshow_tags"])
        with self.state.change() as data:
            slideshow = _found(data, _required_id(call.params))
            slideshow.update(changes, updated=rfc3339(self.state.now()))
            return id_answer("SlideShowEdited", slideshow["id"])

    def delete_slideshow(self, call: Call) -> Element:
        check_login(self.state, call.params, required=True)
        with self.state.change() as data:
            slideshow = _found(data, _required_id(call.params))
            (self.folder / slideshow["file"]).unlink(missing_ok=True)
            del data["slideshare"]["slideshows"][str(slideshow["id"])]
            return id_answer("SlideShowDeleted", slideshow["id"])

    def get_user_tags(self, call: Call) -> Element:
        check_login(self.state, call.params, required=True)
        with self.state.read() as data:
            slideshows = data["slideshare"]["slideshows"].values()
            counts = Counter(tag for slideshow in slideshows for tag in slideshow["tags"])
        root = Element("Tags")
        for tag, count in sorted(counts.items()):
            add(root, "Tag", tag, Count=str(count))
        return root


def _required_id(params: Mapping[str, str]) -> str:
    wanted = params.get("slideshow_id", "").strip()
    if not wanted:
        raise ServiceError(codes.MISSING_PARAMETER)
    return wanted


def _wanted_id(params: Mapping[str, str]) -> str:
    """`slideshow_id`, or the id at the end of `slideshow_url` (`.../title-12345678`)."""
    if params.get("slideshow_id", "").strip():
        return _required_id(params)
    url = params.get("slideshow_url", "").strip()
    if not url:
        raise ServiceError(codes.MISSING_PARAMETER)
    match = _ID_IN_URL.search(urlsplit(url).path)
    return match.group(1) if match else ""


def _found(data: Data, wanted: str) -> Data:
    key = str(int(wanted)) if wanted.isdecimal() else wanted
    slideshow: Data | None = data["slideshare"]["slideshows"].get(key)
    if slideshow is None:
        raise ServiceError(codes.SLIDESHOW_NOT_FOUND)
    return slideshow

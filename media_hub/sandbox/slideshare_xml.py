"""SlideShare API v2's answers as XML: service errors, and slideshows as get_slideshow shows them.

Every answer is HTTP 200 `application/xml` (errors too, as the live service does). Text is
escaped by ElementTree and stripped of the characters XML 1.0 cannot carry, so any title a
client sends comes back as a document a strict parser accepts.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote
from xml.etree.ElementTree import Element, SubElement, tostring
from xml.sax.saxutils import escape

from media_hub.platforms.slideshare.codes import SERVICE_ERRORS
from media_hub.sandbox.growth import DeckDaily
from media_hub.sandbox.state import Data, parse_rfc3339
from media_hub.sandbox.wire import Response

CONTENT_TYPE = "application/xml; charset=utf-8"
DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
DOCUMENT_FORMATS = frozenset({"doc", "docx", "odt", "rtf"})  # SlideshowType 1; the rest 0
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_NOT_SLUG = re.compile(r"[\W_]+")


class ServiceError(Exception):
    """A refused call, answered as `<SlideShareServiceError>` with one of the documented codes."""

    def __init__(self, code: int) -> None:
        self.code = code
        self.message = SERVICE_ERRORS[code]
        super().__init__(f"{code} {self.message}")


def error_response(code: int, status: int = 200) -> Response:
    """The error document, laid out exactly as SlideShare sends it."""
    body = (
        f"{DECLARATION}<SlideShareServiceError>\n"
        f'  <Message ID="{code}">{escape(SERVICE_ERRORS[code])}</Message>\n'
        "</SlideShareServiceError>\n"
    )
    return Response(status, body.encode(), {"Content-Type": CONTENT_TYPE})


def document(root: Element) -> Response:
    body = DECLARATION + tostring(root, encoding="unicode") + "\n"
    return Response(200, body.encode(), {"Content-Type": CONTENT_TYPE})


def add(parent: Element, tag: str, text: Any = "", **attributes: str) -> Element:
    """A child element holding `text` (anything str() takes), XML-safe."""
    child = SubElement(parent, tag, attributes)
    child.text = _NOT_XML.sub("", str(text))
    return child


def id_answer(tag: str, slideshow_id: int) -> Element:
    """`<SlideShowUploaded><SlideShowID>..</SlideShowID></SlideShowUploaded>` and the like."""
    root = Element(tag)
    add(root, "SlideShowID", slideshow_id)
    return root


def api_time(stored: str) -> str:
    """`Mon Dec 03 09:05:57 +0000 2012`, in English whatever the locale."""
    moment = parse_rfc3339(stored).astimezone(dt.UTC)
    clock = moment.strftime("%d %H:%M:%S")
    return f"{DAYS[moment.weekday()]} {MONTHS[moment.month - 1]} {clock} +0000 {moment.year}"


def stripped_title(title: str) -> str:
    """The URL slug of a title: lower case words joined by dashes (any script)."""
    return _NOT_SLUG.sub("-", title.lower()).strip("-") or "slideshow"


@dataclass(frozen=True)
class Owner:
    """Who the slideshows belong to and where the sandbox serves."""

    username: str
    user_id: int
    base_url: str

    def slideshow_url(self, slideshow: Data) -> str:
        slug = quote(stripped_title(slideshow["title"]))
        return f"{self.base_url}/slideshare/{self.username}/{slug}-{slideshow['id']}"


def slideshow_element(
    slideshow: Data,
    owner: Owner,
    *,
    status: int,
    counts: DeckDaily,
    detailed: bool,
    tags: bool,
) -> Element:
    """A `<Slideshow>` as get_slideshow and get_slideshows_by_user show it."""
    show_id, fmt = slideshow["id"], slideshow["format"]
    files = f"{owner.base_url}/slideshare/files/{show_id}"
    root = Element("Slideshow")
    for tag, value in [
        ("ID", show_id),
        ("Title", slideshow["title"]),
        ("Description", slideshow["description"]),
        ("Status", status),
        ("Username", owner.username),
        ("URL", owner.slideshow_url(slideshow)),
        ("ThumbnailURL", f"{files}/thumbnail.jpg"),
        ("ThumbnailSize", "[170,130]"),
        ("ThumbnailSmallURL", f"{files}/thumbnail-small.jpg"),
        ("Embed", _embed(owner, show_id)),
        ("Created", api_time(slideshow["created"])),
        ("Updated", api_time(slideshow["updated"])),
        ("Language", "en"),
        ("Format", fmt),
        ("Download", int(slideshow["download"])),
        ("DownloadUrl", f"{files}/source.{fmt}" if slideshow["download"] else ""),
        ("SlideshowType", 1 if fmt in DOCUMENT_FORMATS else 0),
        ("InContest", 0),
    ]:
        add(root, tag, value)
    if detailed:
        _add_details(root, slideshow, owner, counts, tags)
    return root


def _add_details(
    root: Element, slideshow: Data, owner: Owner, counts: DeckDaily, tags: bool
) -> None:
    private = bool(slideshow["private"])
    for tag, value in [
        ("UserID", owner.user_id),
        ("ExternalAppUserID", ""),
        ("ExternalAppID", ""),
        ("PPTLocation", f"{stripped_title(slideshow['title'])}-{slideshow['id']}"),
        ("StrippedTitle", stripped_title(slideshow["title"])),
    ]:
        add(root, tag, value)
    if tags:
        holder = add(root, "Tags")
        for name in slideshow["tags"]:
            add(holder, "Tag", name, Count="1", Owner="1")
    for tag, value in [
        ("Audio", 0),
        ("NumDownloads", counts.downloads),
        ("NumViews", counts.views),
        ("NumComments", counts.comments),
        ("NumFavorites", counts.favorites),
        ("NumSlides", slideshow["num_slides"]),
        ("RelatedSlideshows", ""),
        ("PrivacyLevel", int(private)),
        ("FlagVisible", 1),
        ("ShowOnSS", 0),
        ("SecretURL", int(private and slideshow["secret_url"])),
        ("AllowEmbed", int(slideshow["allow_embeds"] or not private)),
        ("ShareWithContacts", int(private and slideshow["share_with_contacts"])),
    ]:
        add(root, tag, value)


def _embed(owner: Owner, slideshow_id: int) -> str:
    source = f"{owner.base_url}/slideshare/embed_code/key/{slideshow_id}"
    return (
        f'<iframe src="{source}" width="595" height="485" frameborder="0" marginwidth="0" '
        'marginheight="0" scrolling="no" allowfullscreen></iframe>'
    )

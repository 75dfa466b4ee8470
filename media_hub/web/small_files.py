"""A form with one small file (a spreadsheet, a picture), read up to a size limit.

The limit is counted on the request body as it arrives, so a too-large upload is refused
without being read whole; what is under it is kept in memory, which is why this is for
small files only (videos and decks go through the resumable uploads).
"""

from __future__ import annotations

from pathlib import PurePath

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.types import Message

from media_hub.web.context import Fields

FORM_FIELDS_BYTES = 64 * 1024  # the form's few fields beside the file


class FileTooLargeError(Exception):
    """The upload is over the limit; nothing of it was kept."""


async def read_small_file(
    request: Request, field: str, max_bytes: int
) -> tuple[Fields, str, bytes]:
    """The form's text fields, the file's base name (no folders) and its bytes."""
    received = 0

    async def limited() -> Message:
        nonlocal received
        message = await request.receive()
        received += len(message.get("body", b""))
        if received > max_bytes + FORM_FIELDS_BYTES:
            raise FileTooLargeError
        return message

    form_data = await Request(request.scope, limited).form(max_files=1, max_fields=20)
    try:
        fields: Fields = {}
        for key, value in form_data.multi_items():
            if isinstance(value, str):
                fields.setdefault(key, []).append(value)
        sent = form_data.get(field)
        name, data = "", b""
        if isinstance(sent, UploadFile):
            name, data = PurePath(sent.filename or "").name[:200], await sent.read()
    finally:
        await form_data.close()
    if len(data) > max_bytes:
        raise FileTooLargeError
    return fields, name, data

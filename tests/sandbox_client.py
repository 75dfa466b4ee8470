"""The real google-api-python-client and google-auth, pointed at a sandbox as production would be.

Only the endpoint, the token URI and the trusted certificate differ from production.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import google_auth_httplib2
import httplib2
from google.oauth2.credentials import Credentials
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError
from googleapiclient.http import MediaFileUpload

from media_hub.sandbox import oauth
from media_hub.sandbox.server import Sandbox

CLIENT_ID = "media-hub-tests.apps.googleusercontent.com"
CLIENT_SECRET = "sandbox-client-secret"
SCOPES = (oauth.FORCE_SSL, oauth.ANALYTICS)
CHUNK = 256 * 1024
VIDEO: dict[str, Any] = {
    "snippet": {
        "title": "كيف تكتب سيرتك الذاتية",
        "description": "Writing a CV, step by step.",
        "tags": ["cv", "job search"],
        "categoryId": "27",
    },
    "status": {"privacyStatus": "private"},
}


def credentials(sandbox: Sandbox, scopes: Sequence[str] = SCOPES) -> Credentials:
    """Credentials holding only a refresh token, as media-hub keeps them between runs."""
    return Credentials(  # type: ignore[no-untyped-call]  # google-auth's __init__ is untyped
        token=None,
        refresh_token=sandbox.grant(CLIENT_ID, scopes),
        token_uri=sandbox.token_uri,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
    )


def authorized_http(sandbox: Sandbox, creds: Credentials) -> Any:
    http = httplib2.Http(ca_certs=str(sandbox.ca_cert), timeout=30)
    http.redirect_codes = http.redirect_codes - {308}  # 308 is "resume incomplete" here
    return google_auth_httplib2.AuthorizedHttp(creds, http=http)


def youtube(sandbox: Sandbox, creds: Credentials | None = None) -> Any:
    return build(
        "youtube",
        "v3",
        http=authorized_http(sandbox, creds or credentials(sandbox)),
        static_discovery=True,
        cache_discovery=False,
        client_options={"api_endpoint": sandbox.url},
    )


def analytics(sandbox: Sandbox) -> Any:
    return build(
        "youtubeAnalytics",
        "v2",
        http=authorized_http(sandbox, credentials(sandbox)),
        static_discovery=True,
        cache_discovery=False,
        client_options={"api_endpoint": sandbox.url},
    )


class ChunkBytes(MediaFileUpload):  # type: ignore[misc]  # googleapiclient is untyped
    """A file sent as byte chunks, not as a stream slice.

    With a stream, a retried chunk (after a 5xx, or httplib2's silent retry after a dropped
    connection) is re-sent from an exhausted slice: no bytes under the old Content-Length.
    With bytes, every retry carries the chunk again.
    """

    def has_stream(self) -> bool:
        return False


def generated_file(folder: Path, size: int, seed: int = 1) -> Path:
    path = folder / f"video-{seed}-{size}.mp4"
    path.write_bytes(random.Random(seed).randbytes(size))
    return path


def insert_request(
    client: Any,
    media: Path,
    body: dict[str, Any] | None = None,
    *,
    media_class: type[Any] = ChunkBytes,
    chunksize: int = CHUNK,
) -> Any:
    return client.videos().insert(
        part="snippet,status",
        body=body or VIDEO,
        media_body=media_class(
            str(media), mimetype="video/mp4", chunksize=chunksize, resumable=True
        ),
    )


def no_backoff(request: Any) -> Any:
    """Retries without the library's randomized sleeps, to keep the suite fast."""
    request._sleep = lambda seconds: None
    return request


def finish(request: Any, num_retries: int = 5) -> dict[str, Any]:
    response: dict[str, Any] | None = None
    while response is None:
        _, response = request.next_chunk(num_retries=num_retries)
    return response


def upload(client: Any, folder: Path, size: int = 300_000, seed: int = 1, **body: Any) -> str:
    """Upload a small generated file; the new video's id."""
    resource = {**VIDEO, **body}
    return str(finish(insert_request(client, generated_file(folder, size, seed), resource))["id"])


def reason(error: HttpError) -> tuple[int, str, str]:
    """(HTTP status, domain, reason) of a Google-shaped error."""
    detail = json.loads(error.content)["error"]["errors"][0]
    return int(error.resp.status), str(detail["domain"]), str(detail["reason"])

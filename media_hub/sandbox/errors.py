"""Errors shaped like Google's, so the real client raises the `HttpError` it would in production.

Handlers raise `ApiError`; the server turns it into the JSON body
`{"error": {"code", "message", "errors": [{"message", "domain", "reason"}], "status"}}`.
"""

from __future__ import annotations

import json
from typing import Any

STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ABORTED",
    413: "FAILED_PRECONDITION",
    500: "INTERNAL",
    502: "UNAVAILABLE",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}

# reason: (HTTP code, domain, message) — messages as Google words them, shortened.
REASONS: dict[str, tuple[int, str, str]] = {
    "invalidTitle": (
        400,
        "youtube.video",
        "The request metadata specifies an invalid video title.",
    ),
    "invalidDescription": (
        400,
        "youtube.video",
        "The request metadata specifies an invalid video description.",
    ),
    "invalidTags": (400, "youtube.video", "The request metadata specifies invalid video keywords."),
    "invalidCategoryId": (
        400,
        "youtube.video",
        "The snippet.categoryId property specifies an invalid category ID.",
    ),
    "invalidPublishAt": (
        400,
        "youtube.video",
        "The request metadata specifies an invalid scheduled publishing time.",
    ),
    "invalidVideoMetadata": (400, "youtube.video", "The request metadata is invalid."),
    "defaultLanguageNotSet": (
        400,
        "youtube.video",
        "The request is trying to add localized video details without specifying the default "
        "language of the video details.",
    ),
    "uploadLimitExceeded": (
        400,
        "youtube.video",
        "The user has exceeded the number of videos they may upload.",
    ),
    "videoNotFound": (
        404,
        "youtube.video",
        "The video that you are trying to use cannot be found.",
    ),
    "playlistNotFound": (
        404,
        "youtube.playlist",
        "The playlist identified with the request's playlistId parameter cannot be found.",
    ),
    "playlistItemNotFound": (
        404,
        "youtube.playlistItem",
        "The playlist item identified with the request's id parameter cannot be found.",
    ),
    "manualSortRequired": (
        400,
        "youtube.playlistItem",
        "The request attempts to set the playlist item's position, but the playlist does not "
        "use manual sorting.",
    ),
    "invalidPlaylistItemPosition": (
        400,
        "youtube.playlistItem",
        "The request attempts to set the playlist item's position to an invalid or "
        "unsupported value.",
    ),
    "playlistTitleRequired": (
        400,
        "youtube.playlist",
        "The request must specify a playlist title.",
    ),
    "invalidPlaylistSnippet": (
        400,
        "youtube.playlist",
        "The request provides an invalid playlist snippet.",
    ),
    "playlistOperationUnsupported": (
        400,
        "youtube.playlist",
        "The API does not support the ability to modify the specified playlist.",
    ),
    "invalidImage": (400, "youtube.thumbnail", "The provided image content is invalid."),
    "mediaBodyRequired": (
        400,
        "youtube.thumbnail",
        "The request does not include the image content.",
    ),
    "mediaBodyTooLarge": (413, "global", "The media is larger than the method allows."),
    "invalidMetadata": (400, "youtube.caption", "The request contains invalid metadata values."),
    "nameTooLong": (400, "youtube.caption", "The caption track's name is too long."),
    "forbidden": (
        403,
        "youtube.thumbnail",
        "The authenticated user doesn't have permissions to "
        "upload and set custom video thumbnails.",
    ),
    "insufficientPermissions": (
        403,
        "global",
        "Request had insufficient authentication scopes.",
    ),
    "quotaExceeded": (
        403,
        "youtube.quota",
        "The request cannot be completed because you have exceeded your quota.",
    ),
    "authError": (401, "global", "Invalid Credentials"),
    "missingRequiredParameter": (400, "youtube.parameter", "No filter selected."),
    "invalidValue": (400, "youtube.parameter", "Invalid value."),
    "invalidPageToken": (400, "youtube.parameter", "The request specifies an invalid page token."),
    "unknownPart": (400, "youtube.part", "The part parameter names an unknown part."),
    "notFound": (404, "global", "Not Found"),
    "backendError": (503, "global", "The service is currently unavailable."),
    "parseError": (400, "global", "Parse Error"),
}

AUTH_MESSAGE = (
    "Request had invalid authentication credentials. Expected OAuth 2 access token, login "
    "cookie or other valid authentication credential."
)
WWW_AUTHENTICATE = 'Bearer realm="https://accounts.google.com/", error="invalid_token"'


class ApiError(Exception):
    """A refused request: its HTTP code, reason and message, and any extra response headers."""

    def __init__(
        self,
        reason: str,
        message: str | None = None,
        *,
        code: int | None = None,
        domain: str | None = None,
    ) -> None:
        default_code, default_domain, default_message = REASONS.get(reason, (400, "global", reason))
        self.reason = reason
        self.code = code or default_code
        self.domain = domain or default_domain
        self.message = message or default_message
        super().__init__(f"{self.code} {reason}: {self.message}")

    @property
    def headers(self) -> dict[str, str]:
        if self.code == 401:
            return {"WWW-Authenticate": WWW_AUTHENTICATE}
        return {}

    def body(self) -> dict[str, Any]:
        detail: dict[str, Any] = {
            "message": self.message,
            "domain": self.domain,
            "reason": self.reason,
        }
        top_message = self.message
        if self.code == 401:
            detail.update(location="Authorization", locationType="header")
            top_message = AUTH_MESSAGE
        return {
            "error": {
                "code": self.code,
                "message": top_message,
                "errors": [detail],
                "status": STATUS_NAMES.get(self.code, "UNKNOWN"),
            }
        }

    def encoded(self) -> bytes:
        return json.dumps(self.body()).encode()


def server_error(code: int) -> ApiError:
    """A 5xx as Google sends it, for the fault injector."""
    return ApiError("backendError", f"Simulated {code} from the sandbox.", code=code)

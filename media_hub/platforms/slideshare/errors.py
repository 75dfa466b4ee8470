"""SlideShare's `SlideShareServiceError` codes turned into media-hub's errors.

The API answers HTTP 200 with an XML error body; the code decides what a person can do:
fix the credentials, the file or the text, wait for tomorrow, or upload by hand.
"""

from __future__ import annotations

from media_hub.errors import ExitStatus, QuotaError, RemoteError
from media_hub.platforms.slideshare.codes import SERVICE_ERRORS

SERVICE = "SlideShare"
AUTH_FIX = "check them with 'media-hub auth slideshare'"
_HINTS: dict[int, str] = {
    0: f"no API key was sent; {AUTH_FIX}",
    1: f"the API key or shared secret is wrong, or this machine's clock is off; {AUTH_FIX}",
    2: f"the username or password is wrong; {AUTH_FIX}",
    3: "give the deck a title",
    5: "give the deck a title",
    7: "SlideShare takes pdf, ppt, pptx, pps, ppsx, pot, potx, odp, key, doc, docx, odt, rtf",
    8: "make the file smaller (compress its images) and upload again",
    9: "it was deleted on SlideShare; 'media-hub catalog show' says what the catalog recorded",
    10: f"the account does not exist; {AUTH_FIX}",
    16: "the account may not do this; ask SlideShare to allow the API key to upload",
    25: "SlideShare no longer takes uploads through its API; write a bundle with "
    "'media-hub export ID --to DIR' and upload it by hand",
    99: "the account's daily API limit is reached; rerun tomorrow, finished steps are kept",
    100: "the account is blocked; sign in on slideshare.net to see why",
}
_CONFIG_CODES = {0, 1, 2, 10, 73, 100}
LIMIT_CODE = 99
NOT_FOUND_CODE = 9


class SlideShareServiceError(RemoteError):
    """An error answered by SlideShare; `code` is its documented number."""

    def __init__(self, code: int, text: str, doing: str) -> None:
        self.code = code
        hint = _HINTS.get(code)
        message = f"{doing}: {text or SERVICE_ERRORS.get(code, 'unknown error')}"
        super().__init__(SERVICE, str(code), f"{message}; {hint}" if hint else message)
        if code in _CONFIG_CODES:
            self.exit_status = ExitStatus.CONFIG
        elif code == NOT_FOUND_CODE:
            self.exit_status = ExitStatus.NOT_FOUND


class SlideShareLimitError(QuotaError, SlideShareServiceError):
    """Code 99: stops a batch, like YouTube's quotaExceeded."""

    def __init__(self, code: int, text: str, doing: str) -> None:
        SlideShareServiceError.__init__(self, code, text, doing)


def service_error(code: int, text: str, doing: str) -> SlideShareServiceError:
    if code == LIMIT_CODE:
        return SlideShareLimitError(code, text, doing)
    return SlideShareServiceError(code, text, doing)

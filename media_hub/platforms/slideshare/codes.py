"""SlideShare API v2's `SlideShareServiceError` codes and texts, as documented.

One table for both sides: the client reads an error's meaning from it and the sandbox answers
with it, so the two cannot disagree on a code. Errors come back as HTTP 200 with the body
`<SlideShareServiceError><Message ID="code">text</Message></SlideShareServiceError>`.
"""

from __future__ import annotations

NO_API_KEY = 0
FAILED_API_VALIDATION = 1
FAILED_USER_AUTHENTICATION = 2
MISSING_TITLE = 3
MISSING_FILE = 4
BLANK_TITLE = 5
NOT_A_SOURCE_OBJECT = 6
INVALID_EXTENSION = 7
FILE_TOO_BIG = 8
SLIDESHOW_NOT_FOUND = 9
USER_NOT_FOUND = 10
MISSING_PARAMETER = 14
INCORRECT_PARAMETERS = 17
UPLOADS_CLOSED = 25
DAILY_LIMIT = 99

SERVICE_ERRORS: dict[int, str] = {
    0: "No API Key Provided",
    1: "Failed API validation",
    2: "Failed User authentication",
    3: "Missing title",
    4: "Missing file for upload",
    5: "Blank title",
    6: "Slideshow file is not a source object",
    7: "Invalid extension",
    8: "File size too big",
    9: "SlideShow Not Found",
    10: "User Not Found",
    11: "Group Not Found",
    12: "No Tag Provided",
    13: "Tag Not Found",
    14: "Required Parameter Missing",
    15: "Search query cannot be blank",
    16: "Insufficient permissions",
    17: "Incorrect parameters",
    25: "API uploads are no longer supported",  # not documented: seen from the live service
    70: "Account already linked",
    71: "No linked account found",
    72: "User not created",
    73: "Invalid Application ID",
    74: "Login already exists",
    75: "EMail already exists",
    99: "Account Exceeded Daily Limit",
    100: "Your Account has been blocked",
}

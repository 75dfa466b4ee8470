"""YouTube's `i18nLanguages.list`, and the refusal of a metadata language outside it.

The list is the one the real API answered in 2022 (gist.github.com/zmwangx/
d63c71a5570c2a7807ad56b504a2a4c0): 83 application languages, ids and English names; it has
no code for Tamazight (zgh) nor any Berber language. YouTube answers a video whose
defaultLanguage (or, here, a localization) has a code it does not know with 400
invalidVideoMetadata, "The request metadata is invalid." (gist.github.com/alexdean/
70af1b9e8687c7435ea7ee8a2cfa7b03), so the sandbox does too, instead of accepting any key.
"""

from __future__ import annotations

from typing import Any

from media_hub.sandbox.errors import ApiError
from media_hub.sandbox.resources import etag

LANGUAGES = (
    ("af", "Afrikaans"), ("am", "Amharic"), ("ar", "Arabic"), ("as", "Assamese"),
    ("az", "Azerbaijani"), ("be", "Belarusian"), ("bg", "Bulgarian"), ("bn", "Bangla"),
    ("bs", "Bosnian"), ("ca", "Catalan"), ("cs", "Czech"), ("da", "Danish"), ("de", "German"),
    ("el", "Greek"), ("en-GB", "English (United Kingdom)"), ("en-IN", "English (India)"),
    ("en", "English"), ("es", "Spanish"), ("es-419", "Spanish (Latin America)"),
    ("es-US", "Spanish (United States)"), ("et", "Estonian"), ("eu", "Basque"),
    ("fa", "Persian"), ("fi", "Finnish"), ("fil", "Filipino"), ("fr-CA", "French (Canada)"),
    ("fr", "French"), ("gl", "Galician"), ("gu", "Gujarati"), ("hi", "Hindi"),
    ("hr", "Croatian"), ("hu", "Hungarian"), ("hy", "Armenian"), ("id", "Indonesian"),
    ("is", "Icelandic"), ("it", "Italian"), ("iw", "Hebrew"), ("ja", "Japanese"),
    ("ka", "Georgian"), ("kk", "Kazakh"), ("km", "Khmer"), ("kn", "Kannada"), ("ko", "Korean"),
    ("ky", "Kyrgyz"), ("lo", "Lao"), ("lt", "Lithuanian"), ("lv", "Latvian"),
    ("mk", "Macedonian"), ("ml", "Malayalam"), ("mn", "Mongolian"), ("mr", "Marathi"),
    ("ms", "Malay"), ("my", "Burmese"), ("no", "Norwegian"), ("ne", "Nepali"), ("nl", "Dutch"),
    ("or", "Odia"), ("pa", "Punjabi"), ("pl", "Polish"), ("pt", "Portuguese"),
    ("pt-PT", "Portuguese (Portugal)"), ("ro", "Romanian"), ("ru", "Russian"),
    ("si", "Sinhala"), ("sk", "Slovak"), ("sl", "Slovenian"), ("sq", "Albanian"),
    ("sr-Latn", "Serbian (Latin)"), ("sr", "Serbian"), ("sv", "Swedish"), ("sw", "Swahili"),
    ("ta", "Tamil"), ("te", "Telugu"), ("th", "Thai"), ("tr", "Turkish"), ("uk", "Ukrainian"),
    ("ur", "Urdu"), ("uz", "Uzbek"), ("vi", "Vietnamese"), ("zh-CN", "Chinese (China)"),
    ("zh-HK", "Chinese (Hong Kong)"), ("zh-TW", "Chinese (Taiwan)"), ("zu", "Zulu"),
)  # fmt: skip
CODES = frozenset(code for code, _ in LANGUAGES)


def list_languages() -> dict[str, Any]:
    """The body of i18nLanguages.list (part=snippet): no paging, as YouTube answers it."""
    items = [
        {"kind": "youtube#i18nLanguage", "etag": etag([code, name]), "id": code,
         "snippet": {"hl": code, "name": name}}
        for code, name in LANGUAGES
    ]  # fmt: skip
    return {"kind": "youtube#i18nLanguageListResponse", "etag": etag(items), "items": items}


def check_language(code: Any, where: str) -> None:
    """Refuse a language code YouTube does not list, as YouTube does."""
    if code not in CODES:
        raise ApiError(
            "invalidVideoMetadata", f"The request metadata is invalid: {where} {code!r}."
        )

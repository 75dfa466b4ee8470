"""Warnings about the starter's placeholder branding left in templates that publish publicly.

`media-hub init` copies a colour-card intro and outro and a text logo so that a new hub works
at once; a channel that goes public with them shows media-hub's placeholders to its audience.
A file is a placeholder when its bytes are those of the starter's, wherever it was copied.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from media_hub.catalog.definitions import Definitions
from media_hub.catalog.vocabulary import Privacy

_BRANDING_KEYS = ("intro", "outro", "logo")


def placeholder_warnings(
    definitions: Definitions, definitions_dir: Path, starter: Path
) -> list[str]:
    """One line per placeholder file that a public template uses, naming the templates."""
    placeholders = {_digest(path) for path in (starter / "branding").glob("*") if path.is_file()}
    users: dict[str, list[str]] = {}
    for name, template in sorted(definitions.templates.items()):
        if template.privacy != Privacy.PUBLIC:
            continue
        used = [getattr(template.branding, key) for key in _BRANDING_KEYS]
        used.append(template.thumbnail.get("logo"))
        for relative in used:
            if not isinstance(relative, str):
                continue
            path = definitions_dir / relative
            if path.is_file() and _digest(path) in placeholders:
                users.setdefault(relative, []).append(name)
    return [
        f"catalog/{relative} is media-hub's placeholder, and template(s) {', '.join(names)} "
        "publish public with it; put the organisation's own file there (same name), or set "
        'privacy = "private" in those templates until it is'
        for relative, names in sorted(users.items())
    ]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()

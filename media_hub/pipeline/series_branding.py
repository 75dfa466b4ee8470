"""What a series' template says about its look: branding files and thumbnail style."""

from __future__ import annotations

import hashlib
from pathlib import Path

from media_hub.catalog.definitions import branding_paths, read_definitions
from media_hub.media.branding import Branding


def series_branding(definitions_dir: Path, series_slug: str | None) -> Branding | None:
    """The intro, outro and logo of the series' template, or None when it sets none."""
    if series_slug is None:
        return None
    definitions = read_definitions(definitions_dir)
    series = definitions.series.get(series_slug)
    if series is None:
        return None
    paths = branding_paths(definitions_dir, definitions.templates[series.template])
    if not paths:
        return None
    return Branding(intro=paths.get("intro"), outro=paths.get("outro"), logo=paths.get("logo"))


def branding_checksum(branding: Branding | None) -> str:
    """Changes when a branding file's bytes or a placement setting change."""
    digest = hashlib.sha256()
    if branding is not None:
        for path in (branding.intro, branding.outro, branding.logo):
            digest.update(hashlib.sha256(path.read_bytes()).digest() if path else b"-")
        settings = f"{branding.logo_position}|{branding.logo_scale}|{branding.logo_margin}"
        digest.update(settings.encode())
    return digest.hexdigest()

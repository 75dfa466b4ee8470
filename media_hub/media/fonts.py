"""Finding the Noto fonts thumbnails are drawn with.

Debian's fonts-noto-core puts one file per family and weight under a known folder, so the
usual case is a file lookup; fontconfig (`fc-match`, `fc-list`) finds fonts installed
elsewhere. A font that is missing is an error naming the package, never a silent fallback to
a font without the script's letters (which would draw empty boxes).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from media_hub.errors import MediaError

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/noto"),
    Path("/usr/share/fonts/opentype/noto"),
    Path("/usr/local/share/fonts"),
    Path.home() / ".local/share/fonts",
)
WEIGHTS = {"bold": ("Bold", "SemiBold", "Regular"), "regular": ("Regular",)}
INSTALL_HINT = "install fonts-noto-core (apt-get install fonts-noto-core)"


def find_font(
    family: str,
    weight: str = "bold",
    *,
    covering: str | None = None,
    dirs: Sequence[Path] = FONT_DIRS,
    fontconfig: bool = True,
) -> Path:
    """The file of `family` in `weight` (or the nearest weight present).

    With `covering` (a fontconfig property such as ":lang=ar" or ":charset=2d30"), any font
    fontconfig lists as having those letters is accepted when the family itself is missing
    (DejaVu Sans, for Arabic or Tifinagh).
    """
    stem = family.replace(" ", "")
    for style in WEIGHTS.get(weight, (weight.capitalize(), "Regular")):
        for folder in dirs:
            for suffix in (".ttf", ".otf"):
                path = folder / f"{stem}-{style}{suffix}"
                if path.is_file():
                    return path
    found = _fontconfig_font(family, weight, covering) if fontconfig else None
    if found is None:
        raise MediaError(f"font {family!r}", f"not found; {INSTALL_HINT}")
    return found


def _fontconfig_font(family: str, weight: str, covering: str | None) -> Path | None:
    if shutil.which("fc-match") is None:
        return None
    pattern = f"{family}:style={weight.capitalize()}"
    answer = _ask(["fc-match", "--format=%{family}\t%{file}", pattern])
    matched_family, _, file = answer.partition("\t")
    if file and family.lower() in matched_family.lower():
        return Path(file)
    if covering is None:
        return None
    # fc-match always answers with something; fc-list only names fonts that cover.
    listed = _ask(["fc-list", covering, "file"]).splitlines()
    files = sorted(line.strip().rstrip(":") for line in listed if line.strip())
    preferred = [f for f in files if weight.lower() in f.lower()] or files
    return Path(preferred[0]) if preferred else None


def _ask(args: list[str]) -> str:
    try:
        result = subprocess.run(args, capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""

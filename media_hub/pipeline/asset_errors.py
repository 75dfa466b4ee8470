"""Media errors about an asset's file named by the asset, as the person knows it.

The tools read an asset's master where the store keeps it: a path under `assets/sha256/...`,
or a temporary copy of an S3 object. An error naming that path (or starting with ffmpeg's
`[libx264 @ 0x55d0...]`) tells the person nothing; `asset 12: ...` tells them which one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from media_hub.errors import MediaError

# ffmpeg's prefix naming its component and the address of its context.
_FFMPEG_CONTEXT = re.compile(r"\[[^\]\s]+ @ 0x[0-9a-f]+\]\s*")


@contextmanager
def named_by_asset(asset_id: int, source: Path) -> Iterator[None]:
    """A `MediaError` about `source` (the asset's file as the store hands it) is raised again
    naming the asset; one about another file (a series' intro, say) is left as it is."""
    try:
        yield
    except MediaError as exc:
        if exc.path != str(source):
            raise
        raise MediaError(
            f"asset {asset_id}",
            _FFMPEG_CONTEXT.sub("", exc.problem),
            rerun_after_fix=exc.rerun_after_fix,
        ) from exc

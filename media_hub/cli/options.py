"""Options several commands share, declared once so their names and help stay the same."""

from __future__ import annotations

from collections.abc import Sized
from typing import Annotated

import typer

from media_hub.errors import UsageError

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]

ProfileOpt = Annotated[
    str | None,
    typer.Option(
        "--profile",
        "-p",
        help="Transcoding profile (see 'profiles list'); default: the one the asset's "
        "platform is sent.",
        show_default=False,
    ),
]

ForceTranscodeOpt = Annotated[
    bool,
    typer.Option(
        "--force-transcode",
        help="Transcode even a master that already meets the profile (which would be "
        "remuxed, or have only its audio encoded).",
    ),
]

AssetOpt = Annotated[
    int | None,
    typer.Option("--asset", metavar="ID", help="The catalogued asset this file is for."),
]
ReplaceOpt = Annotated[
    bool, typer.Option("--replace", help="With --asset: use this file instead of its own.")
]


def check_asset_options(files: Sized, asset: int | None, replace_file: bool) -> None:
    """`--asset` takes one file; `--replace` needs `--asset` (ingest and upload alike)."""
    if asset is not None and len(files) > 1:
        raise UsageError("--asset", "give one file for one asset")
    if replace_file and asset is None:
        raise UsageError("--replace", "give the asset whose file it replaces: --asset ID")

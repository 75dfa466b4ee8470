"""Options several commands share, declared once so their names and help stay the same."""

from __future__ import annotations

from typing import Annotated

import typer

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

"""`media-hub transcode ID...`: an asset's rendition, made once per profile."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

import typer

from media_hub.cli import output
from media_hub.cli.options import ForceTranscodeOpt, ProfileOpt
from media_hub.cli.progress import fraction_progress
from media_hub.cli.state import state


def transcode_command(
    ctx: typer.Context,
    asset_ids: Annotated[list[int], typer.Argument(metavar="ID...", help="Asset ids.")],
    profile: ProfileOpt = None,
    force_transcode: ForceTranscodeOpt = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Make each asset's rendition with a profile; a rendition already made is reused.

    A master that already meets the profile is remuxed (or only its audio encoded) instead
    of transcoded; each line says which and why.

    Example: media-hub transcode 12 13 --profile youtube
    """
    from media_hub.pipeline.renditions import ensure_rendition
    from media_hub.platforms.routing import rendition_profile

    cli_state = state(ctx)
    catalog, store = cli_state.hub.db, cli_state.hub.store
    definitions = cli_state.settings.definitions_dir
    results = []
    for asset_id in asset_ids:
        chosen = rendition_profile(cli_state.hub, asset_id, profile)
        with fraction_progress(f"transcode asset {asset_id} ({chosen})") as advance:
            results.append(
                ensure_rendition(
                    catalog, store, definitions, asset_id, chosen, advance,
                    force_transcode=force_transcode,
                )
            )  # fmt: skip
    if as_json:
        output.print_json([asdict(result) for result in results])
        return
    for result in results:
        verb = "made" if result.created else "already made"
        typer.echo(
            f"asset {result.asset_id}: {result.profile} rendition {verb} ({result.decision}), "
            f"{result.width}x{result.height}, {result.size / 1e6:.1f} MB ({result.store_key})"
        )
        for reason in result.reasons:
            typer.echo(f"  {reason}")

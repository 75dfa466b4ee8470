"""Pass-through through the hub: `transcode` and `upload` say which path a master took and
why, the path is part of the rendition's key, and `--force-transcode` overrides it."""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from media_hub.catalog.pipeline_models import Rendition
from media_hub.cli import app
from media_hub.hub import Hub
from media_hub.sandbox.server import Sandbox
from tests.passthrough_media import PassThroughMedia


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> PassThroughMedia:
    return PassThroughMedia(tmp_path_factory.mktemp("passthrough-cli-media"))


def _invoke(runner: CliRunner, *args: str) -> Any:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def _ingest(runner: CliRunner, path: Path) -> int:
    [record] = _invoke(runner, "ingest", str(path), "--series", "reports")
    return int(record["asset_id"])


def _records(hub: Hub) -> list[tuple[str, list[str] | None]]:
    with hub.db.session() as session:
        rows = session.scalars(select(Rendition).order_by(Rendition.id)).all()
        return [(row.decision, row.reasons) for row in rows]


def test_transcode_json_and_record_say_remux_and_why(
    hub: Hub, runner: CliRunner, media: PassThroughMedia
) -> None:
    asset_id = _ingest(runner, media.compliant())
    [made] = _invoke(runner, "transcode", str(asset_id))
    assert made["created"] is True
    assert made["decision"] == "remux"
    [reason] = made["reasons"]
    assert reason.startswith("remuxed: H.264 High 3.0 yuv420p progressive 640x360 25 fps")
    assert _records(hub) == [("remux", [reason])]
    [again] = _invoke(runner, "transcode", str(asset_id))
    assert (again["created"], again["store_key"]) == (False, made["store_key"])

    # Forced: a transcode, a rendition of its own, the reason said.
    [forced] = _invoke(runner, "transcode", str(asset_id), "--force-transcode")
    assert (forced["created"], forced["decision"]) == (True, "transcode")
    assert forced["reasons"] == ["transcoded: --force-transcode was given"]
    assert forced["store_key"] != made["store_key"]

    # A changed tolerance that still admits the source makes a new remux (a row of its own;
    # the store, keyed by content, holds the same bytes once).
    profiles = hub.settings.definitions_dir / "profiles"
    with (profiles / "youtube.toml").open("a", encoding="utf-8") as profile:
        profile.write("[tolerance]\nloudness_lu = 2.0\n")
    [looser] = _invoke(runner, "transcode", str(asset_id))
    assert (looser["created"], looser["decision"]) == (True, "remux")
    assert [decision for decision, _ in _records(hub)] == ["remux", "transcode", "remux"]


def test_transcode_lines_give_the_path_and_reasons(
    hub: Hub, runner: CliRunner, media: PassThroughMedia
) -> None:
    asset_id = _ingest(runner, media.quiet())
    result = runner.invoke(app, ["transcode", str(asset_id)])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"asset {asset_id}: youtube rendition made (audio), 640x360")
    assert lines[1].startswith("  video copied: H.264 High 3.0")
    assert lines[2] == "  audio re-encoded: -26.1 LUFS, target -14 ± 1"


def test_never_keeps_the_key_renditions_had_before(
    hub: Hub, runner: CliRunner, media: PassThroughMedia
) -> None:
    """A transcode's key is the one it had before pass-through existed: a forced transcode
    and one a 'never' profile asks for are the same rendition."""
    asset_id = _ingest(runner, media.ten_bit())
    [auto] = _invoke(runner, "transcode", str(asset_id))
    assert auto["decision"] == "transcode"
    assert auto["reasons"][0] == "transcoded: 10-bit 4:2:2"
    [forced] = _invoke(runner, "transcode", str(asset_id), "--force-transcode")
    assert (forced["created"], forced["store_key"]) == (False, auto["store_key"])
    assert forced["reasons"] == ["transcoded: --force-transcode was given"]


def test_upload_says_what_it_sent(
    channel_hub: Hub, sandbox: Sandbox, runner: CliRunner, media: PassThroughMedia,
    tmp_path: Path,
) -> None:  # fmt: skip
    clip = tmp_path / "conseils.mp4"
    shutil.copyfile(media.compliant(), clip)
    [done] = _invoke(runner, "upload", str(clip), "--series", "reports")
    assert done["rendition"] == "remux"
    assert done["rendition_reasons"][0].startswith("remuxed: H.264 High")
    [video] = sandbox.state.snapshot()["videos"].values()
    assert video["id"] == done["video_id"]
    clip2 = tmp_path / "autre.mp4"
    shutil.copyfile(media.quiet(), clip2)
    result = runner.invoke(app, ["upload", str(clip2), "--series", "reports", "--force-transcode"])
    assert result.exit_code == 0, result.stderr
    assert "  sent transcode: transcoded: --force-transcode was given" in result.stdout.splitlines()


def _without_logo(hub: Hub) -> None:
    """The advisory template keeps its intro and outro and loses its logo."""
    template = hub.settings.definitions_dir / "templates" / "advisory.toml"
    lines = template.read_text(encoding="utf-8").splitlines()
    template.write_text(
        "\n".join(line for line in lines if not line.startswith("logo =")) + "\n",
        encoding="utf-8",
    )


def _continuity(path: Path) -> tuple[set[int], float]:
    """The distinct gaps between video frames (time base units), and the widest gap or
    overlap between consecutive audio packets (seconds)."""
    from tests.media_fixtures import ffprobe_json

    data = ffprobe_json(path, "-show_entries", "packet=stream_index,pts,duration,flags")
    video = sorted(p["pts"] for p in data["packets"] if p["stream_index"] == 0)
    audio = sorted(
        (p["pts"], p["duration"])
        for p in data["packets"]
        if p["stream_index"] == 1 and "D" not in p["flags"]
    )
    worst = max(abs(b[0] - (a[0] + a[1])) for a, b in itertools.pairwise(audio))
    return {b - a for a, b in itertools.pairwise(video)}, worst / 48000


def test_intro_and_outro_join_a_copied_body_once_per_series(
    hub: Hub, runner: CliRunner, media: PassThroughMedia
) -> None:
    _without_logo(hub)
    [record] = _invoke(runner, "ingest", str(media.compliant()), "--series", "advisory-clips")
    [made] = _invoke(runner, "transcode", str(record["asset_id"]))
    assert made["decision"] == "remux"
    assert made["reasons"][1] == "intro and outro joined by stream copy"
    assert made["duration"] == pytest.approx(3.0 + 1.52 + 1.52, abs=0.05)
    with hub.store.local_path(made["store_key"]) as rendition:
        subprocess.run(
            ["ffmpeg", "-v", "error", "-xerror", "-i", str(rendition), "-f", "null", "-"],
            check=True, capture_output=True,
        )  # fmt: skip
        frame_gaps, audio_worst = _continuity(rendition)
    assert len(frame_gaps) == 1  # no frame missing or repeated at the joins
    assert audio_worst <= 1024 / 48000  # at most one AAC frame of gap or overlap

    # Another clip of the series in the same format: the clips come from the cache.
    [other] = _invoke(runner, "ingest", str(media.quiet()), "--series", "advisory-clips")
    [second] = _invoke(runner, "transcode", str(other["asset_id"]))
    assert second["decision"] == "audio"
    assert (
        second["reasons"][-1]
        == "intro and outro joined by stream copy (made before for the series)"
    )
    assert [d for d, _ in _records(hub)].count("branding") == 2


def test_a_logo_still_means_a_transcode(
    hub: Hub, runner: CliRunner, media: PassThroughMedia
) -> None:
    [record] = _invoke(runner, "ingest", str(media.compliant()), "--series", "advisory-clips")
    [made] = _invoke(runner, "transcode", str(record["asset_id"]))
    assert made["decision"] == "transcode"
    assert made["reasons"] == ["transcoded: the series' logo is drawn over the picture"]

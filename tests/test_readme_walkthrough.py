"""The README's week of work, run as written in a real shell: the librarians' sheet, the
editor's uploads to the assets made for them, a corrected title published."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.media_fixtures import ffmpeg

README = Path(__file__).resolve().parent.parent / "README.md"


def _walkthrough_block() -> str:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## A week's work: the librarians prepare, the editor uploads") :]
    match = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert match is not None
    return match.group(1)


@pytest.mark.slow  # a sandbox, two transcodes and uploads, in a real shell
def test_the_readmes_week_of_work_runs_as_written(tmp_path: Path) -> None:
    hub = tmp_path / "week-hub"
    hub.mkdir()
    for episode, tone in (("07", 440), ("08", 660)):  # the editor's exports, each its own
        ffmpeg(
            "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25",
            "-f", "lavfi", "-i", f"sine=frequency={tone}:sample_rate=48000",
            "-t", "1.5", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
            "-c:a", "aac", str(hub / f"ep{episode}.mp4"),
        )  # fmt: skip
    env = {name: value for name, value in os.environ.items() if not name.startswith("MEDIA_HUB_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["HOME"] = str(tmp_path / "home")
    done = subprocess.run(
        ["bash", "-e", "-c", "set -m\n" + _walkthrough_block()], cwd=tmp_path, env=env,
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    out = done.stdout + done.stderr
    assert done.returncode == 0, out
    assert "columns ignored, not media-hub's: 'notes'" in out
    assert "created 2 assets" in out
    assert "Réussir son entretien" in done.stdout  # `catalog list -l fr`
    assert (hub / "advisory.xlsx").is_file()
    assert out.count("(catalogued first; the file is now its own) uploaded") == 2
    assert "Réussir son entretien → Réussir son entretien d'embauche" in out  # the plan
    assert "1 change(s) applied" in out

    channel = json.loads((hub / "sandbox" / "channel.json").read_text(encoding="utf-8"))
    titles = sorted(video["localizations"]["fr"]["title"] for video in channel["videos"].values())
    assert len(titles) == 2
    assert titles[1].startswith("Réussir son entretien d'embauche")
    assert len(channel["playlist_items"]) == 2

"""The README's "by hand" sandbox steps, run as written: a new user copies them and succeeds."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"


def _by_hand_block() -> str:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("### The sandbox (demo, tests, training)") :]
    match = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert match is not None
    return match.group(1)


@pytest.mark.slow  # a sandbox, an OAuth flow and the channel's first read, in a real shell
def test_the_readmes_sandbox_steps_work_as_written(tmp_path: Path) -> None:
    block = _by_hand_block()
    assert "media-hub auth youtube --sandbox" in block
    env = {name: value for name, value in os.environ.items() if not name.startswith("MEDIA_HUB_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["HOME"] = str(tmp_path / "home")  # the token goes to ~/.config/media-hub, a new one
    done = subprocess.run(
        ["bash", "-e", "-c", "set -m\n" + block], cwd=tmp_path, env=env,
        capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "authorized; token saved in" in done.stdout
    assert "0 item(s) on the channel" in done.stdout
    token = tmp_path / "home" / ".config" / "media-hub" / "youtube-token.json"
    assert token.stat().st_mode & 0o777 == 0o600

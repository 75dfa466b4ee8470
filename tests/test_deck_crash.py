"""A deck upload killed with SIGKILL, then rerun: one slideshow on SlideShare, never two.

The uploading process is a real `media-hub upload` subprocess against the sandbox in this
process; a "hold" fault lets the sandbox carry out the request and keep its answer back while
the process is killed.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from media_hub.hub import init_hub
from media_hub.platforms.slideshare.credentials import SlideShareCredentials, save_credentials
from media_hub.sandbox.server import Sandbox

# Slow: each case kills a real upload process and reruns it; make quick leaves them out.
pytestmark = pytest.mark.slow

DATA = Path(__file__).resolve().parent / "data"


def _env(hub_dir: Path, sandbox: Sandbox) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEDIA_HUB_")}
    env.update(
        MEDIA_HUB_HOME=str(hub_dir),
        MEDIA_HUB_SLIDESHARE_API_BASE=sandbox.slideshare_api_base,
        MEDIA_HUB_SLIDESHARE_CA_BUNDLE=str(sandbox.ca_cert),
        MEDIA_HUB_SLIDESHARE_CREDENTIALS_FILE=str(hub_dir / "slideshare.json"),
    )
    return env


def _upload(hub_dir: Path, sandbox: Sandbox) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "media_hub", "upload", "--json", str(DATA / "habibi.pdf"),
         "--series", "job-slides", "-t", "ar=إضاءة على المهن"],
        env=_env(hub_dir, sandbox), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", "/api/2/upload_slideshow"), ("GET", "/api/2/get_slideshow")],
    ids=["answer-of-the-upload-lost", "during-conversion"],
)
def test_a_killed_deck_upload_reruns_without_a_second_slideshow(
    tmp_path: Path, method: str, path: str
) -> None:
    hub_dir = tmp_path / "hub"
    init_hub(hub_dir)
    with Sandbox(tmp_path / "sandbox" / "state.json") as sandbox:
        save_credentials(
            hub_dir / "slideshare.json", SlideShareCredentials(**sandbox.slideshare_account)
        )
        sandbox.state.configure(slideshare_queued_reads=0, slideshare_converting_reads=0)
        subprocess.run(
            [sys.executable, "-m", "media_hub", "conventions", "load"],
            env=_env(hub_dir, sandbox), check=True, capture_output=True,
        )  # fmt: skip
        sandbox.faults.add("hold", method=method, path=path, seconds=30)
        process = _upload(hub_dir, sandbox)
        deadline = time.monotonic() + 60
        while not any(r.path == path for r in sandbox.app.holding):
            assert process.poll() is None, process.communicate()[1].decode()
            assert time.monotonic() < deadline, "never reached the kill point"
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert len(sandbox.state.snapshot()["slideshare"]["slideshows"]) == 1

        rerun = _upload(hub_dir, sandbox)
        out, err = rerun.communicate(timeout=120)
        assert rerun.returncode == 0, err.decode()
        [done] = json.loads(out)
        slideshows = sandbox.state.snapshot()["slideshare"]["slideshows"]
        assert list(slideshows) == [done["slideshow_id"]]
        assert not done["uploaded_now"]
        assert done["finished"]
        served = [*sandbox.requests, *sandbox.app.holding]  # a held answer is logged when sent
        assert [r.path for r in served].count("/api/2/upload_slideshow") == 1

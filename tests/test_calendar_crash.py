"""SIGKILL between a calendar upload and the record of its schedule, then a rerun: one
video on the channel, scheduled once, at the booked time (issue 19)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from media_hub.catalog.pipeline_models import QuotaEntry
from media_hub.hub import Hub
from media_hub.sandbox.server import Sandbox
from media_hub.settings import load_settings
from tests.test_upload_crash import _chunks, _env, _kill_when, channel, prepared

pytestmark = pytest.mark.slow  # a real upload process killed, then run again

__all__ = ["channel", "prepared"]  # fixtures, shared with test_upload_crash
CASABLANCA = ZoneInfo("Africa/Casablanca")


def media_hub(hub_dir: Path, sandbox: Sandbox, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "media_hub", *args], env=_env(hub_dir, sandbox),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip


def finished(hub_dir: Path, sandbox: Sandbox, *args: str) -> str:
    process = media_hub(hub_dir, sandbox, *args)
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err.decode()
    return out.decode()


def test_a_run_killed_after_the_upload_is_completed_once(
    channel: tuple[Path, Sandbox],
) -> None:
    hub_dir, sandbox = channel
    (hub_dir / "catalog" / "calendar.toml").write_text(
        '[[slots]]\nseries = "reports"\nweekday = "friday"\ntime = "11:00"\n', encoding="utf-8"
    )
    finished(hub_dir, sandbox, "catalog", "edit", "1", "--status", "ready", "-t", "ar=المنتدى")
    planned = finished(hub_dir, sandbox, "calendar", "plan", "--weeks", "2", "--apply")
    assert "1 booking(s) recorded" in planned, planned
    local = (datetime.now(CASABLANCA) + timedelta(hours=5)).replace(second=0, microsecond=0)
    finished(hub_dir, sandbox, "calendar", "move", "1", "--to", f"{local:%Y-%m-%d %H:%M}")

    # The last chunk lands, its answer is held: the video exists, the catalog knows nothing.
    sandbox.faults.add_spec(f"hold,method=PUT,path=/upload/,after={_chunks(hub_dir) - 1}"
                            ",seconds=30")  # fmt: skip
    _kill_when(media_hub(hub_dir, sandbox, "calendar", "run"), sandbox, "PUT", "/upload/")
    sandbox.faults.clear()
    [video] = sandbox.state.snapshot()["videos"].values()
    shown = json.loads(finished(hub_dir, sandbox, "catalog", "show", "1", "--json"))
    assert shown["publications"][0]["remote_id"] is None  # killed before the record

    ran = json.loads(finished(hub_dir, sandbox, "calendar", "run", "--json"))
    assert ran["uploaded"] == [[1, "youtube"]]
    assert ran["failures"] == []
    again = json.loads(finished(hub_dir, sandbox, "calendar", "run", "--json"))
    assert again["uploaded"] == []

    [after] = sandbox.state.snapshot()["videos"].values()
    assert after["id"] == video["id"]
    assert after["status"]["privacyStatus"] == "private"
    publish_at = datetime.fromisoformat(after["status"]["publishAt"].replace("Z", "+00:00"))
    assert publish_at == local.astimezone(UTC)
    [publication] = json.loads(finished(hub_dir, sandbox, "catalog", "show", "1", "--json"))[
        "publications"
    ]
    assert (publication["remote_id"], publication["status"]) == (video["id"], "scheduled")
    assert datetime.fromisoformat(publication["scheduled_at"]) == publish_at
    # Scheduled once: with the upload itself, never by a videos.update afterwards; one insert.
    methods = ledger_methods(hub_dir)
    assert methods.count("videos.insert") == 1
    assert "videos.update" not in methods


def ledger_methods(hub_dir: Path) -> list[str]:
    saved = {k: os.environ.pop(k) for k in list(os.environ) if k.startswith("MEDIA_HUB_")}
    try:
        hub = Hub(load_settings(hub_dir))
        with hub.db.session() as session:
            methods = list(session.scalars(select(QuotaEntry.method).order_by(QuotaEntry.id)))
        hub.close()
        return methods
    finally:
        os.environ.update(saved)

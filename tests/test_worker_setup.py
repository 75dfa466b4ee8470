"""What a worker checks before it takes any job: a store its peers can read, a name no other
running worker holds; and the line it starts with says where it works."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from media_hub.cli import app
from media_hub.errors import ValidationError
from media_hub.hub import Hub
from media_hub.jobs import queue
from media_hub.jobs.names import NameInUseError, check_name, holding_name
from media_hub.jobs.worker import Outcome

POSTGRES_ONLY = pytest.mark.parametrize("catalog_url", ["postgresql"], indirect=True)
SQLITE_ONLY = pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)


@POSTGRES_ONLY
def test_a_shared_catalog_with_a_local_store_is_refused_unless_asked(
    hub: Hub, runner: CliRunner
) -> None:
    refused = runner.invoke(app, ["worker", "--drain"])
    assert refused.exit_code == 5
    [line] = refused.stderr.strip().splitlines()
    assert line.startswith("error: the catalog is shared (postgresql) but the store is the local")
    assert "--local-store" in line
    allowed = runner.invoke(app, ["worker", "--drain", "--local-store"])
    assert allowed.exit_code == 0, allowed.stderr


@SQLITE_ONLY
def test_the_start_line_names_the_catalog_the_store_and_the_work(
    hub: Hub, runner: CliRunner
) -> None:
    started = runner.invoke(app, ["worker", "--drain", "--name", "machine-a", "-c", "2"])
    assert started.exit_code == 0, started.stderr
    first = started.stderr.splitlines()[0]
    assert first.startswith("worker machine-a started: catalog sqlite:///")
    assert first.endswith(", store assets, kinds all, 2 at a time")


def test_one_name_is_held_by_one_running_worker_at_a_time(hub: Hub) -> None:
    with holding_name(hub.db, "machine-a"):
        with (
            pytest.raises(NameInUseError, match="'machine-a' is held by another running"),
            holding_name(hub.db, "machine-a"),
        ):
            pass
        with holding_name(hub.db, "machine-b"):
            pass
    with holding_name(hub.db, "machine-a"):  # free again once its worker stopped
        pass


@pytest.mark.parametrize("bad", ["", "a b", "../x", "-x", "x" * 70])
def test_a_worker_name_is_checked(bad: str) -> None:
    with pytest.raises(ValidationError, match="not a worker name"):
        check_name(bad)


@SQLITE_ONLY
def test_json_prints_each_job_as_it_ends_then_the_summary(hub: Hub, runner: CliRunner) -> None:
    job_id = queue.enqueue(hub.db, "transcode", {"asset_id": 424242})  # parks: no such asset
    ran = runner.invoke(app, ["worker", "--drain", "--json", "--name", "machine-a"])
    assert ran.exit_code == 0, ran.stderr
    job_line, summary_line = ran.stdout.splitlines()
    job = json.loads(job_line)
    assert (job["job"], job["kind"], job["outcome"]) == (job_id, "transcode", "parked")
    assert "asset 424242 not found" in job["error"]
    summary = json.loads(summary_line)
    counts = summary.pop("counts")
    assert summary == {"worker": "machine-a", "handed_back": None, "gave_up": None}
    assert {outcome: n for outcome, n in counts.items() if n} == {"parked": 1}
    assert set(counts) == {str(outcome) for outcome in Outcome}  # every outcome, 0 or more

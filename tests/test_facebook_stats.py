"""Facebook statistics end to end: clips published on the sandbox's Page through `upload`, its
insights grown over simulated days, then `stats pull` and `stats report` through the CLI and
the real client (requests over HTTPS on loopback)."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from media_hub.catalog.pipeline_models import PlatformFact, StatsSnapshot
from media_hub.cli import app
from media_hub.errors import QuotaError
from media_hub.hub import Hub
from media_hub.platforms import registry
from media_hub.platforms.facebook.connect import graph_client
from media_hub.platforms.facebook.stats import FacebookStatsReader
from media_hub.platforms.facebook.usage import Usage
from media_hub.sandbox.facebook_insights import video_numbers
from media_hub.sandbox.growth import PageVideoDaily
from media_hub.sandbox.server import Sandbox
from media_hub.stats.pull import PullInterruptedError, pull_stats
from tests.facebook_page import page_hub, point_at_page, videos
from tests.media_fixtures import make_clip

BATCH_PATH = "/graph/v27.0/"  # POST / with batch=[...]


@pytest.fixture
def fb_hub(hub: Hub, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Hub:
    point_at_page(hub.settings.home, sandbox, monkeypatch, tmp_path / "secrets")
    monkeypatch.setenv("MEDIA_HUB_FACEBOOK_UPLOAD_CHUNK_KIB", "64")
    return page_hub(hub)


@pytest.fixture
def published(fb_hub: Hub, sandbox: Sandbox, runner: CliRunner, tmp_path: Path) -> list[str]:
    """Three clips of the reports series on the Page, then three days of audience."""
    for number in range(3):
        clip = make_clip(tmp_path / f"forum-{number}.mp4", size="320x180", seconds=1.0 + number / 5)
        result = runner.invoke(app, [
            "upload", "--json", str(clip), "--series", "reports",
            "-t", f"ar=تقرير رقم {number}", "-t", f"fr=Reportage numéro {number}",
        ])  # fmt: skip
        assert result.exit_code == 0, result.output
    sandbox.advance_days(3)  # the uploads' calls leave the rolling hour, the views grow
    return sorted(videos(sandbox))


def _truth(sandbox: Sandbox) -> dict[str, PageVideoDaily]:
    """Each video's insights as the sandbox computes them today."""
    now, today = sandbox.state.now(), sandbox.state.today()
    return {vid: video_numbers(v, today, now, vid) for vid, v in videos(sandbox).items()}


def _expected(truth: dict[str, PageVideoDaily]) -> dict[str, Any]:
    numbers = list(truth.values())
    views = sum(n.views for n in numbers)
    minutes = sum(n.views * n.average_ms / 60_000 for n in numbers)
    return {
        "views": views,
        "unique_viewers": sum(n.viewers for n in numbers),
        "reactions": sum(sum(n.reactions) for n in numbers),
        "comments": sum(n.comments for n in numbers),
        "shares": sum(n.shares for n in numbers),
        "watch_minutes": pytest.approx(minutes),
    }


def _report(runner: CliRunner, *args: str) -> Any:
    result = runner.invoke(app, ["stats", "report", "--format", "json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _batches(sandbox: Sandbox, since: int = 0) -> int:
    return sum(1 for r in sandbox.requests[since:] if r.method == "POST" and r.path == BATCH_PATH)


def _snapshots(hub: Hub) -> int:
    with hub.db.session() as session:
        return session.scalar(select(func.count()).select_from(StatsSnapshot)) or 0


def test_pull_and_report_show_the_pages_own_insights(
    fb_hub: Hub, sandbox: Sandbox, runner: CliRunner, published: list[str], tmp_path: Path
) -> None:
    truth = _truth(sandbox)
    assert min(n.views for n in truth.values()) > 0  # three days of growth
    served = len(sandbox.requests)

    pulled = runner.invoke(app, ["stats", "pull"])
    assert pulled.exit_code == 0, pulled.output
    assert "3 video(s)" in pulled.stdout
    assert "Facebook: 1 call(s)" in pulled.stdout
    assert "Facebook: 3 video(s) read in 1 batch call(s)" in pulled.stdout
    assert _batches(sandbox, served) == 1  # three videos' insights in one batch
    assert len(sandbox.requests) - served == 1

    expected = _expected(truth)
    report = _report(runner)
    facebook = report["totals"]["facebook"]
    assert {name: facebook[name] for name in expected} == expected
    [reports] = [group for group in report["groups"] if group["key"] == "reports"]
    assert {name: reports["facebook"][name] for name in expected} == expected
    by_series = _report(runner, "--by", "series")
    [series] = [group for group in by_series["groups"] if group["key"] == "reports"]
    assert series["facebook"]["views"] == expected["views"]

    sheet = runner.invoke(app, ["stats", "report", "--format", "csv"])
    [row] = [r for r in csv.DictReader(io.StringIO(sheet.stdout)) if r["key"] == "reports"]
    assert int(row["facebook_unique_viewers"]) == expected["unique_viewers"]
    assert int(row["facebook_shares"]) == expected["shares"]
    average = expected["watch_minutes"].expected * 60 / expected["views"]
    assert float(row["facebook_average_watch_seconds"]) == pytest.approx(average, abs=0.05)

    table = runner.invoke(app, ["stats", "report", "--language", "en"])
    assert "Facebook, lifetime totals by playlist" in table.stdout
    assert "Facebook unique viewers" in table.stdout
    french = runner.invoke(app, ["stats", "report", "--format", "html", "--language", "fr"])
    assert "spectateurs uniques Facebook" in french.stdout
    arabic = runner.invoke(app, ["stats", "report", "--format", "html", "--language", "ar"])
    assert "المشاركات على Facebook" in arabic.stdout
    workbook = tmp_path / "report.xlsx"
    written = runner.invoke(app, ["stats", "report", "--format", "xlsx", "-o", str(workbook)])
    assert written.exit_code == 0, written.output
    from openpyxl import load_workbook

    titles = load_workbook(workbook).sheetnames
    assert any(title.startswith("Facebook") for title in titles)


def test_insights_grow_with_the_sandboxs_days(
    fb_hub: Hub, sandbox: Sandbox, runner: CliRunner, published: list[str]
) -> None:
    assert runner.invoke(app, ["stats", "pull"]).exit_code == 0
    first = _report(runner)["totals"]["facebook"]["views"]
    sandbox.advance_days(2)
    assert runner.invoke(app, ["stats", "pull"]).exit_code == 0
    report = _report(runner)
    assert report["totals"]["facebook"]["views"] == _expected(_truth(sandbox))["views"]
    assert report["totals"]["facebook"]["views"] > first
    assert report["changes"]["facebook"]["views"] == report["totals"]["facebook"]["views"]
    # The edge itself, as the insights guide shows it, gives the same numbers.
    truth = _truth(sandbox)
    client = graph_client(fb_hub.settings)
    try:
        edge = client.get(f"{published[0]}/video_insights", {"metric": "total_video_views"},
                          doing="reading one video's insights")  # fmt: skip
    finally:
        client.close()
    [metric] = edge["data"]
    assert (metric["name"], metric["period"]) == ("total_video_views", "lifetime")
    assert metric["values"] == [{"value": truth[published[0]].views}]


def test_the_usage_header_slows_the_reader_down_before_the_limit(
    fb_hub: Hub, sandbox: Sandbox, published: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    sandbox.app.facebook.page.set_calls_per_hour(4)  # each batch of one: 25% more
    monkeypatch.setenv("MEDIA_HUB_FACEBOOK_USAGE_SLOWDOWN_PERCENT", "25")
    hub = page_hub(fb_hub)
    sleeps: list[float] = []

    def reader() -> FacebookStatsReader:
        return FacebookStatsReader(
            hub.db, lambda: graph_client(hub.settings, sleep=sleeps.append), batch_size=1
        )

    result = pull_stats(hub.db, {"facebook": reader}, now=sandbox.state.now())

    assert result.videos == 3
    # After the first call the Page is at 25% of its limit, after the second at 50%: the
    # waits before the second and third calls grow with the share used; none before the first.
    assert sleeps == [Usage(25, 0).pause(25), Usage(50, 0).pause(25)]
    assert 0 < sleeps[0] < sleeps[1]


def test_a_rate_limit_stops_the_pull_and_the_rerun_reads_only_the_rest(
    fb_hub: Hub,
    sandbox: Sandbox,
    runner: CliRunner,
    published: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MEDIA_HUB_FACEBOOK_STATS_BATCH_SIZE", "1")
    sandbox.app.facebook.page.throttle(code=32, count=1, after=1)
    served = len(sandbox.requests)

    stopped = runner.invoke(app, ["stats", "pull"])
    assert stopped.exit_code != 0
    [line] = stopped.stderr.strip().splitlines()
    assert "rate limit" in line
    assert "1 of 3 video(s) read and kept for the rerun, 2 left" in line
    assert "no snapshot was written" in line
    assert _snapshots(fb_hub) == 0
    assert _batches(sandbox, served) == 2  # the second one was refused

    served = len(sandbox.requests)
    rerun = runner.invoke(app, ["stats", "pull"])
    assert rerun.exit_code == 0, rerun.output
    assert "1 video(s) kept from the stopped pull, 2 read now" in rerun.stdout
    assert _batches(sandbox, served) == 2  # only the two left
    assert _snapshots(fb_hub) == 1
    expected = _expected(_truth(sandbox))
    facebook = _report(runner)["totals"]["facebook"]
    assert {name: facebook[name] for name in expected} == expected  # none counted twice
    with fb_hub.db.session() as session:
        assert session.get(PlatformFact, ("facebook", "stats-read")) is None


def test_an_expired_token_says_how_to_renew(
    fb_hub: Hub, sandbox: Sandbox, runner: CliRunner, published: list[str]
) -> None:
    sandbox.app.facebook.page.expire_token()
    result = runner.invoke(app, ["stats", "pull"])
    assert result.exit_code != 0
    [line] = result.stderr.strip().splitlines()
    assert "190" in line
    assert "media-hub auth facebook" in line
    assert sandbox.app.facebook.page.account["page_token"] not in result.output
    assert _snapshots(fb_hub) == 0


def test_a_video_deleted_from_the_page_is_reported_not_counted(
    fb_hub: Hub, sandbox: Sandbox, published: list[str]
) -> None:
    gone = published[0]
    with sandbox.state.change() as data:
        del data["facebook"]["videos"][gone]
    result = pull_stats(  # the platform's own reader, as `stats pull` makes it
        fb_hub.db,
        {"facebook": lambda: registry.get("facebook").stats_reader(fb_hub)},
        now=sandbox.state.now(),
    )
    assert result.missing == [gone]
    assert result.videos == 2


def test_an_interrupted_pull_raises_with_what_is_left(
    fb_hub: Hub, sandbox: Sandbox, published: list[str]
) -> None:
    sandbox.app.facebook.page.throttle(code=4, count=1)
    with pytest.raises(PullInterruptedError, match="0 of 3 video"):
        pull_stats(
            fb_hub.db,
            {"facebook": lambda: registry.get("facebook").stats_reader(fb_hub)},
            now=sandbox.state.now(),
        )


def test_past_the_limit_the_page_refuses_and_the_stop_says_when_to_retry(
    fb_hub: Hub, sandbox: Sandbox, published: list[str]
) -> None:
    sandbox.app.facebook.page.set_calls_per_hour(2)  # 50%, 100%, then over the limit
    sleeps: list[float] = []

    def reader() -> FacebookStatsReader:
        return FacebookStatsReader(
            fb_hub.db, lambda: graph_client(fb_hub.settings, sleep=sleeps.append), batch_size=1
        )

    now = sandbox.state.now()
    with pytest.raises(PullInterruptedError, match="2 of 3 video") as stopped:
        pull_stats(fb_hub.db, {"facebook": reader}, now=now)
    assert sleeps == [Usage(100, 0).pause(75)]  # the longest wait, at the limit
    cause = stopped.value.__cause__
    assert isinstance(cause, QuotaError)
    assert "code 32" in str(cause) or "rate limit 32" in str(cause)
    # The refusal's usage header gave Meta's estimate: an hour before calls are taken again.
    assert cause.resets_at(now) == now + timedelta(minutes=60)
    assert _snapshots(fb_hub) == 0

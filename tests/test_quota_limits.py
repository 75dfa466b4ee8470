"""The YouTube quota a project was granted is a setting, and YouTube's own refusal wins over
the ledger's count: an increase is used, a lower real quota stops the day at once."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image

from media_hub.catalog.assets import NewAsset
from media_hub.catalog.pipeline_models import QuotaEntry
from media_hub.catalog.vocabulary import AssetKind
from media_hub.errors import QuotaError
from media_hub.hub import Hub
from media_hub.platforms import registry
from media_hub.platforms.youtube import YOUTUBE, channel, clock, quota
from media_hub.platforms.youtube.platform import connect
from media_hub.sandbox.server import Sandbox
from media_hub.settings import load_settings
from tests.sandbox_client import upload, youtube

SQLITE_ONLY = pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)


def _spend(hub: Hub, units: int) -> None:
    now = datetime.now(UTC)
    with hub.db.session() as session:
        session.add(
            QuotaEntry(
                platform=YOUTUBE, bucket=quota.DEFAULT_BUCKET, day=clock.pacific_day(now),
                method="videos.update", units=units, at=now, confirmed=True,
            )
        )  # fmt: skip


def _asset(hub: Hub) -> int:
    added = hub.catalog.add(NewAsset(kind=AssetKind.VIDEO, titles={"fr": "Clip"}, series="reports"))
    return int(added["id"])


@SQLITE_ONLY
def test_a_granted_increase_is_used_and_a_lower_setting_holds_back(
    hub: Hub, monkeypatch: pytest.MonkeyPatch
) -> None:
    _spend(hub, 10_000)  # the default day's worth
    asset_id = _asset(hub)
    platform = registry.get(YOUTUBE)
    now = datetime.now(UTC)
    with pytest.raises(QuotaError, match="are left today"):
        platform.check_quota(platform.publisher(hub), asset_id, now)

    monkeypatch.setenv("MEDIA_HUB_YOUTUBE_DAILY_UNITS", "50000")  # Google granted more
    granted = Hub(load_settings(hub.settings.home))
    platform.check_quota(platform.publisher(granted), asset_id, now)  # no refusal
    granted.close()


@SQLITE_ONLY
def test_youtubes_quota_refusal_ends_the_day_before_the_ledger_would(
    channel_hub: Hub, sandbox: Sandbox, tmp_path: Path
) -> None:
    video_id = upload(youtube(sandbox), tmp_path, size=1000)
    asset_id = _asset(channel_hub)
    sandbox.faults.exhaust_quota()  # the project's real quota is lower than the setting
    jpeg = tmp_path / "thumb.jpg"
    Image.new("RGB", (1280, 720), "navy").save(jpeg, "JPEG")

    with pytest.raises(QuotaError):
        channel.set_thumbnail(channel_hub.db, connect(channel_hub), asset_id, video_id, jpeg)

    day = clock.pacific_day(datetime.now(UTC))
    with channel_hub.db.session() as session:
        assert quota.spent(session, quota.DEFAULT_BUCKET, day) == 0  # refused for quota: free
        assert quota.left(session, quota.DEFAULT_BUCKET, day, 10_000) == 0
    platform = registry.get(YOUTUBE)
    with pytest.raises(QuotaError, match="0 are left today"):  # no call made to find out
        platform.check_quota(platform.publisher(channel_hub), asset_id, datetime.now(UTC))

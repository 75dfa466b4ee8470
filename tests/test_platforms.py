"""The platform registry: built-ins, a platform defined here, one found by its entry point,
and routing by the series' `platforms` list."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from media_hub.catalog.assets import NewAsset
from media_hub.catalog.models import Asset
from media_hub.catalog.pipeline_models import Publication
from media_hub.catalog.vocabulary import AssetKind
from media_hub.errors import ConfigError, ValidationError
from media_hub.hub import Hub
from media_hub.pipeline.ingest import IngestRequest
from media_hub.platforms import registry
from media_hub.platforms.base import Platform
from media_hub.platforms.publisher import Published, Publisher, UploadOptions, UploadPlan
from media_hub.platforms.routing import rendition_profile
from media_hub.publishing.sync import platforms_in_use, sync_platforms
from media_hub.publishing.upload import upload_files

DATA = Path(__file__).resolve().parent / "data"
DECK = DATA / "pdflatex-4-pages.pdf"


class ShelfUpload(Publisher[dict[str, bytes]]):
    """Publishes a deck by copying its bytes onto a shelf (a dict): the whole interface in
    a few lines, which is what a new platform has to write."""

    def plan_asset(
        self, asset_id: int, options: UploadOptions, file: Path | None = None
    ) -> UploadPlan:
        done = f"shelf-{asset_id}" in self.client
        return UploadPlan(file or Path(f"asset-{asset_id}"), asset_id, done, {}, [])

    def stage(self, request: IngestRequest, options: UploadOptions) -> int:
        return self.ingested(request)

    def publish_asset(
        self,
        asset_id: int,
        options: UploadOptions,
        *,
        on_step: Callable[[str], None] | None = None,
        on_bytes: Callable[[int, int], None] | None = None,
        on_transcode: Callable[[float], None] | None = None,
        file: Path | None = None,
    ) -> Published:
        key = f"shelf-{asset_id}"
        uploaded_now = key not in self.client
        if uploaded_now:
            with self.catalog.session() as session:
                asset = session.get(Asset, asset_id)
                assert asset is not None
                assert asset.source_key is not None
                source = asset.source_key
            with self.hub.store.open(source) as stream:
                self.client[key] = stream.read()
        return Published(file or Path(key), asset_id, "shelf", key, "", uploaded_now)


class Shelf(Platform):
    name = "shelf"
    label = "The Shelf"
    kinds: ClassVar[frozenset[AssetKind]] = frozenset({AssetKind.DECK})
    default_route = False

    def __init__(self) -> None:
        self.shelf: dict[str, bytes] = {}
        self.clients = 0  # how often a publisher made its client

    def publisher(self, hub: Hub) -> ShelfUpload:
        return ShelfUpload(hub, self._client)

    def _client(self) -> dict[str, bytes]:
        self.clients += 1
        return self.shelf


@pytest.fixture
def shelf() -> Iterator[Shelf]:
    platform = Shelf()
    registry.add(platform)
    yield platform
    registry.remove(platform.name)


def _route(hub: Hub, series: str, platforms: str) -> None:
    """Give `series` a platforms line in the hub's series.toml, as a librarian would."""
    path = hub.settings.definitions_dir / "series.toml"
    text = path.read_text(encoding="utf-8")
    head = f"[series.{series}]\n"
    assert head in text
    lines = text.split(head, 1)
    body = "\n".join(line for line in lines[1].split("\n") if not line.startswith("platforms"))
    path.write_text(lines[0] + head + f"platforms = {platforms}\n" + body, encoding="utf-8")


def test_the_built_in_platforms() -> None:
    assert registry.names()[:3] == ["youtube", "slideshare", "folder"]
    assert [p.name for p in registry.defaults_for(AssetKind.VIDEO)] == ["youtube"]
    assert [p.name for p in registry.defaults_for(AssetKind.DECK)] == ["slideshare"]
    assert registry.by_label("YouTube") is registry.get("youtube")
    with pytest.raises(ConfigError, match="unknown platform 'vimeo'; known: youtube, slideshare"):
        registry.get("vimeo")


def test_a_platform_defined_here_publishes_through_the_same_library(hub: Hub, shelf: Shelf) -> None:
    _route(hub, "cv-flyers", '["shelf"]')
    request = IngestRequest(DECK, "cv-flyers", {"fr": "Le CV"})
    batch = upload_files(hub, [DECK], request, UploadOptions())
    assert not batch.failures
    [done] = batch.done
    assert done.platform is shelf
    assert done.published is not None
    assert done.published.uploaded_now
    assert shelf.shelf[f"shelf-{done.asset_id}"] == DECK.read_bytes()

    again = upload_files(hub, [DECK], request, UploadOptions())
    [second] = again.done
    assert second.published is not None
    assert (second.asset_id, second.published.uploaded_now) == (done.asset_id, False)
    assert len(shelf.shelf) == 1


def test_a_batch_makes_the_platform_client_once(hub: Hub, shelf: Shelf) -> None:
    _route(hub, "cv-flyers", '["shelf"]')
    files = [DECK, DATA / "habibi.pdf"]
    batch = upload_files(hub, files, IngestRequest(DECK, "cv-flyers"), UploadOptions())
    assert not batch.failures
    assert (len(shelf.shelf), shelf.clients) == (2, 1)


def test_a_series_may_publish_to_two_platforms(hub: Hub, shelf: Shelf) -> None:
    _route(hub, "cv-flyers", '["shelf", "slideshare"]')
    request = IngestRequest(DECK, "cv-flyers", {"fr": "Le CV"})
    batch = upload_files(hub, [DECK], request, UploadOptions(), mode="plan")
    assert [(done.platform.name, done.plan is not None) for done in batch.done] == [
        ("shelf", True),
        ("slideshare", True),
    ]
    assert len({done.asset_id for done in batch.done}) == 1  # one asset, two destinations
    assert shelf.shelf == {}  # a plan sends nothing


def test_a_series_naming_an_unknown_or_unfit_platform_is_refused(hub: Hub, shelf: Shelf) -> None:
    request = IngestRequest(DECK, "cv-flyers", {"fr": "Le CV"})
    _route(hub, "cv-flyers", '["vimeo"]')
    with pytest.raises(ConfigError, match=r"series.toml: series 'cv-flyers': platforms: .*vimeo"):
        upload_files(hub, [DECK], request, UploadOptions())
    _route(hub, "advisory-clips", '["shelf"]')
    clip = IngestRequest(DECK, "advisory-clips", {"fr": "x"})
    with pytest.raises(ConfigError, match="The Shelf does not take"):
        upload_files(hub, [DECK], clip, UploadOptions())
    with pytest.raises(ValidationError, match="unknown series 'nope'"):
        upload_files(hub, [DECK], IngestRequest(DECK, "nope"), UploadOptions())


class Reel(Platform):
    """A video platform sent the `web` rendition rather than YouTube's."""

    name = "reel"
    label = "The Reel"
    kinds: ClassVar[frozenset[AssetKind]] = frozenset({AssetKind.VIDEO})
    default_route = False
    upload_profile = "web"


def test_a_rendition_defaults_to_the_profile_of_the_assets_platform(hub: Hub) -> None:
    registry.add(Reel())
    try:
        _route(hub, "reports", '["reel", "youtube"]')
        routed = hub.catalog.add(
            NewAsset(kind=AssetKind.VIDEO, series="reports", titles={"fr": "x"})
        )
        loose = hub.catalog.add(NewAsset(kind=AssetKind.VIDEO, titles={"fr": "y"}))
        assert rendition_profile(hub, routed["id"], None) == "web"
        assert rendition_profile(hub, loose["id"], None) == "youtube"  # the kind's default
        assert rendition_profile(hub, routed["id"], "youtube") == "youtube"  # given wins
    finally:
        registry.remove("reel")


def test_publish_leaves_out_a_platform_it_cannot_sync(hub: Hub, shelf: Shelf) -> None:
    asset = hub.catalog.add(NewAsset(kind=AssetKind.DECK, series="cv-flyers", titles={"fr": "x"}))
    with hub.db.session() as session:
        session.add(Publication(asset_id=asset["id"], platform=shelf.name, remote_id="s-1"))
    assert [p.name for p in platforms_in_use(hub)] == ["youtube"]  # shelf has no sync
    with hub.db.session() as session:
        session.add(Publication(asset_id=asset["id"], platform="slideshare", remote_id="9"))
    assert [p.name for p in platforms_in_use(hub)] == ["slideshare"]
    with pytest.raises(ConfigError, match="The Shelf cannot be kept in line"):
        sync_platforms(hub, ["shelf"], apply=False)


def test_a_platform_must_say_its_name_label_and_kinds() -> None:
    with pytest.raises(TypeError, match="must set label, kinds"):

        class Nameless(Platform):
            name = "nameless"


def test_an_installed_package_adds_a_platform_by_entry_point(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A real distribution on sys.path (a dist-info folder with entry_points.txt), found
    through importlib.metadata as pip-installed plugins are."""
    site = tmp_path / "site"
    info = site / "media_hub_drawer-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: media-hub-drawer\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(
        "[media_hub.platforms]\ndrawer = media_hub_drawer:Drawer\n"
        "youtube = media_hub_drawer:Drawer\n"  # may not replace a built-in
        "broken = media_hub_drawer_broken:Broken\n"
    )
    (site / "media_hub_drawer_broken.py").write_text(
        "from media_hub.platforms.base import Platform\n\n\n"
        "class Broken(Platform):\n"
        "    name = 'broken'\n"
    )
    (site / "media_hub_drawer.py").write_text(
        "from media_hub.catalog.vocabulary import AssetKind\n"
        "from media_hub.platforms.base import Platform\n\n\n"
        "class Drawer(Platform):\n"
        "    name = 'drawer'\n"
        "    label = 'The Drawer'\n"
        "    kinds = frozenset({AssetKind.VIDEO})\n"
    )
    monkeypatch.syspath_prepend(str(site))
    registry._declared.cache_clear()
    try:
        assert "drawer" in registry.names()
        drawer = registry.get("drawer")
        assert (drawer.label, drawer.kinds) == ("The Drawer", frozenset({AssetKind.VIDEO}))
        assert registry.get("youtube").label == "YouTube"
        assert [p.name for p in registry.defaults_for(AssetKind.VIDEO)] == ["youtube", "drawer"]
        assert "platform 'broken'" in caplog.text  # a broken plugin is left out, with a warning
        with pytest.raises(ConfigError, match="takes no uploads"):
            drawer.publisher(Hub.__new__(Hub))
        with pytest.raises(ConfigError, match=r"'broken' .* cannot be loaded: .*must set label"):
            registry.get("broken")
    finally:
        shutil.rmtree(site)
        sys.modules.pop("media_hub_drawer", None)
        sys.modules.pop("media_hub_drawer_broken", None)
        registry._declared.cache_clear()

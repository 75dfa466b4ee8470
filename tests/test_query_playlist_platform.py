"""`playlist:` and `platform:` terms: what the web app's facets and `catalog list` filter on."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from media_hub.catalog.assets import NewAsset
from media_hub.catalog.pipeline_models import Publication
from media_hub.catalog.querylang import parse_query
from media_hub.catalog.service import CatalogService
from media_hub.catalog.vocabulary import AssetKind, PublicationState
from media_hub.cli import app
from media_hub.errors import ValidationError
from media_hub.hub import Hub


def _ids(catalog: CatalogService, text: str) -> list[int]:
    return [record["id"] for record in catalog.find(parse_query([text]))]


def test_playlist_and_platform_terms(hub: Hub, catalog: CatalogService, runner: CliRunner) -> None:
    def add(title: str, playlists: list[str]) -> int:
        record = catalog.add(
            NewAsset(kind=AssetKind.VIDEO, titles={"fr": title}, playlists=playlists)
        )
        return int(record["id"])

    cv = add("Le CV", ["advisory-cv"])
    interview = add("L'entretien", ["advisory-job-interview"])
    both = add("Le CV et l'entretien", ["advisory-cv", "advisory-job-interview"])
    with hub.db.session() as session:
        session.add_all([
            Publication(asset_id=cv, platform="youtube", remote_id="yt-cv",
                        state=PublicationState.DONE),
            Publication(asset_id=both, platform="facebook", remote_id="fb-both",
                        state=PublicationState.DONE),
            # Started and not yet on the platform: not "on youtube".
            Publication(asset_id=interview, platform="youtube", state=PublicationState.PENDING),
        ])  # fmt: skip

    assert _ids(catalog, "playlist:advisory-cv") == [cv, both]
    assert _ids(catalog, "playlist:advisory-job-interview") == [interview, both]
    assert _ids(catalog, "platform:youtube") == [cv]
    assert _ids(catalog, "platform:facebook playlist:advisory-cv") == [both]
    assert _ids(catalog, "platform:slideshare") == []
    result = runner.invoke(app, ["catalog", "list", "playlist:advisory-cv", "--json"])
    assert result.exit_code == 0, result.stderr
    assert [record["id"] for record in json.loads(result.stdout)] == [cv, both]

    with pytest.raises(ValidationError, match="unknown playlist 'no-such-list'"):
        catalog.find(parse_query(["playlist:no-such-list"]))
    with pytest.raises(ValidationError, match=r"platform:youtube"):
        parse_query(["platform:"])


def test_a_hand_made_selection_of_ids(catalog: CatalogService) -> None:
    ids = [
        int(catalog.add(NewAsset(kind=AssetKind.VIDEO, titles={"fr": f"Clip {n}"}))["id"])
        for n in range(4)
    ]
    chosen = f"id:{ids[3]},{ids[0]}, {ids[0]}"
    assert parse_query([chosen]).ids == (ids[0], ids[3])  # in order, once each
    assert _ids(catalog, f"id:{ids[3]},{ids[0]}") == [ids[0], ids[3]]
    assert _ids(catalog, f"id:{ids[1]},{ids[2]} Clip") == [ids[1], ids[2]]
    with pytest.raises(ValidationError, match="not a whole number"):
        parse_query(["id:1,two"])
    with pytest.raises(ValidationError, match="id: needs numbers"):
        parse_query(["id:,"])
    with pytest.raises(ValidationError, match="list at most 5000"):
        parse_query(["id:" + ",".join(map(str, range(1, 5002)))])

"""`export ID --to DIR` and `auth slideshare`: the way out when an API is closed, and the
account's credentials kept private."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from media_hub.cli import app
from media_hub.hub import Hub
from media_hub.sandbox.server import Sandbox

DATA = Path(__file__).resolve().parent / "data"


def _ingest(runner: CliRunner, path: Path, *args: str) -> int:
    result = runner.invoke(app, ["ingest", "--json", str(path), *args])
    assert result.exit_code == 0, result.stderr
    asset_id: int = json.loads(result.stdout)[0]["asset_id"]
    return asset_id


@pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)
def test_a_deck_bundle_has_the_file_thumbnail_and_texts_to_paste(
    hub: Hub, runner: CliRunner, tmp_path: Path
) -> None:
    asset_id = _ingest(
        runner, DATA / "pdflatex-4-pages.pdf", "--series", "cv-flyers", "-t", "fr=Le CV"
    )
    target = tmp_path / "out" / "flyer"
    result = runner.invoke(app, ["export", str(asset_id), "--to", str(target), "--json"])
    assert result.exit_code == 0, result.stderr
    bundle = json.loads(result.stdout)
    assert bundle["platform"] == "SlideShare"
    deck = f"cv-flyers-{asset_id}.pdf"
    assert sorted(bundle["files"]) == sorted(
        [deck, "metadata.json", "metadata.txt", "thumbnail.jpg"]
    )
    assert (target / deck).read_bytes() == (DATA / "pdflatex-4-pages.pdf").read_bytes()
    assert Image.open(target / "thumbnail.jpg").size == (1280, 720)
    text = (target / "metadata.txt").read_text(encoding="utf-8")
    assert "== Title ==\nLe CV | Flyers CV\n" in text
    assert "www.anapec.org" in text  # the template's footer is in the description
    metadata = json.loads((target / "metadata.json").read_text(encoding="utf-8"))
    assert metadata["title"] == "Le CV | Flyers CV"
    assert "ANAPEC" in metadata["tags"]
    assert not [p for p in target.parent.iterdir() if p.name.startswith(".")]  # no leftovers

    again = runner.invoke(app, ["export", str(asset_id), "--to", str(target)])
    assert again.exit_code == 1
    assert "not an empty folder" in again.stderr
    assert "--to" in again.stderr


@pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)
def test_a_video_bundle_has_the_youtube_rendition_and_every_language(
    hub: Hub, runner: CliRunner, tmp_path: Path
) -> None:
    asset_id = _ingest(
        runner, DATA / "in.mp4", "--series", "advisory-clips", "--episode", "3",
        "-t", "fr=Chercher un emploi", "-t", "ar=البحث عن عمل",
    )  # fmt: skip
    target = tmp_path / "clip"
    result = runner.invoke(app, ["export", str(asset_id), "--to", str(target), "--json"])
    assert result.exit_code == 0, result.stderr
    assert f"advisory-clips-e03-{asset_id}.mp4" in json.loads(result.stdout)["files"]
    text = (target / "metadata.txt").read_text(encoding="utf-8")
    assert "== Category id ==" in text
    assert "== Title (fr) ==\nChercher un emploi" in text
    assert json.loads((target / "metadata.json").read_text())["snippet"]["categoryId"]


def test_an_unknown_asset_is_one_line(hub: Hub, runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["export", "999", "--to", str(tmp_path / "x")])
    assert result.exit_code == 3
    assert "999" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)
def test_auth_slideshare_checks_then_saves_privately(
    hub: Hub, sandbox: Sandbox, runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    account = sandbox.slideshare_account
    path = tmp_path / "private" / "slideshare.json"
    monkeypatch.setenv("MEDIA_HUB_SLIDESHARE_API_BASE", sandbox.slideshare_api_base)
    monkeypatch.setenv("MEDIA_HUB_SLIDESHARE_CA_BUNDLE", str(sandbox.ca_cert))
    monkeypatch.setenv("MEDIA_HUB_SLIDESHARE_CREDENTIALS_FILE", str(path))
    command = ["auth", "slideshare", "--username", account["username"], "--api-key",
               account["api_key"], "--stdin"]  # fmt: skip

    refused = runner.invoke(app, command, input=f"{account['shared_secret']}\nwrong\n")
    assert refused.exit_code == 5
    assert "username or password" in refused.stderr
    assert not path.exists()

    good = f"{account['shared_secret']}\n{account['password']}\n"
    saved = runner.invoke(app, command, input=good)
    assert saved.exit_code == 0, saved.stderr
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text())["password"] == account["password"]
    assert account["password"] not in saved.stdout + saved.stderr
    shown = runner.invoke(app, ["config", "show"])
    assert account["password"] not in shown.stdout

"""The app's stylesheet and scripts, served from memory: the packaged bytes, with the right
type and a validator, and nothing but those files."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from media_hub.web.app import STATIC

pytestmark = pytest.mark.parametrize("catalog_url", ["sqlite"], indirect=True)


@pytest.mark.parametrize(
    ("name", "kind"),
    [("app.css", "text/css; charset=utf-8"), ("htmx.min.js", "text/javascript; charset=utf-8")],
)
def test_a_packaged_file_is_its_bytes(client: TestClient, name: str, kind: str) -> None:
    answer = client.get(f"/static/{name}")
    assert answer.status_code == 200
    assert answer.content == (STATIC / name).read_bytes()
    assert answer.headers["content-type"] == kind
    assert answer.headers["cache-control"] == "public, max-age=300"
    again = client.get(f"/static/{name}", headers={"if-none-match": answer.headers["etag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert client.head(f"/static/{name}").status_code == 200


def test_other_files_and_methods_are_refused_as_pages(client: TestClient) -> None:
    for path in ("/static/", "/static/nothing.css", "/static/../web/app.py", "/static/app.css/x"):
        answer = client.get(path)
        assert answer.status_code == 404, path
        assert "<html" in answer.text  # the app's own 404 page
    assert client.post("/static/app.css").status_code == 405
    assert client.get("/static/app.css", headers={"if-none-match": '"other"'}).status_code == 200

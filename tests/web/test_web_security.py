"""The web app's defences, each checked so that it can fail: roles on every route, CSRF,
escaping, sessions, the sign-in limiter, paths, error pages."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.routing import Mount, Route
from starlette.testclient import TestClient

from media_hub.catalog.service import CatalogService
from media_hub.catalog.user_models import Role
from media_hub.hub import Hub
from media_hub.web.limiter import LoginLimiter
from media_hub.web.sessions import COOKIE
from tests.web.conftest import PASSWORD, add_asset, csrf_of, sign_in

# Every route, the role it needs, and a form that the role may send (None: a GET).
ROUTES: list[tuple[str, str, Role, dict[str, str] | None]] = [
    ("GET", "/", Role.VIEWER, None),
    ("GET", "/assets/{asset_id:int}", Role.VIEWER, None),
    ("GET", "/assets/{asset_id:int}/history", Role.VIEWER, None),
    ("GET", "/thumbs/{asset_id:int}.jpg", Role.VIEWER, None),
    ("GET", "/thumbs/{asset_id:int}/candidates.jpg", Role.VIEWER, None),
    ("GET", "/assets/{asset_id:int}/thumbnails", Role.VIEWER, None),
    ("GET", "/assets/{asset_id:int}/edit", Role.LIBRARIAN, None),
    ("POST", "/assets/{asset_id:int}/thumbnails", Role.LIBRARIAN, {"candidate": "1"}),
    ("POST", "/assets/{asset_id:int}/thumbnails/own", Role.LIBRARIAN, {}),
    ("POST", "/assets/{asset_id:int}/edit", Role.LIBRARIAN, {"version": "1", "base": "{}"}),
    ("POST", "/assets/{asset_id:int}/revert", Role.LIBRARIAN, {"version": "1"}),
    ("GET", "/bulk", Role.LIBRARIAN, None),
    ("POST", "/bulk", Role.LIBRARIAN, {"q": "id:1", "changes": "status=draft"}),
    ("GET", "/users", Role.ADMIN, None),
    ("POST", "/users", Role.ADMIN, {"name": "", "role": "viewer", "password": ""}),
    ("POST", "/users/{name}/role", Role.ADMIN, {"role": "viewer"}),
    ("GET", "/import", Role.LIBRARIAN, None),
    ("POST", "/import", Role.LIBRARIAN, {}),
    ("POST", "/import/apply", Role.LIBRARIAN, {"token": "x", "sha256": "", "digest": ""}),
    ("GET", "/calendar", Role.VIEWER, None),
    ("POST", "/calendar/{asset_id:int}/move", Role.EDITOR, {"date": "2027-01-05", "time": "10:00"}),
    ("POST", "/calendar/{asset_id:int}/unschedule", Role.EDITOR, {"platform": "youtube"}),
    ("GET", "/stats", Role.VIEWER, None),
    ("GET", "/stats/chart.png", Role.VIEWER, None),
    ("GET", "/stats/report.csv", Role.VIEWER, None),
    ("GET", "/stats/report.xlsx", Role.VIEWER, None),
    ("GET", "/stats/report.html", Role.VIEWER, None),
    ("GET", "/jobs", Role.VIEWER, None),
    ("GET", "/jobs/rows", Role.VIEWER, None),
    ("POST", "/jobs/{job_id:int}/retry", Role.EDITOR, {}),
    ("POST", "/jobs/{job_id:int}/cancel", Role.EDITOR, {}),
    ("OPTIONS", "/uploads", Role.EDITOR, {}),
    ("POST", "/uploads", Role.EDITOR, {}),
    ("PATCH", "/uploads/{upload_id}", Role.EDITOR, {}),
]
PUBLIC = {("GET", "/login"), ("POST", "/login"), ("POST", "/logout"), ("POST", "/language")}


def test_every_route_is_in_the_matrix(app: Starlette) -> None:
    declared = {(method, path) for method, path, _, _ in ROUTES}
    for route in app.routes:
        if isinstance(route, Mount):
            continue
        assert isinstance(route, Route)
        for method in (route.methods or set()) - {"HEAD"}:
            key = (method, route.path)
            assert key in declared or key in PUBLIC, f"{key} is not in the role matrix"


def test_every_route_by_every_role(client: TestClient, catalog: CatalogService, hub: Hub) -> None:
    asset_id = add_asset(catalog)
    thumbs = hub.settings.path(hub.settings.thumbnails.dir)
    thumbs.mkdir(parents=True, exist_ok=True)
    for name in (f"asset-{asset_id}.jpg", f"asset-{asset_id}-candidates.jpg"):
        (thumbs / name).write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    wrong: list[str] = []
    for role in [None, *Role]:
        client.cookies.clear()
        if role is not None:
            sign_in(client, role.value)
        token = csrf_of(client.get("/login" if role is None else "/").text)
        for method, template, needed, form in ROUTES:
            path = template.replace("{asset_id:int}", str(asset_id)).replace("{name}", "viewer")
            path = path.replace("{job_id:int}", "999999").replace("{upload_id}", "0" * 32)
            if method == "GET":
                answer = client.get(path)
            else:  # the token as a form field and as the header that scripts send
                answer = client.request(
                    method, path, data={**(form or {}), "csrf_token": token},
                    headers={"X-CSRF-Token": token},
                )  # fmt: skip
            if role is None:
                expected_ok = answer.status_code == 303 and answer.headers["location"].startswith(
                    "/login"
                )
            elif role.may(needed):
                expected_ok = answer.status_code not in (303, 403) or not answer.headers.get(
                    "location", ""
                ).startswith("/login")
                expected_ok = expected_ok and answer.status_code != 403
            else:
                expected_ok = answer.status_code == 403 and "Not allowed" in answer.text
            if not expected_ok:
                wrong.append(f"{role} {method} {path}: {answer.status_code}")
    assert not wrong


def _edit_form(client: TestClient, asset_id: int) -> dict[str, str]:
    page = client.get(f"/assets/{asset_id}/edit").text
    fields = {
        tag_name[1]: tag_value[1]
        for tag in re.findall(r"<input[^>]*>", page)
        if (tag_name := re.search(r' name="([^"]+)"', tag))
        and (tag_value := re.search(r' value="([^"]*)"', tag))
    }

    return {
        "csrf_token": csrf_of(page),
        "version": fields["version"],
        "base": html.unescape(fields["base"]),
        "status": "draft",
        "default_language": "fr",
        "title.fr": html.unescape(fields["title.fr"]),
    }


def test_a_form_without_or_with_a_wrong_csrf_token_is_refused(
    client: TestClient, catalog: CatalogService
) -> None:
    asset_id = add_asset(catalog, fr="Rédiger son CV")
    sign_in(client, "librarian")
    form = _edit_form(client, asset_id)
    form["title.fr"] = "Changé"
    for token in (None, "", "forged-token", form["csrf_token"][:-1] + "x"):
        sent = {k: v for k, v in form.items() if k != "csrf_token"}
        if token is not None:
            sent["csrf_token"] = token
        answer = client.post(f"/assets/{asset_id}/edit", data=sent)
        assert answer.status_code == 403, token
        assert "security token" in answer.text
    assert catalog.show(asset_id)["titles"]["fr"] == "Rédiger son CV"
    assert client.post(f"/assets/{asset_id}/edit", data=form).status_code == 303
    assert catalog.show(asset_id)["titles"]["fr"] == "Changé"


def test_sign_in_without_a_token_is_refused(client: TestClient) -> None:
    answer = client.post("/login", data={"name": "admin", "password": PASSWORD})
    assert answer.status_code == 403
    assert client.get("/").status_code == 303  # still signed out


SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
ATTRIBUTE = '" autofocus onfocus="alert(2)'  # no angle brackets: the catalog takes it


def _assert_escaped(page: str) -> None:
    assert SCRIPT not in page
    assert "<img src=x" not in page
    assert 'autofocus onfocus="alert(2)' not in page


def test_hostile_texts_are_shown_escaped_everywhere(
    client: TestClient, catalog: CatalogService, hub: Hub
) -> None:
    asset_id = add_asset(catalog, fr=ATTRIBUTE, ar="عنوان")
    # Texts from before the catalog refused angle brackets (or written by another tool).
    with hub.db.engine.begin() as connection:
        connection.execute(
            text("UPDATE asset_texts SET title = :t, description = :d WHERE lang = 'ar'"),
            {"t": SCRIPT, "d": IMG},
        )
    sign_in(client, "librarian")
    for path in ("/", "/?view=list", f"/assets/{asset_id}", f"/assets/{asset_id}/edit",
                 f"/assets/{asset_id}/history", f"/?q={IMG}", f"/?q=series:{IMG}"):  # fmt: skip
        answer = client.get(path)
        assert answer.status_code == 200, path
        _assert_escaped(answer.text)
    assert "&lt;script&gt;" in client.get(f"/assets/{asset_id}").text
    form = _edit_form(client, asset_id)
    form["title.en"] = IMG
    refused = client.post(f"/assets/{asset_id}/edit", data=form)
    assert refused.status_code == 400
    assert "&#34;&gt;&lt;img" in refused.text or "&quot;&gt;&lt;img" in refused.text
    _assert_escaped(refused.text)


def test_headers_forbid_inline_scripts_and_framing(client: TestClient) -> None:
    answer = client.get("/login")
    assert "script-src 'self'" in answer.headers["content-security-policy"]
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["x-content-type-options"] == "nosniff"


def test_session_cookie_flags(app: Starlette) -> None:
    with TestClient(app, base_url="https://media.example.org", follow_redirects=False) as tls:
        cookie = tls.get("/login").headers["set-cookie"]
        assert "HttpOnly" in cookie
        assert "SameSite=lax" in cookie or "samesite=lax" in cookie.lower()
        assert "Secure" in cookie
    with TestClient(app, follow_redirects=False) as plain:
        assert "Secure" not in plain.get("/login").headers["set-cookie"]


def test_signing_in_starts_a_new_session(client: TestClient) -> None:
    client.get("/login")
    before = client.cookies[COOKIE]
    token_before = csrf_of(client.get("/login").text)
    sign_in(client, "viewer")
    after = client.cookies[COOKIE]
    assert after != before
    assert csrf_of(client.get("/").text) != token_before
    # The cookie from before signing in (a planted one) gives no access.
    client.cookies.clear()
    client.cookies.set(COOKIE, before)
    assert client.get("/").status_code == 303


def test_signing_out_ends_the_session_even_for_a_copied_cookie(client: TestClient) -> None:
    sign_in(client, "viewer")
    copied = client.cookies[COOKIE]
    assert client.get("/").status_code == 200
    answer = client.post("/logout", data={"csrf_token": csrf_of(client.get("/").text)})
    assert answer.status_code == 303
    client.cookies.clear()
    client.cookies.set(COOKIE, copied)
    answer = client.get("/")
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/login")


def test_a_forged_or_tampered_cookie_is_anonymous(client: TestClient) -> None:
    sign_in(client, "viewer")
    value = client.cookies[COOKIE]
    client.cookies.clear()
    client.cookies.set(COOKIE, value[:-2] + ("AA" if not value.endswith("AA") else "BB"))
    assert client.get("/").status_code == 303


def test_the_sign_in_limiter(client: TestClient) -> None:
    for _ in range(5):
        token = csrf_of(client.get("/login").text)
        wrong = client.post(
            "/login", data={"name": "admin", "password": "nope", "csrf_token": token}
        )
        assert wrong.status_code == 401
        assert "Wrong name or password" in wrong.text
    token = csrf_of(client.get("/login").text)
    blocked = client.post(
        "/login", data={"name": "admin", "password": PASSWORD, "csrf_token": token}
    )
    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) > 0
    assert "try again in 15 minutes" in blocked.text
    assert client.get("/").status_code == 303  # not signed in


def test_the_limiter_forgets_after_its_window(hub: Hub) -> None:
    now = [1000.0]
    limiter = LoginLimiter(hub.db, attempts=2, window_s=60, clock=lambda: now[0])
    limiter.failed("name:a", "address:x")
    limiter.failed("name:a", "address:x")
    assert limiter.retry_after("name:a") == 60
    assert limiter.retry_after("name:b", "address:x") == 60  # the address too
    assert limiter.retry_after("name:b", "address:y") == 0
    now[0] += 61
    assert limiter.retry_after("name:a", "address:x") == 0


@pytest.mark.parametrize(
    "path",
    [
        "/static/../media-hub.toml",
        "/static/%2e%2e/%2e%2e/%2e%2e/media-hub.toml",
        "/static/..%2f..%2f..%2fmedia-hub.toml",
        "/thumbs/..%2f..%2fmedia-hub.toml",
        "/thumbs/1/..%2f..%2f..%2fmedia-hub.toml",
        "/thumbs/%2e%2e/media-hub.toml",
        "/static/%2fetc%2fpasswd",
        "/assets/1%2f..%2f..%2fmedia-hub.toml",
    ],
)
def test_paths_cannot_leave_their_folder(client: TestClient, hub: Hub, path: str) -> None:
    secret = "secret_access_key = 'do-not-leak'"
    (hub.settings.home / "media-hub.toml").write_text(f"# {secret}\n", encoding="utf-8")
    sign_in(client, "admin")
    answer = client.get(path)
    assert answer.status_code == 404
    assert "do-not-leak" not in answer.text
    assert "Not found" in answer.text


def test_errors_are_pages_without_a_traceback(
    client: TestClient, catalog: CatalogService, hub: Hub
) -> None:
    asset_id = add_asset(catalog)
    sign_in(client, "viewer")
    missing = client.get("/assets/424242")
    assert missing.status_code == 404
    assert "asset 424242 not found" in missing.text
    assert 'class="top"' in missing.text  # the app's look, with its header
    assert client.get("/nowhere").status_code == 404
    with hub.db.engine.begin() as connection:  # the catalog breaks under the app
        connection.execute(text("DROP TABLE asset_topics"))
    search = client.get("/")
    assert client.get(f"/assets/{asset_id}").status_code == 500
    assert search.status_code == 500
    assert "Traceback" not in search.text
    assert "asset_topics" not in search.text
    assert "Server error" in search.text


@pytest.mark.parametrize(
    ("target", "landing"),
    [
        ("/assets/1?x=1", "/assets/1?x=1"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("/\t/evil.example", "/"),
        ("https://evil.example/", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_sign_in_only_sends_people_to_this_site(
    client: TestClient, target: str, landing: str
) -> None:
    token = csrf_of(client.get("/login").text)
    answer = client.post(
        "/login",
        data={"name": "viewer", "password": PASSWORD, "next": target, "csrf_token": token},
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == landing

"""The web app under load: 20 browsers on loopback for 30 s over 100,000 assets, on SQLite and
on PostgreSQL.

Fills a catalog as bench_catalog.py does, starts `media-hub serve` on it (its own process,
with `--workers` uvicorn workers), signs in 20 clients and has each open the first page, a deep
keyset page, a search and an asset page in a loop bounded by time and count. Each client keeps
its connection open, as a browser does. The baseline, in the same run and the same server, is
the app's static stylesheet: what a request costs before any page is drawn. Prints p50 and
p95 per kind of page, requests per second, and each page's p95 as a ratio of the baseline's.
Not a test.

    .venv/bin/python bench/bench_web.py [--assets N] [--clients N] [--seconds S]
        [--catalog sqlite|postgresql|both] [--workers N ...] [--keep-sqlite-hub DIR]

`--workers 1 2` measures each count in turn on the same catalog; `--keep-sqlite-hub` fills
the SQLite hub once in DIR and reuses it in later runs (filling 100,000 assets takes minutes).
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable
from contextlib import nullcontext
from http.cookies import SimpleCookie
from pathlib import Path

from argon2 import PasswordHasher
from bench_catalog import SEARCH, fill
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # for tests.pg_server, shared with the test suite

from media_hub.catalog.user_models import Role  # noqa: E402
from media_hub.catalog.users import UserService  # noqa: E402
from media_hub.hub import Hub, init_hub  # noqa: E402
from media_hub.settings import load_settings  # noqa: E402
from tests.pg_server import postgres_server  # noqa: E402
from tests.served import served  # noqa: E402

PASSWORD = "bench password 1"  # noqa: S105 (a throwaway hub)
MAX_REQUESTS = 100_000  # per client: the loop is bounded by count as well as by time
BASELINE = "static file"


class Browser:
    """One signed-in person: one kept-open connection and the session cookie."""

    def __init__(self, url: str) -> None:
        address = urllib.parse.urlsplit(url)
        self.connection = http.client.HTTPConnection(address.hostname or "", address.port)
        self.cookies: dict[str, str] = {}
        page = self.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.decode())
        assert token
        form = {"name": "bench", "password": PASSWORD, "csrf_token": token[1], "next": "/"}
        status, _ = self.send("POST", "/login", urllib.parse.urlencode(form).encode())
        assert status == 303, f"sign-in answered {status}"

    def get(self, path: str) -> bytes:
        status, body = self.send("GET", path)
        assert status == 200, f"{path} answered {status}"
        return body

    def send(self, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body, headers)
        answer = self.connection.getresponse()
        content = answer.read()
        for header in answer.headers.get_all("set-cookie") or []:
            self.cookies.update({k: m.value for k, m in SimpleCookie(header).items()})
        return answer.status, content


def browse(
    browser: Browser, assets: int, until: float, timings: dict[str, list[float]], seed: int
) -> None:
    rng = random.Random(seed)
    paths: dict[str, Callable[[], str]] = {
        "catalog": lambda: "/",
        "keyset page": lambda: f"/?after={rng.randrange(1, assets)}&view=list",
        "search": lambda: "/?" + urllib.parse.urlencode({"q": SEARCH}),
        "asset": lambda: f"/assets/{rng.randrange(1, assets)}",
        BASELINE: lambda: "/static/app.css",
    }
    for _ in range(MAX_REQUESTS):
        if time.monotonic() > until:
            return
        kind = rng.choice(list(paths))
        start = time.perf_counter()
        browser.get(paths[kind]())
        timings[kind].append(time.perf_counter() - start)


def new_database(admin_url: str, name: str) -> str:
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def hub_environment(folder: Path, catalog_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEDIA_HUB_")}
    env.update(MEDIA_HUB_HOME=str(folder), MEDIA_HUB_USER="bench")
    if catalog_url:
        env["MEDIA_HUB_CATALOG_URL"] = catalog_url
    return env


def prepare(folder: Path, env: dict[str, str], assets: int) -> None:
    if (folder / ".bench-filled").exists():
        print(f"  reusing the {assets:,} assets filled in {folder}", flush=True)
        return
    init_hub(folder)
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        hub = Hub(load_settings(folder))
        hub.catalog.load_conventions(hub.settings.definitions_dir)
        start = time.perf_counter()
        fill(hub, assets)
        print(f"  filled {assets:,} assets in {time.perf_counter() - start:.0f} s", flush=True)
        UserService(hub.db, PasswordHasher()).add("bench", Role.VIEWER, PASSWORD)
        hub.close()
        (folder / ".bench-filled").touch()
    finally:
        os.environ.clear()
        os.environ.update(saved)


def run(url: str, args: argparse.Namespace) -> None:
    browsers = [Browser(url) for _ in range(args.clients)]
    kinds = ("catalog", "keyset page", "search", "asset", BASELINE)
    timings: dict[str, list[float]] = {kind: [] for kind in kinds}
    until = time.monotonic() + args.seconds
    threads = [
        threading.Thread(target=browse, args=(b, args.assets, until, timings, n))
        for n, b in enumerate(browsers)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    total = sum(len(t) for t in timings.values())
    print(f"  {args.clients} clients, {elapsed:.0f} s: {total / elapsed:.0f} requests/s")
    base = _p95(timings[BASELINE])
    for kind, values in timings.items():
        p95 = _p95(values)
        print(f"  {kind}: {len(values)} requests, p50 {statistics.median(values) * 1000:.0f} ms, "
              f"p95 {p95 * 1000:.0f} ms ({p95 / base:.1f}x the {BASELINE})")  # fmt: skip


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assets", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--catalog", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--keep-sqlite-hub", type=Path)
    args = parser.parse_args()
    engines = ["sqlite", "postgresql"] if args.catalog == "both" else [args.catalog]
    print(f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        for engine in engines:
            print(f"{engine}, {args.assets:,} assets:", flush=True)
            server = postgres_server() if engine == "postgresql" else nullcontext(None)
            with server as admin_url:
                url = None if admin_url is None else new_database(admin_url, "bench_web")
                folder = Path(tmp) / engine
                if engine == "sqlite" and args.keep_sqlite_hub:
                    folder = args.keep_sqlite_hub.resolve()
                env = hub_environment(folder, url)
                prepare(folder, env, args.assets)
                for workers in args.workers:
                    print(f" {workers} worker(s) of {args.threads} threads:", flush=True)
                    options = ("--workers", str(workers), "--threads", str(args.threads))
                    with served(*options, env=env, quiet=True) as web:
                        run(web.url, args)


if __name__ == "__main__":
    main()

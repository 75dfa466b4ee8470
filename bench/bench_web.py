"""The web app under load: 20 browsers on loopback for 30 s over 100,000 assets, on SQLite and
on PostgreSQL.

Fills a catalog as bench_catalog.py does, starts `media-hub serve` on it (its own process, one
uvicorn worker, as people run it), signs in 20 clients and has each open the first page, a
deep keyset page, a search and an asset page in a loop bounded by time and count. The
baseline, in the same run and the same server, is the app's static stylesheet: what a request
costs before any page is drawn. Prints p50 and p95 per kind of page, requests per second, and
each page's p95 as a ratio of the baseline's. Not a test.

    .venv/bin/python bench/bench_web.py [--assets N] [--clients N] [--seconds S]
                                        [--catalog sqlite|postgresql|both]
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
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

PASSWORD = "bench password 1"  # noqa: S105 (a throwaway hub)
MAX_REQUESTS = 100_000  # per client: the loop is bounded by count as well as by time
BASELINE = "static file"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def served(env: dict[str, str]) -> Iterator[str]:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "media_hub", "serve", "--port", str(port)], env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("media-hub serve did not start") from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def client(url: str) -> urllib.request.OpenerDirector:
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    page = opener.open(f"{url}/login").read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token
    form = {"name": "bench", "password": PASSWORD, "csrf_token": token[1], "next": "/"}
    opener.open(f"{url}/login", data=urllib.parse.urlencode(form).encode()).read()
    return opener


def browse(
    url: str, opener: urllib.request.OpenerDirector, assets: int, until: float,
    timings: dict[str, list[float]], seed: int,
) -> None:  # fmt: skip
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
        with opener.open(url + paths[kind]()) as answer:
            answer.read()
            assert answer.status == 200
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
    finally:
        os.environ.clear()
        os.environ.update(saved)


def run(url: str, args: argparse.Namespace) -> None:
    openers = [client(url) for _ in range(args.clients)]
    kinds = ("catalog", "keyset page", "search", "asset", BASELINE)
    timings: dict[str, list[float]] = {kind: [] for kind in kinds}
    until = time.monotonic() + args.seconds
    threads = [
        threading.Thread(target=browse, args=(url, o, args.assets, until, timings, n))
        for n, o in enumerate(openers)
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
                env = hub_environment(folder, url)
                prepare(folder, env, args.assets)
                with served(env) as served_url:
                    run(served_url, args)


if __name__ == "__main__":
    main()

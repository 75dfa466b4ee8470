"""The web app under load: 20 browsers on loopback for 30 s over 100,000 assets (SQLite).

Fills a catalog as bench_catalog.py does, serves the app with uvicorn in this process (one
worker, as `media-hub serve` runs), signs in 20 clients and has each browse the first page,
a deep keyset page, a search and an asset page in a loop bounded by time and count. Prints
p50 and p95 latency per kind of page and requests per second. Not a test.

    .venv/bin/python bench/bench_web.py [--assets N] [--clients N] [--seconds S]
"""

from __future__ import annotations

import argparse
import http.cookiejar
import random
import re
import statistics
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path

import uvicorn
from argon2 import PasswordHasher
from bench_catalog import SEARCH, fill

from media_hub.catalog.user_models import Role
from media_hub.catalog.users import UserService
from media_hub.hub import Hub, init_hub
from media_hub.settings import load_settings
from media_hub.web.app import create_app
from media_hub.web.config import WebConfig

PASSWORD = "bench password 1"  # noqa: S105 (a throwaway hub)
MAX_REQUESTS = 100_000  # per client: the loop is bounded by count as well as by time


def serve(hub: Hub, hasher: PasswordHasher) -> tuple[uvicorn.Server, str]:
    config = WebConfig(
        secret_key="bench", thumbnails_dir=hub.settings.home / "thumbnails", password_hasher=hasher
    )
    server = uvicorn.Server(
        uvicorn.Config(create_app(hub, config), host="127.0.0.1", port=0, log_level="warning")
    )
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server, f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assets", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "hub"
        init_hub(folder)
        hub = Hub(load_settings(folder))
        hub.catalog.load_conventions(hub.settings.definitions_dir)
        start = time.perf_counter()
        fill(hub, args.assets)
        print(f"filled {args.assets:,} assets in {time.perf_counter() - start:.0f} s", flush=True)
        hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
        UserService(hub.db, hasher).add("bench", Role.VIEWER, PASSWORD)
        server, url = serve(hub, hasher)
        openers = [client(url) for _ in range(args.clients)]
        timings: dict[str, list[float]] = {
            k: [] for k in ("catalog", "keyset page", "search", "asset")
        }
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
        print(f"{args.assets:,} assets, {args.clients} clients, {elapsed:.0f} s: "
              f"{total / elapsed:.0f} requests/s")  # fmt: skip
        for kind, values in timings.items():
            p95 = statistics.quantiles(values, n=20)[18] if len(values) > 1 else values[0]
            print(f"  {kind}: {len(values)} requests, p50 {statistics.median(values) * 1000:.0f} "
                  f"ms, p95 {p95 * 1000:.0f} ms")  # fmt: skip
        server.should_exit = True
        hub.close()


if __name__ == "__main__":
    main()

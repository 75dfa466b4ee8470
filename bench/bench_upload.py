"""A 2 GB resumable upload to the sandbox: peak memory of media-hub's uploader, and its
throughput against curl sending the same file to the same server in one PUT (the baseline),
run in the same process. Not a test: it prints figures.

    .venv/bin/python bench/bench_upload.py [--gigabytes 2] [--chunk-mib 32]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from google.oauth2.credentials import Credentials

from media_hub.catalog.assets import NewAsset
from media_hub.catalog.vocabulary import AssetKind
from media_hub.hub import Hub, init_hub
from media_hub.platforms.youtube import scopes
from media_hub.platforms.youtube.auth import save_credentials
from media_hub.sandbox.server import Sandbox
from media_hub.settings import load_settings

# Runs in a child so that its peak RSS is the uploader's alone.
UPLOADER = """
import resource, sys
from pathlib import Path
from media_hub.hub import Hub
from media_hub.settings import load_settings
from media_hub.platforms.youtube.auth import load_credentials
from media_hub.platforms.youtube.client import youtube_service
from media_hub.platforms.youtube.uploader import upload_video
hub = Hub(load_settings())
youtube = youtube_service(hub.settings, load_credentials(hub.settings))
resource_body = {"snippet": {"title": "bench", "categoryId": "27"},
                 "status": {"privacyStatus": "private"}}
upload_video(hub.db, youtube, int(sys.argv[1]), Path(sys.argv[2]), resource_body,
             chunk_bytes=int(sys.argv[3]))
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def curl_upload(sandbox: Sandbox, token: str, media: Path) -> float:
    """Open a session and send the whole file in one PUT, as a plain HTTP client would."""
    start = time.perf_counter()
    opened = subprocess.run(
        ["curl", "-sS", "-D", "-", "-o", "/dev/null", "--cacert", str(sandbox.ca_cert),
         "-H", f"Authorization: Bearer {token}", "-H", "Content-Type: application/json",
         "-H", f"X-Upload-Content-Length: {media.stat().st_size}",
         "-H", "X-Upload-Content-Type: video/mp4",
         "--data", json.dumps({"snippet": {"title": "curl", "categoryId": "27"}}),
         f"{sandbox.url}/upload/youtube/v3/videos?uploadType=resumable&part=snippet"],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    location = next(
        line.split(":", 1)[1].strip()
        for line in opened.stdout.splitlines()
        if line.lower().startswith("location:")
    )
    subprocess.run(
        ["curl", "-sS", "-o", "/dev/null", "--cacert", str(sandbox.ca_cert), "-T", str(media),
         "-H", "Content-Type: video/mp4", location],
        check=True,
    )  # fmt: skip
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gigabytes", type=float, default=2.0)
    parser.add_argument("--chunk-mib", type=int, default=32)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=Path.cwd()) as tmp:
        work = Path(tmp)
        media = work / "master.mp4"
        with media.open("wb") as out:
            block = os.urandom(1024 * 1024)
            for _ in range(int(args.gigabytes * 1024)):
                out.write(block)
        size = media.stat().st_size
        with Sandbox(work / "sandbox" / "state.json", read_timeout=300) as sandbox:
            hub_dir = work / "hub"
            init_hub(hub_dir)
            env = {k: v for k, v in os.environ.items() if not k.startswith("MEDIA_HUB_")}
            env.update(
                MEDIA_HUB_HOME=str(hub_dir),
                MEDIA_HUB_YOUTUBE_API_ENDPOINT=sandbox.url,
                MEDIA_HUB_YOUTUBE_TOKEN_URI=sandbox.token_uri,
                MEDIA_HUB_YOUTUBE_CA_BUNDLE=str(sandbox.ca_cert),
                MEDIA_HUB_YOUTUBE_TOKEN_FILE=str(hub_dir / "token.json"),
            )
            os.environ.update(env)
            hub = Hub(load_settings(hub_dir))
            asset_id = hub.catalog.add(NewAsset(kind=AssetKind.VIDEO, titles={"fr": "bench"}))["id"]
            credentials = Credentials(  # type: ignore[no-untyped-call]
                token=None, refresh_token=sandbox.grant("bench", scopes.ALL),
                token_uri=sandbox.token_uri, client_id="bench", client_secret="bench",
            )  # fmt: skip
            save_credentials(hub_dir / "token.json", credentials)
            hub.close()

            start = time.perf_counter()
            peak_kib = subprocess.run(
                [sys.executable, "-c", UPLOADER, str(asset_id), str(media),
                 str(args.chunk_mib * 1024 * 1024)],
                env=env, check=True, capture_output=True, text=True,
            ).stdout.split()[-1]  # fmt: skip
            ours = time.perf_counter() - start

            credentials.refresh(  # type: ignore[no-untyped-call]
                __import__("google.auth.transport.requests").auth.transport.requests.Request(
                    _session(sandbox)
                )
            )
            naive = curl_upload(sandbox, str(credentials.token), media)
        mib = size / 1024**2
        print(
            f"media-hub upload of {size / 1024**3:.2f} GiB in {args.chunk_mib} MiB chunks: "
            f"{ours:.1f} s ({mib / ours:.0f} MiB/s), peak memory {int(peak_kib) / 1024:.0f} MiB"
        )
        print(
            f"curl, one PUT: {naive:.1f} s ({mib / naive:.0f} MiB/s); "
            f"throughput ratio media-hub/curl {naive / ours:.2f}"
        )


def _session(sandbox: Sandbox) -> object:
    import requests

    session = requests.Session()
    session.verify = str(sandbox.ca_cert)
    session.trust_env = False
    return session


if __name__ == "__main__":
    main()

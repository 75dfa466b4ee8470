"""A 2 GB upload to the sandbox's Facebook Page through Meta's Resumable Upload API: peak memory
of media-hub's uploader (in a child process, so that the figure is the uploader's alone), and
its throughput (from the session's opening to the handle, as for curl; the child's imports
are shown apart) against curl sending the same file to the same endpoint in one POST (the
baseline), in the same run. Not a test: it prints figures (goals: under 150 MiB, at least 0.8x).

    .venv/bin/python bench/bench_facebook_upload.py [--gigabytes 2] [--chunk-mib 16] [--runs 3]

The file is sparse, made in /tmp and deleted after, as is the sandbox's copy of what it got.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from media_hub.catalog.assets import NewAsset
from media_hub.catalog.vocabulary import AssetKind
from media_hub.hub import Hub, init_hub
from media_hub.platforms.facebook.credentials import FacebookCredentials, save_credentials
from media_hub.sandbox.server import Sandbox
from media_hub.settings import load_settings

PEAK_GOAL_MIB = 150
RATIO_GOAL = 0.8

# The uploader in a child: the Resumable Upload API session, then the file by pieces, each
# offset committed to the catalog, as `media-hub upload` sends it.
UPLOADER = """
import resource, sys, time
from pathlib import Path
from media_hub.hub import Hub
from media_hub.settings import load_settings
from media_hub.platforms.facebook.connect import graph_client
from media_hub.platforms.facebook.upload import upload_file
hub = Hub(load_settings())
client = graph_client(hub.settings)
start = time.perf_counter()
upload_file(hub.db, client, int(sys.argv[1]), Path(sys.argv[2]), chunk_bytes=int(sys.argv[3]))
print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def curl_upload(sandbox: Sandbox, account: dict[str, str], media: Path) -> float:
    """Open a session and send the whole file in one POST at offset 0, as a plain HTTP client
    would (the session's opening included, as in media-hub's run)."""
    token = account["page_token"]
    proof = hmac.new(account["app_secret"].encode(), token.encode(), hashlib.sha256).hexdigest()
    base = f"{sandbox.facebook_graph_base}/v27.0"
    common = ["curl", "-sS", "--fail-with-body", "--cacert", str(sandbox.ca_cert),
              "-H", f"Authorization: OAuth {token}"]  # fmt: skip
    start = time.perf_counter()
    opened = subprocess.run(
        [*common, "-X", "POST",
         f"{base}/{account['app_id']}/uploads?file_name=curl.mp4&file_type=video/mp4"
         f"&file_length={media.stat().st_size}&appsecret_proof={proof}"],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    session = json.loads(opened.stdout)["id"]
    sent = subprocess.run(
        [*common, "-X", "POST", "-T", str(media), "-H", "file_offset: 0",
         "-H", "Content-Type: application/octet-stream",
         f"{base}/{session}&appsecret_proof={proof}"],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    elapsed = time.perf_counter() - start
    if "h" not in json.loads(sent.stdout):
        raise SystemExit(f"curl's upload got no handle: {sent.stdout}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gigabytes", type=float, default=2.0, help="File size (0.1: quick).")
    parser.add_argument("--chunk-mib", type=int, default=16, help="Bytes a request (Meta: ours).")
    parser.add_argument("--runs", type=int, default=3, help="Runs of each; the best is kept.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-facebook-", dir="/tmp") as tmp:
        work = Path(tmp)
        media = work / "master.mp4"
        with media.open("wb") as out:  # sparse: no disk space, read back as zeros
            out.truncate(int(args.gigabytes * 1024**3))
        size = media.stat().st_size
        with Sandbox(work / "sandbox" / "state.json", read_timeout=300) as sandbox:
            account = sandbox.app.facebook.page.account
            hub_dir = work / "hub"
            init_hub(hub_dir)
            save_credentials(hub_dir / "facebook.json", FacebookCredentials(**account))
            env = {k: v for k, v in os.environ.items() if not k.startswith("MEDIA_HUB_")}
            env.update(
                MEDIA_HUB_HOME=str(hub_dir),
                MEDIA_HUB_FACEBOOK_GRAPH_BASE=sandbox.facebook_graph_base,
                MEDIA_HUB_FACEBOOK_CA_BUNDLE=str(sandbox.ca_cert),
                MEDIA_HUB_FACEBOOK_CREDENTIALS_FILE=str(hub_dir / "facebook.json"),
            )
            os.environ.update(env)
            hub = Hub(load_settings(hub_dir))
            ours: list[float] = []
            whole: list[float] = []
            naive: list[float] = []
            peak_kib = 0
            for _ in range(args.runs):  # interleaved, so that both meet the same load
                asset = hub.catalog.add(NewAsset(kind=AssetKind.VIDEO, titles={"fr": "bench"}))
                start = time.perf_counter()
                sending, peak = subprocess.run(
                    [sys.executable, "-c", UPLOADER, str(asset["id"]), str(media),
                     str(args.chunk_mib * 1024 * 1024)],
                    env=env, check=True, capture_output=True, text=True,
                ).stdout.split()[-2:]  # fmt: skip
                whole.append(time.perf_counter() - start)
                ours.append(float(sending))
                peak_kib = max(peak_kib, int(peak))
                _drop_received(sandbox)
                naive.append(curl_upload(sandbox, account, media))
                _drop_received(sandbox)
            hub.close()
    mib = size / 1024**2
    peak_mib = peak_kib / 1024
    best, curl_best = min(ours), min(naive)
    ratio = curl_best / best
    print(
        f"media-hub upload to Facebook of {size / 1024**3:.2f} GiB in {args.chunk_mib} MiB "
        f"pieces, best of {args.runs}: {best:.1f} s ({mib / best:.0f} MiB/s; "
        f"{min(whole):.1f} s with the process's start), peak memory {peak_mib:.0f} MiB "
        f"(goal < {PEAK_GOAL_MIB}: {'met' if peak_mib < PEAK_GOAL_MIB else 'NOT met'})"
    )
    print(
        f"curl, one POST, best of {args.runs}: {curl_best:.1f} s ({mib / curl_best:.0f} MiB/s); "
        f"throughput ratio media-hub/curl {ratio:.2f} (goal >= {RATIO_GOAL}: "
        f"{'met' if ratio >= RATIO_GOAL else 'NOT met'})"
    )
    print(
        "each run (media-hub, curl), s: "
        + ", ".join(f"({a:.1f}, {b:.1f})" for a, b in zip(ours, naive, strict=True))
    )


def _drop_received(sandbox: Sandbox) -> None:
    """The sandbox's copies of what it received, deleted between runs (disk space)."""
    for part in (sandbox.state.media_dir / "facebook").glob("*.part"):
        part.unlink()


if __name__ == "__main__":
    main()

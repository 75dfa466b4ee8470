"""`media-hub serve` started as people start it, on a free loopback port, for the tests, the
benchmarks and the demo's screenshots: the command in its own process, ready once its socket
answers, stopped when the block ends."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

START_S = 60  # several workers under a loaded machine take a while to import the app


@dataclass(frozen=True)
class Served:
    url: str
    process: subprocess.Popen[str]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def served(
    *options: str, env: Mapping[str, str] | None = None, quiet: bool = False
) -> Iterator[Served]:
    """The running server; its output is kept in pipes, read after the block (`quiet`: none)."""
    port = free_port()
    output = subprocess.DEVNULL if quiet else subprocess.PIPE
    process = subprocess.Popen(
        [sys.executable, "-m", "media_hub", "serve", "--port", str(port), *options],
        stdout=output, stderr=output, text=True, env=env,
    )  # fmt: skip
    try:
        _wait_for(port, process)
        yield Served(f"http://127.0.0.1:{port}", process)
    finally:
        process.terminate()
        process.wait(timeout=20)


def _wait_for(port: int, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + START_S
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                error = process.stderr.read() if process.stderr else ""
                raise RuntimeError(f"media-hub serve did not start: {error.strip()}") from None
            time.sleep(0.1)

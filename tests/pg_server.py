"""A private PostgreSQL server on loopback for the test run (Debian's postgresql binaries).

initdb refuses to run as root, so as root the cluster belongs to the `postgres` user.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


def find_pg_bin() -> Path | None:
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "initdb").exists():
            return candidate
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class PostgresCluster:
    """A running throw-away cluster that a test may stop and start again (an outage)."""

    url: str
    pg_ctl: list[str]
    data: Path
    log: Path
    options: str

    def stop(self, mode: str = "fast") -> None:
        subprocess.run(
            [*self.pg_ctl, "-D", str(self.data), "-m", mode, "-w", "stop"],
            check=True, capture_output=True,
        )  # fmt: skip

    def start(self) -> None:
        subprocess.run(
            [*self.pg_ctl, "-D", str(self.data), "-l", str(self.log), "-w", "-o", self.options,
             "start"],
            check=True, capture_output=True,
        )  # fmt: skip


@contextmanager
def postgres_server() -> Iterator[str]:
    """Start a throw-away cluster; yields the URL of its `postgres` database as superuser."""
    with postgres_cluster() as cluster:
        yield cluster.url


@contextmanager
def postgres_cluster() -> Iterator[PostgresCluster]:
    """Start a throw-away cluster on a free loopback port; stopped and removed after."""
    pg_bin = find_pg_bin()
    if pg_bin is None:
        raise RuntimeError("PostgreSQL binaries not found; install Debian's postgresql package")
    root = Path(tempfile.mkdtemp(prefix="media-hub-pg-"))
    data, sockets = root / "data", root / "sockets"
    sockets.mkdir()
    run_as: list[str] = []
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        for path in (root, sockets):
            os.chown(path, owner.pw_uid, owner.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
    port = free_port()
    subprocess.run(
        [*run_as, str(pg_bin / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
         "-E", "UTF8", "--locale=C.UTF-8"],
        check=True, capture_output=True,
    )  # fmt: skip
    cluster = PostgresCluster(
        url=f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres",
        pg_ctl=[*run_as, str(pg_bin / "pg_ctl")],
        data=data,
        log=root / "server.log",
        options=f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off",
    )
    cluster.start()
    try:
        yield cluster
    finally:
        subprocess.run(
            [*cluster.pg_ctl, "-D", str(data), "-m", "immediate", "stop"],
            check=False, capture_output=True,
        )  # fmt: skip
        shutil.rmtree(root, ignore_errors=True)

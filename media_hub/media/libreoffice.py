"""Running LibreOffice headless to turn a presentation into a PDF (or another format).

Each run gets its own profile (`-env:UserInstallation`) inside its own temporary folder:
LibreOffice refuses to start a second instance on a profile in use, so parallel runs would
otherwise fail or hand their work to each other. The whole process group is killed on timeout,
since `soffice` is a wrapper that starts `soffice.bin`.

A deck can link to outside pictures that LibreOffice fetches while converting. The package
check refuses such decks before this module runs; as a second wall, the profile blocks links
from untrusted documents and macros, and LibreOffice runs in a network namespace without
interfaces where the machine allows one (`unshare`), so it can reach no server at all.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

from media_hub.errors import MediaError

log = logging.getLogger(__name__)

CONVERTER_NAMES = ("soffice", "libreoffice")
INSTALL_HINT = "install libreoffice-impress-nogui (apt-get install --no-install-recommends)"
# Lines LibreOffice prints on every run that say nothing about the document.
_NOISE = ("Warning: failed to launch javaldx", "convert ")
# The profile's settings: no fetching what a document links to, no macros.
PROFILE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting">\
<prop oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting">\
<prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
</oor:items>
"""
# `unshare` options for a new network namespace: as root, or mapped to root in a user one.
_NETWORK_NAMESPACES = (("--net",), ("--map-root-user", "--net"))


def find_converter() -> Path | None:
    """The LibreOffice program on PATH, if any."""
    for name in CONVERTER_NAMES:
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


def conversion_args(
    converter: Path, source: Path, out_dir: Path, profile_dir: Path, target: str
) -> list[str]:
    """The command line that converts `source` into `out_dir` (pure, so tests can compare it)."""
    return [
        str(converter),
        f"-env:UserInstallation={profile_dir.resolve().as_uri()}",
        "--headless",
        "--invisible",
        "--norestore",
        "--nolockcheck",
        "--nodefault",
        "--nologo",
        "--convert-to",
        target,
        "--outdir",
        str(out_dir.resolve()),
        str(source.resolve()),
    ]


def write_profile(profile_dir: Path) -> None:
    """A new LibreOffice profile holding only PROFILE_SETTINGS; LibreOffice adds the rest."""
    user = profile_dir / "user"
    user.mkdir(parents=True)
    (user / "registrymodifications.xcu").write_text(PROFILE_SETTINGS, encoding="utf-8")


@functools.cache
def without_network() -> tuple[str, ...]:
    """The command prefix that runs a program with no network, or () where none is allowed.

    Tried once a process: `unshare` needs root or unprivileged user namespaces, which
    containers and hardened kernels often refuse.
    """
    unshare = shutil.which("unshare")
    if unshare is None:
        log.debug("unshare is not installed: LibreOffice runs with the network")
        return ()
    for options in _NETWORK_NAMESPACES:
        prefix = (unshare, *options, "--")
        try:
            done = subprocess.run([*prefix, "true"], capture_output=True, timeout=10, check=False)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if done.returncode == 0:
            return prefix
    log.debug("no network namespace allowed here: LibreOffice runs with the network")
    return ()


def convert(converter: Path, source: Path, work_dir: Path, target: str, timeout_s: float) -> Path:
    """Convert `source` to `target` inside `work_dir` (which the caller removes afterwards).

    Returns the converted file; raises MediaError when LibreOffice fails, says nothing or
    runs past the timeout.
    """
    out_dir = work_dir / "out"
    out_dir.mkdir()
    profile_dir = work_dir / "profile"
    write_profile(profile_dir)
    jail = without_network()
    args = [*jail, *conversion_args(converter, source, out_dir, profile_dir, target)]
    log.debug(
        "converting %s to %s with LibreOffice%s", source, target, "" if jail else " (network on)"
    )
    started = time.monotonic()
    # A new session so that a timeout can kill soffice.bin too, not just the wrapper script.
    process = subprocess.Popen(
        args,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=work_dir,
        env={**os.environ, "TMPDIR": str(work_dir)},  # LibreOffice's scratch files go too
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired as exc:
        _kill_group(process)
        raise MediaError(
            str(source), f"LibreOffice did not finish converting it within {timeout_s:g} s"
        ) from exc
    except BaseException:
        _kill_group(process)
        raise
    log.debug("LibreOffice exited %s after %.1f s", process.returncode, time.monotonic() - started)
    outputs = sorted(out_dir.iterdir())
    if process.returncode != 0 or len(outputs) != 1:
        said = _last_words(stdout, stderr)
        detail = f"exit status {process.returncode}" + (f": {said}" if said else "")
        raise MediaError(str(source), f"LibreOffice could not convert it to {target} ({detail})")
    return outputs[0]


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """End the process group this module started, then reap the wrapper."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()


def _last_words(stdout: bytes, stderr: bytes) -> str:
    """The last meaningful line LibreOffice printed, for a one-line message."""
    lines = [
        line.strip()
        for line in (stdout + b"\n" + stderr).decode("utf-8", "replace").splitlines()
        if line.strip() and not line.strip().startswith(_NOISE)
    ]
    return lines[-1][:200] if lines else ""

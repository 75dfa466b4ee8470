"""Running LibreOffice headless to turn a presentation into a PDF (or another format).

Each run gets its own profile (`-env:UserInstallation`) inside its own temporary folder:
LibreOffice refuses to start a second instance on a profile in use, so parallel runs would
otherwise fail or hand their work to each other. The whole process group is killed on timeout,
since `soffice` is a wrapper that starts `soffice.bin`.
"""

from __future__ import annotations

import contextlib
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


def convert(converter: Path, source: Path, work_dir: Path, target: str, timeout_s: float) -> Path:
    """Convert `source` to `target` inside `work_dir` (which the caller removes afterwards).

    Returns the converted file; raises MediaError when LibreOffice fails, says nothing or
    runs past the timeout.
    """
    out_dir = work_dir / "out"
    out_dir.mkdir()
    args = conversion_args(converter, source, out_dir, work_dir / "profile", target)
    log.debug("converting %s to %s with LibreOffice", source, target)
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

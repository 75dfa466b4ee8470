"""The sandbox channel, kept in one JSON file: a demo and a later statistics pull see the same one.

Every change is written atomically (temp file, fsync, rename) under one lock; media bytes go to a
sibling folder (`<state>.media/`), streamed, never held in memory. The clock is injectable and
shifted by the simulated days, so tests can cross midnight in Los Angeles at will. A new
channel may start some days in the past (a negative shift), for a demo to live through them.
"""

from __future__ import annotations

import base64
import copy
import datetime as dt
import hashlib
import json
import os
import secrets
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from media_hub.sandbox.quota import pacific_day

Data = dict[str, Any]
Clock = Callable[[], dt.datetime]

FORMAT_VERSION = 1
DEFAULT_CONFIG: Data = {
    "verified": True,  # unverified channels get 403 forbidden from thumbnails.set
    "uploads_per_day": 1000,  # per-channel cap -> uploadLimitExceeded (not quota)
    "thumbnail_not_found_calls": 0,  # 404 videoNotFound answers right after an upload
    "processing_polls": 1,  # videos.list reads before an upload shows as processed
    "limits": {},  # quota limits overriding quota_costs.toml, e.g. {"default": 500}
    "token_lifetime": 3600,  # seconds
    "slideshare_calls_per_day": 1000,  # signed SlideShare calls a Pacific day -> code 99
    "slideshare_uploads_closed": False,  # upload_slideshow answers code 25, as seen live
    "slideshare_max_upload_bytes": 100 * 1024 * 1024,  # larger decks -> code 8
    "slideshare_queued_reads": 1,  # reads of a new slideshow showing Status 0 (queued)
    "slideshare_converting_reads": 1,  # then reads showing Status 1 (converting)
}
SLIDESHARE_USERNAME = "anapec-sandbox"
HIDDEN = "(hidden)"
ID_LENGTHS = {"video": 11, "playlist": 32, "playlistItem": 48, "caption": 36, "session": 32}
ID_PREFIXES = {"playlist": "PL", "caption": "AU"}


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def rfc3339(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_rfc3339(text: str) -> dt.datetime:
    """Parse YouTube's timestamps ('Z' or an offset); a naive time is refused by the caller."""
    moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError("timestamp has no time zone")
    return moment


def _empty(channel_id: str, created: dt.datetime) -> Data:
    return {
        "version": FORMAT_VERSION,
        "channel": {
            "id": channel_id,
            "title": "Sandbox channel",
            "description": "A local stand-in of a YouTube channel.",
            "published_at": rfc3339(created),
        },
        "config": copy.deepcopy(DEFAULT_CONFIG),
        "day_offset": 0,
        "serial": 0,
        "videos": {},
        "thumbnails": {},
        "playlists": {},
        "playlist_items": {},
        "captions": {},
        "sessions": {},
        "tokens": {"access": {}, "refresh": {}, "codes": {}},
        "quota": {},
        "uploads_per_day": {},
        "slideshare": _slideshare(),
    }


def _slideshare() -> Data:
    """The SlideShare account (secrets made here, kept in the state) and its slideshows."""
    return {
        "account": {
            "username": SLIDESHARE_USERNAME,
            "api_key": secrets.token_urlsafe(18),
            "shared_secret": secrets.token_urlsafe(24),
            "password": secrets.token_urlsafe(18),
        },
        "user_id": 10_000_000 + secrets.randbelow(90_000_000),
        "next_id": 10_000_000 + secrets.randbelow(10_000_000),
        "slideshows": {},
        "calls": {},  # Pacific day -> signed calls made
    }


class State:
    """The channel's data (`data`), its media folder and its clock, guarded by one lock."""

    def __init__(self, path: Path, clock: Clock = utc_now, *, start_days_ago: int = 0) -> None:
        """`start_days_ago` puts a new channel that many days in the past, so that advancing
        the days back to the real today leaves days of statistics behind; an existing state
        keeps its own days."""
        if start_days_ago < 0:
            raise ValueError("a sandbox cannot start in the future")
        self.path = path
        self.media_dir = path.with_name(path.name + ".media")
        self._clock = clock
        self._lock = threading.RLock()
        path.parent.mkdir(parents=True, exist_ok=True)
        for sub in ("sessions", "videos", "thumbnails", "captions", "slideshows"):
            (self.media_dir / sub).mkdir(parents=True, exist_ok=True)
        if path.exists():
            self.data: Data = json.loads(path.read_text(encoding="utf-8"))
            missing = {k: v for k, v in _empty("", clock()).items() if k not in self.data}
            if missing:  # a state file from before a part was added: add it, keep the rest
                self.data.update(missing)
                self._save()
        else:
            created = clock() - dt.timedelta(days=start_days_ago)
            self.data = _empty("UC" + _b64(secrets.token_bytes(17))[:22], created)
            self.data["day_offset"] = -start_days_ago
            self._save()

    # -- time ---------------------------------------------------------------------------------
    def now(self) -> dt.datetime:
        """The sandbox's time: the injected clock plus the simulated days."""
        return self._clock() + dt.timedelta(days=int(self.data["day_offset"]))

    def wall_clock(self) -> dt.datetime:
        """The injected clock without the simulated days: what a client's own clock reads."""
        return self._clock()

    def today(self) -> dt.date:
        return pacific_day(self.now())

    def advance_days(self, days: int) -> None:
        if days < 0:
            raise ValueError("the sandbox's days only move forward")
        with self.change() as data:
            data["day_offset"] = int(data["day_offset"]) + days

    # -- access -------------------------------------------------------------------------------
    @contextmanager
    def read(self) -> Iterator[Data]:
        with self._lock:
            yield self.data

    @contextmanager
    def change(self) -> Iterator[Data]:
        """Mutate under the lock; the file is rewritten when the block ends without error.

        Handlers validate before they mutate, so a refused request leaves nothing half-done.
        """
        with self._lock:
            yield self.data
            self._save()

    def config(self, key: str) -> Any:
        with self._lock:
            return self.data["config"].get(key, DEFAULT_CONFIG.get(key))

    def configure(self, **values: Any) -> None:
        unknown = set(values) - set(DEFAULT_CONFIG)
        if unknown:
            raise ValueError(f"unknown sandbox settings: {', '.join(sorted(unknown))}")
        with self.change() as data:
            data["config"].update(values)

    def new_id(self, kind: str) -> str:
        """A fresh id shaped like YouTube's for `kind`; saved with the change that uses it."""
        with self.read() as data:
            data["serial"] = int(data["serial"]) + 1
            seed = f"{data['channel']['id']}:{kind}:{data['serial']}".encode()
        prefix = ID_PREFIXES.get(kind, "")
        text = _b64(hashlib.sha256(seed).digest() + hashlib.sha256(b"2" + seed).digest())
        return prefix + text[: ID_LENGTHS.get(kind, 24) - len(prefix)]

    def snapshot(self) -> Data:
        """A copy without tokens or passwords, for `GET /sandbox/state` and tests."""
        with self._lock:
            view = copy.deepcopy(self.data)
        view["tokens"] = {kind: len(items) for kind, items in view["tokens"].items()}
        view["slideshare"]["account"].update(shared_secret=HIDDEN, password=HIDDEN)
        view["today"] = self.today().isoformat()
        return view

    # -- media files --------------------------------------------------------------------------
    def media_path(self, kind: str, name: str) -> Path:
        """Where the bytes of a session, video, thumbnail or caption are kept."""
        if not name or "/" in name or name.startswith("."):
            raise ValueError(f"bad media name {name!r}")
        return self.media_dir / kind / name

    def _save(self) -> None:
        """Write the whole state atomically: a crash leaves the old file or the new one."""
        temp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            # Compact: json's C encoder only runs without indent (10x faster on a big channel).
            out.write(json.dumps(self.data, ensure_ascii=False, separators=(",", ":")))
            out.flush()
            os.fsync(out.fileno())
        temp.replace(self.path)
        folder = os.open(self.path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")

"""Gathering a source's facts and choosing its path (see `compliance` for the rules).

The three looks at the source run at once, each its own process: the packet scan (ffprobe,
0.1 s a minute of 1080p), the key frames decoded (about 0.5 s) and loudnorm's measuring
pass (about 2 s a minute, the longest). The measurement is the one a transcode's second
pass needs, so a source that is transcoded after all is not measured twice.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Literal

from media_hub.media.compliance import Decision, SourceFacts, decide, forced
from media_hub.media.loudness import LoudnessMeasurement, measure_programme
from media_hub.media.media_info import MediaInfo
from media_hub.media.profiles import Profile
from media_hub.media.stream_scan import keyframe_errors, scan_streams

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Choice:
    decision: Decision
    # The source's loudness when it was measured (to reuse), None when it was not.
    facts: SourceFacts | None

    def loudness_for_transcode(
        self, profile: Profile
    ) -> LoudnessMeasurement | Literal["measure"] | None:
        """What `transcode` takes as `loudness`: the measurement made here, or 'measure'."""
        if self.facts is None:
            return "measure"
        return self.facts.loudness if profile.loudness.two_pass else None


def examine(info: MediaInfo, profile: Profile) -> SourceFacts:
    """Scan the packets, decode the key frames and measure the loudness, side by side."""
    with ThreadPoolExecutor(max_workers=3, thread_name_prefix="examine") as pool:
        scan = pool.submit(scan_streams, info)
        keyframes = pool.submit(keyframe_errors, info)
        loudness = pool.submit(measure_programme, info, profile.audio, profile.loudness)
        return SourceFacts(info, scan.result(), loudness.result(), keyframes.result())


def without_examining(profile: Profile, *, force_transcode: bool = False) -> Choice | None:
    """The choice when it needs no look at the source (a forced or a 'never' transcode)."""
    if force_transcode:
        return Choice(forced("--force-transcode was given"), None)
    if profile.pass_through == "never":  # noqa: S105 - a setting, not a password
        return Choice(forced(f"profile {profile.name} sets pass_through = 'never'"), None)
    return None


def choose(
    profile: Profile, info: MediaInfo, *, force_transcode: bool = False, branded: bool = False
) -> Choice:
    """The path `info`'s source takes under `profile`, and why."""
    early = without_examining(profile, force_transcode=force_transcode)
    if early is not None:
        return early
    facts = examine(info, profile)
    decision = decide(profile, facts, branded=branded)
    log.info("%s: %s (%s)", info.path, decision.path, "; ".join(decision.reasons))
    return Choice(decision, facts)
